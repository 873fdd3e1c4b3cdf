#!/bin/sh
# Against the simulator's ground truth (tests/cloud/simulate.py): the cloud
# collected every 15 minutes with every instance action.
# Every instance's hours are within one hour of the truth, and the totals
# per SU type equal, exactly, the truth counted under the same rounding
# rules (whole hours per instance and month, divided among its flavors by
# largest remainder; SUs from the rates file).  Volumes and floating IPs
# are seen only when polled: each within 1.5 hours of the truth (15
# minutes late at either end, and the rounding up), in GiB-hours for
# volumes.
. "$top_srcdir/tests/lib/common.sh"
py=${PYTHON3:-python3}
command -v "$py" >/dev/null 2>&1 || skip "no python3"
cd "$T" || exit 99
from=2024-02-01T00:00:00Z
# seed, size, end: three small clouds over four days and a larger one
# over ten (where a one-poll shelve once joined the polls around it).
for run in 1:40:2024-02-05 2:40:2024-02-05 3:40:2024-02-05 \
    7:200:2024-02-11; do
	seed=${run%%:*} size=${run#*:} until=${run##*:}T00:00:00Z
	size=${size%%:*}
	"$py" "$top_srcdir/tests/usage-aggregate/sim-records.py" $seed $size \
	    $from $until >records.jsonl || { fail "seed $seed: records"; continue; }
	"$py" "$top_srcdir/tests/cloud/simulate.py" --seed $seed --size $size \
	    --from $from --until $until --out truth$seed ||
	    { fail "seed $seed: simulate.py"; continue; }
	usage-aggregate --since $from --until $until \
	    --rates "$DATA/nerc-rates/rates.yaml" --by instance \
	    <records.jsonl >out.jsonl 2>err || {
		fail "seed $seed: usage-aggregate: $(cat err)"
		continue
	}
	if "$py" - truth$seed/truth.jsonl out.jsonl >check 2>&1 <<'PY'
import json, sys
from collections import defaultdict
truth, ours = sys.argv[1], sys.argv[2]
# The SU definitions of February 2024 in nerc-rates.
PER = {"CPU": (1, 4096, 0), "GPUA100": (24, 75776, 1),
       "GPUA100SXM4": (31, 245760, 1), "GPUV100": (48, 196608, 1),
       "GPUK80": (6, 29184, 1), "GPUH100": (63, 385024, 1)}
def sutype(r):
    if r["gpu_count"]:
        return "GPU" + "".join(c for c in r["gpu_alias"].upper() if c.isalnum())
    return "CPU"
def sus(r):
    v, m, g = PER[sutype(r)]
    x = [r["vcpus"] // v, r["ram_mb"] // m]
    if g:
        x.append(r["gpu_count"] // g)
    return max(x)
secs = defaultdict(lambda: defaultdict(int))     # instance -> flavor -> s
kind = {}
for line in open(truth):
    r = json.loads(line)
    if r["type"] == "truth_interval" and r["state"] == "Running":
        key = (sutype(r), sus(r), r["flavor_id"])
        secs[r["instance_id"]][key] += r["seconds"]
want_tot = defaultdict(int)
want_h = {}
for inst, per in secs.items():
    total = sum(per.values())
    hours = {k: s // 3600 for k, s in per.items()}
    left = -(-total // 3600) - sum(hours.values())
    for k in sorted(per, key=lambda k: -(per[k] % 3600))[:left]:
        hours[k] += 1
    want_h[inst] = total / 3600.0
    for (t, n, f), h in hours.items():
        want_tot["OpenStack " + t] += h * n
got_h = defaultdict(int)
got_tot = {}
for line in open(ours):
    r = json.loads(line)
    if r["type"] == "usage" and r["su_type"] is not None:
        got_h[r["id"]] += r["instance_hours"]
    if r["type"] == "usage_total" and r["axis"] == "instance":
        got_tot[r["su_type"]] = r["su_hours"]
bad = []
for inst in set(want_h) | set(got_h):
    w, g = want_h.get(inst, 0.0), got_h.get(inst, 0)
    if abs(g - w) > 1:
        bad.append("instance %s: %d hours, truth %.3f" % (inst, g, w))
vol_truth = defaultdict(int)
vol_size = defaultdict(int)
fip_truth = defaultdict(int)
for line in open(truth):
    r = json.loads(line)
    if r["type"] == "truth_volume":
        vol_truth[r["volume_id"]] += r["seconds"] * r["size_gb"]
        vol_size[r["volume_id"]] = max(vol_size[r["volume_id"]], r["size_gb"])
    if r["type"] == "truth_floating_ip":
        fip_truth[r["floating_ip_id"]] += r["seconds"]
vol_got = defaultdict(int)
fip_got = defaultdict(int)
for line in open(ours):
    r = json.loads(line)
    if r["type"] == "usage" and r.get("kind") == "volume":
        vol_got[r["id"]] += r["volume_gib_hours"]
    if r["type"] == "usage" and r.get("kind") == "floating_ip":
        fip_got[r["id"]] += r["floating_ip_hours"]
for v in set(vol_truth) | set(vol_got):
    if abs(vol_got[v] - vol_truth[v] / 3600.0) > 1.5 * vol_size[v]:
        bad.append("volume %s: %d GiB-hours, truth %.2f" % (
            v, vol_got[v], vol_truth[v] / 3600.0))
for f in set(fip_truth) | set(fip_got):
    if abs(fip_got[f] - fip_truth[f] / 3600.0) > 1.5:
        bad.append("floating IP %s: %d hours, truth %.2f" % (
            f, fip_got[f], fip_truth[f] / 3600.0))
want_tot = {k: v for k, v in want_tot.items() if v}
if want_tot != got_tot:
    bad.append("totals %s, truth %s" % (got_tot, want_tot))
print("\n".join(bad) or "%d instances, %d volumes, %d floating IPs, "
      "totals %s" % (len(want_h), len(vol_truth), len(fip_truth), got_tot))
sys.exit(1 if bad else 0)
PY
	then
		pass "seed $seed: $(cat check)"
	else
		fail "seed $seed: $(cat check)"
	fi
done
exit $((test_failures > 0))
