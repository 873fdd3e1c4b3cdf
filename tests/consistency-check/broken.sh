# Broken input is trouble, not a verdict: malformed JSON, a truncated
# stream, a record without "type", a field of the wrong type, invalid
# UTF-8, an endless line, a missing file, and a check named without its
# input exit 2 with the input, line and field named.  Unknown record
# types are passed over.  -q keeps standard error quiet; a full disk
# fails loudly.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
F=2024-02-01T00:00:00Z U=2024-02-02T00:00:00Z
sim 1 10 $F $U "$T/sim.jsonl"

# trouble NAME MESSAGE ARGS...: exit 2, MESSAGE on stderr, no verdict.
trouble() {
	name=$1 msg=$2
	shift 2
	check "$name" "$@"
	expect_eq "$name: exit 2" "$st" 2
	expect_grep "$name: message" "$msg" "$T/$name.err"
	if grep -q check_summary "$T/$name.out"; then
		fail "$name: a verdict was written"
	fi
}

printf '{"type":"mystery"}\n{"type":"collection_run",\n' >"$T/badjson"
trouble badjson '^consistency-check: <stdin>:2: bad JSON' -c coverage <"$T/badjson"
trouble badfile "badjson:2: bad JSON" -c references "$T/badjson"
# Cut in the middle of a record.
size=$(wc -c <"$T/sim.jsonl")
head -c $((size / 2)) "$T/sim.jsonl" >"$T/cut.jsonl"
lines=$(wc -l <"$T/cut.jsonl")
trouble truncated "cut.jsonl:$((lines + 1)): bad JSON" "$T/cut.jsonl"
printf '{"id":"x"}\n' >"$T/notype"
trouble notype '<stdin>:1: missing field "type"' <"$T/notype"
printf '[1,2]\n' >"$T/array"
trouble array '<stdin>:1: not a JSON object' <"$T/array"
printf '{"type":"collection_run","id":"r","started_at":5}\n' >"$T/type"
trouble fieldtype '<stdin>:1: bad time in field "started_at": 5' -c coverage <"$T/type"
printf '{"type":"run_start","run_id":"r","started_at":"2024-02-01T00:00:00Z"}\n{"type":"run_end","run_id":"r","complete":"yes"}\n' >"$T/bool"
trouble notbool '<stdin>:2: not a boolean in field "complete": \"yes\"' <"$T/bool"
printf '{"type":"tenant_usage","id":"a","instance_id":"i","window_start":"%s","window_end":"%s","hours":"many"}\n' $F $U >"$T/hours"
trouble hours '<stdin>:1: not a number of hours in field "hours": \"many\"' -c nova-usage <"$T/hours"
printf '{"type":"tenant_usage","id":"a","instance_id":"i","window_start":"%s","window_end":"%s","hours":1}\n' $U $F >"$T/window"
trouble window '<stdin>:1: window_end is not after window_start' -c nova-usage <"$T/window"
printf '{"type":"x","s":"\377"}\n' >"$T/utf8"
trouble utf8 '<stdin>:1' <"$T/utf8"
trouble nofile "$T/nowhere.jsonl" "$T/nowhere.jsonl"

# An endless line is refused, not swallowed.
limit=
[ "${MOC_SANITIZERS:-no}" = yes ] || limit='ulimit -v 1000000;'
head -c 100000000 /dev/zero | tr '\0' x |
    sh -c "$limit exec consistency-check -c coverage" >/dev/null 2>"$T/long.err"
expect_eq "endless line: exit 2" "$?" 2
expect_grep "endless line: message" "<stdin>:1: .*longer than\|<stdin>:1: bad JSON" "$T/long.err"

# Unknown types are passed over: the stream with them judged as without.
edit "$T/sim.jsonl" "$T/unknown.jsonl" '
extra = [{"type": "mystery-%d" % len(state), "payload": [1, {"a": None}]}]
state[len(state)] = 1'
check plain -c coverage,references,nova-usage "$T/sim.jsonl"
check unknown -c coverage,references,nova-usage "$T/unknown.jsonl"
expect_eq "unknown types: same status" "$st" 0
expect_eq "unknown types: same findings" "$(cat "$T/unknown.out")" "$(cat "$T/plain.out")"

# A check named without its input; unknown checks; bad options.
trouble nodump 'check dump needs --dump DIR' -c dump "$T/sim.jsonl"
trouble nosum 'check report needs --summaries FILE' -c report "$T/sim.jsonl"
trouble nostream 'check coverage needs a record stream' -c coverage,dump --dump "$T"
trouble unknowncheck 'unknown check in --check: bogus' -c coverage,bogus
trouble badtime 'bad time for --since: yesterday' --since yesterday
trouble badmonth 'bad month for --month: 2024-13' --month 2024-13
trouble monthsince 'excludes' --month 2024-02 --since 2024-02-01
trouble sincemonth 'excludes' --until 2024-03-01 --month 2024-02
trouble order 'not after' --since $U --until $F
trouble tolerance 'bad duration for --tolerance: soon' --tolerance soon
trouble twostdin 'standard input given as two inputs' --summaries - -
trouble role '\-\-role needs -d' --role moc_reporter
expect_grep "usage errors point to --help" "Try 'consistency-check --help'" "$T/role.err"

# Every line on standard output is a record; -q: nothing on stderr.
check quiet -q -c coverage,references "$T/sim.jsonl"
expect_eq "quiet: pass" "$st" 0
[ -s "$T/quiet.err" ] && fail "quiet: wrote to stderr: $(cat "$T/quiet.err")"
"$PYTHON3" -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert recs[-1]["type"] == "check_summary", recs[-1]
assert all(r["type"] == "finding" for r in recs[:-1])
for r in recs[:-1]:
    assert set(r) == {"type", "check", "severity", "subject", "expected",
                      "actual", "detail"}, r' "$T/quiet.out" ||
    fail "quiet: output is not findings and one check_summary"

consistency-check -c coverage "$T/sim.jsonl" >/dev/full 2>"$T/full.err"
expect_eq "full disk: exit 1" "$?" 1
expect_grep "full disk: message" "write error" "$T/full.err"
{ consistency-check -c references --tolerance 0 "$T/sim.jsonl" 2>"$T/head.err"; echo $? >"$T/head.st"; } | head -c 1 >/dev/null
case $(cat "$T/head.st") in
0|141) pass "| head: quiet" ;;
*) fail "| head: status $(cat "$T/head.st")" ;;
esac
finish
