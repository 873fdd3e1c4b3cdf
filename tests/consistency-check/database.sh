# The database mode against the stream mode, on the simulated cloud
# loaded with pg-load: -d as the reporter role reads the rows pg-extract
# gives for the period, so both give the same findings and the same
# verdict; a csv-emit dump of the period matches; one of a shorter period
# does not; an unreachable database is exit 75.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new cc --roles
F=2024-02-01T00:00:00Z U=2024-02-03T00:00:00Z
sim 1 40 $F $U "$T/sim.jsonl"
pg-load -q "$T/sim.jsonl" 2>"$T/load.err" || { cat "$T/load.err"; exit 99; }

pg-extract --role moc_reporter --since $F --until $U >"$T/extract.jsonl" ||
    fail "pg-extract"
check stream --since $F --until $U "$T/extract.jsonl"
expect_eq "stream: all pass" "$st" 0
check db -d "dbname=cc" --role moc_reporter --since $F --until $U
expect_eq "database: all pass" "$st" 0
expect_eq "database and stream: same findings" "$(cat "$T/db.out")" \
    "$(cat "$T/stream.out")"
expect_grep "database: checks run" \
    '"checks":\["coverage","references","nova-usage"\]' "$T/db.out"
expect_grep "database: coverage of the period" "^coverage .*pass.* 192 slots" \
    "$T/db.err"
expect_grep "database: nova compared" "^nova-usage .*pass.* [1-9][0-9]* tenant_usage" \
    "$T/db.err"

# A dump of the period, checked against its manifest and the database.
csv-emit -d "$T/dump" "$T/extract.jsonl" || fail "csv-emit"
check dump -d "dbname=cc" -r moc_reporter -s $F -u $U -c dump --dump "$T/dump"
expect_eq "dump of the period: pass" "$st" 0
# One of the first day only: the database has more of the period.
pg-extract --since $F --until 2024-02-02 | csv-emit -d "$T/day" ||
    fail "day dump"
check day -d "dbname=cc" -s $F -u $U -c dump --dump "$T/day"
expect_eq "dump of a shorter period: fail" "$st" 1
finding day '"subject":"table collection_run","expected":"192","actual":"96"'

# Nothing stored for a later period: every slot is a gap, one finding.
check empty -d "dbname=cc" -c coverage -s 2024-03-01 -u 2024-03-02
expect_eq "empty period: fail" "$st" 1
finding empty '"actual":"none from 2024-03-01T00:00:00Z to 2024-03-02T00:00:00Z"'

# The reporter may read, not write: the session is read only anyway.
check unreach -d "host=$T/nowhere port=1" -s $F -u $U
expect_eq "unreachable database: exit 75" "$st" 75
expect_grep "unreachable: message" "cannot connect" "$T/unreach.err"
check norole -d "dbname=cc" -r no_such_role -s $F -u $U
expect_eq "unknown role: exit 1" "$st" 1
finish
