# A large input paginates as expected: the project table runs over many
# pages with its header repeated, every full page holds the same number of
# rows, every row is there exactly once, and "page n of m" counts them all.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pdf-render/lib.sh"

# Flat tree and short names: every row is one line high.
"$PY" "$GEN" --flat --projects 1000 --users 200 --seed 3 >"$T/in.jsonl" || exit 99
rows=$(grep -c '"type": "usage", "axis": "project"' "$T/in.jsonl")
pdf-render -o "$T/big.pdf" "$T/in.jsonl"
expect_eq "renders" "$?" 0
pdf_ok "large report" "$T/big.pdf"
n=$(pages "$T/big.pdf")
pdftotext -layout "$T/big.pdf" "$T/big.txt" 2>/dev/null

if "$PY" - "$T/big.txt" "$rows" "$n" <<'PYEOF'
import math, re, sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
rows, n = int(sys.argv[2]), int(sys.argv[3])
if pages and pages[-1].strip() == "":
    pages.pop()
bad = 0
if len(pages) != n:
    print("pdftotext gave %d pages, pdfinfo %d" % (len(pages), n)); bad = 1
for i, p in enumerate(pages, 1):
    if not re.search(r"page %d of %d\b" % (i, n), p):
        print("page %d has no 'page %d of %d'" % (i, i, n)); bad = 1
row = re.compile(r"^\s*MOC( / \S+)?\s+OpenStack (CPU|GPUA100)\s+(own|subtree)\s", re.M)
table = [(i, len(row.findall(p))) for i, p in enumerate(pages, 1)
         if "Project (path)" in p]
counts = [c for i, c in table]
if sum(counts) != rows:
    print("%d project rows in the PDF, %d in the input" % (sum(counts), rows)); bad = 1
first, full = counts[0], counts[1]
want_pages = 1 + math.ceil((rows - first) / full)
if len(table) != want_pages:
    print("project table on %d pages, expected %d" % (len(table), want_pages)); bad = 1
for i, c in table[1:-1]:
    if c != full:
        print("page %d holds %d rows, not %d" % (i, c, full)); bad = 1
for i, c in table[1:]:
    if "Projects (continued)" not in pages[i - 1]:
        print("page %d does not say the table continues" % i); bad = 1
if [i for i, c in table] != list(range(table[0][0], table[0][0] + len(table))):
    print("project table pages not consecutive"); bad = 1
print("%d rows on %d table pages of %d pages, %d per full page" %
      (rows, len(table), n, full))
sys.exit(bad)
PYEOF
then
	pass "project table paginates as expected"
else
	fail "pagination"
fi
[ "$n" -ge 100 ] && pass "$n pages" || fail "only $n pages for $rows project rows"
finish
