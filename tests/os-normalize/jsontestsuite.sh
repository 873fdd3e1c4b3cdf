# JSONTestSuite (nst/JSONTestSuite): every n_* file, placed as the body of
# a page, must make that line rejected (a "bad JSON" message, exit 1,
# nothing of it written); every y_* file must be accepted (the page, of a
# resource os-normalize does not know, passes through byte for byte).
# Each stream is also fed one byte per read(2) through dd, so that the
# reader's buffer boundaries fall everywhere.
. "$top_srcdir/tests/lib/common.sh"
S=$DATA/jsontestsuite
head='{"type":"page","service":"test","resource":"jsontestsuite","status":200,"fetched_at":"2026-11-25T16:00:00Z","body":'

wrap() {
	printf '%s' "$head"
	cat "$1"
	printf '}\n'
}

# A page is one line: whitespace newlines of an accepted document become
# spaces, as os-fetch writes them (a valid document has no raw newline
# inside a string).
wrap_line() {
	printf '%s' "$head"
	tr '\r\n' '  ' <"$1"
	printf '}\n'
}

# feed IN JUDGE NAME: run os-normalize on IN, read whole and one byte
# per read; JUDGE STATUS IN says whether the outcome is the right one.
feed() {
	for how in cat "dd bs=1 status=none"; do
		$how <"$1" | os-normalize >"$T/out" 2>"$T/err"
		"$2" $? "$1" ||
		    fail "$3 ($how): status $st, out $(head -c 200 "$T/out"), err $(cat "$T/err")"
	done
}
rejected() {
	st=$1
	[ "$st" -eq 1 ] && [ ! -s "$T/out" ] &&
	    grep -q "bad JSON\|not an object\|longer than" "$T/err"
}
accepted() {
	st=$1
	[ "$st" -eq 0 ] && cmp -s "$2" "$T/out"
}

# corpus PREFIX WRAP JUDGE: every PREFIX*.json file, wrapped and judged.
corpus() {
	n=0
	for f in "$S"/"$1"*.json; do
		n=$((n + 1))
		"$2" "$f" >"$T/in"
		feed "$T/in" "$3" "${f##*/}"
	done
	pass "$n $1* cases $3"
}
corpus n_ wrap rejected
corpus y_ wrap_line accepted
finish
