#!/bin/sh
# The ground truth is self-consistent (intervals contiguous, covering each
# instance's life in the window, shares summing to 1) and agrees with what
# the test cloud serves at any instant, polled every 15 simulated minutes.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"

args="--seed 5 --size 300 --from 2024-01-01T00:00:00Z --until 2024-02-01T00:00:00Z"
"$PYTHON3" "$CLOUD_DIR/simulate.py" $args --out "$T/sim" || fail "simulate"
start_cloud --simulate $args
tok=$(cloudctl token) || fail "token"

# Polls every 15 minutes through one simulated day, then a few instants.
at=
for h in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23; do
	for m in 00 15 30 45; do at="$at --at 2024-01-17T$h:$m:00Z"; done
done
"$PYTHON3" "$CLOUD_DIR/check_truth.py" "$T/sim" --url "$CLOUD_URL" --token "$tok" \
	$at --at 2024-01-01T00:00:00Z --at 2024-01-31T23:59:59Z --scenarios >"$T/check" 2>&1
expect_eq "ground truth checks" "$?" 0
grep -v '^served at' "$T/check"
expect_grep "every poll checked" "^served at 2024-01-17T23:45:00Z: [1-9][0-9]* servers agree" "$T/check"

# Hypervisors: usage figures before 2.88 add up to the servers on them.
cloudctl control /_control/time '{"now": "2024-01-20T08:00:00Z"}' >/dev/null
cloudctl get /compute/v2.1/os-hypervisors/detail --token "$tok" --mv "compute 2.87" >"$T/hv87"
cloudctl get /compute/v2.1/os-hypervisors/detail --token "$tok" --mv "compute 2.88" >"$T/hv88"
cloudctl get "/compute/v2.1/servers/detail?all_tenants=1" --token "$tok" --mv "compute 2.79" >"$T/srv"
"$PYTHON3" - "$T/hv87" "$T/hv88" "$T/srv" >"$T/hv" <<'PY'
import json, sys
h87, h88, srv = (json.load(open(f)) for f in sys.argv[1:])
used = sum(h["vcpus_used"] for h in h87["hypervisors"])
on = sum(s["flavor"]["vcpus"] for s in srv["servers"] if s["OS-EXT-SRV-ATTR:host"])
print("vcpus_used", used, "servers", on)
print("2.88 has vcpus:", any("vcpus" in h for h in h88["hypervisors"]))
PY
expect_grep "hypervisors 2.87: vcpus_used adds up" "^vcpus_used \([0-9]*\) servers \1$" "$T/hv"
expect_grep "hypervisors 2.88: no usage figures" "^2.88 has vcpus: False$" "$T/hv"

# The check itself notices a broken truth: a second cut out of an interval.
"$PYTHON3" - "$T/sim/truth.jsonl" "$T/broken" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
os.symlink(os.path.join(os.path.dirname(src), "admin.jsonl"), os.path.join(out, "admin.jsonl"))
done = False
with open(src) as f, open(os.path.join(out, "truth.jsonl"), "w") as g:
    for line in f:
        r = json.loads(line)
        if not done and r["type"] == "truth_interval" and r["seconds"] > 2:
            r["start"] = r["start"][:-3] + "%02dZ" % ((int(r["start"][-3:-1]) + 1) % 60)
            done = True
        g.write(json.dumps(r) + "\n")
PY
"$PYTHON3" "$CLOUD_DIR/check_truth.py" "$T/broken" >"$T/check2" 2>&1
expect_eq "a broken truth is caught" "$?" 1
expect_grep "broken truth: message" "^error: " "$T/check2"

# The clock: read and moved through /_control/time.
cloudctl control /_control/time '{"now": "2024-01-09T10:30:00Z"}' >/dev/null
cloudctl control /_control/time >"$T/now"
expect_grep "time moved" '"now": "2024-01-09T10:30:00Z"' "$T/now"
cloudctl control /_control/time '{"now": "noon"}' >"$T/out"
expect_eq "bad time refused" "$?" 1
finish
