#!/usr/bin/env python3
"""A loopback OpenStack test cloud (test-only code, Python 3 standard library).

Serves Keystone v3, Nova, Neutron, Cinder v3 and a minimal Glance on one
ephemeral port of 127.0.0.1, closely enough that os-fetch and the real
python3-openstackclient work against it.  Two sources of data:

  fixture mode (default): the responses recorded from a real OpenStack Zed
      (tests/data/openstack-zed-recorded), paged and filtered the way the
      real services page and filter them;
  simulator mode (--simulate): the cloud made by simulate.py as of a
      simulated instant that a test moves with POST /_control/time.

Every API request is appended to --log as "METHOD TARGET STATUS", faults are
injected on demand through /_control/faults or --fault, and the base URL is
printed on stdout and written to --url-file once the socket listens.
See tests/cloud/README for the whole interface.
"""

import argparse
import copy
import datetime
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ZED_DIR = os.path.join(HERE, "..", "data", "openstack-zed-recorded")
UPSTREAM_DIR = os.path.join(HERE, "..", "data", "openstack")

NOVA_MIN, NOVA_MAX = (2, 1), (2, 93)        # Zed's compute API range
CINDER_MIN, CINDER_MAX = (3, 0), (3, 70)    # Zed's block-storage API range
NOVA_MAX_LIMIT = 1000                        # osapi_max_limit
CINDER_MAX_LIMIT = 1000
KEYSTONE_TOKEN_HOURS = 4

# Host:port prefixes the recorded Zed cloud wrote into its bodies, and the
# path each service has on this server (devstack's layout: one host, one
# path per service).
RECORDED_PREFIXES = [
    ("http://127.0.0.1:5000/v3", "/identity/v3"),
    ("http://127.0.0.1:8774", "/compute"),
    ("http://127.0.0.1:9696", "/network"),
    ("http://127.0.0.1:8776", "/volume"),
    ("http://127.0.0.1:9292", "/image"),
    ("http://127.0.0.1:8778", "/placement"),
]
INTERFACES = ("public", "internal", "admin")


# ---------------------------------------------------------------- times


def parse_time(s):
    """Seconds since the epoch of every time form OpenStack writes."""
    if s is None:
        return None
    s = s.strip().replace(" ", "T")
    if s.endswith("Z"):
        s = s[:-1]
    if len(s) > 6 and (s[-6] in "+-") and s[-3] == ":":
        s = s[:-6]          # only UTC offsets +00:00 appear in practice
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            d = datetime.datetime.strptime(s, fmt)
            return d.replace(tzinfo=datetime.timezone.utc).timestamp()
        except ValueError:
            pass
    raise ValueError("bad time %r" % s)


def fmt_time(t, micro=False, z=True):
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    s = d.strftime("%Y-%m-%dT%H:%M:%S.%f" if micro else "%Y-%m-%dT%H:%M:%S")
    return s + ("Z" if z else "")


# ---------------------------------------------------------------- errors


