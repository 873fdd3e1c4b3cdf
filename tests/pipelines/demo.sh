# The README's first command, pipelines/demo, for two simulated days, run
# as cron would run a pipeline (env -i, a minimal PATH) on the tools of
# this build: every result it announces exists and reads back (the PDFs
# with qpdf and pdftotext, each day's CSV files against their SHA256SUMS
# and loaded into PostgreSQL, the invoice with a CSV parser), verify says
# "pass", and every instance's hours are within one hour of the
# simulator's ground truth.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
need pg_config qpdf pdftotext sha256sum psql curl flock
[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3) || skip "no python3"
[ "$(id -u)" -ne 0 ] || command -v runuser >/dev/null || skip "runuser is missing"
chmod 755 "$T"          # the postgres user (as root) reaches into it

# Usage: --help, a bad --days, a folder holding something else is kept.
sh "$top_srcdir/pipelines/demo" --help >"$T/help" 2>&1
expect_eq "--help exit status" "$?" 0
expect_grep "--help says --days" "^  --days N" "$T/help"
sh "$top_srcdir/pipelines/demo" --days 31 "$T/x" >/dev/null 2>"$T/days.err"
expect_eq "--days 31 in September: exit status" "$?" 2
expect_grep "--days 31: message" "not a number from 1 to 30: 31" "$T/days.err"
mkdir "$T/mine" && echo keep >"$T/mine/notes"
MOC_BINDIR=$top_builddir/bin sh "$top_srcdir/pipelines/demo" --days 1 \
    "$T/mine" >/dev/null 2>"$T/mine.err"
expect_eq "a folder of someone else's: exit status" "$?" 2
expect_eq "a folder of someone else's: kept" "$(cat "$T/mine/notes")" keep

out=$T/demo
env -i PATH=/usr/bin:/bin MOC_BINDIR="$top_builddir/bin" \
    PYTHON3="$PYTHON3" TMPDIR="${TMPDIR:-/tmp}" LC_ALL=C.UTF-8 \
    sh "$top_srcdir/pipelines/demo" --days 2 "$out" >"$T/out" 2>"$T/err"
expect_eq "demo exit status" "$?" 0
[ -s "$T/err" ] && { echo "stderr:"; cat "$T/err"; }
cat "$T/out"
rep=$out/report/2026-09
expect_grep "collected two days" "2026-09-02: 96 collections, dumped (2/2)" "$T/out"
expect_grep "says where the CSV dumps are" "CSV dump of every table.*: $out/dump/" "$T/out"
expect_grep "says where the report is" "Usage report (PDF): $rep/report.pdf" "$T/out"
expect_grep "says where the institution reports are" \
    "Institution reports (PDF): [1-9][0-9]* in $rep/institutions/" "$T/out"
expect_grep "says where the invoice is" "Invoice CSV: $rep/invoice.csv ([1-9][0-9]* lines)" "$T/out"
expect_grep "the verdict is pass" \
    "Consistency verdict (2026-09-01T00:00:00Z to 2026-09-03T00:00:00Z): pass" "$T/out"
expect_grep "the report's verdict: two days of 30 collected" \
    "The report's verdict on 2026-09: fail (2 of its 30 days collected)" "$T/out"
# That verdict fails on coverage alone: the 28 days not collected.
"$PYTHON3" -c 'import json, sys
bad = {r["check"] for r in map(json.loads, open(sys.argv[1]))
       if r["type"] == "finding" and r["severity"] == "error"}
print(" ".join(sorted(bad)))' "$rep/findings.jsonl" >"$T/failed" 2>&1
expect_eq "the report fails the coverage check only" "$(cat "$T/failed")" coverage
# A poll every 15 minutes, each archived (collect also reads nova's usage
# once a day, as a run of its own).
polls=0
for f in "$out"/spool/raw/2026/09/0[12]/*.jsonl.gz; do
	gzip -dc "$f" | head -n 1 | grep -q '"compute/servers"' &&
	    polls=$((polls + 1))
done
expect_eq "raw archives of the polls, one a run" "$polls" 192
day2=$(find "$out/spool/raw/2026/09/02" -name '*.jsonl.gz' | wc -l)
[ ! -s "$out/spool/failed" ] && pass "no failed run" ||
    fail "failed runs: $(cat "$out/spool/failed")"

# Each day's dump matches its checksums, and every CSV file loads into
# PostgreSQL with as many rows as its MANIFEST says.
pg_start
for day in 2026-09-01 2026-09-02; do
	d=$out/dump/$day
	if (cd "$d" && sha256sum -c --quiet SHA256SUMS); then
		pass "$day: dump matches its SHA256SUMS"
	else
		fail "$day: dump does not match its SHA256SUMS"
		continue
	fi
	for t in instance project user instance_action collection_run \
	    institution project_institution; do
		[ -s "$d/$t.csv" ] && pass "$day: dump has $t.csv" ||
		    fail "$day: dump lacks $t.csv"
	done
	chmod -R a+rX "$out/dump"
	bad=
	while IFS=, read -r file type rows rest; do
		[ "$file" != file ] || continue
		psql -q -c "DROP TABLE IF EXISTS \"$type\"" >/dev/null 2>&1
		"$PYTHON3" "$top_srcdir/tests/csv-emit/roundtrip.py" sql "$type" \
		    "$d/$file" >"$T/load.sql" &&
		    psql -q -v ON_ERROR_STOP=1 -f "$T/load.sql" >"$T/psql" 2>&1 ||
		    { bad="$bad $file($(head -c 300 "$T/psql"))"; continue; }
		got=$(psql -At -c "SELECT count(*) FROM \"$type\"")
		[ "$got" = "$rows" ] || bad="$bad $file($got rows, MANIFEST $rows)"
	done <"$d/MANIFEST"
	expect_eq "$day: every CSV file loads into PostgreSQL, rows as in MANIFEST" \
	    "$bad" ""
done
collected=$(psql -At -c "SELECT count(*) FROM collection_run")
expect_eq "the second day's dump lists the day's runs" "$collected" "$day2"

# The PDFs are sound and say what they are about.
for f in "$rep"/*.pdf "$rep"/institutions/*.pdf; do
	if qpdf --check "$f" >"$T/qpdf" 2>&1; then
		pass "${f##*/} passes qpdf --check"
	else
		fail "${f##*/}: qpdf --check: $(tail -n 3 "$T/qpdf")"
	fi
