"""monthly-gen.py: a month of 15-minute collections of the simulated cloud
(tests/cloud/simulate.py) as normalized records, for make bench-monthly.

  monthly-gen.py SEED SIZE FROM UNTIL >records.jsonl

Test-only.  Polling a 10,000-instance cloud 2880 times through os-fetch
takes hours; pg-load stores an object again only when its content
changes, so a month of polls leaves the same rows as this stream: the
administrator's file, then a first complete run at FROM listing every
Keystone object, flavor, server, volume and floating IP, then one complete
run every 15 minutes listing only the objects whose record changed since
the run before (with the instance actions that started in between).
Those later runs name no resource as read in full (an empty "resources"),
so pg-load infers no deletion from what they do not list; a deletion is
reported in the object's record, as Nova does for a server
(terminated_at) and as the bench assumes Cinder and Neutron do for a
volume or a floating IP (deleted_at).  Deterministic for its arguments."""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "cloud"))
from simulate import World  # noqa: E402
from server import fmt_time, parse_time  # noqa: E402

POLL = 900
seed, size = int(sys.argv[1]), int(sys.argv[2])
t_from, t_until = int(parse_time(sys.argv[3])), int(parse_time(sys.argv[4]))
w = World(seed, size, t_from, t_until)
out = sys.stdout
dumps = json.JSONEncoder(separators=(",", ":")).encode
npolls = (t_until - t_from) // POLL


