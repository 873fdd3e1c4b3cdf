# GPU facts from flavor extra specs.  The api-ref has no GPU flavor, so
# the test derives variants of the v2.61 flavor sample (the fixture is
# not edited): a PCI alias with a count, two aliases, a vGPU resource,
# and malformed values (reported, GPU fields null).  Servers from 2.47 on
# embed the flavor with its extra specs and get the same fields.
P=${PYTHON3:-python3}
$P - "$DATA/openstack/nova/flavors/v2.61/flavor-get-resp.json" >body.json <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["flavor"]
specs = [{"pci_passthrough:alias": "a100:2"},
         {"pci_passthrough:alias": "a100:1, v100:3", "hw:cpu_policy": "dedicated"},
         {"resources:VGPU": "1"},
         {"pci_passthrough:alias": "a100"},
         {"pci_passthrough:alias": "a100:two"},
         {"resources:VGPU": 1}]
out = []
for i, s in enumerate(specs):
    g = dict(f, id="gpu-%d" % i, extra_specs=s)
    out.append(g)
print(json.dumps({"flavors": out}))
PY
$P - "$DATA/openstack/nova/servers/v2.100/server-get-resp.json" >server.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["server"]
s["flavor"]["extra_specs"] = {"pci_passthrough:alias": "a100:4"}
print(json.dumps({"servers": [s]}))
PY
{
	printf '{"type":"page","service":"compute","resource":"flavors","region":"RegionOne","status":200,"fetched_at":"2026-11-25T16:00:00Z","body":'
	tr -d '\n' <body.json
	printf '}\n{"type":"page","service":"compute","resource":"servers","region":"RegionOne","status":200,"fetched_at":"2026-11-25T16:00:00Z","body":'
	tr -d '\n' <server.json
	printf '}\n'
} | os-normalize
