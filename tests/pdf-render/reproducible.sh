# With SOURCE_DATE_EPOCH the same input gives the same PDF byte for byte;
# the epoch is what dates it (another epoch gives another file).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pdf-render/lib.sh"

"$PY" "$GEN" --instances >"$T/in.jsonl" || exit 99
SOURCE_DATE_EPOCH=1711947600 pdf-render "$T/in.jsonl" >"$T/a.pdf"
expect_eq "first run" "$?" 0
SOURCE_DATE_EPOCH=1711947600 pdf-render -o "$T/b.pdf" <"$T/in.jsonl"
expect_eq "second run" "$?" 0
if cmp -s "$T/a.pdf" "$T/b.pdf"; then
	pass "byte-identical twice"
else
	fail "two runs differ: $(cmp "$T/a.pdf" "$T/b.pdf")"
fi
mkdir "$T/s1" "$T/s2"
SOURCE_DATE_EPOCH=1711947600 pdf-render --split-by institution -d "$T/s1" "$T/in.jsonl"
SOURCE_DATE_EPOCH=1711947600 pdf-render --split-by institution -d "$T/s2" "$T/in.jsonl"
if diff -r "$T/s1" "$T/s2" >/dev/null && [ -n "$(ls "$T/s1")" ]; then
	pass "split files byte-identical twice"
else
	fail "split files differ"
fi

SOURCE_DATE_EPOCH=1711951200 pdf-render "$T/in.jsonl" >"$T/c.pdf"
cmp -s "$T/a.pdf" "$T/c.pdf" && fail "another epoch gave the same file" ||
    pass "another epoch, another file"
expect_grep "creation date from the epoch" "2024-04-01T05:00:00Z\|Apr  1 05:00:00 2024" \
    "$(pdfinfo -isodates "$T/a.pdf" >"$T/info" 2>/dev/null; echo "$T/info")"
pdftotext "$T/a.pdf" "$T/a.txt" 2>/dev/null
expect_grep "rendering time on the cover is the epoch" "2024-04-01T05:00:00Z" "$T/a.txt"

SOURCE_DATE_EPOCH=yesterday pdf-render "$T/in.jsonl" >"$T/d.pdf" 2>"$T/err"
expect_eq "bad SOURCE_DATE_EPOCH" "$?" 2
expect_grep "bad SOURCE_DATE_EPOCH message" "bad SOURCE_DATE_EPOCH" "$T/err"
finish