def poll_of(t):
    """The first poll (0 at FROM) that sees a change made at second t."""
    return max(0, -(-(int(t) - t_from) // POLL))


def gpu(flavor):
    alias = flavor.get("extra_specs", {}).get("pci_passthrough:alias")
    if not alias:
        return None, 0
    name, count = alias.split(":")
    return name, int(count)


def instance(inst, t):
    b, flavor_id, deleted, _ = w.server_body(inst, t)
    alias, count = gpu(b["flavor"])
    return {"type": "instance", "id": b["id"], "name": b["name"],
            "project_id": b["tenant_id"], "user_id": b["user_id"],
            "status": b["status"], "vm_state": b["OS-EXT-STS:vm_state"],
            "power_state": b["OS-EXT-STS:power_state"],
            "flavor_id": flavor_id, "flavor_name":
            b["flavor"]["original_name"], "vcpus": b["flavor"]["vcpus"],
            "ram_mb": b["flavor"]["ram"], "disk_gb": b["flavor"]["disk"],
            "gpu_count": count, "gpu_alias": alias,
            "created_at": b["created"],
            "launched_at": b["OS-SRV-USG:launched_at"],
            "terminated_at": b["OS-SRV-USG:terminated_at"],
            "host": b["OS-EXT-SRV-ATTR:host"], "availability_zone": "nova",
            "image_id": b["image"]["id"]}, deleted


def volume(v, t):
    if v["deleted"] is not None and v["deleted"] <= t:
        size_gb = v["sizes"][-1][1]
        status, deleted_at = "deleted", fmt_time(v["deleted"])
    else:
        size_gb = w.volume_size(v, t)[0]
        status = "in-use" if w.attached(v, t) else "available"
        deleted_at = None
    return {"type": "volume", "id": v["id"], "name": v["name"],
            "project_id": v["project_id"], "user_id": v["user_id"],
            "size_gb": size_gb, "status": status, "volume_type": v["type"],
            "bootable": False, "availability_zone": "nova",
            "created_at": fmt_time(v["created"]), "deleted_at": deleted_at}


def floating_ip(f, t):
    gone = f["release"] is not None and f["release"] <= t
    on = w.fip_attached(f, t)
    return {"type": "floating_ip", "id": f["id"],
            "floating_ip_address": f["address"],
            "project_id": f["inst"].project_id,
            "port_id": f["inst"].port_id if on else None,
            "status": "ACTIVE" if on else "DOWN",
            "created_at": fmt_time(f["alloc"]),
            "deleted_at": fmt_time(f["release"]) if gone else None}


def action(inst, a):
    return {"type": "instance_action", "id": a["request_id"],
            "instance_id": inst.id, "action": a["action"],
            "request_id": a["request_id"], "start_time": a["start_time"],
            "updated_at": a["updated_at"], "user_id": a["user_id"],
            "project_id": a["project_id"], "message": a["message"],
            "events": a["events"]}


# What each poll must look at: (kind, object) whose record may change.
todo = [[] for _ in range(npolls)]
first = []
for inst in w.instances:
    if inst.created > t_until:
        continue
    times = [inst.created] + inst.view_t
    if inst.launched_at is not None:
        times.append(inst.launched_at)
    for k in sorted({poll_of(x) for x in times}):
        if k < npolls:
            todo[k].append(("i", inst))
    for a in inst.actions:
        k = poll_of(a["_t"])
        if k < npolls:
            todo[k].append(("a", (inst, a)))
for v in w.volume_objs:
    times = [v["created"]] + [s[0] for s in v["sizes"]]
    if v["attach"]:
        times += [x for x in v["attach"][1:3] if x is not None]
    if v["deleted"] is not None:
        times.append(v["deleted"])
    for k in sorted({poll_of(x) for x in times}):
        if k < npolls:
            todo[k].append(("v", v))
for f in w.fips:
    times = [f["alloc"]]
    if f["release"] is not None:
        times.append(f["release"])
    if f["inst"].terminated_at is not None:
        times.append(f["inst"].terminated_at)
    for k in sorted({poll_of(x) for x in times}):
        if k < npolls:
            todo[k].append(("f", f))

for rec in w.admin_records():
    out.write(dumps(rec) + "\n")

last = {}           # id -> the record's text as last written
RESOURCES = ["identity/domains", "identity/projects", "identity/users",
             "compute/flavors", "compute/servers", "block-storage/volumes",
             "network/floatingips"]
for k in range(npolls):
    t = t_from + k * POLL
    run = "bench-%06d" % k
    tail = ',"region":"RegionOne","observed_at":"%s","run_id":"%s"}\n' % (
        fmt_time(t + 5), run)
    n = 0

    def emit(rec, key=None):
        global n
        text = dumps(rec)[:-1]
        if key is not None:
            if last.get(key) == text:
                return
            last[key] = text
        out.write(text + tail)
        n += 1

    out.write(dumps({"type": "run_start", "run_id": run,
                     "source": "openstack", "cloud": "bench",
                     "region": "RegionOne", "started_at": fmt_time(t),
                     "resources": RESOURCES if k == 0 else []}) + "\n")
    if k == 0:
        for d in w.keystone_list("domains", t):
            emit({"type": "domain", "id": d["id"], "name": d["name"],
                  "enabled": True, "description": d.get("description")})
        for p in w.keystone_list("projects", t):
            emit({"type": "project", "id": p["id"], "name": p["name"],
                  "domain_id": p.get("domain_id"),
                  "parent_id": p.get("parent_id"),
                  "is_domain": p.get("is_domain", False),
                  "enabled": True, "description": p.get("description")})
        for u in w.keystone_list("users", t):
            emit({"type": "user", "id": u["id"], "name": u["name"],
                  "domain_id": u.get("domain_id"), "email": u.get("email"),
                  "enabled": True,
                  "default_project_id": u.get("default_project_id")})
        for f in w.flavors(t):
            alias, count = gpu(f)
            emit({"type": "flavor", "id": f["id"], "name": f["name"],
                  "vcpus": f["vcpus"], "ram_mb": f["ram"],
                  "disk_gb": f["disk"], "ephemeral_gb": 0, "swap_mb": 0,
                  "is_public": f.get("os-flavor-access:is_public", True),
                  "gpu_count": count, "gpu_alias": alias,
                  "extra_specs": f.get("extra_specs", {})})
        # The first run lists what exists; older actions come with it.
        for inst in w.instances:
            if inst.created > t:
                continue
            rec, deleted = instance(inst, t)
            if not deleted:
                emit(rec, inst.id)
                for a in inst.actions:
                    if a["_t"] <= t:
                        emit(action(inst, a))
        for v in w.volume_objs:
            if v["created"] <= t and (v["deleted"] is None or
                                      v["deleted"] > t):
                emit(volume(v, t), v["id"])
        for f in w.fips:
            if f["alloc"] <= t and (f["release"] is None or
                                    f["release"] > t):
                emit(floating_ip(f, t), f["id"])
    for kind, o in todo[k]:
        if kind == "i":
            # Later runs list deleted servers too, as changes-since
            # does: one created and deleted between two polls included.
            if o.created <= t and k > 0:
                emit(instance(o, t)[0], o.id)
        elif kind == "a":
            if k > 0:       # the first run has the older ones
                emit(action(*o))
        elif kind == "v":
            if o["created"] <= t and (o["id"] in last or
                                      o["deleted"] is None or
                                      o["deleted"] > t):
                emit(volume(o, t), o["id"])
        elif o["alloc"] <= t and (o["id"] in last or o["release"] is None
                                  or o["release"] > t):
            emit(floating_ip(o, t), o["id"])
    out.write(dumps({"type": "run_end", "run_id": run,
                     "ended_at": fmt_time(t + 40), "complete": True,
                     "pages": n, "failed": []}) + "\n")
