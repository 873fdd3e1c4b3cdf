# lib.sh: helpers for pdf-render's tests (sourced after tests/lib/common.sh).
need pdf-render qpdf pdftotext pdffonts pdfinfo pdftoppm
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip "python3 is not installed"
GEN="$top_srcdir/tests/pdf-render/gen-summaries.py"

# pdf_ok WHAT FILE: qpdf finds no damage and every font is embedded.
pdf_ok() {
	if qpdf --check "$2" >"$T/qpdf.out" 2>&1; then
		pass "$1: qpdf --check"
	else
		fail "$1: qpdf --check: $(tail -n 3 "$T/qpdf.out")"
	fi
	pdffonts "$2" 2>/dev/null | awk 'NR > 2' >"$T/fonts"
	if [ -s "$T/fonts" ] && ! awk '$(NF-4) != "yes" { bad = 1 } END { exit !bad }' "$T/fonts" &&
	    grep -q DejaVuSans "$T/fonts"; then
		pass "$1: fonts embedded"
	else
		fail "$1: fonts not all embedded: $(cat "$T/fonts")"
	fi
}

# pages FILE: the page count pdfinfo reports.
pages() {
	pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'
}

# not_blank WHAT FILE: every page rendered at 50 dpi has ink on it.
not_blank() {
	rm -rf "$T/ppm" && mkdir "$T/ppm"
	pdftoppm -r 50 "$2" "$T/ppm/p" 2>/dev/null
	if "$PY" - "$T/ppm" <<'PYEOF'
import os, sys
d = sys.argv[1]
files = sorted(os.listdir(d))
if not files:
    sys.exit("no pages rendered")
for f in files:
    data = open(os.path.join(d, f), "rb").read()
    # P6 header: magic, width, height, maxval, then one whitespace byte
    parts = data.split(maxsplit=4)
    if parts[0] != b"P6":
        sys.exit(f + ": not a PPM")
    w, h = int(parts[1]), int(parts[2])
    pix = data[len(data) - w * h * 3:]
    ink = sum(1 for i in range(0, len(pix), 3) if min(pix[i:i + 3]) < 200)
    if ink < 200:
        sys.exit("%s: only %d non-white pixels" % (f, ink))
PYEOF
	then
		pass "$1: no page is blank"
	else
		fail "$1: a page is blank"
	fi
}

# figures_in_text WHAT INPUT TEXT MIN: every figure of the summaries in
# INPUT, grouped in thousands, is a word of TEXT (pdftotext output), and
# so are the sums of the projects' own usage; at least MIN figures.
figures_in_text() {
	if "$PY" - "$2" "$3" "$4" <<'PYEOF'
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
sys.exit(1 if missing or len(want) < int(sys.argv[3]) else 0)
PYEOF
	then
		pass "$1: every figure and total is in the text"
	else
		fail "$1: figures missing from the text"
	fi
}
