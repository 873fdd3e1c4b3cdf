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
for t in instance project flavor instance_action; do
	expect_eq "$t rows" "$(q "SELECT count(*) FROM moc.$t")" \
	    "$(awk -v t=$t '$1 == t { print $2 }' "$T/expect")"
done
expect_eq "open instances" "$(q "SELECT count(*) FROM moc.instance
    WHERE valid_to IS NULL")" "$(awk '$1 == "open_instances" { print $2 }' "$T/expect")"
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
finish
