#!/usr/bin/env python3
"""Build the bundled sample run (raw page envelopes, moc-records(5)) from the
responses a real OpenStack Zed gave, as recorded in
shared/fixtures/openstack-zed-recorded.

    make-sample-pages.py FIXTURE-DIR > sample-pages.jsonl

The output is committed (tests/data/sample-pages.jsonl) so the demo and the
tests do not need the fixture folder; run this again only when the record
stream's envelope changes.
"""
import json
import os
import re
import sys
from urllib.parse import urlparse, parse_qs

# file name prefix -> (service, resource); order is the order of a real run.
ORDER = [
    ("keystone-regions", "identity", "regions"),
    ("keystone-domains", "identity", "domains"),
    ("keystone-projects.json", "identity", "projects"),
    ("keystone-users", "identity", "users"),
    ("keystone-role-assignments-include-names", "identity", "role_assignments"),
    ("nova-flavors-detail-all-2.61", "compute", "flavors"),
    ("nova-servers-detail-all-2.79", "compute", "servers"),
    ("nova-servers-detail-deleted", "compute", "servers"),
    ("nova-instance-actions-", "compute", "instance_actions"),
    ("nova-instance-action-", "compute", "instance_action"),
    ("nova-simple-tenant-usage-detailed-2.1", "compute", "tenant_usage"),
    ("nova-hypervisors-detail-2.88", "compute", "hypervisors"),
    ("neutron-networks.json", "network", "networks"),
    ("neutron-subnets", "network", "subnets"),
    ("neutron-routers", "network", "routers"),
    ("neutron-floatingips", "network", "floatingips"),
    ("neutron-ports", "network", "ports"),
    ("cinder-volumes-detail-all-3.60", "block-storage", "volumes"),
    ("cinder-snapshots-detail-all", "block-storage", "snapshots"),
    ("cinder-types", "block-storage", "types"),
]

RUN_ID = "sample-zed-1"
REGION = "RegionOne"


def context(resource, url):
    q = parse_qs(urlparse(url).query)
    m = re.search(r"/servers/([0-9a-f-]{36})/os-instance-actions", url)
    if m:
        return {"server_id": m.group(1)}
    if resource == "tenant_usage":
        return {"start": q["start"][0] + "Z", "end": q["end"][0] + "Z"}
    return None


def main():
    top = sys.argv[1]
    names = sorted(os.listdir(top))
    out = sys.stdout
    resources = []
    pages = []
    for prefix, service, resource in ORDER:
        for name in names:
            if not name.startswith(prefix) or not name.endswith(".json"):
                continue
            with open(os.path.join(top, name), encoding="utf-8") as f:
                rec = json.load(f)
            req, resp = rec["request"], rec["response"]
            mv = req["headers"].get("OpenStack-API-Version")
            env = {
                "type": "page", "run_id": RUN_ID, "service": service,
                "resource": resource, "region": REGION,
                "method": req["method"], "url": req["url"],
                "status": resp["status"],
                "microversion": mv.split()[-1] if mv else None,
                "fetched_at": rec["recorded_at"], "page": 1,
            }
            ctx = context(resource, req["url"])
            if ctx:
                env["context"] = ctx
            env["body"] = resp["body"]
            pages.append(env)
            key = service + "/" + resource
            if key not in resources:
                resources.append(key)
    start = {"type": "run_start", "run_id": RUN_ID, "source": "openstack",
             "cloud": "sample", "region": REGION,
             "started_at": "2026-11-25T15:37:39Z", "resources": resources}
    end = {"type": "run_end", "run_id": RUN_ID,
           "ended_at": "2026-11-25T15:38:41Z", "complete": True,
           "pages": len(pages), "failed": []}
    for r in [start] + pages + [end]:
        out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
