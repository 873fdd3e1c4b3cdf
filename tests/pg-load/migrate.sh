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

# Data as the first version's pg-load stored it: loaded by this pg-load
# into a database of the current schema, then copied table by table (the
# records' text read into jsonb, as version 1 kept them).
psql -X -q -d postgres -c "CREATE DATABASE src" || exit 99
{ PGDATABASE=src pg-load -q --init &&
    PGDATABASE=src pg-load -q "$D/admin.jsonl" "$D/sample.jsonl"; } ||
    fail "load"
for t in $(PGDATABASE=src q "SELECT tablename FROM pg_tables
    WHERE schemaname = 'moc' AND tablename <> 'schema_version'"); do
	psql -X -q -d src -c "\\copy moc.$t TO '$T/table'" &&
	    psql -X -q -c "\\copy moc.$t FROM '$T/table'" ||
	    fail "copy of $t"
done
expect_eq "old data" "$(q "SELECT count(*) FROM moc.instance")" 1
dump "$T/before"

pg-load --migrate 2>"$T/err"
expect_eq "migrate: exit" "$?" 0
expect_grep "migrate applies 002" "applied 002-typed-views.sql" "$T/err"
expect_grep "migrate applies 003" "applied 003-json-records.sql" "$T/err"
expect_grep "migrate applies 004" "applied 004-text-records.sql" "$T/err"
expect_eq "versions" "$(q "SELECT string_agg(version::text, ',' ORDER BY
    version) FROM moc.schema_version")" "1,2,3,4"
expect_eq "records now text" "$(q "SELECT DISTINCT data_type FROM
    information_schema.columns WHERE table_schema = 'moc'
    AND column_name = 'rec'")" "text"
expect_eq "valid_to indexes hold closed versions" "$(q "SELECT string_agg(
    indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE schemaname =
    'moc' AND indexdef LIKE '%(valid_to) WHERE (valid_to IS NOT NULL)'")" \
    "instance_valid_to port_valid_to volume_valid_to"
dump "$T/after"
cmp -s "$T/before" "$T/after" && pass "data kept" || fail "data changed"
expect_eq "new view reads old data" "$(q "SELECT vcpus || ' ' || status
    FROM moc.instance_v")" "24 ACTIVE"
expect_eq "shares view" "$(q "SELECT sum(share) FROM moc.project_institution_v")" "1.0"

pg-load --migrate 2>"$T/err"
expect_eq "migrate again: exit" "$?" 0
expect_eq "nothing applied twice" "$(q "SELECT count(*) FROM moc.schema_version")" 4
pg-load --init 2>"$T/err"
expect_eq "init again: exit" "$?" 2
expect_grep "init again: message" "already has the moc schema (version 4)" "$T/err"

# Loading works on the migrated database.
$GEN --instances 5 --polls 2 >"$T/in"
pg-load -q "$T/in"
expect_eq "load after migration" "$?" 0
pg-load --migrate --sql-dir "$T/none" 2>"$T/err"
expect_eq "missing sql folder: exit" "$?" 2
finish
