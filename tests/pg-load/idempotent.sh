# Loading the same input twice leaves the database identical; so does
# loading it in pieces, in separate invocations.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
D=$top_srcdir/tests/pg-load
$GEN --instances 20 --polls 12 --change 0.2 --churn 0.05 --region RegionTwo \
    >"$T/in"
cat "$D/admin.jsonl" "$D/sample.jsonl" >>"$T/in"

db_new once
pg-load -q "$T/in" || fail "first load"
dump "$T/once"
pg-load "$T/in" 2>"$T/err" || fail "second load"
expect_grep "second load skips the runs" 'already loaded; skipped' "$T/err"
dump "$T/twice"
if cmp -s "$T/once" "$T/twice"; then
	pass "database identical after loading twice"
else
	fail "database changed by the second load"
	diff "$T/once" "$T/twice" | head
fi
[ "$(wc -l <"$T/once")" -gt 100 ] || fail "dump is suspiciously small"

# The same runs, one invocation per run, end in the same state
# (loaded_at aside, which records when).
db_new pieces
$GEN --instances 20 --polls 12 --change 0.2 --churn 0.05 --region RegionTwo |
    awk -v d="$T" '/"type": "run_start"/ { n++ }
	{ print > sprintf("%s/piece.%03d", d, n) }'
for f in "$T"/piece.*; do
	pg-load -q "$f" || fail "load of $f"
done
pg-load -q "$D/admin.jsonl" "$D/sample.jsonl" || fail "load of sample"
dump "$T/pieces"
PGDATABASE=once dump "$T/once"
strip() { sed 's/|[0-9-]* [0-9:.+]*$//' "$1"; }
strip "$T/once" >"$T/once.s"; strip "$T/pieces" >"$T/pieces.s"
if cmp -s "$T/once.s" "$T/pieces.s"; then
	pass "one load per run gives the same database"
else
	fail "loading run by run differs"
	diff "$T/once.s" "$T/pieces.s" | head
fi

# Administrator data loaded again adds nothing.
before=$(q "SELECT count(*) FROM moc.project_institution")
pg-load -q "$D/admin.jsonl"
expect_eq "admin data reloaded" "$(q "SELECT count(*) FROM moc.project_institution")" "$before"
finish
