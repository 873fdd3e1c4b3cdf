# Each kind of bad record, with its documented default (pg-load(1)):
#   missing or non-string id, bad observed_at, malformed JSON, no "type",
#   a record outside a run: the stream is rejected, exit 1, nothing stored;
#   with --skip-bad the record is skipped and the run infers no deletions.
#   wrong type or impossible timestamp in another field: a warning, the
#   record stored as sent.
#   unknown record type: a warning, kept in moc.other_record and extracted.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new bad
base_load

# rejected CASE LINE FIELD-PATTERN: a run of r2 whose line 3 is LINE.
rejected() {
	{
		run r2 ${D}00:15:00Z R1 "$S"
		inst a ${D}00:15:00Z R1 SHUTOFF
		printf '%s\n' "$2"
		end r2 ${D}00:15:10Z
	} >"$T/in"
	pg-load "$T/in" 2>"$T/err"
	expect_eq "$1: exit status" "$?" 1
	expect_grep "$1: message" "^pg-load: $T/in:3: $3" "$T/err"
	expect_grep "$1: nothing stored" "nothing stored" "$T/err"
	dump "$T/now"
	cmp -s "$T/base" "$T/now" && pass "$1: database unchanged" ||
	    fail "$1: database changed"
	# The default can be relaxed: the record is skipped, b (not in
	# the run) is not taken for deleted.
	pg-load --skip-bad "$T/in" 2>"$T/err"
	expect_eq "$1 --skip-bad: exit status" "$?" 0
	expect_grep "$1 --skip-bad: warning" "^pg-load: $T/in:3: .*record skipped" "$T/err"
	expect_eq "$1 --skip-bad: no deletions" "$(versions instance b)" "00:00:00-open"
	expect_eq "$1 --skip-bad: run partial" \
	    "$(q "SELECT partial FROM moc.collection_run WHERE id = 'r2'")" t
	expect_eq "$1 --skip-bad: a changed" "$(versions instance a)" \
	    "00:00:00-00:15:00 00:15:00-open"
	q "DELETE FROM moc.collection_run WHERE id = 'r2';
	   DELETE FROM moc.instance WHERE valid_from > '2019-03-01';
	   UPDATE moc.instance SET valid_to = NULL" >/dev/null
}
rejected "missing id" '{"type":"instance","region":"R1","observed_at":"2019-03-01T00:15:00Z"}' \
    'missing id in field "id"'
rejected "numeric id" '{"type":"instance","id":7,"region":"R1","observed_at":"2019-03-01T00:15:00Z"}' \
    'bad id in field "id": 7'
rejected "impossible observed_at" '{"type":"instance","id":"b","region":"R1","observed_at":"2019-02-30T00:15:00Z"}' \
    'bad timestamp in field "observed_at": "2019-02-30T00:15:00Z"'
rejected "malformed JSON" '{"type":"instance","id":"b",' 'bad JSON'
rejected "no type" '{"id":"b","region":"R1"}' 'missing record type in field "type"'
rejected "not an object" '["instance"]' 'record is a JSON array'
rejected "invalid UTF-8" "$(printf '{"type":"instance","id":"b\377","region":"R1","observed_at":"2019-03-01T00:15:00Z"}')" \
    'bad JSON'
rejected "truncated record" '{"type":"instance","id":"b","region":"R1","observ' 'bad JSON'

# A value the server refuses (jsonb has no \u0000): the database's error,
# exit 1, nothing stored.
{
	run r2 ${D}00:15:00Z R1 "$S"
	inst a ${D}00:15:00Z R1 SHUTOFF
	inst b ${D}00:15:00Z R1 'NUL\u0000'
	end r2 ${D}00:15:10Z
} >"$T/in"
pg-load "$T/in" 2>"$T/err"
expect_eq "server refusal: exit" "$?" 1
expect_grep "server refusal: message" "^pg-load: ERROR: .*unsupported Unicode escape sequence" "$T/err"
dump "$T/now"
cmp -s "$T/base" "$T/now" && pass "server refusal: database unchanged" ||
    fail "server refusal: database changed"
# So is a lone UTF-16 surrogate, which json alone would keep.
{
	run r2 ${D}00:15:00Z R1 "$S"
	inst b ${D}00:15:00Z R1 'half \ud83d'
	end r2 ${D}00:15:10Z
} >"$T/in"
pg-load "$T/in" 2>"$T/err"
expect_eq "lone surrogate: exit" "$?" 1
expect_grep "lone surrogate: message" "surrogate must follow" "$T/err"

# A line longer than --max-record is refused, not swallowed.
{
	run r2 ${D}00:15:00Z R1 "$S"
	printf '{"type":"instance","id":"b","region":"R1","observed_at":"2019-03-01T00:15:00Z","name":"%s"}\n' \
	    "$(head -c 300000 /dev/zero | tr '\0' x)"
	end r2 ${D}00:15:10Z
} >"$T/in"
pg-load --max-record 64K "$T/in" 2>"$T/err"
expect_eq "huge line: exit" "$?" 1
expect_grep "huge line: message" "$T/in:2: record longer than the limit of 65536 bytes; nothing stored" "$T/err"
pg-load --max-record 0 "$T/in" 2>"$T/err"
expect_eq "bad --max-record" "$?" 2

# Outside a run, an observation has no run to belong to.
inst z ${D}00:00:00Z R1 ACTIVE >"$T/in"
pg-load "$T/in" 2>"$T/err"
expect_eq "outside a run: exit" "$?" 1
expect_grep "outside a run: message" "$T/in:1: record of type \"instance\" outside a run" "$T/err"

# Kept with a warning: wrong types and impossible times elsewhere.
{
	run r3 ${D}00:30:00Z R1 "$S"
	inst a ${D}00:30:00Z R1 ACTIVE ',"vcpus":"four","created_at":"2019-13-01T00:00:00Z","enabled":"yes"'
	inst b ${D}00:30:00Z R1 ACTIVE
	printf '{"type":"quota","id":"q1","region":"R1","observed_at":"%s","cores":20}\n' ${D}00:30:00Z
	end r3 ${D}00:30:10Z
} >"$T/in"
pg-load "$T/in" 2>"$T/err"
expect_eq "kept: exit status" "$?" 0
expect_grep "wrong type warned" "$T/in:2: wrong type in field \"vcpus\": \"four\", not a number (kept as sent)" "$T/err"
expect_grep "wrong boolean warned" "$T/in:2: wrong type in field \"enabled\": \"yes\", not a boolean" "$T/err"
expect_grep "impossible time warned" "$T/in:2: bad timestamp in field \"created_at\": \"2019-13-01T00:00:00Z\" (kept as sent)" "$T/err"
expect_grep "unknown type warned" "$T/in:4: unknown record type \"quota\"" "$T/err"
expect_eq "kept as sent" "$(q "SELECT rec::json->>'vcpus' || ' ' || (rec::json->>'created_at')
    FROM moc.instance WHERE id = 'a' AND valid_to IS NULL")" "four 2019-13-01T00:00:00Z"
expect_eq "typed view reads null" "$(q "SELECT coalesce(vcpus::text, 'null') || ' ' ||
    coalesce(created_at::text, 'null') FROM moc.instance_v WHERE id = 'a' AND valid_to IS NULL")" "null null"
pg-extract --since 2019-03-01 --until 2019-03-02 --types other >"$T/out"
# Records are kept as the text they were sent in.
expect_eq "unknown type extracted unchanged" "$(cat "$T/out")" "$(sed -n 4p "$T/in")"
finish
