# A month of 15-minute polls of a small generated cloud: the version rows
# are exactly the changes the generator made, and a stable cloud polled
# 96 times a day adds no rows at all.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new month
polls=$((30 * 96))
$GEN --instances 12 --polls $polls --change 0.002 --churn 0.0005 \
    --expect "$T/expect" >"$T/in"
pg-load -q "$T/in"
expect_eq "load a month" "$?" 0
expect_eq "runs recorded" "$(q "SELECT count(*) FROM moc.collection_run")" $polls
expect_generated "$T/expect"
# The model did change things, or the counts above prove little.
[ "$(awk '$1 == "instance" { print $2 }' "$T/expect")" -gt 20 ] ||
    fail "too few changes generated"
# Every deleted instance ends at its delete action, not at a poll.
expect_eq "deletions dated by actions" "$(q "SELECT count(*) FROM moc.instance i
    JOIN moc.instance_action a ON a.subject_id = i.id AND a.kind = 'delete'
    WHERE i.valid_to IS NOT NULL AND i.valid_to <> a.at_from
    AND i.valid_to > a.at_from")" 0
# History can be read back at any instant: the state at mid-month has the
# live instances of that moment.
pg-extract --at 2019-03-15T12:00:00Z --types instance >"$T/at"
expect_eq "state at an instant" "$(wc -l <"$T/at")" 12

# A stable cloud: a day of polls adds nothing after the first.
$GEN --instances 40 --polls 96 --change 0 --churn 0 --region Stable >"$T/s"
pg-load -q "$T/s"
expect_eq "stable cloud: rows" "$(q "SELECT count(*) FROM moc.instance
    WHERE region = 'Stable'")" 40
finish
