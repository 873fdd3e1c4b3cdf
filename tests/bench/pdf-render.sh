#!/bin/sh
# bench-pdf-render: a ~200-page report (thousands of projects and users)
# rendered by pdf-render, side by side with what the cloud's invoicing does
# today: headless Chromium printing an HTML table of the same rows to PDF.
# Prints wall time and peak resident memory (the whole process tree,
# sampled every 20 ms, and the largest single process) of both.
#
#   make bench-pdf-render            (BENCH_PROJECTS=1800 BENCH_USERS=1500)
set -eu
: "${top_srcdir:?run through make bench-pdf-render}"
PY=${PYTHON3:-python3}
PROJECTS=${BENCH_PROJECTS:-1800}
USERS=${BENCH_USERS:-1500}
RUNS=${BENCH_RUNS:-3}

if ! command -v chromium >/dev/null 2>&1; then
	echo "bench-pdf-render: installing chromium from Debian"
	apt-get install -y chromium >/dev/null
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/bench-pdf.XXXXXX")
trap 'rm -rf "$T"' EXIT

"$PY" "$top_srcdir/tests/pdf-render/gen-summaries.py" --flat \
    --projects "$PROJECTS" --users "$USERS" --institutions 20 --seed 11 \
    >"$T/in.jsonl"

# The same rows as an HTML document: institutions, projects, users.
"$PY" - "$T/in.jsonl" >"$T/report.html" <<'EOF'
import html, json, sys
FIGS = ["instance_hours", "su_hours", "vcpu_hours", "ram_gib_hours",
        "disk_gib_hours", "gpu_hours", "volume_gib_hours",
        "floating_ip_hours", "inferred_hours", "unknown_hours", "rate", "cost"]
def num(v):
    if v is None:
        return ""
    i, _, f = str(v).partition(".")
    return "{:,}".format(int(i)) + ("." + f if f else "")
rows = {"institution": [], "project": [], "user": []}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["type"] == "usage" and r["axis"] in rows and "project_id" not in r:
        rows[r["axis"]].append(r)
out = ['<!doctype html><html><head><meta charset="utf-8"><style>',
       '@page { size: A4 landscape; margin: 12mm; }',
       'body { font: 7pt "DejaVu Sans", sans-serif; }',
       'table { border-collapse: collapse; width: 100%; }',
       'thead { display: table-header-group; }',
       'th { background: #294a7a; color: white; text-align: left; }',
       'td, th { padding: 2px 3px; border-bottom: 0.3pt solid #ccc; }',
       'td.n, th.n { text-align: right; }',
       '</style></head><body><h1>Usage report</h1>']
for axis, title, first in (("institution", "Usage by institution", "Institution"),
                           ("project", "Projects", "Project (path)"),
                           ("user", "Users", "User")):
    out.append("<h2>%s</h2><table><thead><tr><th>%s</th><th>SU type</th>"
               % (title, first) +
               ("<th>Scope</th>" if axis == "project" else "") +
               "".join('<th class="n">%s</th>' % f for f in FIGS) +
               "</tr></thead><tbody>")
    for r in rows[axis]:
        name = r.get("path") if axis == "project" else r.get("name")
        out.append("<tr><td>%s</td><td>%s</td>" % (html.escape(name), r["su_type"]) +
                   ("<td>%s</td>" % r["scope"] if axis == "project" else "") +
                   "".join('<td class="n">%s</td>' % num(r.get(f)) for f in FIGS) +
                   "</tr>")
    out.append("</tbody></table>")
out.append("</body></html>")
print("\n".join(out))
EOF

# measure NAME CMD...: wall time and peak RSS of the process tree.
measure() {
	name=$1
	shift
	"$PY" - "$name" "$@" <<'EOF'
import os, subprocess, sys, time
name, cmd = sys.argv[1], sys.argv[2:]
def tree_rss(root):
    kids, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                st = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(st[1]), int(st[21])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(pid))
        rss[int(pid)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += kids.get(p, [])
    return total
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    peak = max(peak, tree_rss(p.pid))
    time.sleep(0.02)
wall = time.monotonic() - t0
import resource
biggest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if p.returncode != 0:
    sys.exit("%s failed with status %d" % (name, p.returncode))
print("%s %.3f %d %d" % (name, wall, peak // 1024, biggest))
EOF
}

best() {	# best of RUNS: "wall tree_kb biggest_kb" of the fastest run
	name=$1
	shift
	i=0
	: >"$T/$name.runs"
	while [ "$i" -lt "$RUNS" ]; do
		measure "$name" "$@" >>"$T/$name.runs"
		i=$((i + 1))
	done
	sort -k2,2n "$T/$name.runs" | head -n 1
}

PDF=$(best pdf-render pdf-render -o "$T/pdf-render.pdf" "$T/in.jsonl")
CHR=$(best chromium chromium --headless --no-sandbox --disable-gpu \
    --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" \
    --no-pdf-header-footer --print-to-pdf="$T/chromium.pdf" \
    "file://$T/report.html")

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
rows=$(grep -c '"type": "usage", "axis": "\(project\|user\|institution\)"' "$T/in.jsonl")
echo "bench-pdf-render: $rows summary rows ($PROJECTS projects, $USERS users), best of $RUNS"
printf '%-11s %6s %10s %14s %16s\n' tool pages "wall (s)" "RSS tree (sampled)" "largest process"
set -- $PDF
printf '%-11s %6s %10s %11s MB %13s MB\n' pdf-render "$(pages_of "$T/pdf-render.pdf")" \
    "$2" "$(($3 / 1024))" "$(($4 / 1024))"
pw=$2
set -- $CHR
printf '%-11s %6s %10s %11s MB %13s MB\n' chromium "$(pages_of "$T/chromium.pdf")" \
    "$2" "$(($3 / 1024))" "$(($4 / 1024))"
"$PY" -c "import sys; print('pdf-render is %.1fx faster' % (float(sys.argv[2]) / float(sys.argv[1])))" "$pw" "$2"
