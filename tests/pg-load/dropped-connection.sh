# The server ends pg-load's session in the middle of its COPY: pg-load
# says so and exits 75 (try again), nothing is stored, and the same input
# loads afterwards.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new dc
$GEN --instances 3000 --polls 1 >"$T/base.in"
$GEN --instances 3000 --polls 3 --first-poll 1 --change 0.1 >"$T/in"
pg-load -q "$T/base.in" || fail "base load"
dump "$T/base"
lines=$(wc -l <"$T/in")

mkfifo "$T/feed"
pg-load -q <"$T/feed" 2>"$T/err" & pid=$!
exec 4>"$T/feed"
head -n $((lines / 2)) "$T/in" >&4
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name =
    'pg-load' AND query LIKE 'COPY moc_stage%'" 1
expect_eq "backend terminated" "$(q "SELECT pg_terminate_backend(pid) FROM
    pg_stat_activity WHERE application_name = 'pg-load'")" t
tail -n +$((lines / 2 + 1)) "$T/in" >&4 2>/dev/null
exec 4>&-
wait $pid
expect_eq "pg-load exit status" "$?" 75
expect_grep "message names the cause" "^pg-load: .*server closed the connection" "$T/err"
if grep -q "$(printf '\r')\|: $" "$T/err"; then
	fail "message has a stray line end"
fi
wait_for "$LOADERS" 0
dump "$T/now"
cmp -s "$T/base" "$T/now" && pass "database unchanged" ||
    fail "database changed"
pg-load -q "$T/in"
expect_eq "same input loads again" "$?" 0
expect_eq "runs stored" "$(q "SELECT count(*) FROM moc.collection_run")" 3

# A server that is not there: exit 75 as well, and a bad conninfo is a
# usage error.
pg-load -d "host=$T/nowhere port=1" "$T/in" 2>"$T/err"
expect_eq "unreachable: exit" "$?" 75
expect_grep "unreachable: message" "^pg-load: cannot connect to the database: " "$T/err"
pg-load -d "host=x bogus_keyword=1" "$T/in" 2>"$T/err"
expect_eq "bad conninfo: exit" "$?" 2
expect_grep "bad conninfo: message" "bad connection string" "$T/err"
finish
