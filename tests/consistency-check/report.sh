# report: usage-aggregate's output for the simulated cloud, on every
# axis, adds up; a user row, an axis's total, an invoice line or an
# institution's part of a project changed by a cent or an hour is found,
# exactly (decimals, not floating point).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
F=2024-02-01T00:00:00Z U=2024-02-03T00:00:00Z
sim 1 40 $F $U "$T/sim.jsonl"
usage-aggregate --since $F --until $U --rates "$DATA/nerc-rates/rates.yaml" \
    --by instance,user,project,institution "$T/sim.jsonl" >"$T/usage.jsonl" \
    2>"$T/ua.err" || { cat "$T/ua.err"; exit 99; }

check ok --summaries "$T/usage.jsonl"
expect_eq "usage-aggregate output: pass" "$st" 0
expect_grep "usage-aggregate output: report alone" '"checks":\["report"\]' "$T/ok.out"
expect_grep "usage-aggregate output: summary" '^report .*pass.* [1-9][0-9]* rows, 0 sums differ' "$T/ok.err"
grep -q '"type":"invoice_line"' "$T/usage.jsonl" || fail "no invoice line"

# Every axis's total is written, rows only for the axes asked for.
usage-aggregate --since $F --until $U --rates "$DATA/nerc-rates/rates.yaml" \
    --by user,project "$T/sim.jsonl" >"$T/some.jsonl" 2>"$T/ua.err" ||
    { cat "$T/ua.err"; exit 99; }
check some --summaries "$T/some.jsonl"
expect_eq "two axes asked for: pass" "$st" 0

# change OUT PYTHON: the summaries with one record changed.
change() {
	edit "$T/usage.jsonl" "$T/$1.jsonl" "
from decimal import Decimal
$2"
	check "$1" -c report --summaries "$T/$1.jsonl"
	expect_eq "$1: fail" "$st" 1
}
change user "
if r['type'] == 'usage' and r['axis'] == 'user' and r.get('su_hours') and 'x' not in state:
    state['x'] = 1
    r['su_hours'] = int(r['su_hours']) + 1"
finding user '"subject":"OpenStack CPU, user rows","expected":"[0-9]* SU-hours, cost [0-9.]*","actual":"[0-9]* SU-hours, cost'
nofinding user '"subject":"OpenStack CPU, instance rows"'
# The verdict and the findings on pdf-render's cover and table.
if command -v pdftotext >/dev/null 2>&1; then
	cat "$T/user.jsonl" "$T/user.out" | pdf-render >"$T/user.pdf" ||
	    fail "pdf-render of the findings"
	pdftotext "$T/user.pdf" "$T/user.txt" 2>/dev/null || fail "pdftotext"
	expect_grep "pdf-render: verdict on the cover" "fail (1 checks, 1 failed)" "$T/user.txt"
	expect_grep "pdf-render: findings table" "OpenStack CPU, user rows" "$T/user.txt"
fi
change total "
if r['type'] == 'usage_total' and r['axis'] == 'project' and 'x' not in state:
    state['x'] = 1
    r['cost'] = str(Decimal(r['cost']) + Decimal('0.01'))"
finding total '"subject":"OpenStack [A-Za-z0-9 ]*, project axis total",.*"detail":"usage_total differs from the instance axis'"'"'s"'
change invoice "
if r['type'] == 'invoice_line' and 'x' not in state:
    state['x'] = 1
    r['cost'] = str(Decimal(r['cost']) - Decimal('0.01'))"
finding invoice '"subject":"OpenStack [A-Za-z0-9 ]*, invoice lines"'
change portion "
if r['type'] == 'usage' and r['axis'] == 'institution' and r.get('project_id') and 'x' not in state:
    state['x'] = 1
    r['cost'] = str(Decimal(r['cost']) + Decimal('0.01'))"
finding portion '"subject":"OpenStack [A-Za-z0-9 ]*, institutions'"'"' parts of projects"'
nofinding portion '"subject":"OpenStack [A-Za-z0-9 ]*, institution rows"'

# Exactly: a total of 0.1 + 0.2 split in rows as 0.3 passes.
cat >"$T/exact.jsonl" <<'J'
{"type":"usage_total","axis":"instance","su_type":"OpenStack CPU","su_hours":3,"cost":"0.30"}
{"type":"usage_total","axis":"user","su_type":"OpenStack CPU","su_hours":3,"cost":"0.3"}
{"type":"usage","axis":"instance","id":"a","su_type":"OpenStack CPU","su_hours":1,"cost":"0.10"}
{"type":"usage","axis":"instance","id":"b","su_type":"OpenStack CPU","su_hours":2,"cost":"0.20"}
{"type":"usage","axis":"user","id":"u","su_type":"OpenStack CPU","su_hours":3,"cost":"0.30"}
{"type":"usage","axis":"instance","id":"v","su_type":null,"volume_gib_hours":5}
{"type":"usage_meta","cloud":"x"}
J
check exact --summaries "$T/exact.jsonl"
expect_eq "decimals add up exactly: pass" "$st" 0

printf '{"type":"usage_meta"}\n' >"$T/empty.jsonl"
check empty --summaries "$T/empty.jsonl"
expect_eq "no totals: fail" "$st" 1
finding empty '"expected":"usage_total records","actual":"none"'
printf '{"type":"usage","axis":"user","su_type":"OpenStack CPU","su_hours":"1.5.2","cost":"1"}\n' >"$T/bad.jsonl"
check bad --summaries "$T/bad.jsonl"
expect_eq "not a decimal: exit 2" "$st" 2
expect_grep "not a decimal: message" "bad.jsonl:1: not a decimal in field \"su_hours\": \"1.5.2\"" "$T/bad.err"
check missing --summaries "$T/nowhere.jsonl"
expect_eq "missing summaries: exit 2" "$st" 2
finish
