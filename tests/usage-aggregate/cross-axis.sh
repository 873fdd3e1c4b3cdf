#!/bin/sh
# Totals agree across axes on generated clouds: for several random clouds,
# the rows of every axis (instances, users, top-level projects, the tree's
# root, institutions, institutions' parts of projects, invoice lines) add
# up to the same SU-hours and the same cents, and every row that is
# allocated directly (instance, user, a project's own usage) is within one
# cent of rate x SU-hours (subtree and institution rows are sums of those).
# Allocation is hierarchical: a project's invoice lines add up to its own
# row exactly, a project with one funder has one line equal to its row,
# each line is within one cent of the project's cost x its part of the
# SU-hours, and each institution's part of a project (project_id, share)
# is its invoice line.
. "$top_srcdir/tests/lib/common.sh"
py=${PYTHON3:-python3}
command -v "$py" >/dev/null 2>&1 || skip "no python3"
cp "$DATA/nerc-rates/rates.yaml" "$T/rates.yaml"
for seed in 1 2 3 4 5; do
	awk -v seed=$seed -f "$top_srcdir/tests/usage-aggregate/gen-cloud.awk" \
	    >"$T/cloud.jsonl"
	if ! usage-aggregate --month 2024-03 --rates "$T/rates.yaml" \
	    --by instance,user,project,institution <"$T/cloud.jsonl" \
	    >"$T/out.jsonl" 2>"$T/err"; then
		fail "seed $seed: usage-aggregate failed: $(cat "$T/err")"
		continue
	fi
	if "$py" - "$T/out.jsonl" >"$T/check" 2>&1 <<'PY'
import json, sys
from decimal import Decimal
from collections import defaultdict
rows = [json.loads(l, parse_float=Decimal) for l in open(sys.argv[1])]
cents = lambda s: int(Decimal(s) * 100)
tot = defaultdict(lambda: [0, 0])
sums = defaultdict(lambda: [0, 0])
own, part, lines = {}, {}, defaultdict(list)
inst_of = {r["name"]: r["id"] for r in rows
           if r["type"] == "usage" and r["axis"] == "institution"}
single = joint = 0
bad = []
for r in rows:
    if r["type"] == "usage_total":
        tot[(r["axis"], r["su_type"])] = [r["su_hours"], cents(r["cost"])]
    if r["type"] in ("usage", "invoice_line") and r["su_type"] is not None:
        exact = Decimal(r["rate"]) * r["su_hours"] * 100
        direct = r["type"] == "usage" and (r["axis"] in (
            "instance", "user") or r.get("scope") == "own")
        if direct and abs(cents(r["cost"]) - exact) >= 1:
            bad.append("row %s: cost %s, rate x SU-hours %s" % (
                r.get("id"), r["cost"], exact / 100))
    if r["type"] == "usage" and r["su_type"] is not None:
        keys = []
        if r["axis"] == "institution" and "project_id" in r:
            keys.append("portion")
            part[(r["project_id"], r["su_type"], r["id"])] = (
                r["su_hours"], cents(r["cost"]), Decimal(r["share"]))
        elif r["axis"] != "project":
            keys.append(r["axis"])
        elif r["scope"] == "own":
            keys.append("project-own")
            own[(r["id"], r["su_type"])] = (r["su_hours"], cents(r["cost"]))
        elif r["depth"] == 0:
            keys.append("project-root")
        elif r["depth"] == 1:
            keys.append("project-top")
        for k in keys:
            sums[(k, r["su_type"])][0] += r["su_hours"]
            sums[(k, r["su_type"])][1] += cents(r["cost"])
    if r["type"] == "invoice_line":
        sums[("invoice", r["su_type"])][0] += r["su_hours"]
        sums[("invoice", r["su_type"])][1] += cents(r["cost"])
        lines[(r["project_id"], r["su_type"])].append(r)
# One month: a project's own row and its invoice lines cover the same time.
for k, ls in lines.items():
    h, c = own[k]
    if sum(l["su_hours"] for l in ls) != h or \
            sum(cents(l["cost"]) for l in ls) != c:
        bad.append("project %s %s: lines do not add up to %s/%s" % (k + (h, c)))
    if len(ls) == 1:
        single += 1
        if (ls[0]["su_hours"], cents(ls[0]["cost"])) != (h, c):
            bad.append("project %s %s: one funder, line %s/%s != row %s/%s"
                       % (k + (ls[0]["su_hours"], ls[0]["cost"], h, c)))
    else:
        joint += 1
    for l in ls:
        if h and abs(cents(l["cost"]) - Decimal(c) * l["su_hours"] / h) >= 1:
            bad.append("line %s: cost %s not its part of %s" % (
                k, l["cost"], c))
        p = part.get((l["project_id"], l["su_type"], inst_of[l["institution"]]))
        if p is None or p[:2] != (l["su_hours"], cents(l["cost"])):
            bad.append("line %s %s: part %s != line" % (k, l["institution"], p))
        elif not (0 < p[2] <= 1):
            bad.append("line %s: share %s" % (k, p[2]))
if single == 0 or joint == 0:
    bad.append("%d single, %d joint projects: both expected" % (single, joint))
types = {k[1] for k in tot}
if not types:
    bad.append("no totals")
for t in types:
    ref = tot[("instance", t)]
    for ax in ("user", "project", "institution"):
        if tot[(ax, t)] != ref:
            bad.append("%s total %s != instance %s" % (ax, tot[(ax, t)], ref))
    for k in ("instance", "user", "institution", "portion", "project-own",
              "project-root", "project-top", "invoice"):
        if sums[(k, t)] != ref:
            bad.append("%s %s rows sum to %s, total %s" % (k, t, sums[(k, t)], ref))
print("\n".join(bad) or "ok %d SU types, %d single-funder and %d joint "
      "project rows" % (len(types), single, joint))
sys.exit(1 if bad else 0)
PY
	then
		pass "seed $seed: $(cat "$T/check")"
	else
		fail "seed $seed: $(cat "$T/check")"
	fi
done
exit $((test_failures > 0))
