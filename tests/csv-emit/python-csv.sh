# csv-emit's files read back with Python's csv module, cell by cell against
# the records, in every combination of --crlf and --no-neutralise, and with
# a late field (one the first record of its type lacked) on every type.
. "$top_srcdir/tests/lib/common.sh"
[ -n "${PYTHON3:-}" ] || PYTHON3=python3
need "$PYTHON3"
rt="$PYTHON3 $top_srcdir/tests/csv-emit/roundtrip.py"

$rt gen 7 2000 >"$T/records.jsonl" || exit 99
for opts in "" "--crlf" "--no-neutralise" "--crlf --no-neutralise"; do
	rm -rf "$T/out"
	# shellcheck disable=SC2086
	csv-emit -d "$T/out" $opts "$T/records.jsonl" 2>"$T/err"
	expect_eq "csv-emit -d $opts" "$?" 0
	[ -s "$T/err" ] && fail "csv-emit -d $opts warned: $(head -3 "$T/err")"
	# shellcheck disable=SC2086
	if $rt csv "$T/records.jsonl" "$T/out" $opts >"$T/check" 2>&1; then
		pass "csv module reads back $opts"
	else
		fail "csv module $opts: $(cat "$T/check")"
	fi
done

# Standard output and -o give the same bytes as the file in the folder.
rm -rf "$T/out"
csv-emit -d "$T/out" "$T/records.jsonl"
csv-emit -t thing "$T/records.jsonl" >"$T/thing.csv"
expect_eq "--type thing" "$?" 0
cmp -s "$T/thing.csv" "$T/out/thing.csv" && pass "stdout = file" ||
    fail "--type thing differs from -d"
csv-emit -t thing -o "$T/o.csv" "$T/records.jsonl"
cmp -s "$T/o.csv" "$T/out/thing.csv" && pass "-o = file" ||
    fail "-o differs from -d"
ls -A "$T" | grep -q '^\.' && fail "temporary files left in $T: $(ls -A "$T")"

# Stable columns: the same records in another order give the same header.
tac "$T/records.jsonl" >"$T/reversed.jsonl"
csv-emit -d "$T/rev" "$T/reversed.jsonl"
for f in instance thing invoice_line; do
	expect_eq "$f header independent of record order" \
	    "$(head -n 1 "$T/rev/$f.csv")" "$(head -n 1 "$T/out/$f.csv")"
done
finish
