# Broken input gets the suite's message (input, line, field) and exit 1;
# empty input and a period without usage give a short, correct report.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pdf-render/lib.sh"

META='{"type":"usage_meta","cloud":"c","since":"2024-03-01T00:00:00Z","until":"2024-04-01T00:00:00Z","tz":"UTC"}'

# bad WHAT INPUT MESSAGE [OPTION...]: exit 1, the message, no PDF.
bad() {
	what=$1 input=$2 msg=$3
	shift 3
	printf '%b' "$input" | pdf-render "$@" >"$T/out" 2>"$T/err"
	expect_eq "$what: exit" "$?" 1
	if [ "$(cat "$T/err")" = "$msg" ]; then
		pass "$what: message"
	else
		fail "$what: message '$(cat "$T/err")', want '$msg'"
	fi
	[ -s "$T/out" ] && fail "$what: wrote to stdout"
}

bad "malformed JSON" "$META\n{\"type\":\"usage\",}\n" \
    'pdf-render: <stdin>:2: bad JSON at byte 18: invalid object key (must be a string)'
bad "truncated stream" "$META\n{\"type\":\"usage\",\"axis\":\"pro" \
    'pdf-render: <stdin>:2: bad JSON at byte 28: premature end of input'
bad "figure not a number" "$META\n\n{\"type\":\"usage\",\"axis\":\"user\",\"id\":\"u\",\"su_hours\":\"12h\"}\n" \
    'pdf-render: <stdin>:3: bad decimal number (at most 18 places): "12h" in field "su_hours"'
bad "figure with an exponent" "{\"type\":\"usage\",\"axis\":\"user\",\"id\":\"u\",\"cost\":1e3}\n" \
    'pdf-render: <stdin>:1: bad decimal number (at most 18 places): 1e3 in field "cost"'
bad "figure of a wrong type" "{\"type\":\"usage\",\"axis\":\"user\",\"id\":\"u\",\"cost\":{}}\n" \
    'pdf-render: <stdin>:1: expected a number, found object in field "cost"'
bad "too many places" "{\"type\":\"usage_total\",\"axis\":\"user\",\"cost\":\"0.1234567890123456789\"}\n" \
    'pdf-render: <stdin>:1: bad decimal number (at most 18 places): "0.1234567890123456789" in field "cost"'
bad "unknown axis" "{\"type\":\"usage\",\"axis\":\"galaxy\",\"id\":\"u\"}\n" \
    'pdf-render: <stdin>:1: unknown axis "galaxy" in field "axis"'
bad "missing id" "{\"type\":\"usage\",\"axis\":\"project\",\"parent_id\":\"p\"}\n" \
    'pdf-render: <stdin>:1: missing value in field "id"'
bad "bad scope" "{\"type\":\"usage\",\"axis\":\"project\",\"id\":\"p\",\"scope\":\"all\"}\n" \
    'pdf-render: <stdin>:1: expected "own" or "subtree": "all" in field "scope"'
bad "bad depth" "{\"type\":\"usage\",\"axis\":\"project\",\"id\":\"p\",\"depth\":\"x\"}\n" \
    'pdf-render: <stdin>:1: expected a small integer: "x" in field "depth"'
bad "name of a wrong type" "{\"type\":\"usage\",\"axis\":\"user\",\"id\":\"u\",\"name\":[1]}\n" \
    'pdf-render: <stdin>:1: expected a string, found array in field "name"'
bad "charge_stopped not a boolean" "{\"type\":\"usage_meta\",\"charge_stopped\":\"no\"}\n" \
    'pdf-render: <stdin>:1: expected true or false: "no" in field "charge_stopped"'
bad "outages not an array" "{\"type\":\"usage_meta\",\"outages\":{}}\n" \
    'pdf-render: <stdin>:1: expected an array, found object in field "outages"'
bad "second usage_meta" "$META\n$META\n" \
    'pdf-render: <stdin>:2: a second usage_meta record'
bad "no type" "$META\n{\"axis\":\"user\"}\n" \
    'pdf-render: <stdin>:2: no string in field "type"'
bad "not an object" "$META\n[1,2]\n" \
    'pdf-render: <stdin>:2: record is a JSON array, not an object'
bad "invalid UTF-8" "{\"type\":\"usage_meta\",\"cloud\":\"x\\377y\"}\n" \
    'pdf-render: <stdin>:1: bad JSON at byte 33: invalid bytes in UTF8 string.'

