# Two loads at once serialise on the advisory lock: both succeed and the
# database ends as if they had run one after the other; the same input
# loaded twice at once is stored once.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new cc
$GEN --instances 500 --polls 6 --change 0.1 --churn 0.02 --region RA >"$T/a"
$GEN --instances 500 --polls 6 --change 0.1 --churn 0.02 --region RB \
    --seed 2 >"$T/b"

ctl_open
ctl "SELECT pg_advisory_lock($LOCK_KEY);"
wait_for "$ADVISORY_HELD" 1
pg-load -q "$T/a" & pa=$!
pg-load -q "$T/b" & pb=$!
pg-load -q "$T/a" & pc=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name =
    'pg-load' AND wait_event = 'advisory'" 3
pass "three loads wait for each other"
ctl "SELECT pg_advisory_unlock_all();"
ctl_close
wait $pa; expect_eq "load a" "$?" 0
wait $pb; expect_eq "load b" "$?" 0
wait $pc; expect_eq "load a again" "$?" 0
dump "$T/together"

db_new seq
pg-load -q "$T/a" "$T/b"
dump "$T/seq"
strip() { sed 's/|[0-9-]* [0-9:.+]*$//' "$1"; }
strip "$T/together" >"$T/x"; strip "$T/seq" >"$T/y"
cmp -s "$T/x" "$T/y" && pass "same as loading one after the other" ||
    { fail "concurrent loads differ"; diff "$T/x" "$T/y" | head -5; }
finish
