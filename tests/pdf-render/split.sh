# --split-by institution: one PDF per institution, holding only the
# projects it funds (directly or through an ancestor), with its share,
# and only its users.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pdf-render/lib.sh"

# check_split WHAT: split $T/in.jsonl into $T/out and check every file.
check_split() {
rm -rf "$T/out" && mkdir "$T/out"
pdf-render --split-by institution -d "$T/out" "$T/in.jsonl"
expect_eq "$1: split exit" "$?" 0
expect_eq "$1: one file per institution" "$(ls "$T/out" | tr '\n' ' ')" \
    "inst-00.pdf inst-01.pdf inst-02.pdf inst-03.pdf inst-04.pdf "
for f in "$T"/out/*.pdf; do
	pdf_ok "$1: ${f##*/}" "$f"
	pdftotext -layout "$f" "${f%.pdf}.txt" 2>/dev/null
	pdftotext "$f" "${f%.pdf}.raw" 2>/dev/null
done
not_blank "$1: inst-01.pdf" "$T/out/inst-01.pdf"

# Which projects and users each institution should see, from the input.
if "$PY" - "$T/in.jsonl" "$T/out" <<'PYEOF'
import json, re, sys
from decimal import Decimal
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
proj = {r["id"]: r for r in recs if r["type"] == "usage" and r["axis"] == "project"}
funders = {}
for r in recs:
    if r["type"] != "usage":
        continue
    if r["axis"] == "institution" and "project_id" in r:
        funders.setdefault(r["project_id"], {})[r["id"]] = r["share"]
    elif r["axis"] == "project" and r.get("institution_id"):
        funders.setdefault(r["id"], {})[r["institution_id"]] = r.get("share", "1")
for r in recs:
    if r["type"] == "project_institution" and (
            r["valid_to"] is None or r["valid_to"] > "2024-03-01T05:00:00Z"):
        funders.setdefault(r["project_id"], {})[r["institution_id"]] = r["share"]
def share(inst, pid):
    while pid is not None:
        if pid in funders:
            return funders[pid].get(inst)
        pid = proj[pid]["parent_id"]
    return None
insts = {r["id"]: r["name"] for r in recs if r["type"] == "usage" and r["axis"] == "institution"}
users = [r for r in recs if r["type"] == "usage" and r["axis"] == "user"]
bad = 0
checked = 0
for inst, name in insts.items():
    text = open("%s/%s.txt" % (sys.argv[2], inst), encoding="utf-8").read()
    # a row's path, wrapped or not, not followed by a child's " / name"
    flat = " ".join(open("%s/%s.raw" % (sys.argv[2], inst),
                         encoding="utf-8").read().split())
    seen = {p["name"] for p in proj.values() if p["depth"] > 0 and
            re.search(re.escape(p["path"]) + r"(?! /)", flat)}
    want = {p["name"] for pid, p in proj.items()
            if p["depth"] > 0 and share(inst, pid) is not None}
    if want != seen:
        print(inst, "projects: missing", sorted(want - seen), "extra", sorted(seen - want))
        bad = 1
    for pid, p in proj.items():
        s = share(inst, pid)
        if s is not None and len(funders.get(pid, {})) > 1:
            # the share of a jointly funded project is on its rows
            if not re.search(re.escape(p["name"]) + r" .* %s\b" % re.escape(
                    "{:.2f}".format(Decimal(s)) if len(s) <= 4 else s), text):
                print(inst, "no share", s, "for", p["name"])
                bad = 1
    for u in users:
        has = ("<%s>" % u["email"]) in text
        if has != (u["institution_id"] == inst):
            print(inst, "user", u["email"], "present" if has else "missing")
            bad = 1
        checked += 1
    if name not in text:
        print(inst, "has not its name", name)
        bad = 1
print(checked, "user rows checked")
sys.exit(bad)
PYEOF
then
	pass "$1: each file holds only its institution's projects and users"
else
	fail "$1: split files hold the wrong rows"
fi
}

"$PY" "$GEN" --projects 40 --users 30 --institutions 5 --seed 7 >"$T/in.jsonl" || exit 99
check_split "shares in the summaries"
"$PY" "$GEN" --projects 40 --users 30 --institutions 5 --seed 7 --admin-shares \
    >"$T/in.jsonl" || exit 99
check_split "shares from project_institution records"

# Usage errors.
pdf-render --split-by institution "$T/in.jsonl" >/dev/null 2>"$T/err"
expect_eq "--split-by without -d" "$?" 2
pdf-render --split-by project -d "$T/out" "$T/in.jsonl" >/dev/null 2>"$T/err"
expect_eq "--split-by project" "$?" 2
expect_grep "--split-by project message" "only \"institution\"" "$T/err"
pdf-render -d "$T/out" "$T/in.jsonl" >/dev/null 2>"$T/err"
expect_eq "-d without --split-by" "$?" 2
pdf-render --split-by institution -d "$T/nowhere" "$T/in.jsonl" >/dev/null 2>"$T/err"
expect_eq "-d to a missing folder" "$?" 2
finish
