# The README's first command, pipelines/demo, run as cron would run a
# pipeline (env -i, a minimal PATH) on the tools of this build: every
# result it announces exists and reads back.
. "$top_srcdir/tests/lib/common.sh"
need pg_config qpdf pdftotext sha256sum
[ "$(id -u)" -ne 0 ] || command -v runuser >/dev/null || skip "runuser is missing"

env -i PATH=/usr/bin:/bin MOC_BINDIR="$top_builddir/bin" \
    TMPDIR="${TMPDIR:-/tmp}" LC_ALL=C.UTF-8 \
    sh "$top_srcdir/pipelines/demo" "$T/demo" >"$T/out" 2>"$T/err"
expect_eq "demo exit status" "$?" 0
[ -s "$T/err" ] && { echo "stderr:"; cat "$T/err"; }
expect_grep "says where the CSV dump is" "CSV dump of every table.*$T/demo/csv/" "$T/out"
expect_grep "says where the report is" "Usage report (PDF): $T/demo/report.pdf" "$T/out"
expect_grep "says where the invoice is" "Invoice CSV: $T/demo/invoice.csv (5 lines)" "$T/out"

if (cd "$T/demo/csv" && sha256sum -c --quiet SHA256SUMS); then
	pass "CSV dump matches its SHA256SUMS"
else
	fail "CSV dump does not match its SHA256SUMS"
fi
for t in instance project user instance_action collection_run institution; do
	[ -s "$T/demo/csv/$t.csv" ] && pass "dump has $t.csv" ||
	    fail "dump lacks $t.csv"
done
if qpdf --check "$T/demo/report.pdf" >"$T/qpdf" 2>&1; then
	pass "report passes qpdf --check"
else
	fail "qpdf --check: $(tail -n 3 "$T/qpdf")"
fi
pdftotext -layout "$T/demo/report.pdf" "$T/report.txt" 2>/dev/null
expect_grep "report names the cloud" "sample cloud" "$T/report.txt"
expect_grep "report shows the jointly funded project" "Globex Institute" "$T/report.txt"
expect_eq "invoice header" "$(head -n 1 "$T/demo/invoice.csv")" \
    "Invoice Month,Report Start Time,Report End Time,Project - Allocation,Project - Allocation ID,Manager (PI),Cluster Name,Invoice Email,Invoice Address,Institution,Institution - Specific Code,SU Hours (GBhr or SUhr),SU Type,Rate,Cost,Generated At"
# The joint project's two invoice lines add up to what the report shows
# for it, read with a real CSV parser.
if [ -n "${PYTHON3:-}" ]; then
	"$PYTHON3" - "$T/demo/invoice.csv" "$T/demo/usage.jsonl" <<'PY' >"$T/py" 2>&1
import csv, json, sys
from decimal import Decimal
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 5, rows
joint = [r for r in rows if r["Project - Allocation ID"] == "e1ad0337598741a7b3bcd474e0b21d81"]
assert sorted(r["Institution"] for r in joint) == ["Acme University", "Globex Institute"], joint
own = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
proj = [u for u in own if u["type"] == "usage" and u["axis"] == "project"
        and u["id"] == "e1ad0337598741a7b3bcd474e0b21d81" and u.get("scope") == "own"
        and u.get("su_type") == "OpenStack CPU"]
assert len(proj) == 1, proj
assert sum(Decimal(r["Cost"]) for r in joint) == Decimal(proj[0]["cost"]), (joint, proj)
total = [u for u in own if u["type"] == "usage_total" and u["axis"] == "project"]
assert sum(Decimal(r["Cost"]) for r in rows) == sum(Decimal(t["cost"]) for t in total)
print("invoice agrees with the summaries")
PY
	expect_grep "invoice agrees with the summaries" "agrees" "$T/py"
fi
finish
