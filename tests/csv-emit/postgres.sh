# Every CSV csv-emit writes loads into a real PostgreSQL with
# COPY ... CSV HEADER into a table made from its header row, and what the
# server holds equals the records: row counts, every value, and NULL kept
# apart from the empty string.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
[ -n "${PYTHON3:-}" ] || PYTHON3=python3
need "$PYTHON3" psql
rt="$PYTHON3 $top_srcdir/tests/csv-emit/roundtrip.py"
pg_start

$rt gen 11 1500 >"$T/records.jsonl" || exit 99
for opts in "" "--crlf --no-neutralise"; do
	rm -rf "$T/out"
	# shellcheck disable=SC2086
	csv-emit -d "$T/out" $opts "$T/records.jsonl"
	expect_eq "csv-emit -d $opts" "$?" 0
	chmod -R a+rX "$T/out"
	for type in instance thing invoice_line; do
		psql -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS \"$type\"" \
		    >/dev/null 2>&1
		$rt sql "$type" "$T/out/$type.csv" >"$T/load.sql"
		if psql -q -v ON_ERROR_STOP=1 -f "$T/load.sql" >"$T/psql.out" 2>&1; then
			pass "COPY $type $opts"
		else
			fail "COPY $type $opts: $(cat "$T/psql.out")"
			continue
		fi
		rows=$(psql -At -c "SELECT count(*) FROM \"$type\"")
		want=$(grep -c "\"type\": \"$type\"" "$T/records.jsonl")
		expect_eq "$type row count $opts" "$rows" "$want"
		psql -At -c "SELECT coalesce(json_agg(t), '[]') FROM \"$type\" t" \
		    >"$T/dump.json"
		# shellcheck disable=SC2086
		if $rt pg "$T/records.jsonl" "$type" "$T/dump.json" $opts \
		    >"$T/check" 2>&1; then
			pass "PostgreSQL values of $type $opts"
		else
			fail "PostgreSQL values of $type $opts: $(cat "$T/check")"
		fi
	done
done

# The invoice file has exactly the 16 invoicing columns.
n=$(psql -At -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'invoice_line'")
expect_eq "invoice_line columns in PostgreSQL" "$n" 16
finish
