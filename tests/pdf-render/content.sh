# The report read back: every figure of the input is in the text, the
# totals too, non-ASCII names survive, fonts are embedded, pages have ink
# and carry "page n of m".
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pdf-render/lib.sh"

"$PY" "$GEN" --long-name --instances >"$T/in.jsonl" || exit 99
pdf-render "$T/in.jsonl" >"$T/out.pdf" 2>"$T/err"
expect_eq "renders" "$?" 0
[ -s "$T/err" ] && fail "messages on stderr: $(cat "$T/err")"
pdf_ok "report" "$T/out.pdf"
not_blank "report" "$T/out.pdf"
pdftotext "$T/out.pdf" "$T/out.txt" 2>/dev/null
pdftotext -layout "$T/out.pdf" "$T/layout.txt" 2>/dev/null

# Every figure of the input, grouped in thousands, is a word of the text;
# so are the sums of the projects' own usage (the report's total row).
figures_in_text "report" "$T/in.jsonl" "$T/out.txt" 500


for name in "Πανεπιστήμιο Κρήτης" "Université de Montréal" "Ирина Петрова" \
    "Zoë Ångström" "Γιώργος Παπαδόπουλος"; do
	expect_grep "non-ASCII name $name" "$name" "$T/out.txt"
done

# The long name is shortened visibly, never run over the next column.
expect_grep "long name shortened with an ellipsis" "…" "$T/out.txt"
long=$(grep -o '"name": "a-very-long[^"]*"' "$T/in.jsonl" | head -n 1 |
    sed 's/"name": "//; s/"$//')
[ -n "$long" ] || fail "no long name in the input"
if tr -d '\n' <"$T/out.txt" | grep -q -F -e "$long"; then
	fail "the long name is printed whole"
else
	pass "the long name is not printed whole"
fi

# Cover and sections.
for s in "NERC OpenStack" "America/New_York" "99.29 %" "2,951 of 2,972" \
    "41 hours inferred, 7 hours unknown" "Consistency check" \
    "pass (12 checks, 0 failed)" "rates.yaml" "3f2a9c1e3f2a9c1e" \
    "Usage by institution" "Cost by institution" "Jointly funded projects" \
    "Projects" "Users" "Invoice lines" "Totals by SU type" "Method notes" \
    "Billable states" "Storage maintenance (Ceph upgrade)" \
    "Inferred and unknown hours" "2024-04-01T06:12:00Z"; do
	expect_grep "text has '$s'" "$s" "$T/out.txt"
done

# Sub-projects are indented: a depth-2 path starts further right than
# the root's row in the layout text.
root_col=$(grep -m1 '^ *MOC  *OpenStack' "$T/layout.txt" | sed 's/MOC.*//' | wc -c)
sub_col=$(grep -m1 '^ *MOC / [^/]* / ' "$T/layout.txt" | sed 's/MOC.*//' | wc -c)
if [ "$sub_col" -gt "$root_col" ]; then
	pass "sub-projects indented ($sub_col > $root_col)"
else
	fail "sub-projects not indented ($sub_col, root $root_col)"
fi

# Users carry their institution on the same row.
expect_grep "user row with institution" \
    "Zoë Ångström 0 <user0@example.edu>  *Πανεπιστήμιο Κρήτης  *OpenStack" \
    "$T/layout.txt"

# Page n of m on every page.
n=$(pages "$T/out.pdf")
[ "$n" -ge 5 ] || fail "only $n pages"
i=1
while [ "$i" -le "$n" ]; do
	pdftotext -f "$i" -l "$i" "$T/out.pdf" - 2>/dev/null |
	    grep -q "page $i of $n" || fail "page $i lacks 'page $i of $n'"
	i=$((i + 1))
done
pass "page n of $n on every page"

# -o writes the same PDF as standard output and leaves no temporary file.
SOURCE_DATE_EPOCH=1711947600 pdf-render "$T/in.jsonl" >"$T/a.pdf"
mkdir "$T/o"
SOURCE_DATE_EPOCH=1711947600 pdf-render -o "$T/o/b.pdf" "$T/in.jsonl"
expect_eq "-o exit" "$?" 0
cmp -s "$T/a.pdf" "$T/o/b.pdf" && pass "-o equals stdout" || fail "-o differs from stdout"
expect_eq "-o leaves one file" "$(ls "$T/o")" "b.pdf"

# Names too long for one line are cut at a character, never inside one,
# and marked: the running head is a prefix of the whole, then an ellipsis.
inst="Πανεπιστήμιο Κρήτης — Τμήμα Επιστήμης Υπολογιστών και Μηχανικών Πληροφορικής, Ηράκλειο Κρήτης, Ελλάδα"
cloud="The Massachusetts Open Cloud production OpenStack deployment in the MGHPCC, Holyoke, Massachusetts"
printf '{"type":"usage_meta","cloud":"%s","since":"2024-03-01T00:00:00Z","until":"2024-04-01T00:00:00Z","tz":"UTC"}\n{"type":"usage","axis":"institution","id":"x","name":"%s","su_type":"OpenStack CPU","su_hours":"123456789.5","cost":"1604938.27"}\n' \
    "$cloud" "$inst" >"$T/long.jsonl"
mkdir "$T/long"
pdf-render --split-by institution -d "$T/long" "$T/long.jsonl"
expect_eq "long names: exit" "$?" 0
head=$(pdftotext -l 1 "$T/long/x.pdf" - 2>/dev/null | head -n 1)
whole="$cloud usage report for $inst, 2024-03-01T00:00:00Z to 2024-04-01T00:00:00Z UTC"
case $head in
*…) cut=${head%…}
    case $whole in
    "$cut"*) pass "running head shortened at a character: ...${cut#"${cut%???????}"}…" ;;
    *) fail "running head is not a prefix of the whole: $head" ;;
    esac ;;
*) fail "running head not shortened: $head" ;;
esac
expect_grep "long names: figures" "123,456,789.5" "$(pdftotext "$T/long/x.pdf" "$T/long.txt" 2>/dev/null; echo "$T/long.txt")"

# A failed consistency check: the verdict on the cover, the findings listed.
"$PY" "$GEN" --findings >"$T/fail.jsonl" || exit 99
pdf-render "$T/fail.jsonl" >"$T/fail.pdf"
expect_eq "findings: exit" "$?" 0
pdftotext "$T/fail.pdf" "$T/fail.txt" 2>/dev/null
for s in "fail (12 checks, 2 failed)" "Consistency findings" "tenant_usage_hours" \
    "instance vm-p0001-0" "nova reports 3 hours fewer than the instance actions" \
    "no collection in this slot"; do
	expect_grep "findings: '$s'" "$s" "$T/fail.txt"
done

# Input on stdin, and from '-'.
SOURCE_DATE_EPOCH=1711947600 pdf-render - <"$T/in.jsonl" >"$T/c.pdf"
cmp -s "$T/a.pdf" "$T/c.pdf" && pass "stdin equals file" || fail "stdin differs"
finish
