# End to end: normalized records through usage-aggregate into pdf-render,
# usage-aggregate's output alone: the funding shares and each
# institution's part of a jointly funded project come from its
# institution rows with a project_id, and the parts add up to the
# project's cost exactly (13.73 + 13.72 = 27.45).
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
if grep -q -E '"type":"(project_institution|institution)"' "$T/sum.jsonl"
then
	fail "usage-aggregate's output holds administrator records"
fi
# The parts of the joint project as usage-aggregate wrote them.
expect_eq "usage-aggregate: Harvard's part of the joint project" \
    "$(grep -c '"axis":"institution","id":"hu",.*"project_id":"p-joint",.*"share":"0.5","instance_hours":264,"su_hours":1056,.*"cost":"13.72"' "$T/sum.jsonl")" 1
expect_eq "usage-aggregate: Boston's part of the joint project" \
    "$(grep -c '"axis":"institution","id":"bu",.*"project_id":"p-joint",.*"share":"0.5","instance_hours":264,"su_hours":1056,.*"cost":"13.73"' "$T/sum.jsonl")" 1
cp "$T/sum.jsonl" "$T/report.jsonl"
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
# The jointly funded project, half each, the parts adding up to 27.45.
expect_grep "end to end: Boston's half of the joint project" \
    'Café Joint .*Boston University .*OpenStack CPU  *0\.5  *1,056  *13\.73$' "$T/r.layout"
expect_grep "end to end: Harvard's half of the joint project" \
    'Café Joint .*Harvard University .*OpenStack CPU  *0\.5  *1,056  *13\.72$' "$T/r.layout"
expect_grep "end to end: the rounding note gives usage-aggregate's rule" \
    "the cents left go to the largest remainders" "$T/r.txt"
expect_grep "end to end: the joint project's own cost" \
    'Café Joint  *OpenStack CPU  *own .* 27\.45$' "$T/r.layout"

mkdir "$T/split"
pdf-render --split-by institution -d "$T/split" "$T/report.jsonl"
expect_eq "end to end split" "$?" 0
expect_eq "end to end split: files" "$(ls "$T/split" | tr '\n' ' ')" "bu.pdf hu.pdf "
pdftotext "$T/split/hu.pdf" "$T/hu.txt" 2>/dev/null
pdftotext -layout "$T/split/hu.pdf" "$T/hu.layout" 2>/dev/null
# Harvard's half of the joint project, 2,112 SU-hours and 27.45 of cost:
# its invoiced part, 13.72, not 27.45 x 0.5 rounded half up again.
expect_grep "Harvard's share of the joint project" \
    'Café Joint  *OpenStack CPU  *own .* 27\.45  *0\.5  *1,056  *13\.72$' "$T/hu.layout"
expect_grep "Harvard's report has its user" "zoe@harvard.edu" "$T/hu.txt"
expect_grep "Harvard's report has the joint project" "Café Joint" "$T/hu.txt"
if grep -q -e "irina@bu.edu" -e "Lab Ωmega" "$T/hu.txt"; then
	fail "Harvard's report holds Boston's rows"
else
	pass "Harvard's report holds only its rows"
fi
finish
