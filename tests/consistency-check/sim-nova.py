"""sim-nova.py: nova's os-simple-tenant-usage of the simulated cloud
(tests/cloud/simulate.py) as os-normalize writes it: tenant_usage records
for the window [FROM, UNTIL), fetched at UNTIL.

  sim-nova.py SEED SIZE FROM UNTIL >tenant-usage.jsonl

The same cloud as tests/usage-aggregate/sim-records.py SEED SIZE FROM
UNTIL: appended to its output, the stream carries both our side and
nova's."""
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
rows, _ = w.usage(t_from, t_until, t_until)
ws, we = fmt_time(t_from), fmt_time(t_until)


def t(s):
    return None if s is None else fmt_time(int(parse_time(s)))


for u in rows:
    print(json.dumps({
        "type": "tenant_usage",
        "id": "%s:%s:%s" % (u["instance_id"], ws, we),
        "region": "RegionOne", "observed_at": we, "run_id": "usage",
        "instance_id": u["instance_id"], "project_id": u["tenant_id"],
        "name": u["name"], "flavor_name": u["flavor"],
        "vcpus": u["vcpus"], "ram_mb": u["memory_mb"],
        "disk_gb": u["local_gb"], "hours": u["hours"],
        "started_at": t(u["started_at"]), "ended_at": t(u["ended_at"]),
        "state": u["state"], "window_start": ws, "window_end": we},
        separators=(",", ":")))
