#!/usr/bin/env python3
"""Check the simulator's outputs against themselves and against the test
cloud serving the same simulation.

  check_truth.py DIR
      DIR/truth.jsonl: every instance's intervals are contiguous, in order,
      cover [max(created, from), until) exactly, agree with their seconds
      and with the flavor they name; volumes and floating IPs inside the
      window.  DIR/admin.jsonl: shares of a project sum to exactly 1,
      references resolve, each user has an institution (explicit, or by
      e-mail domain).
  check_truth.py DIR --url BASE --token TOKEN [--at T ...] [--scenarios]
      also: at each simulated instant T (set through /_control/time),
      every server Nova lists (deleted ones too) is in the state and flavor
      the ground truth gives for T.  --scenarios: the cloud holds each
      kind of life the tools must handle (a life between two polls, a
      deletion without a delete action, every action, errors, GPU and
      RAM-heavy flavors, extended and deleted volumes, released floating
      IPs) and Nova's tenant usage agrees with the truth.

Prints what it checked; exits 1 on the first kind of error, listing up to
ten examples."""

import argparse
import collections
import json
import os
import sys
import urllib.request
from decimal import Decimal

# (no __pycache__ in the source tree, which is read-only under distcheck)
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import parse_time  # noqa: E402
import simulate  # noqa: E402

NOVA_STATE = {"ACTIVE": "Running", "PAUSED": "Running",
              "SUSPENDED": "Running", "VERIFY_RESIZE": "Running",
              "SHUTOFF": "Stopped", "SHELVED": "Shelved",
              "SHELVED_OFFLOADED": "Shelved", "ERROR": "Error",
              "DELETED": "Deleted"}

errors = []


def bad(msg):
    errors.append(msg)


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def check_truth(recs):
    meta = recs[0]
    if meta.get("type") != "truth_meta":
        bad("first record is not truth_meta")
        return None
    lo, hi = parse_time(meta["from"]), parse_time(meta["until"])
    world = simulate.World(meta["seed"], meta["size"], lo, hi)
    created = {i.id: i.created for i in world.instances}
    flavors = {f["id"]: f for f in world.flavors(hi)}
    by_inst = collections.defaultdict(list)
    for r in recs[1:]:
        if r["type"] == "truth_interval":
            by_inst[r["instance_id"]].append(r)
        elif r["type"] in ("truth_volume", "truth_floating_ip"):
            a, b = parse_time(r["start"]), parse_time(r["end"])
            if not lo <= a < b <= hi or r["seconds"] != b - a:
                bad("%s outside the window or miscounted: %s"
                    % (r["type"], r))
        else:
            bad("unknown record type %r" % r["type"])
    expected = {i for i, t in created.items() if t < hi}
    if set(by_inst) != expected:
        bad("instances with intervals: %d, instances created before "
            "until: %d" % (len(by_inst), len(expected)))
    for iid, ivs in by_inst.items():
        start = max(created[iid], lo)
        t = start
        for r in ivs:
            a, b = parse_time(r["start"]), parse_time(r["end"])
            if a != t:
                bad("%s: interval starts at %s, previous ended at %d"
                    % (iid, r["start"], t))
            if b <= a or r["seconds"] != b - a:
                bad("%s: bad interval %s..%s (%s s)"
                    % (iid, r["start"], r["end"], r["seconds"]))
            if r["state"] not in ("Running", "Stopped", "Shelved", "Error",
                                  "Deleted"):
                bad("%s: unknown state %r" % (iid, r["state"]))
            f = flavors.get(r["flavor_id"])
            if f is None or (f["vcpus"], f["ram"], f["name"]) != (
                    r["vcpus"], r["ram_mb"], r["flavor_name"]):
                bad("%s: flavor fields disagree with flavor %s"
                    % (iid, r["flavor_id"]))
            gpu = f["extra_specs"].get("pci_passthrough:alias") if f else None
            want_gpus = int(gpu.split(":")[1]) if gpu else 0
            if r["gpu_count"] != want_gpus:
                bad("%s: gpu_count %s, flavor says %s"
                    % (iid, r["gpu_count"], gpu))
            t = b
        if t != hi:
            bad("%s: intervals end at %d, not at until" % (iid, t))
        states = [r["state"] for r in ivs]
        if "Deleted" in states and states[-1] != "Deleted":
            bad("%s: comes back after Deleted" % iid)
    print("truth: %d instances, %d intervals, %d volume and %d floating-ip "
          "records" % (len(by_inst), sum(len(v) for v in by_inst.values()),
                       sum(r["type"] == "truth_volume" for r in recs),
                       sum(r["type"] == "truth_floating_ip" for r in recs)))
    return by_inst


