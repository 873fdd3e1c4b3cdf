#!/usr/bin/env python3
"""The sample-cloud simulator (test-only code, Python 3 standard library).

Makes, from a seed, a realistic OpenStack cloud over time: a Keystone
project tree under one root project, users at several institutions,
flavors (RAM-heavy and GPU ones among them), instances that live through
create, stop, start, resize and confirm or revert, shelve, offload and
unshelve, pause, suspend, errors and deletion, volumes created, extended,
attached and deleted, floating IPs allocated and released.

  simulate.py --seed N --size N --from T --until T --out DIR

writes DIR/truth.jsonl (the ground truth: what every instance, volume and
floating IP did inside [from, until), to the second) and DIR/admin.jsonl
(the administrator's institution file).  server.py --simulate serves the
same cloud (same seed, size, from, until) as of any simulated instant.
The formats are in tests/cloud/README.
"""

import argparse
import bisect
import json
import os
import random
import sys
import uuid

# (no __pycache__ in the source tree, which is read-only under distcheck)
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import fmt_time, parse_time  # noqa: E402

DAY = 86400
LEAD_IN = 30 * DAY          # history simulated before --from
POLL = 900                  # the collector's 15 minutes

RUNNING, STOPPED, SHELVED, ERROR, DELETED = (
    "Running", "Stopped", "Shelved", "Error", "Deleted")

# Nova's view of each situation: status, vm_state, power_state, on a host.
VIEW = {
    "active": ("ACTIVE", "active", 1, True),
    "stopped": ("SHUTOFF", "stopped", 4, True),
    "paused": ("PAUSED", "paused", 3, True),
    "suspended": ("SUSPENDED", "suspended", 4, True),
    "resized": ("VERIFY_RESIZE", "resized", 1, True),
    "shelved": ("SHELVED", "shelved", 4, True),
    "shelved_offloaded": ("SHELVED_OFFLOADED", "shelved_offloaded", 4,
                          False),
    "error": ("ERROR", "error", 0, True),
    "deleted": ("DELETED", "deleted", 0, True),
}
# What each situation counts as in the ground truth.
TRUTH_STATE = {"active": RUNNING, "paused": RUNNING, "suspended": RUNNING,
               "resized": RUNNING, "stopped": STOPPED, "shelved": SHELVED,
               "shelved_offloaded": SHELVED, "error": ERROR,
               "deleted": DELETED}

# (action, events) that nova records; the events' names are Zed's.
EVENTS = {
    "create": ["compute__do_build_and_run_instance"],
    "stop": ["compute_stop_instance"],
    "start": ["compute_start_instance"],
    "reboot": ["compute_reboot_instance"],
    "pause": ["compute_pause_instance"],
    "unpause": ["compute_unpause_instance"],
    "suspend": ["compute_suspend_instance"],
    "resume": ["compute_resume_instance"],
    "resize": ["cold_migrate", "compute_prep_resize",
               "compute_resize_instance", "compute_finish_resize"],
    "confirmResize": ["compute_confirm_resize"],
    "revertResize": ["compute_revert_resize",
                     "compute_finish_revert_resize"],
    "shelve": ["compute_shelve_instance"],
    "shelveOffload": ["compute_shelve_offload_instance"],
    "unshelve": ["compute_unshelve_instance"],
    "delete": [],
}

INSTITUTIONS = [
    ("Boston University", "BU", "bu"),
    ("Harvard University", "HU", "harvard"),
    ("Massachusetts Institute of Technology", "MIT", "mit"),
    ("Northeastern University", "NEU", "northeastern"),
    ("University of Massachusetts Amherst", "UMA", "umass"),
    ("Yale University", "YALE", "yale"),
    ("Brown University", "BROWN", "brown"),
    ("Tufts University", "TUFTS", "tufts"),
    ("Worcester Polytechnic Institute", "WPI", "wpi"),
    ("Boston College", "BC", "bc"),
]
FIRST = ["ada", "alan", "barbara", "claude", "donald", "edsger", "frances",
         "grace", "hedy", "ivan", "john", "katherine", "leslie", "margaret",
         "niklaus", "olga", "peter", "radia", "shafi", "tim", "ursula",
         "vint", "whitfield", "xiaoyun", "yukihiro", "zhores", "søren",
         "josé", "zoë", "łukasz"]
LAST = ["lovelace", "turing", "liskov", "shannon", "knuth", "dijkstra",
        "allen", "hopper", "lamarr", "sutherland", "johnson", "lamport",
        "hamilton", "wirth", "taussky", "naur", "perlman", "goldwasser",
        "berners-lee", "martin", "cerf", "diffie", "wang", "matsumoto"]
SHARES = [["1"], ["0.5", "0.5"], ["0.6", "0.4"], ["0.25", "0.25", "0.5"],
          ["0.7", "0.3"]]

# name, vcpus, ram_mb, disk_gb, gpu alias or None, weight
FLAVORS = [
    ("m1.tiny", 1, 512, 1, None, 4),
    ("m1.small", 2, 2048, 20, None, 10),
    ("cpu-su.1", 1, 4096, 20, None, 10),
    ("cpu-su.2", 2, 8192, 20, None, 12),
    ("cpu-su.4", 4, 16384, 20, None, 10),
    ("cpu-su.8", 8, 32768, 20, None, 6),
    ("cpu-su.16", 16, 65536, 20, None, 2),
    ("mem-su.2", 2, 32768, 20, None, 3),      # RAM-heavy: 8 SUs by RAM
    ("mem-su.4", 4, 65536, 20, None, 2),
    ("mem-su.16", 16, 262144, 20, None, 1),
    ("gpu-su-a100.1", 24, 76800, 20, "a100:1", 1),
    ("gpu-su-a100.2", 48, 153600, 20, "a100:2", 1),
    ("gpu-su-v100.1", 48, 196608, 20, "v100:1", 1),
    ("gpu-su-k80.1", 6, 32768, 20, "k80:1", 1),
    ("c1.private", 2, 4096, 10, None, 0),     # not public
]
IMAGES = ["ubuntu-22.04-x86_64", "centos-9-stream-x86_64",
          "fedora-38-x86_64", "rocky-9-x86_64", "cirros-0.6.2-x86_64-disk"]


def micro(t):
    return fmt_time(t, micro=True, z=False)


def sec(t):
    return fmt_time(t)


class Rng(random.Random):
    def uuid(self):
        return str(uuid.UUID(int=self.getrandbits(128), version=4))

    def hexid(self):
        return uuid.UUID(int=self.getrandbits(128), version=4).hex


# ------------------------------------------------------------ instances


