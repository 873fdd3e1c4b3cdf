# kill -9 at several points of a large load leaves the database exactly
# as it was, and the same input loads afterwards.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new k
$GEN --instances 3000 --polls 1 >"$T/base.in"
$GEN --instances 3000 --polls 4 --first-poll 1 --change 0.1 --churn 0.01 \
    >"$T/in"
pg-load -q "$T/base.in" || fail "base load"
dump "$T/base"
lines=$(wc -l <"$T/in")

unchanged() {
	wait_for "$LOADERS" 0
	dump "$T/now"
	cmp -s "$T/base" "$T/now" && pass "$1: database unchanged" ||
	    fail "$1: database changed"
}

# 1. Waiting for the advisory lock.
ctl_open
ctl "SELECT pg_advisory_lock($LOCK_KEY);"
wait_for "$ADVISORY_HELD" 1
pg-load -q "$T/in" & pid=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name =
    'pg-load' AND wait_event = 'advisory'" 1
kill -9 $pid; wait $pid 2>/dev/null
ctl "SELECT pg_advisory_unlock_all();"
ctl_close
unchanged "killed waiting for the lock"

# 2. In the middle of the COPY: half the input sent.
mkfifo "$T/feed"
pg-load -q <"$T/feed" & pid=$!
exec 4>"$T/feed"
head -n $((lines / 2)) "$T/in" >&4
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name =
    'pg-load' AND query LIKE 'COPY moc_stage%'" 1
kill -9 $pid; wait $pid 2>/dev/null
exec 4>&-
rm -f "$T/feed"
unchanged "killed mid-COPY"

# 3. In the middle of a merge: blocked on the instance table.
ctl_open
ctl "BEGIN; LOCK TABLE moc.instance IN ACCESS EXCLUSIVE MODE;"
wait_for "$(table_locked instance)" 1
pg-load -q "$T/in" & pid=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name =
    'pg-load' AND wait_event_type = 'Lock' AND query LIKE '%moc.instance%'" 1
kill -9 $pid; wait $pid 2>/dev/null
ctl "ROLLBACK;"
ctl_close
unchanged "killed mid-merge"

# 4. After the first run is merged, recording it (later runs unread).
ctl_open
ctl "BEGIN; LOCK TABLE moc.collection_run IN EXCLUSIVE MODE;"
wait_for "$(table_locked collection_run)" 1
pg-load -q "$T/in" & pid=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name =
    'pg-load' AND wait_event_type = 'Lock' AND query LIKE
    'INSERT INTO moc.collection_run%'" 1
kill -9 $pid; wait $pid 2>/dev/null
ctl "ROLLBACK;"
ctl_close
unchanged "killed after a run's merge"

# The same input loads now, to the same state as an undisturbed load.
pg-load -q "$T/in"
expect_eq "load after the kills" "$?" 0
dump "$T/after"
db_new k2
pg-load -q "$T/base.in" "$T/in"
dump "$T/clean"
strip() { sed 's/|[0-9-]* [0-9:.+]*$//' "$1"; }
strip "$T/after" >"$T/a"; strip "$T/clean" >"$T/b"
cmp -s "$T/a" "$T/b" && pass "same state as an undisturbed load" ||
    fail "state differs from an undisturbed load"
finish
