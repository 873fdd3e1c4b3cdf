# The good chain, as cron runs it, against the simulated cloud and a
# throwaway PostgreSQL: a day of 15-minute collections, the day's dump and
# its check, verify of the day, and the month's report (which covers one
# day of the month: its coverage check fails, it says so on the cover and
# the script exits 1 for cron's mail, with every file of the report
# written).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pipelines/lib.sh"
[ -x "$top_builddir/bin/consistency-check" ] ||
    skip "consistency-check is not built (daily-dump, monthly-report and verify call it)"
need jq pdftotext
pipes_setup
"$PYTHON3" "$top_srcdir/tests/cloud/simulate.py" --seed 7 --size 30 \
    --from "$SIM_FROM" --until "$SIM_UNTIL" --out "$T/sim" >/dev/null ||
    exit 99
cat >>"$T/moc.conf" <<CONF
admin = sim/admin.jsonl
rates = $DATA/nerc-rates/rates.yaml
outages = $DATA/nerc-rates/outages.yaml
cluster_name = test-stack
CONF

# A day of collections, every 15 simulated minutes, and the first of the
# next day (which reads nova's usage of the day).
no_usage_state
t=2026-10-01T00:00:00Z n=0 bad=0
while [ "$t" != 2026-10-02T00:15:00Z ]; do
	sim_time "$t"
	pipe collect -c "$T/moc.conf" --now "$t"
	[ "$pipe_status" -eq 0 ] || { bad=$((bad + 1)); echo "collect at $t: exit $pipe_status"; cat "$T/collect.err"; }
	n=$((n + 1))
	t=$(date -u -d "$t 15 min" +%Y-%m-%dT%H:%M:%SZ)
done
expect_eq "97 collects, all stored, with 2 usage runs" "$n $bad $(stored_runs | wc -l)" "97 0 99"
expect_eq "nova's usage of the day stored" \
    "$(sql "select count(*) > 0 from moc.tenant_usage where rec::json->>'window_start' = '2026-10-01T00:00:00Z'")" t

# The day's dump.
expect_pipe "daily-dump of the day" 0 daily-dump -c "$T/moc.conf" --date 2026-10-01
d=$T/out/dump/2026-10-01
if (cd "$d" && sha256sum -c --quiet SHA256SUMS); then
	pass "the dump matches its SHA256SUMS"
else
	fail "the dump does not match its SHA256SUMS"
fi
for t in instance project user institution collection_run; do
	[ -s "$d/$t.csv" ] && pass "the dump has $t.csv" || fail "the dump lacks $t.csv"
done
# (96 polling runs and the usage run of 00:00, which read 2026-09-30)
expect_eq "collection runs in the dump" "$(($(wc -l <"$d/collection_run.csv") - 1))" 97
expect_eq "dump check verdict" \
    "$(jq -r 'select(.type == "check_summary") | .verdict' "$T/out/dump/2026-10-01.findings.jsonl")" pass
expect_eq "no hidden folder left" "$(find "$T/out" -name '.*' | wc -l)" 0

# verify of the day: every check passes.
expect_pipe "verify of the day" 0 verify -c "$T/moc.conf" --since 2026-10-01 --until 2026-10-02
expect_eq "verify: verdict on stdout" \
    "$(jq -r 'select(.type == "check_summary") | .verdict' "$T/verify.out")" pass
expect_grep "verify: nova's usage compared, no disagreement" \
    "verify: .*[1-9][0-9]* tenant_usage records: 0 disagree" "$T/moc.log"
expect_eq "verify: nova-usage compared instances" \
    "$(jq -r 'select(.type == "finding" and .check == "nova-usage" and (.detail // "" | test("nothing to compare"; "i")))' "$T/verify.out")" ""
expect_pipe "verify --raw of the day" 0 verify -c "$T/moc.conf" --raw \
    --since 2026-10-01 --until 2026-10-02
expect_eq "verify --raw ran the raw check" \
    "$(jq -c 'select(.type == "check_summary") | .checks | index("raw") != null' "$T/verify.out")" true

# The month's report: one day of 31 collected.
expect_pipe "monthly-report of the month" 1 monthly-report -c "$T/moc.conf" --month 2026-10
r=$T/out/report/2026-10
for f in report.pdf invoice.csv usage.jsonl findings.jsonl; do
	[ -s "$r/$f" ] && pass "the report folder has $f" || fail "the report folder lacks $f"
done
expect_eq "the findings say coverage failed" \
    "$(jq -c 'select(.type == "check_summary") | [.verdict, (.failed | index("coverage") != null)]' "$r/findings.jsonl")" \
    '["fail",true]'
expect_grep "the log says the check failed" \
    "monthly-report: 2026-10: the consistency check failed" "$T/monthly-report.err"
insts=$(jq -r 'select(.type == "usage" and .axis == "institution") | .institution_id // .id' "$r/usage.jsonl" | sort -u | wc -l)
pdfs=$(find "$r/institutions" -name '*.pdf' | wc -l)
[ "$pdfs" -ge 1 ] && [ "$pdfs" -le "$insts" ] &&
    pass "one PDF per institution ($pdfs, $insts with usage)" ||
    fail "institution PDFs: $pdfs, institutions with usage: $insts"
expect_eq "invoice header" "$(head -n 1 "$r/invoice.csv")" \
    "Invoice Month,Report Start Time,Report End Time,Project - Allocation,Project - Allocation ID,Manager (PI),Cluster Name,Invoice Email,Invoice Address,Institution,Institution - Specific Code,SU Hours (GBhr or SUhr),SU Type,Rate,Cost,Generated At"
expect_eq "invoice lines name the cluster" \
    "$(tail -n +2 "$r/invoice.csv" | grep -vc ',test-stack,')" 0
pdftotext -layout "$r/report.pdf" "$T/report.txt" 2>/dev/null
expect_grep "the cover shows the failed verdict" "[Ff]ail" "$T/report.txt"
expect_grep "the cover names the cloud" "test" "$T/report.txt"
expect_eq "no hidden folder left" "$(find "$T/out" -name '.*' | wc -l)" 0

# The report written again replaces the folder whole.
touch "$r/stale"
expect_pipe "monthly-report again" 1 monthly-report -c "$T/moc.conf" --month 2026-10
[ ! -e "$r/stale" ] && pass "the folder was replaced" || fail "the old folder's file survived"
finish