class ApiError(Exception):
    def __init__(self, status, body, headers=None):
        Exception.__init__(self, "%d" % status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def nova_error(status, message, kind=None):
    kinds = {400: "badRequest", 403: "forbidden", 404: "itemNotFound",
             406: "computeFault", 429: "overLimit", 500: "computeFault",
             503: "computeFault"}
    return ApiError(status, {kind or kinds.get(status, "computeFault"):
                             {"code": status, "message": message}})


def keystone_error(status, title, message):
    return ApiError(status, {"error": {"code": status, "title": title,
                                       "message": message}})


def neutron_error(status, kind, message):
    return ApiError(status, {"NeutronError": {"type": kind,
                                              "message": message,
                                              "detail": ""}})


UNAUTHORIZED = {"error": {"code": 401, "title": "Unauthorized",
                          "message": "The request you have made requires "
                          "authentication."}}


# ------------------------------------------------------- microversions


def parse_version(s):
    a, _, b = s.strip().partition(".")
    return (int(a), int(b))


def requested_version(headers, service, lo, hi):
    """The microversion asked for (OpenStack-API-Version, or Nova's own
    header), or the minimum; None when it is out of range."""
    want = None
    for h in headers.get_all("OpenStack-API-Version") or []:
        for part in h.split(","):
            words = part.split()
            if len(words) == 2 and words[0].lower() == service:
                want = words[1]
    if want is None and service == "compute":
        want = headers.get("X-OpenStack-Nova-API-Version")
    if want is None:
        return lo
    if want.strip().lower() == "latest":
        return hi
    try:
        v = parse_version(want)
    except ValueError:
        raise nova_error(400, "Invalid API version request: %s" % want)
    if v < lo or v > hi:
        raise nova_error(406, "Version %s is not supported by the API. "
                         "Minimum is %d.%d and maximum is %d.%d."
                         % (want, lo[0], lo[1], hi[0], hi[1]),
                         "computeFault")
    return v


# Server fields added by later microversions (nova api-ref).
SERVER_FIELDS_BY_VERSION = [
    ((2, 3), ["OS-EXT-SRV-ATTR:reservation_id",
              "OS-EXT-SRV-ATTR:launch_index", "OS-EXT-SRV-ATTR:hostname",
              "OS-EXT-SRV-ATTR:kernel_id", "OS-EXT-SRV-ATTR:ramdisk_id",
              "OS-EXT-SRV-ATTR:root_device_name",
              "OS-EXT-SRV-ATTR:user_data"]),
    ((2, 9), ["locked"]),
    ((2, 16), ["host_status"]),
    ((2, 19), ["description"]),
    ((2, 26), ["tags"]),
    ((2, 63), ["trusted_image_certificates"]),
    ((2, 73), ["locked_reason"]),
]


def shape_server(srv, flavor_id, mv, compute_url, deleted_view=False):
    """A 2.93-shaped server as a client asking for microversion mv sees it.
    Zed lists a deleted server's host_status as "" under deleted=true but
    as its last value under changes-since; so does this."""
    out = {}
    drop = set()
    for v, fields in SERVER_FIELDS_BY_VERSION:
        if mv < v:
            drop.update(fields)
    for k, val in srv.items():
        if k in drop:
            continue
        if k == "os-extended-volumes:volumes_attached" and mv < (2, 3):
            val = [{"id": a["id"]} for a in val]
        if k == "flavor" and mv < (2, 47):
            val = {"id": flavor_id, "links": [
                {"rel": "bookmark",
                 "href": "%s/flavors/%s" % (compute_url, flavor_id)}]}
            # (a bookmark link: compute_url carries no version)
        out[k] = val
    if deleted_view and srv.get("status") == "DELETED" and \
            "host_status" in out:
        out["host_status"] = ""
    return out


def shape_flavor(fl, mv):
    out = dict(fl)
    if mv < (2, 55):
        out.pop("description", None)
    if mv < (2, 61):
        out.pop("extra_specs", None)
    return out


def shape_action(act, mv, with_events):
    out = {k: v for k, v in act.items() if k != "events"}
    if mv < (2, 58):
        out.pop("updated_at", None)
    if with_events:
        evs = []
        for e in act.get("events", []):
            e = dict(e)
            if mv < (2, 62):
                e.pop("host", None)
                e.pop("hostId", None)
            if mv < (2, 84):
                e.pop("details", None)
            if mv < (2, 51):
                e.pop("traceback", None)
            evs.append(e)
        out["events"] = evs
    return out


def shape_hypervisor(h, mv):
    """Before 2.88 a hypervisor carries its usage figures (the simulator
    knows them; the recording, made at 2.88, does not) and no uptime."""
    out = {k: v for k, v in h.items() if k != "_legacy"}
    if mv < (2, 88):
        out.pop("uptime", None)
        out.update(h.get("_legacy", {}))
    return out


VOLUME_FIELDS_BY_VERSION = [
    ((3, 13), ["group_id"]),
    ((3, 21), ["provider_id"]),
    ((3, 48), ["shared_targets", "service_uuid"]),
    ((3, 63), ["volume_type_id"]),
    ((3, 65), ["consumes_quota"]),
]


def shape_volume(vol, mv):
    drop = set()
    for v, fields in VOLUME_FIELDS_BY_VERSION:
        if mv < v:
            drop.update(fields)
    return {k: v for k, v in vol.items() if k not in drop}


# ----------------------------------------------------- fixture backend


def load_recorded(name, rewrite):
    with open(os.path.join(ZED_DIR, name), encoding="utf-8") as f:
        text = f.read()
    return json.loads(rewrite(text))["response"]["body"]


class FixtureCloud:
    """The recorded Zed cloud, frozen at the moment it was recorded."""

    simulated = False

    def __init__(self, base):
        self.base = base

        def rewrite(text):
            for old, new in RECORDED_PREFIXES:
                text = text.replace(old, base + new)
            return text

        R = lambda n: load_recorded(n, rewrite)  # noqa: E731
        tok = R("keystone-auth-tokens-password-project.json")["token"]
        self.admin_user = tok["user"]
        self.admin_project = tok["project"]
        self.admin_roles = tok["roles"]
        self.now_t = parse_time("2026-11-25T15:38:40Z")
        self.keystone = {
            "domains": R("keystone-domains.json")["domains"],
            "projects": R("keystone-projects.json")["projects"],
            "users": R("keystone-users.json")["users"],
            "regions": R("keystone-regions.json")["regions"],
            "roles": R("keystone-roles.json")["roles"],
            "groups": R("keystone-groups.json")["groups"],
        }
        self.assignments = {
            "plain": R("keystone-role-assignments.json")["role_assignments"],
            "names": R("keystone-role-assignments-include-names.json")
            ["role_assignments"],
            "effective-names": R(
                "keystone-role-assignments-effective-names.json")
            ["role_assignments"],
        }
        self.flavor_list = R("nova-flavors-detail-all-2.61.json")["flavors"]
        by_name = {f["name"]: f["id"] for f in self.flavor_list}
        ref = {s["id"]: s["flavor"]["id"] for s in
               R("nova-servers-detail-all-2.1.json")["servers"]}
        live = R("nova-servers-detail-all-2.93.json")["servers"]
        # Deleted servers as changes-since shows them (deleted=true blanks
        # their host_status; shape_server does that again).
        gone = [s for s in R("nova-servers-detail-changes-since.json")
                ["servers"] if s["status"] == "DELETED"]
        rows = []
        for s, deleted in [(s, False) for s in live] + \
                [(s, True) for s in gone]:
            fid = ref.get(s["id"]) or by_name.get(
                s["flavor"].get("original_name"))
            rows.append(ServerRow(s, fid, deleted))
        self.server_rows = sort_servers(rows)
        self.action_lists = {}
        self.action_shows = {}
        index = os.path.join(ZED_DIR, "INDEX.tsv")
        with open(index, encoding="utf-8") as f:
            names = [line.split("\t")[0] for line in f][1:]
        for n in names:
            if n.startswith("nova-instance-actions-"):
                acts = R(n)["instanceActions"]
                if acts:
                    self.action_lists[acts[0]["instance_uuid"]] = acts
            elif n.startswith("nova-instance-action-"):
                a = R(n)["instanceAction"]
                self.action_shows[a["request_id"]] = a
        usage = R("nova-simple-tenant-usage-detailed-2.1.json")
        self.usage_rows = [u for t in usage["tenant_usages"]
                           for u in t["server_usages"]]
        self.usage_stop = usage["tenant_usages"][0]["stop"]
        self.hypervisor_list = R("nova-hypervisors-detail-2.88.json")[
            "hypervisors"]
        self.neutron = {k: R("neutron-%s.json" % k)[k] for k in
                        ("networks", "subnets", "routers", "floatingips",
                         "ports")}
        self.neutron["security_groups"] = R(
            "neutron-security-groups.json")["security_groups"]
        self.volume_list = R("cinder-volumes-detail-all-3.60.json")["volumes"]
        self.snapshot_list = R("cinder-snapshots-detail-all.json")[
            "snapshots"]
        self.type_list = R("cinder-types.json")["volume_types"]
        self.attachment_list = attachments_of(self.volume_list)
        with open(os.path.join(UPSTREAM_DIR, "glance", "v2",
                               "images-list-response.json")) as f:
            self.image_list = json.load(f)["images"]
        self.nova_root = R("nova-version-root.json")

    # The recorded cloud never changes.
    def now(self):
        return self.now_t

    def servers(self, now):
        return self.server_rows

    def flavors(self, now):
        return self.flavor_list

    def actions(self, server_id, now):
        """Newest first, each with its events (2.84 shape)."""
        out = []
        for a in self.action_lists.get(server_id, []):
            full = self.action_shows.get(a["request_id"])
            if full is None:
                # Two actions of one name on a server were recorded into one
                # file name; the earlier one is known only from the list.
                full = dict(a, events=[])
            out.append(full)
        return out

    def usage(self, start, end, now):
        return self.usage_rows, self.usage_stop

    def keystone_list(self, kind, now):
        return self.keystone[kind]

    def role_assignments(self, now, names, effective):
        if effective:
            return self.assignments["effective-names"]
        return self.assignments["names" if names else "plain"]

    def hypervisors(self, now):
        return self.hypervisor_list

    def neutron_list(self, kind, now):
        return self.neutron[kind]

    def volumes(self, now):
        return self.volume_list

    def snapshots(self, now):
        return self.snapshot_list

    def volume_types(self, now):
        return self.type_list

    def attachments(self, now):
        return self.attachment_list

    def images(self, now):
        return self.image_list


def attachments_of(volumes):
    """Cinder's attachment records (3.27+) for the volumes' attachments."""
    out = []
    for v in volumes:
        for a in v.get("attachments", []):
            out.append({"id": a["attachment_id"], "status": "attached",
                        "instance": a["server_id"], "volume_id": v["id"],
                        "attached_at": a.get("attached_at"),
                        "detached_at": None, "attach_mode": "rw",
                        "connection_info": {},
                        "_project_id":
                        v.get("os-vol-tenant-attr:tenant_id")})
    return out


class ServerRow:
    """A server as nova keeps it: the 2.93 body, plus what filters need."""

    __slots__ = ("body", "flavor_id", "deleted", "updated", "created", "id",
                 "project_id")

    def __init__(self, body, flavor_id, deleted):
        self.body = body
        self.flavor_id = flavor_id
        self.deleted = deleted
        self.id = body["id"]
        self.project_id = body["tenant_id"]
        self.updated = parse_time(body["updated"])
        self.created = parse_time(body["created"])


def sort_servers(rows):
    # nova's default sort: created_at desc, then id desc
    return sorted(rows, key=lambda r: (r.created, r.id), reverse=True)


# ------------------------------------------------------------- faults


class Faults:
    """Faults injected on demand.  A fault is a JSON object:
      {"fault": "status", "status": 503, "retry_after": 2}
      {"fault": "latency", "seconds": 0.5}
      {"fault": "truncate"}          body cut short, connection closed
      {"fault": "malformed"}         200 with a complete but broken body
      {"fault": "reset"}             connection reset (RST) before answering
      {"fault": "expire_token", "after": 5}   tokens die after 5 calls
      {"fault": "no_service", "service": "network"}  missing from catalog
    with optional "match" (a substring of the request target, default every
    API request except the token POST), "skip" (let that many matching
    requests through first) and "count" (how many times it fires; default
    1 for status, truncate and reset, unlimited for the others)."""

    KINDS = ("status", "latency", "truncate", "malformed", "reset",
             "expire_token", "no_service")

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def add(self, rule):
        if not isinstance(rule, dict) or rule.get("fault") not in self.KINDS:
            raise ValueError("unknown fault %r" % (rule,))
        if rule["fault"] == "status":
            st = rule.get("status")
            if not isinstance(st, int) or not 400 <= st <= 599:
                raise ValueError("fault status needs a 4xx or 5xx status")
        r = dict(rule)
        default = 1 if r["fault"] in ("status", "truncate", "malformed",
                                      "reset") else -1
        r.setdefault("count", default)
        r.setdefault("skip", 0)
        r.setdefault("match", None)
        r["fired"] = 0
        with self.lock:
            self.rules.append(r)

    def clear(self):
        with self.lock:
            self.rules = []

    def take(self, kind, target):
        """The first live rule of this kind matching target, consumed."""
        with self.lock:
            for r in self.rules:
                if r["fault"] != kind or r["count"] == 0:
                    continue
                if r["match"] and r["match"] not in target:
                    continue
                if r["skip"] > 0:
                    r["skip"] -= 1
                    continue
                if r["count"] > 0:
                    r["count"] -= 1
                r["fired"] += 1
                return r
        return None

    def missing_services(self):
        with self.lock:
            return {r["service"] for r in self.rules
                    if r["fault"] == "no_service"}

    def snapshot(self):
        with self.lock:
            return copy.deepcopy(self.rules)


# ------------------------------------------------------------ the cloud


class TestCloud:
    def __init__(self, args, base):
        self.args = args
        self.base = base
        self.region = args.region
        self.faults = Faults()
        self.tokens = {}
        self.token_lock = threading.Lock()
        self.log_lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.counts = {}
        self.missing = set(args.no_service or [])
        if args.simulate:
            sys.dont_write_bytecode = True      # keep the source tree clean
            sys.path.insert(0, HERE)
            import simulate
            self.backend = simulate.World(
                seed=args.seed, size=args.size,
                t_from=parse_time(args.sim_from),
                t_until=parse_time(args.sim_until), base=base)
            self.sim_now = parse_time(args.time) if args.time \
                else self.backend.t_until
        else:
            self.backend = FixtureCloud(base)
            self.sim_now = None
        self.time_lock = threading.Lock()
        self.memo_cache = {}
        self.memo_lock = threading.RLock()

    def now(self):
        if self.sim_now is None:
            return self.backend.now()
        with self.time_lock:
            return self.sim_now

    def record(self, method, target, status):
        with self.log_lock:
            self.counts[method] = self.counts.get(method, 0) + 1
            if self.log:
                self.log.write("%s %s %s\n" % (method, target, status))

    # -- Keystone tokens

    def catalog(self):
        missing = self.missing | self.faults.missing_services()
        proj = self.backend.admin_project["id"]
        services = [
            ("identity", "keystone", "/identity/v3/"),
            ("compute", "nova", "/compute/v2.1"),
            ("network", "neutron", "/network"),
            ("volumev3", "cinderv3", "/volume/v3/" + proj),
            ("block-storage", "cinder", "/volume/v3/" + proj),
            ("image", "glance", "/image"),
        ]
        out = []
        regions = [self.region] + (self.args.extra_region or [])
        for n, (stype, name, path) in enumerate(services):
            if stype in missing or (stype in ("volumev3", "block-storage")
                                    and "block-storage" in missing):
                continue
            eps = []
            for r, region in enumerate(regions):
                rprefix = "/region/" + region if r else ""
                for i, iface in enumerate(INTERFACES):
                    prefix = "" if iface == "public" else "/" + iface
                    eps.append({"id": "%02d%02d%02d%s" % (n, r, i, "0" * 26),
                                "interface": iface, "region_id": region,
                                "url": self.base + rprefix + prefix + path,
                                "region": region})
            out.append({"endpoints": eps, "id": "%02d%s" % (n, "f" * 30),
                        "type": stype, "name": name})
        return out

    def issue_token(self, req):
        try:
            ident = req["auth"]["identity"]
            methods = ident["methods"]
        except (KeyError, TypeError):
            raise keystone_error(400, "Bad Request",
                                 "Expecting to find identity in auth.")
        b = self.backend
        user = b.admin_user
        project = b.admin_project
        scope = (req.get("auth") or {}).get("scope")
        appcred = None
        if methods == ["password"]:
            u = ident.get("password", {}).get("user", {})
            name_ok = u.get("id") == user["id"] or (
                u.get("name") == self.args.username and
                domain_matches(u.get("domain"), user["domain"]))
            if not name_ok or u.get("password") != self.args.password:
                raise keystone_error(401, "Unauthorized",
                                     "The request you have made requires "
                                     "authentication.")
        elif methods == ["application_credential"]:
            ac = ident.get("application_credential", {})
            ok = (ac.get("id") == self.args.app_cred_id or
                  ac.get("name") == self.args.app_cred_name)
            if not ok or ac.get("secret") != self.args.app_cred_secret:
                raise keystone_error(401, "Unauthorized",
                                     "The request you have made requires "
                                     "authentication.")
            appcred = {"id": self.args.app_cred_id,
                       "name": self.args.app_cred_name, "restricted": True}
            scope = {"project": {"id": project["id"]}}
        else:
            raise keystone_error(401, "Unauthorized",
                                 "Unsupported authentication method.")
        t = time.time()
        token = {"methods": methods, "user": dict(user),
                 "audit_ids": [uuid.uuid4().hex[:22]],
                 "expires_at": fmt_time(t + KEYSTONE_TOKEN_HOURS * 3600,
                                        micro=True),
                 "issued_at": fmt_time(t, micro=True)}
        kind = None
        if isinstance(scope, dict) and "project" in scope:
            p = scope["project"]
            if not (p.get("id") == project["id"] or
                    (p.get("name") == project["name"] and
                     domain_matches(p.get("domain"), project["domain"]))):
                raise keystone_error(401, "Unauthorized",
                                     "User has no access to project")
            token["project"] = project
            token["is_domain"] = False
            kind = "project"
        elif isinstance(scope, dict) and "system" in scope:
            token["system"] = {"all": True}
            kind = "system"
        elif isinstance(scope, dict) and "domain" in scope:
            token["domain"] = project["domain"]
            kind = "domain"
        elif scope is not None:
            raise keystone_error(400, "Bad Request", "Invalid scope.")
        if kind:
            token["roles"] = b.admin_roles
            token["catalog"] = self.catalog()
        if appcred:
            token["application_credential"] = appcred
        tid = "gAAAAA" + uuid.uuid4().hex + uuid.uuid4().hex
        rule = self.faults.take("expire_token", "")
        with self.token_lock:
            self.tokens[tid] = {"calls": 0, "kind": kind,
                                "expire_after": rule["after"] if rule
                                else None}
        return tid, {"token": token}

    def check_token(self, headers):
        tid = headers.get("X-Auth-Token")
        with self.token_lock:
            info = self.tokens.get(tid) if tid else None
            if info is None:
                return None
            info["calls"] += 1
            if info["expire_after"] is not None and \
                    info["calls"] > info["expire_after"]:
                del self.tokens[tid]
                return None
            return info

    # -- time-dependent views, cached per simulated instant

    def memo(self, now, key, build):
        """build() once per simulated instant and key.  A collector pages
        through one instant many times, and every page of a listing must
        cost a slice, not a rebuild of the whole cloud; the views of the
        last few instants are kept (a test moves the clock, or names an
        instant per request with X-Simulated-Time).  Nothing handed out
        here may be changed by its user."""
        with self.memo_lock:
            views = self.memo_cache.get(now)
            if views is None:
                if len(self.memo_cache) >= 8:
                    self.memo_cache.clear()
                views = self.memo_cache[now] = {}
            v = views.get(key, views)
            if v is views:
                v = views[key] = build()
            return v

    def texts(self, now, key):
        """A cache of items' JSON texts, by item id, for one shape of one
        listing at one instant: an item is serialized once however many
        pages and filters show it."""
        return self.memo(now, ("texts",) + key, dict)

    def server_view(self, now):
        """(rows in nova's order, rows by id) as of now."""
        def build():
            rows = self.backend.servers(now)
            return Listing(rows, lambda r: r.id)
        v = self.memo(now, "servers", build)
        return v.items, v.by_id

    def listing(self, now, key, build, item_key=lambda i: i["id"]):
        """The Listing build() makes, once per instant and key."""
        return self.memo(now, key, lambda: Listing(build(), item_key))


def filter_servers(rows, dview, no_cs, times, proj):
    """Nova's server filters.  deleted=true lists only deleted servers;
    changes-since (and, from 2.66, changes-before) also lists them;
    otherwise they are hidden."""
    if dview:
        rows = [r for r in rows if r.deleted]
    elif no_cs:
        rows = [r for r in rows if not r.deleted]
    if times[0] is not None:
        rows = [r for r in rows if r.updated >= times[0]]
    if times[1] is not None:
        rows = [r for r in rows if r.updated <= times[1]]
    if proj:
        rows = [r for r in rows if r.project_id == proj]
    return rows


def domain_matches(given, actual):
    if not isinstance(given, dict):
        return False
    return given.get("id") == actual["id"] or \
        given.get("name") == actual["name"]


# ------------------------------------------------------------ helpers


def qs_first(q, name, default=None):
    v = q.get(name)
    return v[-1] if v else default


def truthy(v):
    return v is not None and v.lower() in ("1", "true", "yes", "t", "on", "")


def int_param(q, name, make_error):
    v = qs_first(q, name)
    if v is None:
        return None
    try:
        n = int(v)
    except ValueError:
        raise make_error("limit must be an integer")
    if n < 0:
        raise make_error("limit must be >= 0")
    return n


def next_href(url, q, marker):
    params = sorted((k, v[-1]) for k, v in q.items() if k != "marker")
    params.append(("marker", marker))
    return "%s?%s" % (url, urlencode(params))


class Listing:
    """A listing as the service orders it, with each item's position and
    the item by its id, so that finding a page's marker is a dict lookup
    rather than a scan of the whole list."""

    __slots__ = ("items", "pos", "by_id")

    def __init__(self, items, key):
        self.items = items
        self.pos = {}
        self.by_id = {}
        # Backwards, so the first of equal ids wins as a scan would find.
        for i in range(len(items) - 1, -1, -1):
            k = key(items[i])
            self.pos[k] = i
            self.by_id[k] = items[i]

    def start_after(self, marker, err):
        """The index after marker (0 without one)."""
        if marker is None:
            return 0
        i = self.pos.get(marker)
        if i is None:
            raise err(marker)
        return i + 1


def page_by_marker(lst, limit, marker, cap, err):
    """(page, more): nova's and cinder's limit/marker paging, where a full
    page means there may be more."""
    start = lst.start_after(
        marker, lambda m: err("marker [%s] not found" % m))
    n = cap if limit is None else min(limit, cap)
    chunk = lst.items[start:start + n]
    return chunk, len(chunk) == n and n > 0


class RawJSON:
    """A response body already serialized (json.dumps' own spacing)."""

    __slots__ = ("data",)

    def __init__(self, text):
        self.data = text.encode()


def list_body(key, texts, rest=()):
    """The JSON text of {key: [items...], other: value...} from the items'
    own texts: the same bytes as json.dumps of the whole object."""
    parts = ['{', json.dumps(key), ': [', ', '.join(texts), ']']
    for k, v in rest:
        parts += [', ', json.dumps(k), ': ', json.dumps(v)]
    parts.append('}')
    return RawJSON(''.join(parts))


def item_texts(cache, items, key, shape):
    """The JSON text of shape(item) for each item, each made at most once
    (cache: a dict from texts())."""
    out = []
    for it in items:
        k = key(it)
        t = cache.get(k)
        if t is None:
            t = cache[k] = json.dumps(shape(it))
        out.append(t)
    return out


# ------------------------------------------------------------ headers


class Headers:
    """A request's header fields, as the handler reads them: get and
    get_all by name, case-insensitively, in the order they came."""

    __slots__ = ("fields",)

    def __init__(self, fields):
        self.fields = fields

    def get(self, name, default=None):
        name = name.lower()
        for k, v in self.fields:
            if k == name:
                return v
        return default

    def get_all(self, name, default=None):
        name = name.lower()
        return [v for k, v in self.fields if k == name] or default

    def __getitem__(self, name):
        return self.get(name)

    def __contains__(self, name):
        return self.get(name) is not None


def parse_headers(fp, _class=None):
    """http.client.parse_headers without the email package, which took a
    third of a millisecond a request: most of this server's own time on a
    run of small requests.  The same limits: 64 kB a line, 100 fields."""
    fields = []
    while True:
        line = fp.readline(65537)
        if len(line) > 65536:
            raise http.client.LineTooLong("header line")
        if line in (b"\r\n", b"\n", b""):
            return Headers(fields)
        name, _, value = line.decode("iso-8859-1").partition(":")
        fields.append((name.strip().lower(), value.strip()))
        if len(fields) > 100:
            raise http.client.HTTPException("got more than 100 headers")


# ------------------------------------------------------------ handler


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "moc-test-cloud/0.1"

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        # The headers and the body leave in two writes; with Nagle's
        # algorithm the body then waits for the client's delayed ACK of
        # the headers (40 ms on Linux) on every reused connection, which
        # made a keep-alive client look 40 ms slower per request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                   1)

    def log_message(self, fmt, *args):
        if self.server.cloud.args.verbose:
            sys.stderr.write("server.py: " + (fmt % args) + "\n")

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_HEAD(self):
        self.dispatch("HEAD")

    # -- plumbing

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send(self, status, body, headers=None, fault=None):
        if isinstance(body, RawJSON):
            data = body.data
            ctype = "application/json"
        elif isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            ctype = "application/json"
        else:
            data = body if isinstance(body, bytes) else body.encode()
            ctype = "text/plain"
        if fault == "malformed":
            # Whole, well-framed, and not JSON: half the body and junk.
            data = data[:len(data) // 2] + b"\x00}{"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Openstack-Request-Id",
                         "req-" + str(uuid.uuid4()))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if fault == "truncate":
            # Promise the whole body, send half, hang up.
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self._headers_buffer.append(b"\r\n")
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        self.send_all(head, data if self.command != "HEAD" else b"")

    def send_all(self, head, data):
        """The head and the body in one send: two would wake the client
        twice, and a small answer would take two segments.  A large body
        is not copied to be joined to its head."""
        sock = self.connection
        if len(data) < 65536:
            sock.sendall(head + data)
            return
        sent = sock.sendmsg([head, data])
        if sent < len(head):
            sock.sendall(head[sent:])
            sent = len(head)
        if sent - len(head) < len(data):
            sock.sendall(memoryview(data)[sent - len(head):])

    def reset(self):
        # SO_LINGER with a zero timeout makes close() send RST.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def dispatch(self, method):
        cloud = self.server.cloud
        url = urlsplit(self.path)
        path = url.path
        q = parse_qs(url.query, keep_blank_values=True)
        body = self.read_body()
        if path.startswith("/_control"):
            try:
                self.control(method, path, body)
            except ApiError as e:
                self.send(e.status, e.body)
            return
        target = self.path
        status = "reset"
        self.logged = None
        try:
            status = self.api(cloud, method, path, q, body, target)
        finally:
            if self.logged is None:
                cloud.record(method, target, status)

    def reply(self, status, body, headers=None, fault=None, note=""):
        """Log the request, then answer it: a client that has read its
        answer finds its request in the log already."""
        self.logged = "%d%s" % (status, note)
        self.server.cloud.record(self.command, self.path, self.logged)
        self.send(status, body, headers, fault)
        return self.logged

    def api(self, cloud, method, path, q, body, target):
        if path.startswith("/region/"):
            region = path.split("/")[2]
            if region not in (cloud.args.extra_region or []):
                return self.reply(404, {"error": {
                    "code": 404, "title": "Not Found",
                    "message": "no region " + region}})
            path = path[len("/region/" + region):]
        iface = "public"
        for i in ("internal", "admin"):
            if path.startswith("/" + i + "/"):
                iface = i
                path = path[len(i) + 1:]
        self.iface = iface
        self.at = None
        at = self.headers.get("X-Simulated-Time")
        if at is not None and cloud.sim_now is not None:
            try:
                self.at = parse_time(at)
            except ValueError:
                return self.reply(400, {"error": "bad X-Simulated-Time"})
        is_auth = path.rstrip("/") == "/identity/v3/auth/tokens"
        if not is_auth:
            r = cloud.faults.take("latency", target)
            if r:
                time.sleep(float(r.get("seconds", 1)))
            if cloud.faults.take("reset", target):
                self.reset()
                return "reset"
        fault = None
        try:
            if not is_auth:
                r = cloud.faults.take("status", target)
                if r:
                    raise injected_error(r, path)
                if cloud.faults.take("truncate", target):
                    fault = "truncate"
                elif cloud.faults.take("malformed", target):
                    fault = "malformed"
            status, out, headers = self.route(cloud, method, path, q, body)
        except ApiError as e:
            status, out, headers = e.status, e.body, e.headers
        except Exception as e:      # a bug here must not look like a fault
            sys.stderr.write("server.py: %s %s: %r\n" % (method, target, e))
            status, out, headers = 500, {"computeFault": {
                "code": 500, "message": "test cloud bug: %r" % e}}, {}
        return self.reply(status, out, headers, fault, {
            "truncate": " truncated", "malformed": " malformed"}.get(fault,
                                                                    ""))

    def now(self, cloud):
        """The simulated instant of this request: its X-Simulated-Time
        header, else the clock /_control/time sets."""
        return self.at if self.at is not None else cloud.now()

    def control(self, method, path, body):
        cloud = self.server.cloud
        try:
            req = json.loads(body) if body else {}
        except ValueError:
            raise ApiError(400, {"error": "body is not JSON"})
        if path == "/_control/health":
            self.send(200, {"status": "ok", "base": cloud.base})
        elif path == "/_control/time" and method == "GET":
            self.send(200, {"now": fmt_time(cloud.now())})
        elif path == "/_control/time" and method == "POST":
            if cloud.sim_now is None:
                raise ApiError(409, {"error": "time is fixed in fixture "
                                              "mode"})
            try:
                t = parse_time(req["now"])
            except (KeyError, TypeError, ValueError):
                raise ApiError(400, {"error": "want {\"now\": TIME}"})
            with cloud.time_lock:
                cloud.sim_now = t
            self.send(200, {"now": fmt_time(t)})
        elif path == "/_control/faults" and method == "GET":
            self.send(200, {"faults": cloud.faults.snapshot()})
        elif path == "/_control/faults" and method == "POST":
            rules = req.get("faults", [req]) if isinstance(req, dict) \
                else req
            try:
                for r in rules:
                    cloud.faults.add(r)
            except ValueError as e:
                raise ApiError(400, {"error": str(e)})
            self.send(200, {"faults": cloud.faults.snapshot()})
        elif path == "/_control/reset" and method == "POST":
            cloud.faults.clear()
            self.send(200, {"faults": []})
        elif path == "/_control/stats":
            with cloud.log_lock:
                counts = dict(cloud.counts)
            self.send(200, {"requests": counts})
        else:
            raise ApiError(404, {"error": "no such control endpoint"})

    # -- routing

    def route(self, cloud, method, path, q, body):
        parts = [p for p in path.split("/") if p]
        if not parts:
            return 300, versions_doc(cloud.base), {}
        service, rest = parts[0], parts[1:]
        if service not in ("identity", "compute", "network", "volume",
                           "image"):
            raise ApiError(404, {"error": {"code": 404, "title": "Not Found",
                                           "message": "no service here"}})
        missing = cloud.missing | cloud.faults.missing_services()
        stype = {"volume": "block-storage"}.get(service, service)
        if stype in missing:
            raise ApiError(404, {"error": {"code": 404, "title": "Not Found",
                                           "message": "service %s is not in "
                                           "this cloud" % stype}})
        if service == "identity":
            return self.identity(cloud, method, rest, q, body)
        if method != "GET":
            raise ApiError(405, {"error": {"code": 405, "title":
                                           "Method Not Allowed",
                                           "message": "this test cloud only "
                                           "reads"}})
        if not rest or (service == "compute" and rest == ["v2.1"]):
            return self.version_root(cloud, service, rest)
        if cloud.check_token(self.headers) is None:
            raise ApiError(401, UNAUTHORIZED, {
                "WWW-Authenticate": 'Keystone uri="%s/identity"'
                % cloud.base})
        handler = {"compute": self.compute, "network": self.network,
                   "volume": self.volume}.get(service, self.image)
        return self.answer(cloud, lambda: handler(cloud, rest, q))

    def answer(self, cloud, build):
        """build()'s answer to a GET, kept for the simulated instant, the
        target and the microversion asked for: an answer depends on those
        alone (faults, tokens and missing services are dealt with before
        it is looked up), so a client that reads the same pages again - a
        benchmark's timed run, a poll of an unchanged instant - costs this
        server a lookup and a send, and its own time stays out of the
        client's figures.  Errors are raised, not kept."""
        key = ("answer", self.path,
               tuple(self.headers.get_all("OpenStack-API-Version") or ()),
               self.headers.get("X-OpenStack-Nova-API-Version"))

        def make():
            status, out, headers = build()
            if not isinstance(out, RawJSON):
                out = RawJSON(json.dumps(out))
            return status, out, headers
        return cloud.memo(self.now(cloud), key, make)

    def version_root(self, cloud, service, rest):
        if service == "compute" and rest:
            doc = copy.deepcopy(cloud.backend.nova_root) \
                if hasattr(cloud.backend, "nova_root") else None
            if doc is None:
                doc = {"version": {
                    "id": "v2.1", "status": "CURRENT", "version": "2.93",
                    "min_version": "2.1", "updated": "2013-07-23T11:33:21Z",
                    "links": [{"rel": "self",
                               "href": cloud.base + "/compute/v2.1/"}],
                    "media-types": [{"base": "application/json",
                                     "type": "application/vnd.openstack."
                                     "compute+json;version=2.1"}]}}
            return 200, doc, {}
        return 300, service_versions(cloud.base, service), {}

    # -- Keystone

    def identity(self, cloud, method, rest, q, body):
        if not rest:
            return 300, service_versions(cloud.base, "identity"), {}
        if rest == ["v3"]:
            return 200, identity_version(cloud.base), {}
        rest = rest[1:]
        if rest == ["auth", "tokens"] and method == "POST":
            try:
                req = json.loads(body)
            except ValueError:
                raise keystone_error(400, "Bad Request",
                                     "Malformed request body.")
            tid, tok = cloud.issue_token(req)
            return 201, tok, {"X-Subject-Token": tid,
                              "Vary": "X-Auth-Token"}
        if method != "GET":
            raise keystone_error(405, "Method Not Allowed",
                                 "this test cloud only reads")
        if cloud.check_token(self.headers) is None:
            raise ApiError(401, UNAUTHORIZED, {
                "WWW-Authenticate": 'Keystone uri="%s/identity"'
                % cloud.base})
        return self.answer(cloud, lambda: self.identity_get(cloud, rest, q))

    def identity_get(self, cloud, rest, q):
        now = self.now(cloud)
        b = cloud.backend
        kind = rest[0] if rest else ""
        url = cloud.base + self.path.split("?")[0].replace(
            "/internal/identity", "/identity").replace("/admin/identity",
                                                       "/identity")
        if "?" in self.path:
            url += "?" + self.path.split("?", 1)[1]
        # Keystone does not page: a list is one body, its items'
        # text made once per instant and filter.
        if kind == "role_assignments" and len(rest) == 1:
            flags = (truthy(qs_first(q, "include_names")), "effective" in q)
            filters = tuple((n, qs_first(q, n)) for n in ASSIGNMENT_FILTERS)
            key = ("keystone", kind, flags, filters)
            build = lambda: filter_assignments(  # noqa: E731
                b.role_assignments(now, *flags), filters)
        elif kind in ("domains", "projects", "users", "regions", "roles",
                      "groups") and len(rest) <= 2:
            everything = cloud.listing(now, ("keystone", kind), lambda:
                                       keystone_items(cloud, kind, now))
            if len(rest) == 2:
                it = everything.by_id.get(rest[1])
                if it is None:
                    raise keystone_error(404, "Not Found",
                                         "Could not find %s: %s."
                                         % (kind[:-1], rest[1]))
                if kind == "projects":
                    it = project_hierarchy(it, everything, q)
                return 200, {kind[:-1]: it}, {}
            filters = tuple((f, qs_first(q, f).lower()) for f in (
                "domain_id", "parent_id", "name", "enabled", "is_domain")
                if qs_first(q, f) is not None)
            key = ("keystone", kind, filters)
            build = lambda: [  # noqa: E731
                i for i in everything.items
                if all(str(i.get(f)).lower() == v for f, v in filters)]
        else:
            raise keystone_error(404, "Not Found",
                                 "The resource could not be found.")
        text = cloud.memo(now, key, lambda: ", ".join(
            json.dumps(i) for i in build()))
        return 200, list_body(kind, [text] if text else [], [("links", {
            "next": None, "self": url, "previous": None})]), {}

    # -- Nova

    def compute(self, cloud, rest, q):
        mv = requested_version(self.headers, "compute", NOVA_MIN, NOVA_MAX)
        mvs = "%d.%d" % mv
        hdr = {"OpenStack-API-Version": "compute " + mvs,
               "X-OpenStack-Nova-API-Version": mvs,
               "Vary": "OpenStack-API-Version, X-OpenStack-Nova-API-Version"}
        try:
            status, out = self.compute_inner(cloud, rest[1:], q, mv)
        except ApiError as e:
            e.headers.update(hdr)
            raise
        return status, out, hdr

    def compute_inner(self, cloud, rest, q, mv):
        now = self.now(cloud)
        b = cloud.backend
        curl = cloud.base + "/compute/v2.1"
        bad = lambda m: nova_error(400, m)  # noqa: E731
        limit = int_param(q, "limit", bad)
        marker = qs_first(q, "marker")
        if rest == ["servers", "detail"] or rest == ["servers"]:
            return 200, self.server_list(cloud, q, mv, now, limit, marker,
                                         detail=len(rest) == 2)
        if len(rest) == 2 and rest[0] == "servers":
            r = cloud.server_view(now)[1].get(rest[1])
            if r is not None and not r.deleted:
                return 200, {"server": shape_server(
                    r.body, r.flavor_id, mv, cloud.base + "/compute")}
            raise nova_error(404, "Instance %s could not be found."
                             % rest[1])
        if len(rest) >= 3 and rest[0] == "servers" and \
                rest[2] == "os-instance-actions":
            return 200, self.actions(cloud, rest, q, mv, now, limit, marker)
        if rest in (["flavors", "detail"], ["flavors"]):
            pub = qs_first(q, "is_public", "true").lower()
            if pub in ("true", "1", "yes"):
                pub = True
            elif pub in ("false", "0", "no"):
                pub = False
            else:
                pub = None
            lst = cloud.listing(now, ("flavors", pub), lambda: [
                f for f in cloud.memo(now, "flavors", lambda: b.flavors(now))
                if pub is None or
                bool(f["os-flavor-access:is_public"]) == pub])
            chunk, more = page_by_marker(lst, limit, marker, NOVA_MAX_LIMIT,
                                         bad)
            if len(rest) == 2:
                chunk = [shape_flavor(f, mv) for f in chunk]
            else:
                chunk = [{"id": f["id"], "name": f["name"],
                          "links": f["links"]} for f in chunk]
            out = {"flavors": chunk}
            if more:
                out["flavors_links"] = [{"rel": "next", "href": next_href(
                    curl + "/" + "/".join(rest), q, chunk[-1]["id"])}]
            return 200, out
        if len(rest) in (2, 3) and rest[0] == "flavors":
            f = cloud.listing(now, ("flavors", None), lambda: cloud.memo(
                now, "flavors", lambda: b.flavors(now))).by_id.get(rest[1])
            if f is not None and len(rest) == 2:
                return 200, {"flavor": shape_flavor(f, mv)}
            if f is not None and rest[2] == "os-extra_specs":
                return 200, {"extra_specs": f.get("extra_specs", {})}
            raise nova_error(404, "Flavor %s could not be found." % rest[1])
        if rest and rest[0] == "os-simple-tenant-usage" and len(rest) <= 2:
            return 200, self.tenant_usage(cloud, rest, q, mv, now, limit,
                                          marker)
        if rest in (["os-hypervisors", "detail"], ["os-hypervisors"]):
            hv = [shape_hypervisor(h, mv) for h in
                  cloud.memo(now, "hypervisors", lambda: b.hypervisors(now))]
            if len(rest) == 1:
                hv = [{"id": h["id"], "hypervisor_hostname":
                       h["hypervisor_hostname"], "state": h["state"],
                       "status": h["status"]} for h in hv]
            return 200, {"hypervisors": hv}
        raise nova_error(404, "The resource could not be found.")

    def server_list(self, cloud, q, mv, now, limit, marker, detail):
        curl = cloud.base + "/compute/v2.1"
        bad = lambda m: nova_error(400, m)  # noqa: E731
        deleted = qs_first(q, "deleted")
        dview = deleted is not None and truthy(deleted)
        cs = qs_first(q, "changes-since")
        times = []
        for name in ("changes-since", "changes-before"):
            v = qs_first(q, name)
            if v is None or (name == "changes-before" and mv < (2, 66)):
                times.append(None)
                continue
            try:
                times.append(parse_time(v))
            except ValueError:
                raise bad("Invalid filter field: %s." % name)
        all_t = qs_first(q, "all_tenants")
        proj = qs_first(q, "project_id") or qs_first(q, "tenant_id")
        if not proj and (all_t is None or not truthy(all_t)):
            proj = cloud.backend.admin_project["id"]
        key = ("servers", dview, cs is None, times[0], times[1], proj)
        lst = cloud.listing(now, key, lambda: filter_servers(
            cloud.server_view(now)[0], dview, cs is None, times, proj),
            lambda r: r.id)
        chunk, more = page_by_marker(lst, limit, marker, NOVA_MAX_LIMIT, bad)
        if detail:
            texts = item_texts(
                cloud.texts(now, ("servers", mv, dview)), chunk,
                lambda r: r.id, lambda r: shape_server(
                    r.body, r.flavor_id, mv, cloud.base + "/compute",
                    dview))
        else:
            texts = item_texts(
                cloud.texts(now, ("servers",)), chunk, lambda r: r.id,
                lambda r: {"id": r.id, "name": r.body["name"],
                           "links": r.body["links"]})
        rest = []
        if more:
            rest.append(("servers_links", [{"rel": "next", "href": next_href(
                curl + ("/servers/detail" if detail else "/servers"), q,
                chunk[-1].id)}]))
        return list_body("servers", texts, rest)

    def actions(self, cloud, rest, q, mv, now, limit, marker):
        sid = rest[1]
        if sid not in cloud.server_view(now)[1]:
            raise nova_error(404, "Instance %s could not be found." % sid)
        acts = cloud.backend.actions(sid, now)
        if len(rest) == 4:
            for a in acts:
                if a["request_id"] == rest[3]:
                    return {"instanceAction": shape_action(a, mv, True)}
            raise nova_error(404, "Action %s not found" % rest[3])
        if len(rest) != 3:
            raise nova_error(404, "The resource could not be found.")
        if mv >= (2, 58):
            cs = qs_first(q, "changes-since")
            if cs is not None:
                t = parse_time(cs)
                acts = [a for a in acts if parse_time(a["updated_at"]) >= t]
            chunk, more = page_by_marker(
                Listing(acts, lambda a: a["request_id"]), limit, marker,
                1000, lambda m: nova_error(400, m))
        else:
            chunk, more = acts, False
        out = {"instanceActions": [shape_action(a, mv, False)
                                   for a in chunk]}
        if more:
            out["links"] = [{"rel": "next", "href": next_href(
                "%s/compute/v2.1/servers/%s/os-instance-actions"
                % (cloud.base, sid), q, chunk[-1]["request_id"])}]
        return out

    def tenant_usage(self, cloud, rest, q, mv, now, limit, marker):
        bad = lambda m: nova_error(400, m)  # noqa: E731
        try:
            start = parse_time(qs_first(q, "start")) if "start" in q \
                else now - 86400
            end = parse_time(qs_first(q, "end")) if "end" in q else now
        except ValueError:
            raise bad("Invalid start time.")
        if start > end:
            raise bad("Invalid start time. The start time cannot occur "
                      "after the end time.")
        rows, stop = cloud.memo(now, ("usage", start, end),
                                lambda: cloud.backend.usage(start, end, now))
        tenant = rest[1] if len(rest) == 2 else None
        lst = cloud.listing(now, ("usage", start, end, tenant), lambda: [
            u for u in rows if tenant is None or u["tenant_id"] == tenant],
            lambda u: u["instance_id"])
        if mv >= (2, 40):
            chunk, more = page_by_marker(lst, limit, marker, NOVA_MAX_LIMIT,
                                         bad)
        else:
            chunk, more = lst.items, False
        detailed = len(rest) == 2 or truthy(qs_first(q, "detailed", "0")) \
            and qs_first(q, "detailed") not in ("0", "false", "False")
        tenants = []
        for u in chunk:
            if not tenants or tenants[-1]["tenant_id"] != u["tenant_id"]:
                tenants.append({"tenant_id": u["tenant_id"],
                                "server_usages": []})
            tenants[-1]["server_usages"].append(u)
        out_list = []
        win_start = fmt_time(start, micro=True, z=False)
        for t in tenants:
            su = t["server_usages"]
            hours = sum(u["hours"] for u in su)
            e = {"tenant_id": t["tenant_id"]}
            if detailed:
                e["server_usages"] = su
            e["total_local_gb_usage"] = sum(u["hours"] * u["local_gb"]
                                            for u in su)
            e["total_vcpus_usage"] = sum(u["hours"] * u["vcpus"] for u in su)
            e["total_memory_mb_usage"] = sum(u["hours"] * u["memory_mb"]
                                             for u in su)
            e["total_hours"] = hours
            e["start"] = win_start
            e["stop"] = stop
            out_list.append(e)
        url = cloud.base + "/compute/v2.1/" + "/".join(rest)
        if len(rest) == 2:
            out = {"tenant_usage": out_list[0] if out_list else {}}
            key = "tenant_usage_links"
        else:
            out = {"tenant_usages": out_list}
            key = "tenant_usages_links"
        if more:
            out[key] = [{"rel": "next", "href": next_href(
                url, q, chunk[-1]["instance_id"])}]
        return out

    # -- Neutron

    def network(self, cloud, rest, q):
        if rest[:1] != ["v2.0"] or len(rest) not in (2, 3):
            raise neutron_error(404, "HTTPNotFound",
                                "The resource could not be found.")
        name = rest[1].replace("-", "_")
        if name.endswith(".json"):
            name = name[:-5]
        if name not in ("networks", "subnets", "routers", "floatingips",
                        "ports", "security_groups"):
            raise neutron_error(404, "HTTPNotFound",
                                "The resource could not be found.")
        now = self.now(cloud)
        everything = cloud.listing(now, ("neutron", name), lambda: sorted(
            cloud.backend.neutron_list(name, now), key=lambda i: i["id"]))
        if len(rest) == 3:
            it = everything.by_id.get(rest[2])
            if it is not None:
                return 200, {name[:-1]: it}, {}
            raise neutron_error(404, "NotFound", "%s %s could not be found."
                                % (name[:-1], rest[2]))
        filters = tuple((field, tuple(q[field])) for field in (
            "project_id", "tenant_id", "network_id", "device_id",
            "device_owner", "router_id", "name") if q.get(field))
        lst = everything
        if filters:
            lst = cloud.listing(now, ("neutron", name, filters),
                                lambda: filter_neutron(everything.items,
                                                       filters))
        items = lst.items
        bad = lambda m: neutron_error(400, "BadRequest", m)  # noqa: E731
        limit = int_param(q, "limit", bad)
        marker = qs_first(q, "marker")
        out_name = name
        texts = cloud.texts(now, ("neutron", name))
        key = lambda i: i["id"]  # noqa: E731
        if limit is None or limit == 0:
            return 200, list_body(out_name, item_texts(
                texts, items, key, lambda i: i)), {}
        start = lst.start_after(marker, lambda m: neutron_error(
            404, "NotFound", "Marker %s could not be found." % m))
        chunk = items[start:start + limit]
        more = start + limit < len(items)
        url = "%s/network/v2.0/%s" % (cloud.base, rest[1])
        links = []
        if more:
            links.append({"rel": "next", "href": next_href(
                url, q, chunk[-1]["id"])})
        if chunk:
            prev = dict(q)
            prev["page_reverse"] = ["True"]
            links.append({"rel": "previous", "href": "%s?%s" % (
                url, urlencode([("limit", str(limit)),
                                ("marker", chunk[0]["id"]),
                                ("page_reverse", "True")]))})
        return 200, list_body(out_name, item_texts(texts, chunk, key,
                                                   lambda i: i),
                              [(out_name + "_links", links)] if links
                              else []), {}

    # -- Cinder

    def volume(self, cloud, rest, q):
        mv = requested_version(self.headers, "volume", CINDER_MIN,
                               CINDER_MAX)
        mvs = "%d.%d" % mv
        hdr = {"OpenStack-API-Version": "volume " + mvs,
               "Vary": "OpenStack-API-Version"}
        proj = cloud.backend.admin_project["id"]
        if rest[:2] != ["v3", proj] or len(rest) < 3:
            raise ApiError(404, {"itemNotFound": {
                "code": 404, "message": "The resource could not be found."}},
                hdr)
        now = self.now(cloud)
        b = cloud.backend
        what = rest[2:]
        url = "%s/volume/v3/%s/%s" % (cloud.base, proj, "/".join(what))
        bad = lambda m: ApiError(400, {"badRequest": {  # noqa: E731
            "code": 400, "message": m}}, hdr)
        all_t = truthy(qs_first(q, "all_tenants")) if "all_tenants" in q \
            else False
        if what in (["volumes", "detail"], ["volumes"]):
            items = lambda: b.volumes(now)  # noqa: E731
            key = "volumes"
            ptag = "os-vol-tenant-attr:tenant_id"
        elif what in (["snapshots", "detail"], ["snapshots"]):
            items = lambda: b.snapshots(now)  # noqa: E731
            key = "snapshots"
            ptag = "os-extended-snapshot-attributes:project_id"
        elif what == ["types"]:
            return 200, {"volume_types": b.volume_types(now)}, hdr
        elif what in (["attachments"], ["attachments", "detail"]):
            if mv < (3, 27):
                raise ApiError(404, {"itemNotFound": {
                    "code": 404, "message": "The resource could not be "
                    "found."}}, hdr)
            items = lambda: b.attachments(now)  # noqa: E731
            key = "attachments"
            ptag = "_project_id"
        else:
            raise ApiError(404, {"itemNotFound": {
                "code": 404, "message": "The resource could not be found."}},
                hdr)
        pf = qs_first(q, "project_id")
        everything = cloud.memo(now, ("cinder", key), items)
        lst = cloud.listing(now, ("cinder", key, all_t, pf), lambda: [
            i for i in everything if (all_t or i.get(ptag) == proj) and
            (not pf or i.get(ptag) == pf)])
        limit = int_param(q, "limit", bad)
        marker = qs_first(q, "marker")
        chunk, more = page_by_marker(lst, limit, marker, CINDER_MAX_LIMIT,
                                     bad)
        texts = item_texts(cloud.texts(now, ("cinder", tuple(what), mv)),
                           chunk, lambda i: i["id"],
                           lambda i: shape_cinder(i, what, mv))
        rest = []
        if more:
            rest.append((key + "_links", [{"rel": "next", "href": next_href(
                url, q, chunk[-1]["id"])}]))
        return 200, list_body(key, texts, rest), hdr

    # -- Glance (only what the CLI's server listing looks up)

    def image(self, cloud, rest, q):
        if rest == ["v2", "images"]:
            return 200, {"images": cloud.backend.images(self.now(cloud)),
                         "schema": "/v2/schemas/images",
                         "first": "/v2/images"}, {}
        if len(rest) == 3 and rest[:2] == ["v2", "images"]:
            for i in cloud.backend.images(self.now(cloud)):
                if i["id"] == rest[2]:
                    return 200, i, {}
        raise ApiError(404, "404 Not Found\n\nThe resource could not be "
                       "found.\n\n")


def shape_cinder(item, what, mv):
    """A volume, snapshot or attachment as GET <what> at mv shows it."""
    if what[0] == "volumes":
        v = shape_volume(item, mv)
        if what == ["volumes"]:
            v = {"id": v["id"], "name": v["name"], "links": v["links"]}
        return v
    if what[0] == "attachments":
        a = {k: v for k, v in item.items() if not k.startswith("_")}
        if what == ["attachments"]:
            a = {"id": a["id"], "volume_id": a["volume_id"],
                 "instance": a["instance"], "status": a["status"]}
        return a
    return item


def injected_error(rule, path):
    st = rule["status"]
    headers = {}
    if st == 429 or "retry_after" in rule:
        headers["Retry-After"] = str(rule.get("retry_after", 1))
    if path.startswith("/identity"):
        titles = {401: "Unauthorized", 403: "Forbidden",
                  429: "Too Many Requests", 500: "Internal Server Error",
                  503: "Service Unavailable"}
        e = keystone_error(st, titles.get(st, "Error"),
                           "injected fault %d" % st)
    elif st == 403:
        e = nova_error(403, "Policy doesn't allow this request to be "
                       "performed.")
    elif st == 401:
        e = ApiError(401, UNAUTHORIZED)
    elif st == 429:
        e = ApiError(429, {"overLimit": {
            "code": 429, "message": "This request was rate-limited.",
            "retryAfter": headers["Retry-After"]}})
    else:
        e = nova_error(st, "injected fault %d" % st)
    e.headers.update(headers)
    return e


def keystone_items(cloud, kind, now):
    items = cloud.backend.keystone_list(kind, now)
    if kind == "regions":
        items = items + [{
            "id": r, "description": "", "parent_region_id": None,
            "links": {"self": "%s/identity/v3/regions/%s"
                      % (cloud.base, r)}}
            for r in cloud.args.extra_region or []]
    return items


def project_hierarchy(proj, projects, q):
    """Keystone's parents_as_ids and subtree_as_ids: nested id trees, the
    parents reaching up to the domain, the subtree null when empty
    (projects: a Listing of every project)."""
    if "parents_as_ids" not in q and "subtree_as_ids" not in q:
        return proj
    by_id = projects.by_id
    kids = {}
    for p in projects.items:
        kids.setdefault(p.get("parent_id"), []).append(p["id"])
    out = dict(proj)
    if "parents_as_ids" in q:
        chain = []
        pid = proj.get("parent_id")
        while pid is not None:
            chain.append(pid)
            pid = by_id[pid].get("parent_id") if pid in by_id else None
        tree = None
        for pid in reversed(chain):
            tree = {pid: tree}
        out["parents"] = tree

    def subtree(pid):
        ks = kids.get(pid)
        if not ks:
            return None
        return {k: subtree(k) for k in ks}
    if "subtree_as_ids" in q:
        out["subtree"] = subtree(proj["id"])
    links = out.pop("links")
    out["links"] = links
    return out


def filter_neutron(items, filters):
    """Neutron's field filters: each field one of the values given."""
    for field, values in filters:
        items = [i for i in items if i.get(field) in values]
    return items


ASSIGNMENT_FILTERS = ("user.id", "group.id", "role.id", "scope.project.id",
                      "scope.domain.id")


def filter_assignments(items, filters):
    """filters: (name, value or None) for each of ASSIGNMENT_FILTERS."""
    def get(a, path):
        for p in path:
            if not isinstance(a, dict):
                return None
            a = a.get(p)
        return a
    for name, v in filters:
        if v is not None:
            path = tuple(name.split("."))
            items = [a for a in items if get(a, path) == v]
    return items


def identity_version(base):
    return {"version": {
        "id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": base + "/identity/v3/"}],
        "media-types": [{"base": "application/json",
                         "type": "application/vnd.openstack.identity-v3"
                         "+json"}]}}


