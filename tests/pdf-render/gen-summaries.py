#!/usr/bin/env python3
"""Generate usage summary records (the usage-aggregate output contract) for
pdf-render's tests and benchmark.

A random but seeded cloud: a project tree under one root, instances that
belong to a project and a user, institutions funding projects alone or
jointly.  Every figure is derived from the instances, so the axes agree:
own usage of every project adds up to the per-user usage and to the
usage_total records.  Figures are exact decimals (decimal.Decimal).

  gen-summaries.py [--projects N] [--users N] [--institutions N]
                   [--seed N] [--empty-period] [--instances]
"""
import argparse
import json
import random
import sys
from decimal import Decimal, ROUND_HALF_UP

RATES = {"OpenStack CPU": Decimal("0.013"), "OpenStack GPUA100": Decimal("1.803")}
INSTITUTIONS = [
    "Boston University", "Harvard University",
    "Université de Montréal", "Πανεπιστήμιο Κρήτης",
    "Московский государственный университет", "Northeastern University",
    "Massachusetts Institute of Technology", "University of Massachusetts Amherst",
    "Technische Universität München", "Universidad de São Paulo",
]
WORDS = ["genomics", "climate", "robotics", "λογισμός", "физика", "café",
         "vision", "ocean", "cryo-em", "astro", "nlp", "hpc", "lab", "course"]
PEOPLE = ["Zoë Ångström", "José Núñez", "Γιώργος Παπαδόπουλος", "Ирина Петрова",
          "Alice Smith", "Bob Jones", "Chen Wei", "Fatima Zahra", "Ola Nordmann",
          "Jürgen Müller"]


