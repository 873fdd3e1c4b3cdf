# The loader writes, the reporter only reads: it cannot insert, update,
# delete, truncate or create.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
D=$top_srcdir/tests/pg-load
db_new roles --roles
expect_eq "roles exist" "$(q "SELECT string_agg(rolname, ' ' ORDER BY rolname)
    FROM pg_roles WHERE rolname LIKE 'moc_%'")" "moc_loader moc_reporter"

pg-load -q -d "user=moc_loader" "$D/admin.jsonl" "$D/sample.jsonl"
expect_eq "loader loads" "$?" 0
expect_eq "data stored" "$(q "SELECT count(*) FROM moc.instance")" 1

denied() {
	psql -X -q -U "$1" -c "$2" >"$T/out" 2>&1
	if [ $? -ne 0 ] && grep -q "permission denied\|must be owner" "$T/out"; then
		pass "$1 may not: $2"
	else
		fail "$1 could: $2 ($(cat "$T/out"))"
	fi
}
denied moc_reporter "INSERT INTO moc.instance VALUES ('R', 'x', now(), NULL, '\\x00', NULL, '{}')"
denied moc_reporter "UPDATE moc.instance SET valid_to = now()"
denied moc_reporter "DELETE FROM moc.instance"
denied moc_reporter "DELETE FROM moc.collection_run"
denied moc_reporter "TRUNCATE moc.project"
denied moc_reporter "CREATE TABLE moc.mine (x int)"
denied moc_reporter "CREATE TABLE public.mine (x int)"
denied moc_reporter "DROP TABLE moc.instance"
denied moc_loader "CREATE TABLE moc.mine (x int)"
denied moc_loader "DROP TABLE moc.instance"
expect_eq "reporter reads" "$(psql -X -A -t -U moc_reporter -c \
    "SELECT count(*) FROM moc.project")" 2

# pg-extract as the reporter, by connection or by --role.
pg-extract -d "user=moc_reporter" --until 2030-01-01 >"$T/a"
expect_eq "extract as reporter" "$?" 0
pg-extract --role moc_reporter --until 2030-01-01 >"$T/b"
expect_eq "extract with --role" "$?" 0
cmp -s "$T/a" "$T/b" && pass "same output either way" || fail "outputs differ"
[ "$(wc -l <"$T/a")" -gt 10 ] || fail "extract is nearly empty"
$GEN --instances 3 --polls 1 >"$T/in"
pg-load -q -d "user=moc_reporter" "$T/in" 2>"$T/err"
expect_eq "reporter cannot load" "$?" 1
expect_grep "reporter load refused" "permission denied" "$T/err"
finish
