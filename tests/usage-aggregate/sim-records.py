"""sim-records.py: the simulated cloud (tests/cloud/simulate.py) as the
record stream a 15-minute collection would give usage-aggregate.

  sim-records.py SEED SIZE FROM UNTIL >records.jsonl

Test-only: it stands in for os-fetch and os-normalize by reading the
simulator's model in-process, one complete run per 15 minutes (servers as
nova lists them with changes-since, deleted ones included; volumes
and floating IPs as Cinder and Neutron list them), then every instance action, the
Keystone objects, flavors and the administrator's institution file."""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "cloud"))
from simulate import World  # noqa: E402
from server import fmt_time, parse_time  # noqa: E402

seed, size = int(sys.argv[1]), int(sys.argv[2])
t_from, t_until = int(parse_time(sys.argv[3])), int(parse_time(sys.argv[4]))
w = World(seed, size, t_from, t_until)
out = sys.stdout


def emit(rec):
    out.write(json.dumps(rec, separators=(",", ":")) + "\n")


def gpu(flavor):
    alias = flavor.get("extra_specs", {}).get("pci_passthrough:alias")
    if not alias:
        return None, 0
    name, count = alias.split(":")
    return name, int(count)


first = fmt_time(t_from)
for d in w.keystone_list("domains", t_until):
    emit({"type": "domain", "id": d["id"], "name": d["name"],
          "observed_at": first})
for p in w.keystone_list("projects", t_until):
    emit({"type": "project", "id": p["id"], "name": p["name"],
          "domain_id": p.get("domain_id"), "parent_id": p.get("parent_id"),
          "is_domain": p.get("is_domain", False), "observed_at": first})
for u in w.keystone_list("users", t_until):
    emit({"type": "user", "id": u["id"], "name": u["name"],
          "email": u.get("email"), "observed_at": first})
for f in w.flavors(t_until):
    alias, count = gpu(f)
    emit({"type": "flavor", "id": f["id"], "name": f["name"],
          "vcpus": f["vcpus"], "ram_mb": f["ram"], "disk_gb": f["disk"],
          "gpu_count": count, "gpu_alias": alias, "observed_at": first})
for rec in w.admin_records():
    emit(rec)
for n, t in enumerate(range(t_from, t_until, 900)):
    run = "run-%d" % n
    emit({"type": "run_start", "run_id": run, "started_at": fmt_time(t)})
    for row in w.servers(t):
        # Deleted servers too, as changes-since lists them: an instance
        # created and deleted between two polls still shows its flavor.
        b = row.body
        alias, count = gpu(b["flavor"])
        emit({"type": "instance", "id": b["id"], "name": b["name"],
              "project_id": b["tenant_id"], "user_id": b["user_id"],
              "status": b["status"], "flavor_id": row.flavor_id,
              "vcpus": b["flavor"]["vcpus"], "ram_mb": b["flavor"]["ram"],
              "disk_gb": b["flavor"]["disk"], "gpu_count": count,
              "gpu_alias": alias, "created_at": b["created"],
              "launched_at": b["OS-SRV-USG:launched_at"],
              "terminated_at": b["OS-SRV-USG:terminated_at"],
              "observed_at": fmt_time(t + 5), "run_id": run})
    for v in w.volumes(t):
        emit({"type": "volume", "id": v["id"], "name": v["name"],
              "project_id": v["os-vol-tenant-attr:tenant_id"],
              "user_id": v["user_id"], "size_gb": v["size"],
              "status": v["status"], "created_at": v["created_at"],
              "observed_at": fmt_time(t + 6), "run_id": run})
    for f in w.neutron_list("floatingips", t):
        emit({"type": "floating_ip", "id": f["id"],
              "floating_ip_address": f["floating_ip_address"],
              "project_id": f["tenant_id"], "status": f["status"],
              "created_at": f["created_at"],
              "observed_at": fmt_time(t + 7), "run_id": run})
    emit({"type": "run_end", "run_id": run, "ended_at": fmt_time(t + 60),
          "complete": True})
for inst in w.instances:
    for a in w.actions(inst.id, t_until):
        emit({"type": "instance_action", "id": a["request_id"],
              "instance_id": inst.id, "action": a["action"],
              "request_id": a["request_id"], "start_time": a["start_time"],
              "message": a["message"], "events": a["events"]})
