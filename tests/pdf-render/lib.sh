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