def service_versions(base, service):
    if service == "identity":
        v = identity_version(base)["version"]
        return {"versions": {"values": [v]}}
    if service == "compute":
        return {"versions": [{
            "id": "v2.1", "status": "CURRENT", "version": "2.93",
            "min_version": "2.1", "updated": "2013-07-23T11:33:21Z",
            "links": [{"rel": "self", "href": base + "/compute/v2.1/"}]}]}
    if service == "network":
        return {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
            {"rel": "self", "href": base + "/network/v2.0/"}]}]}
    if service == "volume":
        return {"versions": [{
            "id": "v3.0", "status": "CURRENT", "version": "3.70",
            "min_version": "3.0", "updated": "2022-08-31T00:00:00Z",
            "links": [{"rel": "self", "href": base + "/volume/v3/"}]}]}
    return {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
        {"rel": "self", "href": base + "/image/v2/"}]}]}


def versions_doc(base):
    return {"services": ["identity", "compute", "network", "volume",
                         "image"], "base": base}


# ------------------------------------------------------------- main


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


def write_clouds_yaml(path, cloud):
    """A clouds.yaml naming this cloud "test" (password) and "test-appcred"
    (application credential), for os-fetch and the openstack CLI."""
    a = cloud.args
    p = cloud.backend.admin_project
    u = cloud.backend.admin_user
    text = (
        "clouds:\n"
        "  test:\n"
        "    auth_type: password\n"
        "    auth:\n"
        "      auth_url: %(auth)s\n"
        "      username: %(user)s\n"
        "      password: %(pw)s\n"
        "      user_domain_name: %(udom)s\n"
        "      project_name: %(proj)s\n"
        "      project_domain_name: %(pdom)s\n"
        "    region_name: %(region)s\n"
        "    interface: public\n"
        "    identity_api_version: 3\n"
        "  test-appcred:\n"
        "    auth_type: v3applicationcredential\n"
        "    auth:\n"
        "      auth_url: %(auth)s\n"
        "      application_credential_id: %(acid)s\n"
        "      application_credential_secret: %(acsecret)s\n"
        "    region_name: %(region)s\n"
        "    interface: public\n"
        "    identity_api_version: 3\n"
    ) % {"auth": cloud.base + "/identity/v3", "user": a.username,
         "pw": a.password, "udom": u["domain"]["name"], "proj": p["name"],
         "pdom": p["domain"]["name"], "region": cloud.region,
         "acid": a.app_cred_id, "acsecret": a.app_cred_secret}
    write_atomically(path, text)


