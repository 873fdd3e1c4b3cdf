#!/bin/sh
# The simulator is deterministic: the same seed gives byte-identical files
# and an identical served cloud; another seed gives another cloud.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"

sim() { "$PYTHON3" "$CLOUD_DIR/simulate.py" "$@"; }
args="--size 150 --from 2024-03-01T00:00:00Z --until 2024-03-08T00:00:00Z"
sim --seed 7 $args --out "$T/a" || fail "simulate (a)"
sim --seed 7 $args --out "$T/b" || fail "simulate (b)"
sim --seed 8 $args --out "$T/c" || fail "simulate (c)"
for f in truth.jsonl admin.jsonl; do
	if cmp -s "$T/a/$f" "$T/b/$f"; then pass "same seed, same $f"; else fail "same seed, $f differs"; fi
	if cmp -s "$T/a/$f" "$T/c/$f"; then fail "seeds 7 and 8 give the same $f"; else pass "another seed, another $f"; fi
done
expect_grep "truth.jsonl has intervals" '"type":"truth_interval"' "$T/a/truth.jsonl"

# Bad arguments: usage errors, exit 2.
sim --seed 7 --size 10 --from 2024-03-08 --until 2024-03-01 --out "$T/d" 2>"$T/err"
expect_eq "until before from" "$?" 2
expect_grep "until before from: message" "until must be after --from" "$T/err"
sim --seed 7 --size 0 --out "$T/d" 2>"$T/err"
expect_eq "size 0" "$?" 2
sim --seed 7 --from yesterday --out "$T/d" 2>"$T/err"
expect_eq "bad time" "$?" 2
expect_grep "bad time: message" "bad time 'yesterday'" "$T/err"

# Two servers of one simulation answer identically (but for their URL).
fetch() {	# out
	tok=$(cloudctl token) || fail "token"
	cloudctl control /_control/time '{"now": "2024-03-04T06:15:00Z"}' >/dev/null
	for p in "/compute/v2.1/servers/detail?all_tenants=1&changes-since=2024-03-01T00:00:00Z" \
		/identity/v3/projects /identity/v3/users /network/v2.0/ports \
		"/compute/v2.1/os-simple-tenant-usage?detailed=1&start=2024-03-01T00:00:00Z&end=2024-03-04T00:00:00Z" \
		"/volume/v3/$(admin_project)/volumes/detail?all_tenants=1"; do
		cloudctl get "$p" --token "$tok" --mv "compute 2.79" | sed "s|$CLOUD_URL|BASE|g"
	done >"$1"
}
admin_project() {
	cloudctl get /identity/v3/projects?name=admin --token "$tok" |
		"$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["projects"][0]["id"])'
}
start_cloud --simulate --seed 7 $args
fetch "$T/served1"
kill "$CLOUD_PID"
start_cloud --simulate --seed 7 $args
fetch "$T/served2"
if cmp -s "$T/served1" "$T/served2"; then pass "same seed, same answers"; else fail "same seed, answers differ"; fi
expect_grep "answers hold servers" '"OS-EXT-STS:vm_state"' "$T/served1"
finish
