# A run's objects of a table that has nothing of its region go straight
# into the table by COPY (the bulk of a first load).  What is stored must
# be what staging and merging store: the last record of an id seen twice,
# a version of no length for a reported deletion, jsonb's form of a record
# with a repeated key, records of another region merged as usual; times
# before 2000 and text with escapes and non-ASCII characters (the straight
# path sends them in COPY's binary format, staging in its text format).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
D=2019-03-01T
{
	run r1 ${D}00:15:00Z R1 '"compute/servers"'
	inst a ${D}00:15:00Z R1 ACTIVE
	inst b ${D}00:15:00Z R1 ACTIVE
	inst a ${D}00:15:00Z R1 SHUTOFF
	inst c ${D}00:15:00Z R1 DELETED ',"deleted_at":"2019-03-01T00:10:00Z"'
	inst b ${D}00:16:00Z R1 ERROR
	printf '{"type":"instance","id":"d","region":"R1","observed_at":"%s","status":"A","status":"B"}\n' \
	    ${D}00:15:00Z
	printf '{"type":"instance","id":"e","region":"R1","observed_at":"%s","status":"A"}  \n' \
	    ${D}00:15:00Z
	inst x ${D}00:15:00Z R2 ACTIVE
	cat <<'EOF'
{"type":"instance","id":"f\tü","region":"R1","observed_at":"1999-12-31T23:59:59Z","status":"A\\b","deleted_at":"1970-01-01T00:00:00Z"}
EOF
	end r1 ${D}00:15:10Z
} >"$T/run"

rows() {
	q "SELECT region, id, valid_from, valid_to, hash, run_id, rec
	    FROM moc.instance WHERE id <> 'z' ORDER BY 1, 2, 3"
}

# Straight into the table: R1 has no instance yet.
db_new direct
PGOPTIONS='-c log_statement=all' pg-load -q "$T/run" ||
    fail "direct: load"
expect_grep "direct: rows copied into the table" \
    'COPY moc.instance (region, id' "$PGDIR/server.log"
rows >"$T/direct"
pg-extract --types instance >"$T/direct.x" || fail "direct: extract"

# Staged and merged: R1 already holds an instance (closed by the run).
db_new staged
{
	run r0 ${D}00:00:00Z R1 '"compute/servers"'
	inst z ${D}00:00:00Z R1 ACTIVE
	inst z ${D}00:00:00Z R2 ACTIVE
	end r0 ${D}00:00:10Z
} | pg-load -q || fail "staged: first load"
pg-load -q "$T/run" || fail "staged: load"
rows >"$T/staged"
pg-extract --types instance | grep -v '"id":"z"' >"$T/staged.x" ||
    fail "staged: extract"

if cmp -s "$T/direct" "$T/staged"; then
	pass "same rows either way"
else
	fail "rows differ between the two ways"
	diff "$T/direct" "$T/staged" | head -20
fi
expect_eq "same records extracted" "$(sort "$T/direct.x")" \
    "$(sort "$T/staged.x")"
[ "$(wc -l <"$T/direct")" -eq 7 ] || fail "rows: want 7, got $(wc -l <"$T/direct")"

expect_eq "id seen twice at one time: the last" \
    "$(q "SELECT string_agg(rec::json->>'status', ' ') FROM moc.instance
    WHERE id = 'a'")" SHUTOFF
expect_eq "id seen twice: the later record" "$(versions instance b)" \
    "00:16:00-open"
expect_eq "reported deletion: a version of no length" \
    "$(versions instance c)" "00:15:00-00:15:00"
expect_eq "repeated key: jsonb's form" \
    "$(q "SELECT rec FROM moc.instance WHERE id = 'd'")" \
    '{"id": "d", "type": "instance", "region": "R1", "status": "B", "observed_at": "2019-03-01T00:15:00Z"}'
expect_eq "text kept as sent, trailing blanks trimmed" \
    "$(q "SELECT rec FROM moc.instance WHERE id = 'e'")" \
    "$(sed -n 8p "$T/run" | sed 's/ *$//')"
expect_eq "another region" "$(q "SELECT region FROM moc.instance
    WHERE id = 'x'")" R2
expect_eq "escapes and times before 2000" "$(q "SELECT valid_from || ' '
    || valid_to || ' ' || length(id) || ' ' || (rec::json->>'status')
    FROM moc.instance WHERE id = E'f\\tü'")" \
    '1999-12-31 23:59:59+00 1999-12-31 23:59:59+00 3 A\b'
finish