done
pdftotext -layout "$rep/report.pdf" "$T/report.txt" 2>/dev/null
inst=$("$PYTHON3" -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["type"] == "institution" and r["code"] != "MOC":
        print(r["name"]); break' "$out/cloud/admin.jsonl")
expect_grep "the report names an institution ($inst)" "$inst" "$T/report.txt"

# The invoice, read with a real CSV parser, adds up to the report's
# totals.  The month's records the demo extracted, aggregated by instance
# as monthly-report aggregates them by project, give the report's project
# figures exactly, and every instance's hours within one hour of the
# ground truth.
usage-aggregate --month 2026-09 --tz UTC \
    --rates "$DATA/nerc-rates/rates.yaml" \
    --outages "$DATA/nerc-rates/outages.yaml" --cloud test \
    --cluster "demo cloud" --by instance,project "$out/extract.jsonl" \
    >"$T/by-instance.jsonl" 2>"$T/ua.err"
expect_eq "usage-aggregate --by instance of the demo's records" "$?" 0
if "$PYTHON3" - "$rep/invoice.csv" "$rep/usage.jsonl" \
    "$T/by-instance.jsonl" "$out/cloud/truth.jsonl" >"$T/py" 2>&1 <<'PY'
import csv, json, sys
from collections import defaultdict
from decimal import Decimal
invoice, usage, by_instance, truth = sys.argv[1:5]
rows = list(csv.DictReader(open(invoice, encoding="utf-8")))
head = next(csv.reader(open(invoice, encoding="utf-8")))
assert head == ["Invoice Month", "Report Start Time", "Report End Time",
                "Project - Allocation", "Project - Allocation ID",
                "Manager (PI)", "Cluster Name", "Invoice Email",
                "Invoice Address", "Institution",
                "Institution - Specific Code", "SU Hours (GBhr or SUhr)",
                "SU Type", "Rate", "Cost", "Generated At"], head
assert rows and all(r["Invoice Month"] == "2026-09" for r in rows)
assert all(r["Cluster Name"] == "demo cloud" for r in rows)
recs = [json.loads(l) for l in open(usage, encoding="utf-8")]
total = sum(Decimal(t["cost"]) for t in recs
            if t["type"] == "usage_total" and t["axis"] == "project")
billed = sum(Decimal(r["Cost"]) for r in rows)
assert billed == total, (billed, total)
assert billed > 0, billed
mine = [json.loads(l) for l in open(by_instance, encoding="utf-8")]
def projects(rs):
    return sorted(json.dumps(r, sort_keys=True) for r in rs
                  if r["type"] == "usage" and r["axis"] == "project")
assert projects(mine) == projects(recs), "project figures differ"
# Ground truth: the seconds each instance was billable inside the
# collected period: running, and stopped too when the rates say so.
meta = next(r for r in mine if r["type"] == "usage_meta")
billable = {"Running", "Stopped"} if meta["charge_stopped"] else {"Running"}
want = defaultdict(int)
for l in open(truth):
    r = json.loads(l)
    if r["type"] == "truth_interval" and r["state"] in billable:
        want[r["instance_id"]] += r["seconds"]
got = defaultdict(int)
for r in mine:
    if r["type"] == "usage" and r["axis"] == "instance" and r["su_type"]:
        got[r["id"]] += r["instance_hours"]
bad = ["instance %s: %s hours, truth %.3f" % (i, got[i], want[i] / 3600)
       for i in set(want) | set(got) if abs(got[i] - want[i] / 3600) > 1]
assert len(want) >= 10, "too few running instances: %d" % len(want)
assert not bad, "\n".join(bad)
print("%d invoice lines add up to %s; the report's project figures; "
      "%d instances within one hour of the truth (%s)" % (
          len(rows), total, len(want), " and ".join(sorted(billable))))
PY
then
	pass "$(cat "$T/py")"
else
	fail "invoice or ground truth: $(cat "$T/py")"
fi
finish
