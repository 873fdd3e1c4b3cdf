# More COPY data than pg-load queues while the server writes (16 MB): a
# first poll copied straight into the table and a second one staged and
# merged, each larger than the queue, so that pg-load waits on a full
# queue again and again.  Every version the generator made is stored.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new queue
$GEN --compact --instances 40000 --polls 2 --change 0.05 --churn 0.001 \
    --expect "$T/expect" >"$T/in"
# Each poll alone must be more than the queue holds.
[ "$(wc -c <"$T/in")" -gt $((2 * 20 * 1024 * 1024)) ] ||
	fail "input too small to fill the queue"
pg-load -q "$T/in"
expect_eq "load" "$?" 0
expect_eq "runs recorded" "$(q "SELECT count(*) FROM moc.collection_run")" 2
expect_generated "$T/expect"
# The second poll changed instances, or the counts prove little.
[ "$(awk '$1 == "instance" { print $2 }' "$T/expect")" -gt 41000 ] ||
	fail "too few changes generated"

# What went through the queue is what came in: every stored record of
# the last poll is byte for byte a line of the input.
grep '"type":"instance"' "$T/in" | sort >"$T/lines"
q "SELECT rec FROM moc.instance WHERE run_id = 'RegionOne-000001'" |
    sort >"$T/stored"
[ -s "$T/stored" ] || fail "no version of the second poll stored"
expect_eq "stored records are input lines" \
    "$(comm -13 "$T/lines" "$T/stored" | wc -l)" 0

# The server goes away while pg-load waits on a full queue: a row of the
# first instance's id, inserted and not committed by another session,
# holds the COPY on its unique index, so pg-load fills the queue and
# waits; then its backend is ended.  pg-load says so, exits 75, and
# stores nothing.
db_new queue_drop
ctl_open
ctl "BEGIN; INSERT INTO moc.instance (region, id, valid_from, hash, rec)
    VALUES ('RegionOne', 'i-00000001', '2019-01-01', '\\x00', '{}');"
wait_for "SELECT count(*) FROM pg_locks WHERE relation = 'moc.instance'::regclass
    AND mode = 'RowExclusiveLock' AND granted" 1
pg-load -q "$T/in" 2>"$T/drop.err" & pid=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name =
    'pg-load' AND wait_event_type = 'Lock'" 1
# Where /proc tells, wait until pg-load stops reading: the queue is full.
fd=$(ls -l "/proc/$pid/fd" 2>/dev/null | awk -v f="$T/in" '$NF == f { print $(NF - 2) }')
if [ -n "$fd" ]; then
	last=-1 n=0
	while :; do
		pos=$(awk '/^pos:/ { print $2 }' "/proc/$pid/fdinfo/$fd")
		[ "$pos" = "$last" ] && break
		last=$pos n=$((n + 1))
		[ "$n" -lt 600 ] || { fail "pg-load never stopped reading"; break; }
		sleep 0.2
	done
	# Far more than the socket holds: the rest waits in the queue.
	[ "$pos" -gt $((8 * 1024 * 1024)) ] &&
	    [ "$pos" -lt "$(wc -c <"$T/in")" ] &&
	    pass "pg-load waits with the queue full ($pos bytes read)" ||
	    fail "pg-load stopped reading at $pos bytes"
fi
expect_eq "backend ended" "$(q "SELECT pg_terminate_backend(pid) FROM
    pg_stat_activity WHERE application_name = 'pg-load'")" t
wait $pid
expect_eq "server gone while queued: exit 75" "$?" 75
expect_grep "server gone while queued: message" "^pg-load: COPY: server closed the connection" "$T/drop.err"
ctl "ROLLBACK;"
ctl_close
expect_eq "server gone while queued: nothing stored" \
    "$(q "SELECT (SELECT count(*) FROM moc.instance) +
    (SELECT count(*) FROM moc.collection_run)")" 0
finish
