# lib.sh: what consistency-check's tests share, sourced after common.sh.
#   sim SEED SIZE FROM UNTIL FILE   the simulated cloud's records
#       (tests/usage-aggregate/sim-records.py) with nova's tenant usage
#       for [FROM, UNTIL) (sim-nova.py), into FILE as pg-load takes them:
#       Keystone objects and flavors in every run, each instance action
#       in the run during which it started, nova's usage in the last run
#   check NAME [ARGS...]   run consistency-check; its output in
#       $T/NAME.out, $T/NAME.err, its status in $st
#   finding NAME PATTERN   expect a finding line matching PATTERN
#   nofinding NAME PATTERN expect none
: "${PYTHON3:=}"
[ -n "$PYTHON3" ] || PYTHON3=$(command -v python3) || skip "python3 is not installed"
PYTHONDONTWRITEBYTECODE=1; export PYTHONDONTWRITEBYTECODE
CC_DIR=$top_srcdir/tests/consistency-check

sim() {
	"$PYTHON3" "$top_srcdir/tests/usage-aggregate/sim-records.py" "$1" "$2" \
	    "$3" "$4" >"$T/sim-records.jsonl" || exit 99
	"$PYTHON3" "$CC_DIR/sim-nova.py" "$1" "$2" "$3" "$4" \
	    >>"$T/sim-records.jsonl" || exit 99
	"$PYTHON3" - "$T/sim-records.jsonl" >"$5" <<'PY' || exit 99
import json, sys
head, admin, runs, acts, usage = [], [], [], [], []
ADMIN = {"institution", "user_institution", "project_institution",
         "email_domain_institution", "project_attr"}
for line in open(sys.argv[1]):
    r = json.loads(line)
    t = r["type"]
    if t == "run_start":
        runs.append([r])
    elif t in ("run_end", "instance", "volume", "floating_ip"):
        runs[-1].append(r)
    elif t in ADMIN:
        admin.append(r)
    elif t == "instance_action":
        acts.append(r)
    elif t == "tenant_usage":
        usage.append(r)
    else:
        head.append(r)
starts = [r[0]["started_at"] for r in runs]
for a in acts:
    i = max(0, sum(1 for s in starts if s <= a["start_time"]) - 1)
    runs[i].insert(-1, a)
runs[-1][-1:-1] = usage
out = sys.stdout
for r in admin:
    out.write(json.dumps(r) + "\n")
for run in runs:
    out.write(json.dumps(dict(run[0], region="RegionOne",
                              source="openstack", cloud="sim")) + "\n")
    for r in head:
        out.write(json.dumps(dict(r, observed_at=run[0]["started_at"])) + "\n")
    for r in run[1:]:
        out.write(json.dumps(r) + "\n")
PY
}

check() {
	name=$1
	shift
	consistency-check "$@" >"$T/$name.out" 2>"$T/$name.err"
	st=$?
}

finding() {
	if grep '"type":"finding"' "$T/$1.out" | grep -q -e "$2"; then
		pass "$1: finding $2"
	else
		fail "$1: no finding $2:"
		head -c 2000 "$T/$1.out" "$T/$1.err"
	fi
}

nofinding() {
	if grep '"type":"finding"' "$T/$1.out" | grep -q -e "$2"; then
		fail "$1: unexpected finding $2:"
		grep -e "$2" "$T/$1.out" | head -5
	else
		pass "$1: no finding $2"
	fi
}

# edit IN OUT PYTHON: rewrite a record stream, one record r at a time
# (r is a dict; the code may set r = None to drop it, or append to
# extra to add records after it).
edit() {
	"$PYTHON3" - "$1" "$2" "$3" <<'PY' || exit 99
import json, sys
src, dst, code = sys.argv[1], sys.argv[2], sys.argv[3]
with open(src) as f, open(dst, "w") as out:
    state = {}
    for line in f:
        r = json.loads(line)
        extra = []
        exec(code)
        if r is not None:
            out.write(json.dumps(r, separators=(",", ":")) + "\n")
        for e in extra:
            out.write(json.dumps(e, separators=(",", ":")) + "\n")
PY
}
