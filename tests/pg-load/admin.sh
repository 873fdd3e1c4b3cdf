# Administrator data: shares and memberships take effect at their date,
# a restated date corrects that version, a backdated change is refused,
# undated records hold since always and change from when they are loaded.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
D=$top_srcdir/tests/pg-load
db_new adm
pg-load -q "$D/admin.jsonl" || fail "load"
share() {
	printf '{"type":"project_institution","id":"p-bu:bu","project_id":"p-bu","institution_id":"bu","share":"%s","valid_from":"%s"}\n' "$1" "$2"
}
shares() {
	q "SELECT string_agg(to_char(valid_from, 'YYYY-MM-DD') || '..' ||
	    coalesce(to_char(valid_to, 'YYYY-MM-DD'), 'open') || '=' ||
	    (rec::json->>'share'), ' ' ORDER BY valid_from)
	    FROM moc.project_institution WHERE id = 'p-bu:bu'"
}
expect_eq "dated share" "$(shares)" "2019-01-01..open=0.5"
share 0.6 2019-01-01 | pg-load -q
expect_eq "same date corrects" "$(shares)" "2019-01-01..open=0.6"
share 0.7 2019-06-01T00:00:00Z | pg-load -q
expect_eq "later date adds a version" "$(shares)" \
    "2019-01-01..2019-06-01=0.6 2019-06-01..open=0.7"
share 0.9 2019-03-01 >"$T/back"
pg-load -q "$T/back" 2>"$T/err"
expect_eq "backdated: exit" "$?" 0
expect_grep "backdated: warned" "$T/back:1: project_institution \"p-bu:bu\" dated before its current version (from 2019-06-01T00:00:00Z) in field \"valid_from\"; ignored" "$T/err"
expect_eq "backdated: ignored" "$(shares)" \
    "2019-01-01..2019-06-01=0.6 2019-06-01..open=0.7"
expect_eq "state in April" "$(pg-extract --at 2019-04-01 --types \
    project_institution | grep -c '"share": "0.6"')" 1

# Undated: since 1970, then from the load that changes it.
expect_eq "undated since always" "$(q "SELECT valid_from::date FROM
    moc.institution WHERE id = 'bu'")" 1970-01-01
printf '{"type":"institution","id":"bu","name":"Boston University","code":"BU-002"}\n' |
    pg-load -q
expect_eq "undated change" "$(q "SELECT count(*), bool_and(valid_from::date
    = '1970-01-01' OR valid_from > now() - interval '1 hour')
    FROM moc.institution WHERE id = 'bu'")" "2|t"
expect_eq "one open version" "$(q "SELECT rec::json->>'code' FROM moc.institution
    WHERE id = 'bu' AND valid_to IS NULL")" BU-002
pg-load -q "$D/admin.jsonl"
expect_eq "reloading the old file reverts, once" "$(q "SELECT count(*)
    FROM moc.institution WHERE id = 'bu'")" 3
pg-load -q "$D/admin.jsonl"
expect_eq "and only once" "$(q "SELECT count(*) FROM moc.institution
    WHERE id = 'bu'")" 3
finish