def check_admin(recs):
    by_type = collections.defaultdict(list)
    for r in recs:
        by_type[r["type"]].append(r)
    insts = {r["id"] for r in by_type["institution"]}
    shares = collections.defaultdict(Decimal)
    for r in by_type["project_institution"]:
        if r["institution_id"] not in insts:
            bad("project_institution %s: unknown institution" % r["id"])
        if r["id"] != "%s:%s" % (r["project_id"], r["institution_id"]):
            bad("project_institution id %s" % r["id"])
        shares[r["project_id"]] += Decimal(r["share"])
    for p, total in shares.items():
        if total != 1:
            bad("project %s: shares sum to %s" % (p, total))
    joint = sum(1 for r in by_type["project_institution"]
                if Decimal(r["share"]) != 1)
    domains = {r["domain"]: r["institution_id"]
               for r in by_type["email_domain_institution"]}
    for r in by_type["email_domain_institution"]:
        if r["institution_id"] not in insts or r["id"] != r["domain"]:
            bad("email_domain_institution %s" % r["id"])
    explicit = {r["user_id"] for r in by_type["user_institution"]}
    for r in by_type["user_institution"]:
        if r["institution_id"] not in insts:
            bad("user_institution %s: unknown institution" % r["id"])
    print("admin: %d institutions, %d funded projects (%d joint shares), "
          "%d explicit users, %d e-mail domains"
          % (len(insts), len(shares), joint, len(explicit), len(domains)))
    return domains, explicit


def check_users(world, domains, explicit):
    for u in world.user_list:
        if "email" not in u:
            continue
        dom = u["email"].rsplit("@", 1)[1]
        if dom not in domains and u["id"] not in explicit:
            bad("user %s has no institution" % u["id"])


def servers_at(base, token, t):
    req = urllib.request.Request(
        base + "/_control/time", data=json.dumps({"now": t}).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req).read()
    url = (base + "/compute/v2.1/servers/detail?all_tenants=1"
           "&changes-since=1970-01-01T00:00:00Z")
    out = []
    while url:
        req = urllib.request.Request(url, headers={
            "X-Auth-Token": token, "OpenStack-API-Version": "compute 2.79"})
        doc = json.load(urllib.request.urlopen(req))
        out.extend(doc["servers"])
        url = next((lk["href"] for lk in doc.get("servers_links", [])
                    if lk["rel"] == "next"), None)
    return out


def check_served(by_inst, base, token, instants):
    for t in instants:
        tt = parse_time(t)
        servers = servers_at(base, token, t)
        for s in servers:
            ivs = by_inst.get(s["id"], [])
            cur = [r for r in ivs
                   if parse_time(r["start"]) <= tt < parse_time(r["end"])]
            if not cur:
                bad("%s listed at %s, no truth interval" % (s["id"], t))
                continue
            want = cur[0]
            if NOVA_STATE.get(s["status"]) != want["state"]:
                bad("%s at %s: nova says %s, truth %s"
                    % (s["id"], t, s["status"], want["state"]))
            if s["flavor"]["original_name"] != want["flavor_name"]:
                bad("%s at %s: flavor %s, truth %s" % (
                    s["id"], t, s["flavor"]["original_name"],
                    want["flavor_name"]))
        alive = sum(1 for ivs in by_inst.values() for r in ivs
                    if parse_time(r["start"]) <= tt < parse_time(r["end"]))
        if alive != len(servers):
            bad("at %s: nova lists %d servers, the truth has %d"
                % (t, len(servers), alive))
        print("served at %s: %d servers agree with the truth"
              % (t, len(servers)))


def api(base, token, path, mv="compute 2.84"):
    req = urllib.request.Request(base + path, headers={
        "X-Auth-Token": token, "OpenStack-API-Version": mv})
    return json.load(urllib.request.urlopen(req))


def set_time(base, t):
    req = urllib.request.Request(
        base + "/_control/time", data=json.dumps({"now": t}).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req).read()


def listed(base, token, query):
    doc = api(base, token, "/compute/v2.1/servers/detail?all_tenants=1&"
              "limit=1000000&" + query)
    return {s["id"]: s for s in doc["servers"]}


