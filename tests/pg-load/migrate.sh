# A database made by the first schema version migrates in place: data
# kept, later versions applied once.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
D=$top_srcdir/tests/pg-load
psql -X -q -d postgres -c "CREATE DATABASE mig" || exit 99
PGDATABASE=mig

pg-load --init --schema-version 1 2>"$T/err"
expect_eq "init at version 1" "$?" 0
expect_grep "init says what it applied" "applied 001-initial.sql" "$T/err"
expect_eq "version 1" "$(q "SELECT string_agg(version::text, ',')
    FROM moc.schema_version")" 1
expect_eq "no views yet" "$(q "SELECT count(*) FROM pg_views
    WHERE schemaname = 'moc'")" 0

# pg-load of this version refuses to write an old schema.
pg-load "$D/sample.jsonl" 2>"$T/err"
expect_eq "old schema: exit" "$?" 2
expect_grep "old schema: message" "schema is version 1.*pg-load --migrate" "$T/err"

# Data written by the first version (as its pg-load stored it).
MOC_SQLDIR=$T/sql1
mkdir "$MOC_SQLDIR"
cp "$top_srcdir/sql/001-initial.sql" "$MOC_SQLDIR/"
psql -X -q -c "INSERT INTO moc.schema_version VALUES (2, 'pretend', now()),
    (3, 'pretend', now())"
pg-load -q "$D/admin.jsonl" "$D/sample.jsonl" || fail "load"
psql -X -q -c "DELETE FROM moc.schema_version WHERE version > 1"
MOC_SQLDIR=$top_srcdir/sql
dump "$T/before"

pg-load --migrate 2>"$T/err"
expect_eq "migrate: exit" "$?" 0
expect_grep "migrate applies 002" "applied 002-typed-views.sql" "$T/err"
expect_grep "migrate applies 003" "applied 003-json-records.sql" "$T/err"
expect_eq "versions" "$(q "SELECT string_agg(version::text, ',' ORDER BY
    version) FROM moc.schema_version")" "1,2,3"
expect_eq "records now json" "$(q "SELECT DISTINCT data_type FROM
    information_schema.columns WHERE table_schema = 'moc'
    AND column_name = 'rec'")" "json"
dump "$T/after"
cmp -s "$T/before" "$T/after" && pass "data kept" || fail "data changed"
expect_eq "new view reads old data" "$(q "SELECT vcpus || ' ' || status
    FROM moc.instance_v")" "24 ACTIVE"
expect_eq "shares view" "$(q "SELECT sum(share) FROM moc.project_institution_v")" "1.0"

pg-load --migrate 2>"$T/err"
expect_eq "migrate again: exit" "$?" 0
expect_eq "nothing applied twice" "$(q "SELECT count(*) FROM moc.schema_version")" 3
pg-load --init 2>"$T/err"
expect_eq "init again: exit" "$?" 2
expect_grep "init again: message" "already has the moc schema (version 3)" "$T/err"

# Loading works on the migrated database.
$GEN --instances 5 --polls 2 >"$T/in"
pg-load -q "$T/in"
expect_eq "load after migration" "$?" 0
pg-load --migrate --sql-dir "$T/none" 2>"$T/err"
expect_eq "missing sql folder: exit" "$?" 2
finish
