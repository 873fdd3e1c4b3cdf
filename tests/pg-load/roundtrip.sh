# Records -> pg-load -> pg-extract give back the same records (keys in any
# order), with their validity added; runs come back as collection_run.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
D=$top_srcdir/tests/pg-load
db_new rt

pg-load -q "$D/admin.jsonl" "$D/sample.jsonl"
expect_eq "load exit" "$?" 0
pg-extract --until 2030-01-01 >"$T/out"
expect_eq "extract exit" "$?" 0

# Every input record comes back once, unchanged.
grep -v '"run_start"\|"run_end"' "$D/admin.jsonl" "$D/sample.jsonl" |
    sed 's/^[^:]*:{/{/' >"$T/in.records"
grep -v '"collection_run"' "$T/out" >"$T/out.records"
sorted_json "$T/in.records" valid_from valid_to >"$T/want"
sorted_json "$T/out.records" valid_from valid_to >"$T/got"
if cmp -s "$T/want" "$T/got"; then
	pass "records round trip"
else
	fail "records differ:"
	diff "$T/want" "$T/got" | head -20
fi
# Versions carry their validity: still valid, from the observation.
expect_eq "instance valid_from" "$($PYTHON3 -c 'import json,sys
for line in sys.stdin:
    r = json.loads(line)
    if r["type"] == "instance":
        print(r["valid_from"], r["valid_to"])' <"$T/out")" "2019-03-01T00:00:00Z None"
# Administrator records take effect at their own valid_from.
expect_eq "share valid_from" "$(grep '"p-bu:bu"' "$T/out" |
    $PYTHON3 -c 'import json,sys; print(json.loads(sys.stdin.read())["valid_from"])')" \
    "2019-01-01T00:00:00Z"
# The run, with its counts and the digest of its input lines.
digest=$(sha256sum "$D/sample.jsonl" | cut -d' ' -f1)
digest2=$(tr -d '\n' <"$D/sample.jsonl" | sha256sum | cut -d' ' -f1)
grep '"collection_run"' "$T/out" >"$T/run"
expect_grep "collection_run id" '"id": "s-1"' "$T/run"
expect_grep "collection_run complete" '"complete": true' "$T/run"
expect_grep "collection_run counts" '"instance": 1' "$T/run"
expect_grep "collection_run digest" "\"digest\": \"$digest2\"" "$T/run"
[ "$digest" != "$digest2" ] || fail "digest check is vacuous"

# A generated poll round trips too (many records of one type).
$GEN --instances 50 --polls 1 >"$T/gen"
pg-load -q "$T/gen"
pg-extract --types instance,project,flavor --since 2019-03-01 \
    --until 2019-03-02 >"$T/out2"
grep -v '"type": "run_' "$T/gen" >"$T/gen.records"
sorted_json "$T/gen.records" >"$T/want2"
sorted_json "$T/out2" valid_from valid_to >"$T/got2"
if cmp -s "$T/want2" "$T/got2"; then
	pass "generated poll round trips"
else
	fail "generated poll differs"
	diff "$T/want2" "$T/got2" | head -10
fi
finish
