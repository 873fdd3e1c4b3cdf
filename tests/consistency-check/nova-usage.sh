# nova-usage: the simulated cloud's instances against the simulated
# nova's os-simple-tenant-usage (launch to termination, stops included)
# pass; with every stop action removed they still pass (nova ignores
# stops, and observations still show them); nova's hours off by 5 h, an
# instance nova lists that we never saw, one we count running that nova
# does not list, and a launch 10 h later than our actions say each fail.
# The tolerance decides whether 30 minutes more is a disagreement.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
F=2024-02-01T00:00:00Z U=2024-02-03T00:00:00Z
sim 1 40 $F $U "$T/sim.jsonl"

check ok -c nova-usage "$T/sim.jsonl"
expect_eq "simulated nova: pass" "$st" 0
expect_grep "simulated nova: compared" '^nova-usage .*pass 0 errors, 0 warnings; [1-9][0-9]* tenant_usage records: 0 disagree' "$T/ok.err"

edit "$T/sim.jsonl" "$T/nostop.jsonl" '
if r["type"] == "instance_action" and r["action"] in ("stop", "shelve"):
    state["n"] = state.get("n", 0) + 1
    r = None'
check nostop -c nova-usage "$T/nostop.jsonl"
expect_eq "stops removed: still pass" "$st" 0
grep -q '"action": "stop"' "$T/sim.jsonl" || fail "the cloud has no stop action"

# Instances nova counted 48 hours (there the whole window): the first
# gets 5 hours more from nova, the second is dropped from nova's list,
# the third launched (for nova) 10 hours into the window.
ids=$("$PYTHON3" -c '
import json, sys
ids = [r["instance_id"] for r in map(json.loads, open(sys.argv[1]))
       if r["type"] == "tenant_usage" and r["hours"] == 48.0]
print(" ".join(ids[:3]))' "$T/sim.jsonl")
set -- $ids
[ $# -eq 3 ] || exit 99
A=$1 B=$2 C=$3
edit "$T/sim.jsonl" "$T/bad.jsonl" "
if r['type'] == 'tenant_usage':
    if r['instance_id'] == '$A':
        r['hours'] = 53.0
    elif r['instance_id'] == '$B':
        r = None
    elif r['instance_id'] == '$C':
        r['started_at'] = '2024-02-01T10:00:00Z'
        r['hours'] = 38.0
    if 'ghost' not in state:
        state['ghost'] = 1
        extra = [dict(r or {}, type='tenant_usage', id='ghost:$F:$U',
                      instance_id='ghost', hours=12.5, started_at='$F',
                      ended_at=None, window_start='$F', window_end='$U',
                      observed_at='$U')]"
check bad -c nova-usage "$T/bad.jsonl"
expect_eq "disagreements: fail" "$st" 1
finding bad "\"subject\":\"instance $A\",\"expected\":\"53.00 h\",\"actual\":\"48.00 h\",\"detail\":\"window \\[$F, $U): nova's hours"
finding bad "\"subject\":\"instance $B\",\"expected\":\"listed by nova's tenant usage\",\"actual\":\"[0-9.]* h\""
finding bad "\"subject\":\"instance $C\",\"expected\":\"38.00 h\",\"actual\":\"48.00 h\",\"detail\":\"window \\[$F, $U): we count more running time than nova's launch to termination allows"
finding bad '"subject":"instance ghost","expected":"known to our records","actual":"never seen","detail":"window \[2024-02-01T00:00:00Z, 2024-02-03T00:00:00Z): nova lists it with 12.5 hours'
expect_grep "disagreements: summary" "^nova-usage .*FAIL 5 errors.* 1 never seen by us, 1 not listed by nova" "$T/bad.err"

# The same from standard input (kept in a temporary file for the
# second reading) and from two files.
check badstdin -c nova-usage <"$T/bad.jsonl"
expect_eq "standard input: fail" "$st" 1
expect_eq "standard input: same findings" \
    "$(sed "s|$T/bad.jsonl|<stdin>|g" "$T/bad.out")" "$(cat "$T/badstdin.out")"
head -n 100 "$T/bad.jsonl" >"$T/bad1.jsonl"
tail -n +101 "$T/bad.jsonl" >"$T/bad2.jsonl"
check badtwo -c nova-usage "$T/bad1.jsonl" "$T/bad2.jsonl"
expect_eq "two files: same findings" \
    "$(grep -c '"type":"finding"' "$T/badtwo.out")" 5

# Half an hour more from nova: within 1 h, not within 10 minutes.
edit "$T/sim.jsonl" "$T/half.jsonl" "
if r['type'] == 'tenant_usage' and r['instance_id'] == '$A':
    r['hours'] = 48.5"
check half -c nova-usage "$T/half.jsonl"
expect_eq "30 min, tolerance 1h: pass" "$st" 0
check half10 -c nova-usage --tolerance 10m "$T/half.jsonl"
expect_eq "30 min, tolerance 10m: fail" "$st" 1
finding half10 "\"subject\":\"instance $A\",\"expected\":\"48.50 h\",\"actual\":\"48.00 h\""

# A gap in collection as long as the difference explains it: a warning.
edit "$T/sim.jsonl" "$T/gap.jsonl" "
if r.get('run_id') in ['run-%d' % n for n in range(100, 140)] or (
        r['type'] == 'instance_action' and r['instance_id'] == '$A'):
    r = None
if r and r['type'] == 'tenant_usage' and r['instance_id'] == '$A':
    r['hours'] = 40.0"
check gap -c nova-usage "$T/gap.jsonl"
finding gap "\"severity\":\"warning\",\"subject\":\"instance $A\",\"expected\":\"40.00 h\""

# No tenant usage at all: nothing to compare, a warning.
grep -v '"tenant_usage"' "$T/sim.jsonl" >"$T/none.jsonl"
check none -c nova-usage "$T/none.jsonl"
expect_eq "no tenant usage: pass" "$st" 0
finding none '"severity":"warning","subject":"tenant_usage"'
finish
