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
if "$PY" - "$T/in.jsonl" "$T/out.txt" <<'PYEOF'
import json, sys
from decimal import Decimal
FIGS = ["instance_hours", "su_hours", "vcpu_hours", "ram_gib_hours",
        "disk_gib_hours", "gpu_hours", "volume_gib_hours",
        "floating_ip_hours", "inferred_hours", "unknown_hours", "rate", "cost"]
def group(t):
    t = str(t)
    neg = t.startswith("-")
    t = t.lstrip("-")
    i, _, f = t.partition(".")
    i = "{:,}".format(int(i))
    return ("-" if neg else "") + i + ("." + f if f else "")
words = set(w.strip("()<>") for w in open(sys.argv[2], encoding="utf-8").read().split())
want, sums = [], {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    t = r["type"]
    if t == "usage_meta":
        keys = ["coverage_slots", "coverage_complete_slots", "inferred_hours",
                "unknown_hours"]
    elif t == "usage":
        keys = FIGS + ["share"]
        if r["axis"] == "project" and r["scope"] == "own":
            for k in FIGS:
                if k != "rate" and r.get(k) is not None:
                    d = Decimal(str(r[k]))
                    p = max(sums.get(k, (0, 0))[1], -d.as_tuple().exponent)
                    sums[k] = (sums.get(k, (0, 0))[0] + d, p)
    elif t in ("usage_total", "invoice_line"):
        keys = ["su_hours", "cost", "rate"]
    else:
        continue
    want += [(t, k, r[k]) for k in keys if r.get(k) is not None]
for k, (v, p) in sums.items():
    want.append(("sum of own project usage", k, "{:.{}f}".format(v, p)))
missing = [w for w in want if group(w[2]) not in words]
for m in missing[:20]:
    print("missing %s %s: %s" % m)
print("%d figures checked" % len(want))
sys.exit(1 if missing or len(want) < 500 else 0)
PYEOF
then
	pass "every figure and total is in the text"
else
	fail "figures missing from the text"
fi


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

# Input on stdin, and from '-'.
SOURCE_DATE_EPOCH=1711947600 pdf-render - <"$T/in.jsonl" >"$T/c.pdf"
cmp -s "$T/a.pdf" "$T/c.pdf" && pass "stdin equals file" || fail "stdin differs"
finish