def write_atomically(path, text):
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="server.py",
        description="Loopback OpenStack test cloud (tests/cloud/README).")
    ap.add_argument("--port", type=int, default=0,
                    help="TCP port on 127.0.0.1 (default: ephemeral)")
    ap.add_argument("--url-file", help="write the base URL here once "
                    "listening (atomically)")
    ap.add_argument("--clouds-yaml", help="write a clouds.yaml for this "
                    "cloud here")
    ap.add_argument("--log", help="append 'METHOD TARGET STATUS' per API "
                    "request")
    ap.add_argument("--region", default="RegionOne")
    ap.add_argument("--extra-region", action="append", metavar="NAME",
                    help="another region in the catalog, served under "
                    "BASE/region/NAME with the same data")
    ap.add_argument("--username", default="admin")
    ap.add_argument("--password", default="secret-admin-password")
    ap.add_argument("--app-cred-id",
                    default="0f9c3ab2c1d84a7b9e6f5d4c3b2a1900")
    ap.add_argument("--app-cred-name", default="moc-reporting")
    ap.add_argument("--app-cred-secret", default="secret-app-cred")
    ap.add_argument("--no-service", action="append", metavar="TYPE",
                    help="leave this service type out of the catalog")
    ap.add_argument("--fault", action="append", metavar="JSON",
                    help="inject this fault (see /_control/faults)")
    ap.add_argument("--simulate", action="store_true",
                    help="serve simulate.py's cloud instead of the fixtures")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", type=int, default=100,
                    help="simulated instances")
    ap.add_argument("--from", dest="sim_from", default="2024-01-01T00:00:00Z")
    ap.add_argument("--until", dest="sim_until",
                    default="2024-02-01T00:00:00Z")
    ap.add_argument("--time", help="initial simulated instant (default: "
                    "--until)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    try:
        for t in (args.sim_from, args.sim_until, args.time):
            if t is not None:
                parse_time(t)
        faults = [json.loads(f) for f in args.fault or []]
    except ValueError as e:
        ap.error(str(e))

    http.client.parse_headers = parse_headers   # http.server calls it
    srv = Server(("127.0.0.1", args.port), Handler)
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    try:
        srv.cloud = TestCloud(args, base)
        for f in faults:
            srv.cloud.faults.add(f)
    except ValueError as e:
        ap.error(str(e))
    if args.clouds_yaml:
        write_clouds_yaml(args.clouds_yaml, srv.cloud)
    print(base, flush=True)
    if args.url_file:
        write_atomically(args.url_file, base + "\n")
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
