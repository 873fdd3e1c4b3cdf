"""The benchmark's baseline: usage by project with the tree, written
plainly in Python (json module and dicts).  Each ACTIVE observation of an
instance counts one 15-minute interval of its SUs, max(vCPUs, RAM/4096);
projects roll up into their parents."""
import json
import sys
from collections import defaultdict

parent = {}
names = {}
su_seconds = defaultdict(int)
for line in sys.stdin:
    r = json.loads(line)
    t = r.get("type")
    if t == "instance":
        if r.get("status") == "ACTIVE":
            sus = max(r.get("vcpus") or 0, (r.get("ram_mb") or 0) // 4096)
            su_seconds[r["project_id"]] += 900 * sus
    elif t == "project":
        parent[r["id"]] = r.get("parent_id")
        names[r["id"]] = r.get("name")
    elif t == "domain":
        names[r["id"]] = r.get("name")
subtree = defaultdict(int)
for p, s in su_seconds.items():
    seen = set()
    while p is not None and p not in seen:
        seen.add(p)
        subtree[p] += s
        p = parent.get(p)
out = sys.stdout
for p in sorted(subtree):
    out.write(json.dumps({"type": "usage", "id": p, "name": names.get(p),
                          "su_hours": -(-subtree[p] // 3600)}) + "\n")