def cents(x):
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=12)
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--institutions", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--empty-period", action="store_true")
    ap.add_argument("--instances", action="store_true")
    ap.add_argument("--admin-shares", action="store_true",
                    help="funding as institution and project_institution "
                    "records, not in the summaries")
    ap.add_argument("--findings", action="store_true",
                    help="consistency-check findings and a failed verdict")
    ap.add_argument("--flat", action="store_true",
                    help="every project directly under the root")
    ap.add_argument("--long-name", action="store_true",
                    help="give one project a name far wider than its column")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    out = sys.stdout
    w = lambda r: out.write(json.dumps(r, ensure_ascii=False) + "\n")

    w({"type": "usage_meta", "cloud": "NERC OpenStack",
       "since": "2024-03-01T05:00:00Z", "until": "2024-04-01T04:00:00Z",
       "tz": "America/New_York", "by": "project",
       "generated_at": "2024-04-01T06:12:00Z",
       "rates_file": "rates.yaml",
       "rates_sha256": "3f2a9c1e" * 8, "outages_file": "outages.yaml",
       "charge_stopped": False, "coverage_slots": 2972,
       "coverage_complete_slots": 2951, "inferred_hours": "41",
       "unknown_hours": 7, "consistency": "fail" if a.findings else "pass",
       "outages": [{"from": "2024-03-12T13:00:00Z", "until": "2024-03-12T17:30:00Z",
                    "description": "Storage maintenance (Ceph upgrade)"}]})
    if a.empty_period:
        for axis in ("user", "project", "institution"):
            w({"type": "usage_total", "axis": axis, "su_type": "OpenStack CPU",
               "su_hours": 0, "cost": "0.00"})
        return

    insts = [{"id": "inst-%02d" % i,
              "name": INSTITUTIONS[i % len(INSTITUTIONS)] +
              ("" if i < len(INSTITUTIONS) else " %d" % i)}
             for i in range(a.institutions)]
    # The tree: a root, then each project under an earlier one (depth <= 5).
    projs = [{"id": "p0000", "name": "MOC", "parent": None, "depth": 0}]
    for i in range(1, a.projects):
        cand = [p for p in projs if p["depth"] < 5]
        parent = projs[0] if a.flat or i <= max(2, a.projects // 10) \
            else rnd.choice(cand)
        name = "%s-%d" % (rnd.choice(WORDS), i)
        if a.long_name and i == 3:
            name = ("a-very-long-project-name-that-does-not-fit-in-its-column-"
                    "because-someone-thought-descriptive-names-were-good-" * 3)
        projs.append({"id": "p%04d" % i, "name": name, "parent": parent,
                      "depth": parent["depth"] + 1})
    for p in projs:
        p["path"] = p["name"] if p["parent"] is None else \
            p["parent"]["path"] + " / " + p["name"]
        p["children"] = []
    for p in projs:
        if p["parent"] is not None:
            p["parent"]["children"].append(p)
    # Funding: top-level projects get one institution or two with shares;
    # the others inherit unless a few are given their own.
    for p in projs:
        if p["depth"] == 1 or (p["depth"] > 1 and rnd.random() < 0.1):
            if len(insts) > 1 and rnd.random() < 0.3:
                x, y = rnd.sample(insts, 2)
                s = rnd.choice([Decimal("0.5"), Decimal("0.25")])
                p["funding"] = [(x, s), (y, Decimal(1) - s)]
            else:
                p["funding"] = [(rnd.choice(insts), Decimal(1))]
        elif p["depth"] == 0:
            p["funding"] = [(insts[0], Decimal(1))]
    for p in projs:
        q = p
        while "funding" not in q:
            q = q["parent"]
        p["eff_funding"] = q["funding"]
    users = [{"id": "u%05d" % i,
              "name": "%s %d" % (PEOPLE[i % len(PEOPLE)], i),
              "email": "user%d@example.edu" % i,
              "inst": rnd.choice(insts)} for i in range(a.users)]

    FIGS = ["instance_hours", "su_hours", "vcpu_hours", "ram_gib_hours",
            "disk_gib_hours", "gpu_hours", "volume_gib_hours",
            "floating_ip_hours", "inferred_hours", "unknown_hours", "cost"]

    def zero():
        return {f: Decimal(0) for f in FIGS}

    own = {}     # (project id, su type) -> figures
    byuser = {}  # (user id, su type) -> figures
    instances = []
    for p in projs:
        for k in range(rnd.randint(1, 3)):
            su_type = "OpenStack GPUA100" if rnd.random() < 0.15 else "OpenStack CPU"
            hours = Decimal(rnd.randint(1, 744))
            vcpus = rnd.choice([1, 2, 4, 8, 16])
            ram = vcpus * 4
            gpus = 1 if su_type != "OpenStack CPU" else 0
            su = Decimal(gpus if gpus else vcpus)
            f = zero()
            f["instance_hours"] = hours
            f["su_hours"] = hours * su
            f["vcpu_hours"] = hours * vcpus
            f["ram_gib_hours"] = hours * ram
            f["disk_gib_hours"] = hours * 20
            f["gpu_hours"] = hours * gpus
            f["volume_gib_hours"] = Decimal(rnd.randint(0, 200)) * Decimal("7.5")
            f["floating_ip_hours"] = hours if rnd.random() < 0.3 else Decimal(0)
            f["inferred_hours"] = Decimal(rnd.randint(0, 3))
            f["unknown_hours"] = Decimal(rnd.randint(0, 1))
            f["cost"] = cents(f["su_hours"] * RATES[su_type])
            u = rnd.choice(users) if users else None
            instances.append((p, u, su_type, f, "vm-%s-%d" % (p["id"], k)))
            for key, acc in (((p["id"], su_type), own),
                             ((u["id"] if u else "-", su_type), byuser)):
                t = acc.setdefault(key, zero())
                for x in FIGS:
                    t[x] += f[x]

    def fmt(x):
        return str(x)

    def figs(f, su_type):
        r = {x: fmt(f[x]) for x in FIGS}
        r["instance_hours"] = int(f["instance_hours"])
        r["su_hours"] = int(f["su_hours"])
        r["rate"] = str(RATES[su_type])
        r["cost"] = fmt(cents(f["cost"]))
        return r

    # Institution axis: each project's own usage split by its shares.
    inst_tot = {}
    portions = []
    for p in projs:
        for su_type in RATES:
            if (p["id"], su_type) not in own:
                continue
            f = own[(p["id"], su_type)]
            for inst, share in p["eff_funding"]:
                part = {x: f[x] * share for x in FIGS}
                part["cost"] = cents(f["cost"] * share)
                t = inst_tot.setdefault((inst["id"], su_type), zero())
                for x in FIGS:
                    t[x] += part[x]
                if len(p["eff_funding"]) > 1 and "funding" in p:
                    portions.append((inst, p, su_type, share, part))
    for inst in insts:
        for su_type in RATES:
            if (inst["id"], su_type) in inst_tot:
                f = inst_tot[(inst["id"], su_type)]
                r = {"type": "usage", "axis": "institution", "id": inst["id"],
                     "name": inst["name"], "su_type": su_type}
                r.update({x: fmt(f[x]) for x in FIGS})
                r["rate"] = str(RATES[su_type])
                w(r)
    for inst, p, su_type, share, part in portions:
        if a.admin_shares:
            break
        w({"type": "usage", "axis": "institution", "id": inst["id"],
           "name": inst["name"], "project_id": p["id"], "path": p["path"],
           "su_type": su_type, "share": str(share),
           "su_hours": fmt(part["su_hours"]), "cost": fmt(part["cost"])})

    def subtree(p, su_type):
        t = zero()
        if (p["id"], su_type) in own:
            for x in FIGS:
                t[x] += own[(p["id"], su_type)][x]
        for c in p["children"]:
            s = subtree(c, su_type)
            for x in FIGS:
                t[x] += s[x]
        return t

    for p in projs:
        for su_type in RATES:
            sub = subtree(p, su_type)
            if sub["instance_hours"] == 0:
                continue
            for scope, f in (("own", own.get((p["id"], su_type), zero())),
                             ("subtree", sub)):
                r = {"type": "usage", "axis": "project", "id": p["id"],
                     "name": p["name"], "su_type": su_type, "scope": scope,
                     "path": p["path"], "depth": p["depth"],
                     "parent_id": p["parent"]["id"] if p["parent"] else None}
                if "funding" in p and len(p["funding"]) == 1 and \
                        not a.admin_shares:
                    r["institution_id"] = p["funding"][0][0]["id"]
                    r["institution_name"] = p["funding"][0][0]["name"]
                    r["share"] = "1"
                r.update(figs(f, su_type))
                w(r)
    if a.admin_shares:
        for inst in insts:
            w({"type": "institution", "id": inst["id"], "name": inst["name"],
               "code": "C-" + inst["id"][-2:]})
        for p in projs:
            for inst, share in p.get("funding", []):
                w({"type": "project_institution",
                   "id": "%s:%s" % (p["id"], inst["id"]), "project_id": p["id"],
                   "institution_id": inst["id"], "share": str(share),
                   "valid_from": "2023-01-01T00:00:00Z", "valid_to": None})
            if "funding" in p:
                # a share that ended before the period must not count
                old = insts[(insts.index(p["funding"][0][0]) + 1) % len(insts)]
                w({"type": "project_institution",
                   "id": "%s:%s" % (p["id"], old["id"]), "project_id": p["id"],
                   "institution_id": old["id"], "share": "1",
                   "valid_from": "2022-01-01T00:00:00Z",
                   "valid_to": "2023-01-01T00:00:00Z"})
    for u in users:
        for su_type in RATES:
            if (u["id"], su_type) not in byuser:
                continue
            r = {"type": "usage", "axis": "user", "id": u["id"], "name": u["name"],
                 "user_id": u["id"], "email": u["email"], "su_type": su_type,
                 "institution_id": u["inst"]["id"],
                 "institution_name": u["inst"]["name"]}
            r.update(figs(byuser[(u["id"], su_type)], su_type))
            w(r)
    if a.instances:
        for p, u, su_type, f, name in instances:
            r = {"type": "usage", "axis": "instance", "id": name, "name": name,
                 "su_type": su_type}
            r.update(figs(f, su_type))
            w(r)
    for su_type in RATES:
        su = sum((f["su_hours"] for (k, s), f in own.items() if s == su_type),
                 Decimal(0))
        cost = sum((f["cost"] for (k, s), f in own.items() if s == su_type),
                   Decimal(0))
        if su == 0:
            continue
        for axis in ("user", "project", "institution"):
            w({"type": "usage_total", "axis": axis, "su_type": su_type,
               "su_hours": int(su), "cost": fmt(cost)})
    for p in projs[:5]:
        for su_type in RATES:
            if (p["id"], su_type) not in own:
                continue
            f = own[(p["id"], su_type)]
            inst = p["eff_funding"][0][0]
            w({"type": "invoice_line", "invoice_month": "2024-03",
               "report_start": "2024-03-01T05:00:00Z",
               "report_end": "2024-04-01T04:00:00Z", "project_name": p["name"],
               "project_id": p["id"], "pi": PEOPLE[int(p["id"][1:]) % len(PEOPLE)],
               "cluster_name": "NERC", "invoice_email": "billing@example.edu",
               "invoice_address": "1 Main St", "institution": inst["name"],
               "institution_code": "C-" + inst["id"][-2:],
               "su_hours": int(f["su_hours"]), "su_type": su_type,
               "rate": str(RATES[su_type]), "cost": fmt(cents(f["cost"])),
               "generated_at": "2024-04-01T06:12:00Z"})
    if a.findings:
        w({"type": "finding", "check": "tenant_usage_hours", "severity": "error",
           "subject": "instance vm-p0001-0", "expected": 744, "actual": 741,
           "detail": "nova reports 3 hours fewer than the instance actions"})
        w({"type": "finding", "check": "coverage", "severity": "warning",
           "subject": "2024-03-12T13:00:00Z", "expected": "complete run",
           "actual": "none", "detail": "no collection in this slot"})
    w({"type": "check_summary", "verdict": "fail" if a.findings else "pass",
       "checks": 12, "failed": 2 if a.findings else 0,
       "since": "2024-03-01T05:00:00Z", "until": "2024-04-01T04:00:00Z"})


main()