class Instance:
    """One server's whole life.  `view` holds (t, situation, flavor, host)
    changes in time order; `actions` nova's instance actions."""

    def __init__(self, world, rng, n, project, user, flavor, created):
        self.world = world
        self.n = n
        self.id = rng.uuid()
        self.name = "%s-vm-%d" % (project["name"], n)
        self.project_id = project["id"]
        self.user_id = user["id"]
        self.image = rng.choice(world.image_list)["id"]
        self.created = created
        self.host = rng.choice(world.hosts)
        self.reservation = "r-" + "".join(rng.choice(
            "abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
        self.mac = "fa:16:3e:%02x:%02x:%02x" % (
            rng.randrange(256), rng.randrange(256), rng.randrange(256))
        self.port_id = rng.uuid()
        self.view = []
        self.actions = []
        self.launched_at = None
        self.terminated_at = None
        self.flavor = flavor

    def change(self, t, situation, flavor=None, host=None):
        self.view.append((t, situation, flavor or self.flavor,
                          host if host is not None else self.host))
        if flavor is not None:
            self.flavor = flavor
        if host is not None:
            self.host = host

    def act(self, rng, t, action, error=False, user_id=None):
        """Record a nova instance action starting at second t."""
        start = t + rng.randrange(1000000) / 1e6
        evs = []
        et = start
        for name in EVENTS[action]:
            e0 = et + rng.randrange(20000, 400000) / 1e6
            et = e0 + rng.randrange(50000, 3000000) / 1e6
            evs.append({"event": name, "start_time": micro(e0),
                        "finish_time": micro(et),
                        "result": "Success", "traceback": None,
                        "host": self.host, "hostId": self.host_id(),
                        "details": None})
        if error and evs:
            evs[-1]["result"] = "Error"
            evs[-1]["traceback"] = (
                "Traceback (most recent call last):\n  File \"/usr/lib/"
                "python3/dist-packages/nova/compute/manager.py\", line 2459"
                ", in _build_and_run_instance\nnova.exception."
                "ComputeResourcesUnavailable: Insufficient compute "
                "resources.\n")
            evs[-1]["details"] = "Insufficient compute resources."
        evs.reverse()       # nova lists the newest event first
        self.actions.append({
            "action": action, "instance_uuid": self.id,
            "request_id": "req-" + rng.uuid(),
            "user_id": user_id or self.user_id,
            "project_id": self.project_id,
            "start_time": micro(start),
            "message": "Error" if error else None,
            "updated_at": micro(et), "events": evs,
            "_t": t, "_updated": et})

    def host_id(self):
        return self.world.host_ids[self.host] if self.host else ""


def live_instance(world, rng, inst, horizon, short):
    """Walk an instance through its life from its creation to horizon."""
    t = inst.created
    sit = "active"
    if rng.random() < 0.03:
        inst.act(rng, t, "create", error=True)
        inst.change(t, "error")
        sit = "error"
    else:
        inst.act(rng, t, "create")
        inst.launched_at = t + rng.randrange(1, 40)
        inst.change(t, "active")
    if short:
        # Born and gone between two polls of the collector.
        return delete_instance(rng, inst, t + rng.randrange(60, 400),
                               with_action=rng.random() < 0.8)
    mean = max(3600.0, (horizon - inst.created) / 3.0)
    prev_flavor = None
    while True:
        t = t + max(60, int(rng.expovariate(1.0 / mean)))
        if sit == "resized":
            t = min(t, inst.view[-1][0] + rng.randrange(600, DAY))
        if sit == "shelved" and rng.random() < 0.8:
            # nova offloads a shelved server soon (shelved_offload_time)
            t = inst.view[-1][0] + rng.randrange(60, 3600)
        if t >= horizon:
            return
        r = rng.random()
        if sit == "active":
            if r < 0.18:
                inst.act(rng, t, "stop")
                sit = "stopped"
            elif r < 0.30:
                choices = [f for f in world.public_flavors
                           if f is not inst.flavor]
                new = rng.choice(choices)
                if rng.random() < 0.08:
                    inst.act(rng, t, "resize", error=True)
                    sit = "error"
                    inst.change(t, sit)
                    continue
                inst.act(rng, t, "resize")
                prev_flavor = inst.flavor
                inst.change(t, "resized", flavor=new)
                sit = "resized"
                continue
            elif r < 0.38:
                inst.act(rng, t, "shelve")
                sit = "shelved"
            elif r < 0.46:
                inst.act(rng, t, "reboot")
                continue
            elif r < 0.50:
                inst.act(rng, t, "pause")
                sit = "paused"
            elif r < 0.53:
                inst.act(rng, t, "suspend")
                sit = "suspended"
            elif r < 0.55:
                inst.act(rng, t, "reboot", error=True)
                sit = "error"
            elif r < 0.60:
                return delete_instance(rng, inst, t,
                                       with_action=rng.random() < 0.9)
            else:
                continue
        elif sit == "stopped":
            if r < 0.6:
                inst.act(rng, t, "start")
                sit = "active"
            elif r < 0.75:
                inst.act(rng, t, "shelve")
                sit = "shelved"
            elif r < 0.82:
                return delete_instance(rng, inst, t,
                                       with_action=rng.random() < 0.9)
            else:
                continue
        elif sit == "resized":
            if r < 0.7:
                inst.act(rng, t, "confirmResize")
                sit = "active"
            else:
                inst.act(rng, t, "revertResize")
                inst.change(t, "active", flavor=prev_flavor)
                sit = "active"
                continue
        elif sit == "shelved":
            if r < 0.8:
                inst.act(rng, t, "shelveOffload")
                inst.change(t, "shelved_offloaded", host="")
                sit = "shelved_offloaded"
                continue
            inst.act(rng, t, "unshelve")
            sit = "active"
        elif sit == "shelved_offloaded":
            if r < 0.65:
                host = rng.choice(world.hosts)
                inst.act(rng, t, "unshelve")
                inst.change(t, "active", host=host)
                sit = "active"
                continue
            return delete_instance(rng, inst, t, with_action=True)
        elif sit in ("paused", "suspended"):
            inst.act(rng, t, "unpause" if sit == "paused" else "resume")
            sit = "active"
        elif sit == "error":
            if r < 0.6:
                return delete_instance(rng, inst, t,
                                       with_action=rng.random() < 0.7)
            continue
        inst.change(t, sit)


def delete_instance(rng, inst, t, with_action):
    """Deleted at t; some deletions leave no delete action (an admin's
    cleanup, purged action records), only terminated_at and deleted."""
    if with_action:
        inst.act(rng, t, "delete")
    inst.terminated_at = t
    inst.change(t, "deleted")


# -------------------------------------------------------------- world


class World:
    """The simulated cloud.  server.py asks it for what the APIs list."""

    simulated = True

    def __init__(self, seed, size, t_from, t_until, base="http://sim"):
        if t_until <= t_from:
            raise ValueError("--until must be after --from")
        if size < 1:
            raise ValueError("--size must be at least 1")
        self.seed, self.size = seed, size
        self.t_from, self.t_until = int(t_from), int(t_until)
        self.t0 = self.t_from - LEAD_IN
        self.base = base
        self.curl = base + "/compute"
        rng = Rng(seed)
        self.make_keystone(rng)
        self.make_compute_setup(rng)
        self.make_instances(rng)
        self.make_network(rng)
        self.make_volumes(rng)
        self.make_floating_ips(rng)
        self.index()

    # -- Keystone

    def make_keystone(self, rng):
        kbase = self.base + "/identity/v3"
        t0 = self.t0
        self.domain_list = []
        self.project_list = []
        self.user_list = []

        def domain(did, name, desc):
            d = {"id": did, "name": name, "description": desc,
                 "enabled": True, "tags": [], "options": {},
                 "links": {"self": "%s/domains/%s" % (kbase, did)}}
            self.domain_list.append(d)
            return d

        def project(name, dom, parent, desc=""):
            pid = rng.hexid()
            p = {"id": pid, "name": name, "domain_id": dom["id"],
                 "description": desc, "enabled": True,
                 "parent_id": parent, "is_domain": False, "tags": [],
                 "options": {},
                 "links": {"self": "%s/projects/%s" % (kbase, pid)}}
            self.project_list.append(p)
            return p

        def user(name, dom, email=None, default_project=None):
            uid = rng.hexid()
            u = {"id": uid, "name": name, "domain_id": dom["id"],
                 "enabled": True, "password_expires_at": None,
                 "options": {},
                 "links": {"self": "%s/users/%s" % (kbase, uid)}}
            if email:
                u = dict([("email", email)] + list(u.items()))
            if default_project:
                u["default_project_id"] = default_project
            self.user_list.append(u)
            return u

        default = domain("default", "Default", "The default domain")
        moc = domain(rng.hexid(), "moc", "Projects of the cloud")
        sso = domain(rng.hexid(), "sso", "Users who log in through their "
                     "institution")
        self.admin_project_obj = project("admin", default, "default",
                                         "Bootstrap project for "
                                         "initializing the cloud.")
        project("service", default, "default", "service project")
        admin = user("admin", default)
        self.admin_user = {"domain": {"id": "default", "name": "Default"},
                           "id": admin["id"], "name": "admin",
                           "password_expires_at": None}
        self.admin_project = {"domain": {"id": "default",
                                         "name": "Default"},
                              "id": self.admin_project_obj["id"],
                              "name": "admin"}
        self.role_list = []
        for name in ("reader", "member", "admin"):
            rid = rng.hexid()
            self.role_list.append({
                "id": rid, "name": name, "domain_id": None,
                "description": None, "options": {"immutable": True},
                "links": {"self": "%s/roles/%s" % (kbase, rid)}})
        self.roles = {r["name"]: r for r in self.role_list}
        self.admin_roles = [{"id": r["id"], "name": r["name"]}
                            for r in reversed(self.role_list)]

        # Institutions: the cloud's operator, then partners.
        n_inst = min(50, max(3, self.size // 200))
        self.institutions = [{"name": "Mass Open Cloud", "code": "MOC",
                              "domain": "massopen.example.org"}]
        for i in range(n_inst):
            if i < len(INSTITUTIONS):
                name, code, dom = INSTITUTIONS[i]
            else:
                name, code, dom = ("Partner Institute %d" % (i + 1),
                                   "PI%03d" % (i + 1), "partner%d" % (i + 1))
            self.institutions.append({"name": name, "code": code,
                                      "domain": dom + ".example.edu"})
        for inst in self.institutions:
            inst["id"] = rng.hexid()

        # The project tree: MOC (depth 0) > an institution's project (1) >
        # department (2) > lab (3) > group (4) > course or sub-project (5).
        n_proj = max(8, self.size // 2)
        root = project("MOC", moc, moc["id"], "The whole cloud")
        self.root = root
        depth = {root["id"]: 0}
        self.tree = [root]
        self.funding = {root["id"]: [(self.institutions[0], "1")]}
        partners = self.institutions[1:]
        tops = []
        for inst in partners:
            p = project(inst["code"], moc, root["id"], inst["name"])
            depth[p["id"]] = 1
            tops.append(p)
            self.tree.append(p)
            self.funding[p["id"]] = [(inst, "1")]
        self.owner = {p["id"]: i for p, i in zip(tops, partners)}
        kinds = ["dept", "lab", "group", "course"]
        while len(self.tree) < n_proj + 1:
            parent = rng.choice(self.tree[1:])
            d = depth[parent["id"]]
            if d >= 5:
                continue
            name = "%s-%s%d" % (parent["name"].split("-")[0].lower()
                                if d == 1 else parent["name"],
                                kinds[min(d - 1, 3)], len(self.tree))
            p = project(name, moc, parent["id"],
                        "%s of %s" % (kinds[min(d - 1, 3)], parent["name"]))
            depth[p["id"]] = d + 1
            self.owner[p["id"]] = self.owner[parent["id"]]
            self.tree.append(p)
            if rng.random() < 0.1:
                # jointly funded by its own institution and others
                split = rng.choice(SHARES[1:])
                others = rng.sample(partners, len(split))
                if self.owner[p["id"]] not in others:
                    others[0] = self.owner[p["id"]]
                self.funding[p["id"]] = list(zip(others, split))
        self.depth = depth
        self.leafy = [p for p in self.tree if depth[p["id"]] >= 2] or \
            self.tree[1:]

        # Users, with e-mail at their institution (some at a webmail
        # provider: their institution is set by hand).
        n_users = max(8, 2 * self.size)
        self.members = {}
        self.user_inst = {}
        self.explicit_inst = {}
        self.assignment_list = [self.assignment(admin, self.admin_project_obj,
                                                "admin")]
        for i in range(n_users):
            p = rng.choice(self.leafy)
            inst = self.owner[p["id"]]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if rng.random() < 0.05:
                dom = "mail.example.com"
                self.explicit_inst[i] = inst
            else:
                dom = inst["domain"]
                if rng.random() < 0.03:      # moved: explicit beats derived
                    self.explicit_inst[i] = rng.choice(partners)
            email = "%s.%s%d@%s" % (first, last, i, dom)
            u = user(email, sso, email, p["id"] if rng.random() < 0.5
                     else None)
            self.user_inst[u["id"]] = self.explicit_inst.get(i, inst)
            if i in self.explicit_inst:
                self.explicit_inst[u["id"]] = self.explicit_inst.pop(i)
            self.members.setdefault(p["id"], []).append(u)
            self.assignment_list.append(self.assignment(u, p, "member"))
            if rng.random() < 0.2:
                q = rng.choice(self.leafy)
                self.members.setdefault(q["id"], []).append(u)
                self.assignment_list.append(self.assignment(u, q, "member"))
        self.pi = {}
        for p in self.tree:
            ms = self.members.get(p["id"])
            if ms:
                self.pi[p["id"]] = ms[0]
        self.projects_by_id = {p["id"]: p for p in self.project_list}
        self.region_list = [{"id": "RegionOne", "description": "",
                             "parent_region_id": None,
                             "links": {"self": kbase + "/regions/RegionOne"}}]

    def assignment(self, u, p, role):
        r = self.roles[role]
        return {"links": {"assignment": "%s/identity/v3/projects/%s/users/%s/"
                          "roles/%s" % (self.base, p["id"], u["id"],
                                        r["id"])},
                "scope": {"project": {"id": p["id"]}},
                "user": {"id": u["id"]}, "role": {"id": r["id"]}}

    # -- flavors, hosts, images

    def make_compute_setup(self, rng):
        self.flavor_list = []
        self.flavors_by_id = {}
        for name, vcpus, ram, disk, gpu, weight in FLAVORS:
            fid = rng.uuid()
            specs = {}
            if gpu:
                specs["pci_passthrough:alias"] = gpu
            if name.startswith("mem-"):
                specs["hw:mem_page_size"] = "large"
            f = {"id": fid, "name": name, "ram": ram, "disk": disk,
                 "swap": "", "OS-FLV-EXT-DATA:ephemeral": 0,
                 "OS-FLV-DISABLED:disabled": False, "vcpus": vcpus,
                 "os-flavor-access:is_public": weight > 0,
                 "rxtx_factor": 1.0,
                 "links": [{"rel": "self", "href": "%s/v2.1/flavors/%s"
                            % (self.curl, fid)},
                           {"rel": "bookmark", "href": "%s/flavors/%s"
                            % (self.curl, fid)}],
                 "description": None, "extra_specs": specs,
                 "_weight": weight,
                 "_gpu": (gpu.split(":")[0], int(gpu.split(":")[1]))
                 if gpu else (None, 0)}
            self.flavor_list.append(f)
            self.flavors_by_id[fid] = f
        self.public_flavors = [f for f in self.flavor_list if f["_weight"]]
        self.flavor_weights = [f["_weight"] for f in self.public_flavors]
        n_hosts = max(2, self.size // 40)
        self.hosts = ["compute-%03d" % i for i in range(n_hosts)]
        self.host_ids = {h: "%056x" % rng.getrandbits(224)
                         for h in self.hosts}
        self.host_ids[""] = ""
        self.hypervisor_list = [{
            "id": rng.uuid(), "hypervisor_hostname": h, "state": "up",
            "status": "enabled", "hypervisor_type": "QEMU",
            "hypervisor_version": 6002000, "host_ip": "10.0.%d.%d"
            % (i // 250, i % 250 + 1),
            "service": {"id": rng.uuid(), "host": h,
                        "disabled_reason": None},
            "uptime": None} for i, h in enumerate(self.hosts)]
        self.image_list = []
        for name in IMAGES:
            iid = rng.uuid()
            self.image_list.append({
                "status": "active", "name": name, "tags": [],
                "container_format": "bare",
                "created_at": sec(self.t0 - 90 * DAY),
                "disk_format": "qcow2",
                "updated_at": sec(self.t0 - 90 * DAY),
                "visibility": "public", "self": "/v2/images/" + iid,
                "min_disk": 0, "protected": False, "id": iid,
                "file": "/v2/images/%s/file" % iid,
                "checksum": "%032x" % rng.getrandbits(128),
                "os_hash_algo": "sha512",
                "os_hash_value": "%0128x" % rng.getrandbits(512),
                "os_hidden": False,
                "owner": self.admin_project_obj["id"],
                "size": rng.randrange(10 ** 8, 10 ** 9), "min_ram": 0,
                "schema": "/v2/schemas/image", "virtual_size": None})

    # -- instances

    def make_instances(self, rng):
        self.instances = []
        horizon = self.t_until
        span_lead = self.t_from - self.t0
        span_win = self.t_until - self.t_from
        for n in range(self.size):
            if rng.random() < 0.6:
                created = self.t0 + rng.randrange(span_lead)
            else:
                created = self.t_from + rng.randrange(span_win)
            short = rng.random() < 0.03
            if short:
                # start early in a poll interval so that the whole short
                # life falls between two polls
                created = created - created % POLL + rng.randrange(0, 300)
            p = rng.choice(self.leafy)
            users = self.members.get(p["id"]) or [self.user_list[0]]
            u = rng.choice(users)
            f = rng.choices(self.public_flavors, self.flavor_weights)[0]
            inst = Instance(self, rng, n, p, u, f, created)
            live_instance(self, rng, inst, horizon, short)
            self.instances.append(inst)

    # -- network

    def make_network(self, rng):
        self.networks, self.subnets, self.routers = [], [], []
        self.net_ports = []
        admin_p = self.admin_project_obj["id"]
        t = sec(self.t0 - 60 * DAY)
        self.ext_net = rng.uuid()
        self.ext_subnet = rng.uuid()
        self.networks.append(self.network_body(
            self.ext_net, "public", admin_p, [self.ext_subnet], True, t,
            rng))
        self.subnets.append(self.subnet_body(
            self.ext_subnet, "public-subnet", admin_p, self.ext_net,
            "203.0.113.0/24", t))
        used = []
        seen = set()
        for inst in self.instances:
            if inst.project_id not in seen:
                seen.add(inst.project_id)
                used.append(inst.project_id)
        self.project_net = {}
        for i, pid in enumerate(used):
            net, sub, rtr = rng.uuid(), rng.uuid(), rng.uuid()
            name = self.project_name(pid)
            cidr = "10.%d.%d.0/24" % (i // 256, i % 256)
            self.networks.append(self.network_body(
                net, name + "-net", pid, [sub], False, t, rng))
            self.subnets.append(self.subnet_body(
                sub, name + "-subnet", pid, net, cidr, t))
            self.routers.append({
                "id": rtr, "name": name + "-router", "tenant_id": pid,
                "admin_state_up": True, "status": "ACTIVE",
                "external_gateway_info": {
                    "network_id": self.ext_net,
                    "external_fixed_ips": [{"subnet_id": self.ext_subnet,
                                            "ip_address": "203.0.113.1"}],
                    "enable_snat": True},
                "description": "", "availability_zones": ["nova"],
                "distributed": False, "ha": False,
                "availability_zone_hints": [], "routes": [],
                "flavor_id": None, "tags": [], "created_at": t,
                "updated_at": t, "revision_number": 3, "project_id": pid})
            self.net_ports.append(self.port_body(
                rng.uuid(), net, sub, pid, rtr, "network:router_interface",
                "10.%d.%d.1" % (i // 256, i % 256),
                "fa:16:3e:%06x" % rng.getrandbits(24), t, t, ""))
            self.project_net[pid] = (net, sub, i)

    def network_body(self, nid, name, pid, subnets, external, t, rng):
        return {"id": nid, "name": name, "tenant_id": pid,
                "admin_state_up": True, "mtu": 1450 if not external
                else 1500, "status": "ACTIVE", "subnets": subnets,
                "shared": external, "availability_zone_hints": [],
                "availability_zones": ["nova"], "ipv4_address_scope": None,
                "ipv6_address_scope": None, "router:external": external,
                "description": "", "port_security_enabled": True,
                "tags": [], "created_at": t, "updated_at": t,
                "revision_number": 2, "project_id": pid,
                "provider:network_type": "flat" if external else "vxlan",
                "provider:physical_network": "public" if external else None,
                "provider:segmentation_id": None if external
                else rng.randrange(1, 16000)}

    def subnet_body(self, sid, name, pid, net, cidr, t):
        prefix = cidr.rsplit(".", 1)[0]
        return {"id": sid, "name": name, "tenant_id": pid,
                "network_id": net, "ip_version": 4, "subnetpool_id": None,
                "enable_dhcp": True, "ipv6_ra_mode": None,
                "ipv6_address_mode": None, "gateway_ip": prefix + ".1",
                "cidr": cidr, "allocation_pools": [
                    {"start": prefix + ".2", "end": prefix + ".254"}],
                "host_routes": [], "dns_nameservers": [], "description": "",
                "service_types": [], "tags": [], "created_at": t,
                "updated_at": t, "revision_number": 0, "project_id": pid}

    def port_body(self, pid_, net, sub, proj, device, owner, ip, mac, t, u,
                  host):
        return {"id": pid_, "name": "", "network_id": net,
                "tenant_id": proj, "mac_address": mac,
                "admin_state_up": True, "status": "ACTIVE",
                "device_id": device, "device_owner": owner,
                "fixed_ips": [{"subnet_id": sub, "ip_address": ip}],
                "allowed_address_pairs": [], "extra_dhcp_opts": [],
                "security_groups": [], "description": "",
                "binding:vnic_type": "normal", "binding:profile": {},
                "binding:host_id": host, "binding:vif_type": "ovs",
                "binding:vif_details": {}, "port_security_enabled": True,
                "tags": [], "created_at": t, "updated_at": u,
                "revision_number": 2, "project_id": proj}

    def project_name(self, pid):
        return self.projects_by_id[pid]["name"]

    # -- volumes

    def make_volumes(self, rng):
        self.volume_objs = []
        for inst in self.instances:
            if rng.random() >= 0.5:
                continue
            v = {"id": rng.uuid(), "project_id": inst.project_id,
                 "user_id": inst.user_id,
                 "name": "%s-data" % inst.name,
                 "sizes": [], "attach": None, "deleted": None,
                 "type": "ceph" if rng.random() < 0.8 else "ceph-ssd",
                 "snap": None}
            created = inst.created + rng.randrange(60, 3 * DAY)
            end = inst.terminated_at if inst.terminated_at is not None \
                else None
            if end is not None and created >= end:
                created = inst.created + 30
            v["created"] = created
            size = rng.choice([1, 10, 20, 50, 100, 500])
            v["sizes"].append((created, size))
            if rng.random() < 0.15:
                te = created + rng.randrange(3600, 20 * DAY)
                if te < self.t_until and (end is None or te < end):
                    v["sizes"].append((te, size * 2))
            if inst.launched_at is not None and rng.random() < 0.8:
                ta = created + rng.randrange(10, 600)
                if end is None or ta < end:
                    td = end
                    if td is None and rng.random() < 0.2:
                        td = ta + rng.randrange(3600, 10 * DAY)
                    v["attach"] = (inst, ta, td, rng.uuid(),
                                   "/dev/vd" + "bcd"[rng.randrange(3)])
            last = v["attach"][2] if v["attach"] else created
            if last is not None and rng.random() < 0.4:
                v["deleted"] = max(last, v["sizes"][-1][0]) + \
                    rng.randrange(60, 5 * DAY)
            if rng.random() < 0.1:
                v["snap"] = (rng.uuid(), created + rng.randrange(600, DAY))
            self.volume_objs.append(v)
        self.type_list = []
        for name in ("ceph", "ceph-ssd"):
            tid = rng.uuid()
            self.type_list.append({
                "id": tid, "name": name, "is_public": True,
                "description": "%s backend" % name,
                "extra_specs": {"volume_backend_name": name},
                "qos_specs_id": None, "os-volume-type-access:is_public":
                True})

    # -- floating IPs

    def make_floating_ips(self, rng):
        self.fips = []
        for inst in self.instances:
            if inst.launched_at is None or rng.random() >= 0.2:
                continue
            alloc = inst.created + rng.randrange(30, DAY)
            if inst.terminated_at is not None and \
                    alloc >= inst.terminated_at:
                continue
            release = None
            if inst.terminated_at is not None and rng.random() < 0.7:
                release = inst.terminated_at + rng.randrange(0, 2 * DAY)
            elif rng.random() < 0.15:
                release = alloc + rng.randrange(3600, 20 * DAY)
            n = len(self.fips)
            self.fips.append({
                "id": rng.uuid(), "inst": inst, "alloc": alloc,
                "release": release,
                "address": "198.18.%d.%d" % (n // 250 % 256, n % 250 + 2)})

    # -- indexes for the server

    def index(self):
        self.inst_by_id = {i.id: i for i in self.instances}
        self.attach_by_inst = {}
        for v in self.volume_objs:
            if v["attach"]:
                self.attach_by_inst.setdefault(v["attach"][0].id,
                                               []).append(v)
        self.fip_by_inst = {}
        for f in self.fips:
            self.fip_by_inst.setdefault(f["inst"].id, []).append(f)
        for inst in self.instances:
            inst.view_t = [v[0] for v in inst.view]
            inst.action_t = [a["_t"] for a in inst.actions]

    # ------------------------------------------------ what the APIs list

    def now(self):
        return self.t_until

    def keystone_list(self, kind, now):
        return {"domains": self.domain_list, "projects": self.project_list,
                "users": self.user_list, "regions": self.region_list,
                "roles": self.role_list, "groups": []}[kind]

    def role_assignments(self, now, names, effective):
        if not names:
            return self.assignment_list
        roles = {r["id"]: r for r in self.role_list}
        users = {u["id"]: u for u in self.user_list}
        doms = {d["id"]: d for d in self.domain_list}
        out = []
        for a in self.assignment_list:
            p = self.projects_by_id[a["scope"]["project"]["id"]]
            u = users[a["user"]["id"]]
            out.append({
                "links": a["links"],
                "scope": {"project": {
                    "domain": {"id": p["domain_id"],
                               "name": doms[p["domain_id"]]["name"]},
                    "id": p["id"], "name": p["name"]}},
                "user": {"domain": {"id": u["domain_id"],
                                    "name": doms[u["domain_id"]]["name"]},
                         "id": u["id"], "name": u["name"]},
                "role": {"id": a["role"]["id"],
                         "name": roles[a["role"]["id"]]["name"]}})
        return out

    def flavors(self, now):
        return [{k: v for k, v in f.items() if not k.startswith("_")}
                for f in self.flavor_list]

    def hypervisors(self, now):
        """Hypervisors with the usage figures Nova drops from 2.88 on."""
        used = {h: [0, 0, 0, 0] for h in self.hosts}
        for inst in self.instances:
            if inst.created > now:
                continue
            t, sit, flavor, host = self.state_at(inst, now)
            if sit in ("deleted", "shelved_offloaded") or not host:
                continue
            u = used[host]
            u[0] += flavor["vcpus"]
            u[1] += flavor["ram"]
            u[2] += flavor["disk"]
            u[3] += 1
        out = []
        for h in self.hypervisor_list:
            vc, ram, disk, n = used[h["hypervisor_hostname"]]
            out.append(dict(h, _legacy={
                "cpu_info": {"arch": "x86_64", "model": "EPYC-Rome",
                             "vendor": "AMD", "features": [],
                             "topology": {"cores": 32, "threads": 2,
                                          "sockets": 2}},
                "current_workload": 0, "disk_available_least": 4000 - disk,
                "free_disk_gb": 4000 - disk,
                "free_ram_mb": 1048576 - ram, "local_gb": 4000,
                "local_gb_used": disk, "memory_mb": 1048576,
                "memory_mb_used": ram, "running_vms": n, "vcpus": 128,
                "vcpus_used": vc}))
        return out

    def images(self, now):
        return self.image_list

    def servers(self, now):
        rows = []
        for inst in self.instances:
            if inst.created > now:
                continue
            rows.append(SimServerRow(self, inst, now))
        rows.sort(key=lambda r: (r.created, r.id), reverse=True)
        return rows

    def state_at(self, inst, now):
        i = bisect.bisect_right(inst.view_t, now) - 1
        return inst.view[max(i, 0)]

    def server_body(self, inst, now):
        t, sit, flavor, host = self.state_at(inst, now)
        status, vm_state, power, on_host = VIEW[sit]
        deleted = sit == "deleted"
        acts = inst.actions[:bisect.bisect_right(inst.action_t, now)]
        updated = max([inst.created] + [int(a["_updated"]) for a in acts] +
                      [t])
        net = self.project_net.get(inst.project_id)
        addresses = {}
        if net and not deleted:
            name = self.project_name(inst.project_id) + "-net"
            addrs = [{"version": 4, "addr": self.fixed_ip(inst),
                      "OS-EXT-IPS:type": "fixed",
                      "OS-EXT-IPS-MAC:mac_addr": inst.mac}]
            for f in self.fip_by_inst.get(inst.id, []):
                if self.fip_attached(f, now):
                    addrs.append({"version": 4, "addr": f["address"],
                                  "OS-EXT-IPS:type": "floating",
                                  "OS-EXT-IPS-MAC:mac_addr": inst.mac})
            addresses[name] = addrs
        vols = []
        if not deleted:
            for v in self.attach_by_inst.get(inst.id, []):
                if self.attached(v, now):
                    vols.append({"id": v["id"],
                                 "delete_on_termination": False})
        h = host if on_host and host else None
        hid = self.host_ids.get(host or "", "") if on_host else ""
        body = {
            "id": inst.id, "name": inst.name, "status": status,
            "tenant_id": inst.project_id, "user_id": inst.user_id,
            "metadata": {}, "hostId": hid,
            "image": {"id": inst.image, "links": [{
                "rel": "bookmark",
                "href": "%s/images/%s" % (self.curl, inst.image)}]},
            "flavor": {"vcpus": flavor["vcpus"], "ram": flavor["ram"],
                       "disk": flavor["disk"], "ephemeral": 0, "swap": 0,
                       "original_name": flavor["name"],
                       "extra_specs": dict(flavor["extra_specs"])},
            "created": sec(inst.created), "updated": sec(updated),
            "addresses": addresses, "accessIPv4": "", "accessIPv6": "",
            "links": [{"rel": "self", "href": "%s/v2.1/servers/%s"
                       % (self.curl, inst.id)},
                      {"rel": "bookmark", "href": "%s/servers/%s"
                       % (self.curl, inst.id)}],
            "OS-DCF:diskConfig": "MANUAL", "progress": 0,
            "OS-EXT-AZ:availability_zone": "nova", "config_drive": "",
            "key_name": None,
            "OS-SRV-USG:launched_at": micro(inst.launched_at)
            if inst.launched_at is not None and
            inst.launched_at <= now else None,
            "OS-SRV-USG:terminated_at": micro(inst.terminated_at)
            if deleted else None,
            "OS-EXT-SRV-ATTR:host": h,
            "OS-EXT-SRV-ATTR:instance_name": "instance-%08x" % (inst.n + 1),
            "OS-EXT-SRV-ATTR:hypervisor_hostname": h,
            "OS-EXT-SRV-ATTR:reservation_id": inst.reservation,
            "OS-EXT-SRV-ATTR:launch_index": 0,
            "OS-EXT-SRV-ATTR:hostname": inst.name,
            "OS-EXT-SRV-ATTR:kernel_id": "",
            "OS-EXT-SRV-ATTR:ramdisk_id": "",
            "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
            "OS-EXT-SRV-ATTR:user_data": None,
            "OS-EXT-STS:task_state": None,
            "OS-EXT-STS:vm_state": vm_state,
            "OS-EXT-STS:power_state": power,
            "os-extended-volumes:volumes_attached": vols,
            "locked": False, "locked_reason": None, "description": None,
            "tags": [], "trusted_image_certificates": None,
            "host_status": "UP" if h else "",
        }
        if not deleted:
            body["security_groups"] = [{"name": "default"}]
        return body, flavor["id"], deleted, updated

    def fixed_ip(self, inst):
        i = self.project_net[inst.project_id][2]
        return "10.%d.%d.%d" % (i // 256, i % 256, inst.n % 250 + 3)

    def actions(self, server_id, now):
        inst = self.inst_by_id.get(server_id)
        if inst is None:
            return []
        acts = inst.actions[:bisect.bisect_right(inst.action_t, now)]
        return [{k: v for k, v in a.items() if not k.startswith("_")}
                for a in reversed(acts)]

    def usage(self, start, end, now):
        """os-simple-tenant-usage as nova computes it: launched to
        terminated (stopped and shelved time included), the flavor of the
        moment asked, the window cut at now."""
        stop = min(end, now)
        rows = []
        if stop <= start:
            return rows, micro(max(stop, start))
        for inst in self.instances:
            la = inst.launched_at
            if la is None or la > now or la >= stop:
                continue
            te = inst.terminated_at if inst.terminated_at is not None and \
                inst.terminated_at <= now else None
            if te is not None and te < start:
                continue
            a, b = max(la, start), min(te if te is not None else stop, stop)
            t, sit, flavor, host = self.state_at(inst, now)
            rows.append({
                "hours": max(0, b - a) / 3600.0, "flavor": flavor["name"],
                "instance_id": inst.id, "name": inst.name,
                "tenant_id": inst.project_id, "memory_mb": flavor["ram"],
                "local_gb": flavor["disk"], "vcpus": flavor["vcpus"],
                "started_at": micro(la),
                "ended_at": micro(te) if te is not None else None,
                "state": "terminated" if te is not None else VIEW[sit][1],
                "uptime": int((te if te is not None else now) - la)})
        rows.sort(key=lambda u: (u["tenant_id"], u["instance_id"]))
        return rows, micro(stop)

    # -- network at an instant

    def fip_attached(self, f, now):
        inst = f["inst"]
        if now < f["alloc"] or (f["release"] is not None and
                                now >= f["release"]):
            return False
        return inst.terminated_at is None or now < inst.terminated_at

    def neutron_list(self, kind, now):
        if kind == "networks":
            return self.networks
        if kind == "subnets":
            return self.subnets
        if kind == "routers":
            return self.routers
        if kind == "security_groups":
            return []
        if kind == "ports":
            out = list(self.net_ports)
            for inst in self.instances:
                if inst.created > now or (inst.terminated_at is not None and
                                          inst.terminated_at <= now):
                    continue
                net = self.project_net.get(inst.project_id)
                if not net:
                    continue
                _, _, _, host = self.state_at(inst, now)
                out.append(self.port_body(
                    inst.port_id, net[0], net[1], inst.project_id, inst.id,
                    "compute:nova", self.fixed_ip(inst), inst.mac,
                    sec(inst.created), sec(inst.created), host or ""))
            return out
        if kind == "floatingips":
            out = []
            for f in self.fips:
                if now < f["alloc"] or (f["release"] is not None and
                                        now >= f["release"]):
                    continue
                inst = f["inst"]
                on = self.fip_attached(f, now)
                rtr = self.router_of(inst.project_id) if on else None
                changed = f["alloc"]
                if not on and inst.terminated_at is not None:
                    changed = inst.terminated_at
                out.append({
                    "id": f["id"], "tenant_id": inst.project_id,
                    "floating_ip_address": f["address"],
                    "floating_network_id": self.ext_net,
                    "router_id": rtr,
                    "port_id": inst.port_id if on else None,
                    "fixed_ip_address": self.fixed_ip(inst) if on else None,
                    "status": "ACTIVE" if on else "DOWN",
                    "description": "", "tags": [],
                    "created_at": sec(f["alloc"]),
                    "updated_at": sec(changed), "revision_number": 1,
                    "project_id": inst.project_id})
            return out
        raise KeyError(kind)

    def router_of(self, pid):
        if not hasattr(self, "_router_by_project"):
            self._router_by_project = {r["project_id"]: r["id"]
                                       for r in self.routers}
        return self._router_by_project.get(pid)

    # -- block storage at an instant

    def attached(self, v, now):
        a = v["attach"]
        return a is not None and a[1] <= now and (a[2] is None or
                                                  now < a[2])

    def volume_size(self, v, now):
        size = v["sizes"][0][1]
        changed = v["sizes"][0][0]
        for t, s in v["sizes"]:
            if t <= now:
                size, changed = s, t
        return size, changed

    def volumes(self, now):
        out = []
        vbase = "%s/volume/v3/%s" % (self.base, self.admin_project["id"])
        for v in self.volume_objs:
            if v["created"] > now or (v["deleted"] is not None and
                                      v["deleted"] <= now):
                continue
            size, changed = self.volume_size(v, now)
            on = self.attached(v, now)
            atts = []
            if on:
                inst, ta, _, aid, dev = v["attach"]
                _, _, _, host = self.state_at(inst, now)
                atts.append({"id": v["id"], "attachment_id": aid,
                             "volume_id": v["id"], "server_id": inst.id,
                             "host_name": host or None, "device": dev,
                             "attached_at": micro(ta)})
                changed = max(changed, ta)
            elif v["attach"] and v["attach"][2] is not None:
                changed = max(changed, v["attach"][2])
            out.append({
                "id": v["id"], "status": "in-use" if on else "available",
                "size": size, "availability_zone": "nova",
                "created_at": micro(v["created"]),
                "updated_at": micro(changed), "name": v["name"],
                "description": None, "volume_type": v["type"],
                "snapshot_id": None, "source_volid": None, "metadata": {},
                "links": [{"rel": "self", "href": "%s/volumes/%s"
                           % (vbase, v["id"])},
                          {"rel": "bookmark", "href": "%s/%s/volumes/%s" % (
                              self.base + "/volume",
                              self.admin_project["id"], v["id"])}],
                "user_id": v["user_id"], "bootable": "false",
                "encrypted": False, "replication_status": None,
                "consistencygroup_id": None, "multiattach": False,
                "attachments": atts, "migration_status": None,
                "group_id": None, "provider_id": None,
                "shared_targets": False, "service_uuid": None,
                "os-vol-tenant-attr:tenant_id": v["project_id"],
                "os-vol-mig-status-attr:migstat": None,
                "os-vol-mig-status-attr:name_id": None,
                "os-vol-host-attr:host": "volume-1@ceph#ceph"})
        out.sort(key=lambda v: (v["created_at"], v["id"]), reverse=True)
        return out

    def snapshots(self, now):
        out = []
        for v in self.volume_objs:
            if not v["snap"] or v["snap"][1] > now or (
                    v["deleted"] is not None and v["deleted"] <= now):
                continue
            sid, t = v["snap"]
            out.append({
                "created_at": micro(t), "description": None, "id": sid,
                "metadata": {}, "name": v["name"] + "-snap",
                "os-extended-snapshot-attributes:progress": "100%",
                "os-extended-snapshot-attributes:project_id":
                v["project_id"], "size": v["sizes"][0][1],
                "status": "available", "updated_at": micro(t + 5),
                "volume_id": v["id"]})
        out.sort(key=lambda s: (s["created_at"], s["id"]), reverse=True)
        return out

    def volume_types(self, now):
        return self.type_list

    def attachments(self, now):
        from server import attachments_of
        return attachments_of(self.volumes(now))

    # ------------------------------------------------ outputs

    def truth(self):
        """The ground truth records, in a stable order."""
        lo, hi = self.t_from, self.t_until
        yield {"type": "truth_meta", "seed": self.seed, "size": self.size,
               "from": sec(lo), "until": sec(hi), "lead_in_from":
               sec(self.t0), "instances": len(self.instances),
               "volumes": len(self.volume_objs),
               "floating_ips": len(self.fips)}
        for inst in self.instances:
            for rec in self.instance_truth(inst, lo, hi):
                yield rec
        for v in self.volume_objs:
            end = v["deleted"] if v["deleted"] is not None else hi
            sizes = v["sizes"]
            for i, (t, size) in enumerate(sizes):
                t2 = sizes[i + 1][0] if i + 1 < len(sizes) else end
                a, b = max(t, lo), min(t2, end, hi)
                if a < b:
                    yield {"type": "truth_volume", "volume_id": v["id"],
                           "project_id": v["project_id"], "size_gb": size,
                           "start": sec(a), "end": sec(b), "seconds": b - a}
        for f in self.fips:
            end = f["release"] if f["release"] is not None else hi
            a, b = max(f["alloc"], lo), min(end, hi)
            if a < b:
                yield {"type": "truth_floating_ip", "floating_ip_id":
                       f["id"], "project_id": f["inst"].project_id,
                       "start": sec(a), "end": sec(b), "seconds": b - a}

    def instance_truth(self, inst, lo, hi):
        segs = []
        for t, sit, flavor, host in inst.view:
            key = (TRUTH_STATE[sit], flavor["id"])
            if segs and segs[-1][1] == key:
                continue
            if segs and segs[-1][0] == t:
                segs[-1] = (t, key, flavor)     # two changes in one second
                continue
            segs.append((t, key, flavor))
        for i, (t, (state, fid), flavor) in enumerate(segs):
            t2 = segs[i + 1][0] if i + 1 < len(segs) else hi
            a, b = max(t, lo), min(t2, hi)
            if a >= b:
                continue
            alias, gpus = self.flavors_by_id[fid]["_gpu"]
            yield {"type": "truth_interval", "instance_id": inst.id,
                   "project_id": inst.project_id, "user_id": inst.user_id,
                   "state": state, "flavor_id": fid,
                   "flavor_name": flavor["name"], "vcpus": flavor["vcpus"],
                   "ram_mb": flavor["ram"], "disk_gb": flavor["disk"],
                   "gpu_count": gpus, "gpu_alias": alias,
                   "start": sec(a), "end": sec(b), "seconds": b - a}

    def admin_records(self):
        """The administrator's institution file (spec.md's records)."""
        vf = sec(self.t0)
        for inst in self.institutions:
            yield {"type": "institution", "id": inst["id"],
                   "name": inst["name"], "code": inst["code"],
                   "invoice_email": "billing@" + inst["domain"],
                   "invoice_address": "%s, Accounts Payable" % inst["name"]}
        for inst in self.institutions:
            yield {"type": "email_domain_institution", "id": inst["domain"],
                   "domain": inst["domain"], "institution_id": inst["id"]}
        for u in self.user_list:
            inst = self.explicit_inst.get(u["id"])
            if inst is not None:
                yield {"type": "user_institution", "id": u["id"],
                       "user_id": u["id"], "institution_id": inst["id"],
                       "valid_from": vf}
        for p in self.tree:
            for inst, share in self.funding.get(p["id"], []):
                yield {"type": "project_institution",
                       "id": "%s:%s" % (p["id"], inst["id"]),
                       "project_id": p["id"], "institution_id": inst["id"],
                       "share": share, "valid_from": vf}
        for p in self.tree:
            pi = self.pi.get(p["id"])
            yield {"type": "project_attr", "id": p["id"],
                   "project_id": p["id"],
                   "pi": pi["email"] if pi else None,
                   "allocation_name": p["name"]}


class SimServerRow:
    """What server.py's listings need of a server; the body is built only
    for servers that land on a page."""

    __slots__ = ("world", "inst", "now", "id", "created", "project_id",
                 "deleted", "updated", "_body", "flavor_id")

    def __init__(self, world, inst, now):
        self.world = world
        self.inst = inst
        self.now = now
        self.id = inst.id
        self.created = inst.created
        self.project_id = inst.project_id
        t, sit, flavor, host = world.state_at(inst, now)
        self.deleted = sit == "deleted"
        self.flavor_id = flavor["id"]
        k = bisect.bisect_right(inst.action_t, now)
        last = int(inst.actions[k - 1]["_updated"]) if k else inst.created
        self.updated = max(inst.created, last, t)
        self._body = None

    @property
    def body(self):
        if self._body is None:
            self._body = self.world.server_body(self.inst, self.now)[0]
        return self._body


def write_jsonl(path, records):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
    os.rename(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="simulate.py",
        description="Deterministic sample-cloud simulator "
        "(tests/cloud/README).")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", type=int, default=100,
                    help="instances created over the simulated history")
    ap.add_argument("--from", dest="t_from", default="2024-01-01T00:00:00Z")
    ap.add_argument("--until", dest="t_until",
                    default="2024-02-01T00:00:00Z")
    ap.add_argument("--out", required=True,
                    help="folder for truth.jsonl and admin.jsonl")
    args = ap.parse_args(argv)
    try:
        w = World(args.seed, args.size, parse_time(args.t_from),
                  parse_time(args.t_until))
    except ValueError as e:
        ap.error(str(e))        # exits 2, like the suite's usage errors
    os.makedirs(args.out, exist_ok=True)
    write_jsonl(os.path.join(args.out, "truth.jsonl"), w.truth())
    write_jsonl(os.path.join(args.out, "admin.jsonl"), w.admin_records())
    return 0


if __name__ == "__main__":
    sys.exit(main())