# A line over the limit is refused, not swallowed.
"$PY" -c 'import sys; sys.stdout.write("{\"type\":\"usage_meta\",\"cloud\":\"" + "x" * 3000000 + "\"}\n")' >"$T/huge"
pdf-render --max-record-size 1M <"$T/huge" >"$T/out" 2>"$T/err"
expect_eq "huge line: exit" "$?" 1
expect_grep "huge line: message" '^pdf-render: <stdin>:1: record longer than the limit of 1048576 bytes$' "$T/err"

# The message names the file when there is one.
printf '%s\n{"type":"usage","axis":"user","id":"u","gpu_hours":"-"}\n' "$META" >"$T/in.jsonl"
pdf-render "$T/in.jsonl" >"$T/out" 2>"$T/err"
expect_eq "file input error: exit" "$?" 1
expect_grep "file input error: names the file" "^pdf-render: $T/in.jsonl:2: .* in field \"gpu_hours\"$" "$T/err"
pdf-render "$T/no-such-file" >"$T/out" 2>"$T/err"
expect_eq "missing input file" "$?" 1
expect_grep "missing input file: message" "no-such-file: No such file" "$T/err"

# Output problems: no half-written file left behind.
pdf-render -o "$T/no/such/dir/r.pdf" </dev/null 2>"$T/err"
expect_eq "-o into a missing folder" "$?" 1
pdf-render </dev/null >/dev/full 2>"$T/err"
expect_eq "stdout on a full disk" "$?" 1
expect_grep "full disk: message" "write error" "$T/err"
mkdir "$T/ro"
printf '%s\n' "$META" | pdf-render -o "$T/ro/r.pdf"
expect_eq "-o exit" "$?" 0
expect_eq "-o leaves only the report" "$(ls "$T/ro")" "r.pdf"

# Fonts libharu cannot use are refused before it sees them.
echo 'not a font' >"$T/bad.ttf"
pdf-render --font "$T/bad.ttf" </dev/null >"$T/out" 2>"$T/err"
expect_eq "bad font" "$?" 2
expect_grep "bad font: message" "not a TrueType font" "$T/err"
pdf-render --font "$T/none.ttf" </dev/null >"$T/out" 2>"$T/err"
expect_eq "missing font" "$?" 2
pdf-render a b </dev/null >"$T/out" 2>"$T/err"
expect_eq "two inputs" "$?" 2

# Empty input: a short report that says there is nothing to report.
pdf-render </dev/null >"$T/empty.pdf" 2>"$T/err"
expect_eq "empty input: exit" "$?" 0
pdf_ok "empty input" "$T/empty.pdf"
pdftotext "$T/empty.pdf" "$T/empty.txt" 2>/dev/null
expect_grep "empty input says so" "nothing to report" "$T/empty.txt"
expect_eq "empty input: pages" "$(pages "$T/empty.pdf")" 2
not_blank "empty input" "$T/empty.pdf"

# A period without usage.
"$PY" "$GEN" --empty-period >"$T/none.jsonl"
pdf-render "$T/none.jsonl" >"$T/none.pdf" 2>"$T/err"
expect_eq "no usage: exit" "$?" 0
pdf_ok "no usage" "$T/none.pdf"
pdftotext "$T/none.pdf" "$T/none.txt" 2>/dev/null
expect_grep "no usage says so" "No usage was recorded in this period." "$T/none.txt"
expect_grep "no usage: period on the cover" "2024-03-01T05:00:00Z" "$T/none.txt"
mkdir "$T/split"
pdf-render --split-by institution -d "$T/split" "$T/none.jsonl"
expect_eq "no usage, split: exit" "$?" 0
expect_eq "no usage, split: no files" "$(ls "$T/split")" ""

# Record types it does not read are ignored; usage without usage_meta
# is still reported.
printf '%s\n{"type":"instance","id":"i"}\n{"type":"usage","axis":"user","id":"u","name":"Ελένη","su_hours":"12345.5"}\n' \
    "$META" | pdf-render >"$T/other.pdf" 2>"$T/err"
expect_eq "other record types: exit" "$?" 0
pdftotext "$T/other.pdf" "$T/other.txt" 2>/dev/null
expect_grep "other record types: user shown" "12,345.5" "$T/other.txt"
printf '{"type":"usage","axis":"user","id":"u","name":"Ελένη 😀 李小龍","su_hours":7}\n' |
    pdf-render >"$T/nometa.pdf"
expect_eq "no usage_meta: exit" "$?" 0
pdftotext "$T/nometa.pdf" "$T/nometa.txt" 2>/dev/null
expect_grep "no usage_meta: says so" "no usage_meta record" "$T/nometa.txt"
expect_grep "no usage_meta: user shown" "Ελένη" "$T/nometa.txt"
expect_grep "no usage_meta: CJK kept in the text" "李小龍" "$T/nometa.txt"
pdf_ok "emoji and CJK" "$T/nometa.pdf"
finish