def check_scenarios(recs, by_inst, base, token):
    """What the simulated cloud must contain, seen through the API."""
    meta = recs[0]
    lo, hi = parse_time(meta["from"]), parse_time(meta["until"])
    fmt = simulate.sec
    # An instance born and deleted between two 15-minute polls: neither
    # poll lists it; deleted=true and changes-since do.
    short = None
    for iid, ivs in sorted(by_inst.items()):
        alive = [r for r in ivs if r["state"] != "Deleted"]
        if not alive or alive[0]["start"] == meta["from"]:
            continue
        a, b = parse_time(alive[0]["start"]), parse_time(alive[-1]["end"])
        slot = a - a % simulate.POLL
        if b < hi and b < slot + simulate.POLL:
            short = (iid, slot)
            break
    if short is None:
        bad("no instance lives and dies between two polls")
    else:
        iid, slot = short
        set_time(base, fmt(slot))
        if iid in listed(base, token, "x=1"):
            bad("%s listed at the poll before its life" % iid)
        set_time(base, fmt(slot + simulate.POLL))
        if iid in listed(base, token, "x=1"):
            bad("%s listed at the poll after its deletion" % iid)
        if iid not in listed(base, token, "deleted=true"):
            bad("%s missing from deleted=true" % iid)
        cs = listed(base, token, "changes-since=" + fmt(slot))
        if cs.get(iid, {}).get("status") != "DELETED":
            bad("%s not DELETED under changes-since" % iid)
        print("short life: %s, between the polls of %s and %s"
              % (iid, fmt(slot), fmt(slot + simulate.POLL)))
    set_time(base, fmt(hi))
    servers = listed(base, token, "changes-since=1970-01-01T00:00:00Z")
    actions = collections.Counter()
    errors_seen = 0
    silent_deletes = 0
    for sid, srv in sorted(servers.items()):
        acts = api(base, token, "/compute/v2.1/servers/%s/"
                   "os-instance-actions" % sid)["instanceActions"]
        names = [a["action"] for a in acts]
        actions.update(names)
        errors_seen += sum(a["message"] == "Error" for a in acts)
        if srv["status"] == "DELETED" and "delete" not in names:
            silent_deletes += 1
    need = ["create", "stop", "start", "resize", "confirmResize",
            "revertResize", "shelve", "shelveOffload", "unshelve", "delete"]
    missing = [n for n in need if not actions[n]]
    if missing:
        bad("actions never seen: %s" % ", ".join(missing))
    if not errors_seen:
        bad("no action ended in Error")
    if not silent_deletes:
        bad("no instance was deleted without a delete action")
    print("actions: %s; %d errors; %d deletions without an action"
          % (", ".join("%s %d" % kv for kv in sorted(actions.items())),
             errors_seen, silent_deletes))
    states = {r["state"] for ivs in by_inst.values() for r in ivs}
    if states != {"Running", "Stopped", "Shelved", "Error", "Deleted"}:
        bad("states in the truth: %s" % sorted(states))
    flavors = {f["name"]: f for f in api(
        base, token, "/compute/v2.1/flavors/detail?is_public=None",
        "compute 2.61")["flavors"]}
    if not any(f["ram"] / 4096 > f["vcpus"] for f in flavors.values()):
        bad("no RAM-heavy flavor")
    if not any(r["gpu_count"] for ivs in by_inst.values() for r in ivs):
        bad("no GPU instance in the truth")
    vols = collections.Counter(r["volume_id"] for r in recs
                               if r["type"] == "truth_volume")
    if not any(n > 1 for n in vols.values()):
        bad("no volume was extended")
    if not any(r["type"] == "truth_volume" and r["end"] != meta["until"]
               for r in recs):
        bad("no volume was deleted")
    if not any(r["type"] == "truth_floating_ip" and
               r["end"] != meta["until"] for r in recs):
        bad("no floating IP was released")
    # Nova's own hours (launch to termination) agree with the truth's
    # time alive, to the launch delay.
    usage = api(base, token, "/compute/v2.1/os-simple-tenant-usage?"
                "detailed=1&start=%s&end=%s" % (fmt(lo), fmt(hi)),
                "compute 2.1")["tenant_usages"]
    rows = {u["instance_id"]: u for t in usage for u in t["server_usages"]}
    worst = 0
    for iid, u in rows.items():
        alive = sum(r["seconds"] for r in by_inst[iid]
                    if r["state"] != "Deleted")
        worst = max(worst, abs(u["hours"] * 3600 - alive))
    if worst > 60:
        bad("nova's hours and the truth differ by %d s" % worst)
    print("tenant usage: %d instances, within %d s of the truth"
          % (len(rows), worst))


def main():
    ap = argparse.ArgumentParser(prog="check_truth.py")
    ap.add_argument("dir")
    ap.add_argument("--url")
    ap.add_argument("--token")
    ap.add_argument("--at", action="append", default=[])
    ap.add_argument("--scenarios", action="store_true",
                    help="check, through the API, that the cloud holds "
                    "every kind of life the tools must handle")
    args = ap.parse_args()
    truth = load(os.path.join(args.dir, "truth.jsonl"))
    by_inst = check_truth(truth)
    domains, explicit = check_admin(load(os.path.join(args.dir,
                                                      "admin.jsonl")))
    meta = truth[0]
    world = simulate.World(meta["seed"], meta["size"],
                           parse_time(meta["from"]),
                           parse_time(meta["until"]))
    check_users(world, domains, explicit)
    if args.url and by_inst is not None:
        check_served(by_inst, args.url.rstrip("/"), args.token, args.at)
        if args.scenarios:
            check_scenarios(truth, by_inst, args.url.rstrip("/"), args.token)
    for e in errors[:10]:
        print("error: " + e)
    if errors:
        print("%d error(s)" % len(errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
