# Versions open and close as content changes; objects absent from a
# complete run are closed at its time, but only for the resources it read
# and in its region; OpenStack's own deletion times take precedence.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new del
S='"compute/servers"'
D=2019-03-01T

{
	run r1 ${D}00:00:00Z R1 "$S"
	for i in a b c d e f; do inst $i ${D}00:00:00Z R1 ACTIVE; done
	inst x ${D}00:00:00Z R2 ACTIVE
	end r1 ${D}00:00:10Z
	run r2 ${D}00:15:00Z R1 "$S"
	inst a ${D}00:15:00Z R1 ACTIVE          # unchanged
	inst b ${D}00:15:00Z R1 SHUTOFF         # changed
	# c: gone, no word from OpenStack      -> closed at 00:15:00
	# d: gone, with a delete action        -> closed at its start
	printf '{"type":"instance_action","id":"req-d","region":"R1","observed_at":"%s","instance_id":"d","action":"delete","request_id":"req-d","start_time":"%s","finish_time":null}\n' \
	    ${D}00:15:00Z ${D}00:07:00Z
	# e: listed as deleted with deleted_at -> closed then
	inst e ${D}00:15:00Z R1 DELETED ',"deleted_at":"2019-03-01T00:09:00Z"'
	inst f ${D}00:15:00Z R1 ACTIVE
	end r2 ${D}00:15:10Z
	# r3 reads only volumes: the instances stay; the other region stays.
	run r3 ${D}00:30:00Z R1 '"block-storage/volumes"'
	end r3 ${D}00:30:10Z
} >"$T/in"
pg-load -q "$T/in"
expect_eq "load" "$?" 0
expect_eq "unchanged: one version" "$(versions instance a)" "00:00:00-open"
expect_eq "changed: two versions" "$(versions instance b)" \
    "00:00:00-00:15:00 00:15:00-open"
expect_eq "absent: closed at the run" "$(versions instance c)" \
    "00:00:00-00:15:00"
expect_eq "delete action dates the end" "$(versions instance d)" \
    "00:00:00-00:07:00"
expect_eq "deleted_at dates the end" "$(versions instance e)" \
    "00:00:00-00:09:00 00:15:00-00:15:00"
expect_eq "other region untouched" "$(versions instance x)" "00:00:00-open"
expect_eq "unread resource untouched" "$(versions instance f)" "00:00:00-open"

# The deleted instance seen again in later polls adds nothing.
{
	run r4 ${D}00:45:00Z R1 "$S"
	inst a ${D}00:45:00Z R1 ACTIVE
	inst b ${D}00:45:00Z R1 SHUTOFF
	inst e ${D}00:45:00Z R1 DELETED ',"deleted_at":"2019-03-01T00:09:00Z"'
	inst f ${D}00:45:00Z R1 ACTIVE
	end r4 ${D}00:45:10Z
} | pg-load -q
expect_eq "deleted record not repeated" "$(versions instance e)" \
    "00:00:00-00:09:00 00:15:00-00:15:00"
expect_eq "stable polls add nothing" "$(q "SELECT count(*) FROM moc.instance")" 9

# An instance that comes back after a gap gets a new version.
{
	run r5 ${D}01:00:00Z R1 "$S"
	for i in a b c f; do inst $i ${D}01:00:00Z R1 ACTIVE; done
	end r5 ${D}01:00:10Z
} | pg-load -q
expect_eq "reappearing object" "$(versions instance c)" \
    "00:00:00-00:15:00 01:00:00-open"

# A run older than one already loaded infers no deletions.
{
	run r0 2019-02-28T23:00:00Z R1 "$S"
	inst a 2019-02-28T23:00:00Z R1 ACTIVE
	end r0 2019-02-28T23:00:10Z
} | pg-load 2>"$T/err"
expect_eq "late run exit" "$?" 0
expect_grep "late run warned" 'is older than run "r5"' "$T/err"
expect_eq "late run closes nothing" "$(versions instance f)" "00:00:00-open"

# --retain removes versions that ended long enough ago, and says so.
pg-load --retain 1d 2>"$T/err"
expect_eq "retain exit" "$?" 0
expect_grep "retain reports" 'removed [0-9]* row versions of instance' "$T/err"
expect_eq "retain keeps open versions" \
    "$(q "SELECT count(*) FROM moc.instance WHERE valid_to IS NOT NULL")" 0
expect_eq "retain keeps the open ones" \
    "$(q "SELECT count(*) FROM moc.instance")" 5
pg-load --retain 1x 2>"$T/err"
expect_eq "bad retain duration" "$?" 2
finish
