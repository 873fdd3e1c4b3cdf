# End to end: normalized records through usage-aggregate into pdf-render.
# The funding shares travel beside the summaries as the administrator's
# project_institution and institution records.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pdf-render/lib.sh"
need usage-aggregate
RATES=$top_srcdir/tests/data/nerc-rates/rates.yaml
[ -f "$RATES" ] || skip "no rates file at $RATES"
IN=$top_srcdir/tests/pdf-render/e2e-records.jsonl

usage-aggregate --rates "$RATES" --month 2024-03 --cloud "NERC OpenStack" \
    --by user,project,institution --generated-at 2024-04-01T00:00:00Z \
    "$IN" >"$T/sum.jsonl"
expect_eq "usage-aggregate" "$?" 0
{
	cat "$T/sum.jsonl"
	grep -E '"type":"(project_institution|institution)"' "$IN"
} >"$T/report.jsonl"
SOURCE_DATE_EPOCH=1711929600 pdf-render -o "$T/r.pdf" "$T/report.jsonl"
expect_eq "pdf-render" "$?" 0
pdf_ok "end to end" "$T/r.pdf"
not_blank "end to end" "$T/r.pdf"
pdftotext "$T/r.pdf" "$T/r.txt" 2>/dev/null
pdftotext -layout "$T/r.pdf" "$T/r.layout" 2>/dev/null
figures_in_text "end to end" "$T/sum.jsonl" "$T/r.txt" 40
for s in "Ирина" "Zoë" "Lab Ωmega" "Café Joint" "Boston University" \
    "Harvard University" "2024-03-01T00:00:00Z to 2024-04-01T00:00:00Z"; do
	expect_grep "end to end: '$s'" "$s" "$T/r.txt"
done
# The jointly funded project, half each, with the invoice lines' parts.
n=$(grep -c 'Café Joint .*University .*OpenStack CPU  *0\.50  *1,056  *13\.73' "$T/r.layout")
expect_eq "end to end: both halves of the joint project" "$n" 2

mkdir "$T/split"
pdf-render --split-by institution -d "$T/split" "$T/report.jsonl"
expect_eq "end to end split" "$?" 0
expect_eq "end to end split: files" "$(ls "$T/split" | tr '\n' ' ')" "bu.pdf hu.pdf "
pdftotext "$T/split/hu.pdf" "$T/hu.txt" 2>/dev/null
pdftotext -layout "$T/split/hu.pdf" "$T/hu.layout" 2>/dev/null
# Harvard's half of the joint project: 2,112 SU-hours and 27.45 of cost.
expect_grep "Harvard's share of the joint project" \
    'Café Joint  *OpenStack CPU  *own .* 27\.45  *0\.50  *1,056  *13\.73$' "$T/hu.layout"
expect_grep "Harvard's report has its user" "zoe@harvard.edu" "$T/hu.txt"
expect_grep "Harvard's report has the joint project" "Café Joint" "$T/hu.txt"
if grep -q -e "irina@bu.edu" -e "Lab Ωmega" "$T/hu.txt"; then
	fail "Harvard's report holds Boston's rows"
else
	pass "Harvard's report holds only its rows"
fi
finish
