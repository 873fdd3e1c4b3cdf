# A stream without a complete run_end is rejected as a whole: nothing
# stored, exit 1.  --partial keeps its observations and closes nothing.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new inc
base_load

# Truncated: run r2 has no run_end.  The complete run before it in the
# same stream is not stored either: the stream is one transaction.
{
	run r1b 2019-02-28T23:45:00Z R1 '"compute/flavors"'
	end r1b 2019-02-28T23:45:10Z
	run r2 ${D}00:15:00Z R1 "$S"
	inst a ${D}00:15:00Z R1 SHUTOFF
} >"$T/in"
pg-load "$T/in" 2>"$T/err"
expect_eq "truncated: exit" "$?" 1
expect_grep "truncated: message" "run \"r2\" is incomplete (the stream ends without run_end); nothing stored" "$T/err"
dump "$T/now"
cmp -s "$T/base" "$T/now" && pass "truncated: nothing stored" ||
    fail "truncated: database changed"

# run_end says the run is not complete.
{
	run r3 ${D}00:30:00Z R1 "$S"
	inst a ${D}00:30:00Z R1 SHUTOFF
	end r3 ${D}00:30:10Z false
} >"$T/in3"
pg-load "$T/in3" 2>"$T/err"
expect_eq "incomplete: exit" "$?" 1
expect_grep "incomplete: message" '"complete": false); nothing stored' "$T/err"
dump "$T/now"
cmp -s "$T/base" "$T/now" && pass "incomplete: nothing stored" ||
    fail "incomplete: database changed"

# --partial: a's change is stored, b (absent) is not closed.
pg-load -q --partial "$T/in"
expect_eq "partial: exit" "$?" 0
expect_eq "partial: change stored" "$(versions instance a)" "00:00:00-00:15:00 00:15:00-open"
expect_eq "partial: no deletion" "$(versions instance b)" "00:00:00-open"
expect_eq "partial: run recorded" "$(q "SELECT complete, partial, ended_at IS NULL
    FROM moc.collection_run WHERE id = 'r2'")" "f|t|t"
pg-load -q --partial "$T/in3"
expect_eq "partial run_end false: no deletion" "$(versions instance b)" "00:00:00-open"

# run_end of another run, and run_end with no run.
{
	run r4 ${D}00:45:00Z R1 "$S"
	end r9 ${D}00:45:10Z
} >"$T/in4"
pg-load "$T/in4" 2>"$T/err"
expect_eq "mismatched run_end: exit" "$?" 1
expect_grep "mismatched run_end: message" "$T/in4:2: run_end of run \"r9\"" "$T/err"
end r5 ${D}00:45:10Z >"$T/in5"
pg-load "$T/in5" 2>"$T/err"
expect_eq "lone run_end: exit" "$?" 1
expect_grep "lone run_end: message" "$T/in5:1: run_end without run_start" "$T/err"

# An empty stream stores nothing and succeeds.
pg-load -q </dev/null
expect_eq "empty stream" "$?" 0
finish
