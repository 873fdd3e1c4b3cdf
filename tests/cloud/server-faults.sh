#!/bin/sh
# Each fault the test cloud injects on demand, seen from a client: latency,
# 500, 503, 429 with Retry-After, 403, a body cut short, a malformed body,
# a reset connection,
# a token that dies after N calls, a service missing from the catalog.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"

start_cloud --fault '{"fault": "status", "status": 500, "match": "/os-hypervisors"}'
tok=$(cloudctl token) || fail "token"
SRV=/compute/v2.1/servers/detail?all_tenants=1
get() { cloudctl get "$@" --token "$tok" --include; }

# A fault given on the command line fires once.
get /compute/v2.1/os-hypervisors/detail >"$T/out" 2>&1
expect_grep "--fault 500" '^HTTP 500$' "$T/out"
expect_grep "500 body" '"computeFault": {"code": 500' "$T/out"
expect_status "after the 500" 0 get /compute/v2.1/os-hypervisors/detail >/dev/null

inject() { cloudctl control /_control/faults "$1" >/dev/null || fail "inject $1"; }

inject '{"fault": "status", "status": 503, "match": "/servers/detail", "count": 2}'
get "$SRV" >"$T/a" 2>&1; get "$SRV" >"$T/b" 2>&1; get "$SRV" >"$T/c" 2>&1
expect_grep "503 first" '^HTTP 503$' "$T/a"
expect_grep "503 twice (count 2)" '^HTTP 503$' "$T/b"
expect_grep "then 200" '^HTTP 200$' "$T/c"

inject '{"fault": "status", "status": 429, "retry_after": 3}'
get /network/v2.0/ports >"$T/out" 2>&1
expect_grep "429" '^HTTP 429$' "$T/out"
expect_grep "429 Retry-After" '^Retry-After: 3$' "$T/out"

inject '{"fault": "status", "status": 403, "match": "/identity/v3/users"}'
get /identity/v3/users >"$T/out" 2>&1
expect_grep "403 from Keystone" '"code": 403, "title": "Forbidden"' "$T/out"
inject '{"fault": "status", "status": 403, "match": "/servers"}'
get "$SRV" >"$T/out" 2>&1
expect_grep "403 from Nova" '"forbidden": {"code": 403' "$T/out"

# skip lets requests through before the fault fires.
inject '{"fault": "status", "status": 503, "match": "/volumes", "skip": 1}'
V=/volume/v3/f2ebcaddb405447f81efa7cc31b9d53a/volumes/detail?all_tenants=1
expect_status "skip: first passes" 0 get "$V" >/dev/null
get "$V" >"$T/out" 2>&1
expect_grep "skip: second fails" '^HTTP 503$' "$T/out"

inject '{"fault": "truncate", "match": "/flavors"}'
get /compute/v2.1/flavors/detail >"$T/out" 2>&1
expect_eq "truncated body noticed" "$?" 3
expect_grep "truncated body" "^truncated body" "$T/out"
expect_status "whole body next time" 0 get /compute/v2.1/flavors/detail >/dev/null

inject '{"fault": "malformed", "match": "/os-hypervisors"}'
get /compute/v2.1/os-hypervisors/detail >"$T/out" 2>&1
"$PYTHON3" -c 'import json, sys; json.loads(sys.stdin.read().split("\n\n", 1)[1])' <"$T/out" 2>/dev/null
expect_eq "malformed body is not JSON" "$?" 1
expect_grep "malformed body comes with 200" '^HTTP 200$' "$T/out"
expect_status "well-formed next time" 0 get /compute/v2.1/os-hypervisors/detail >/dev/null

inject '{"fault": "reset", "match": "/subnets"}'
get /network/v2.0/subnets >"$T/out" 2>&1
expect_eq "reset connection noticed" "$?" 4
expect_status "answers after the reset" 0 get /network/v2.0/subnets >/dev/null

inject '{"fault": "latency", "seconds": 0.2, "match": "/routers", "count": 1}'
expect_status "slow answer still answers" 0 get /network/v2.0/routers >/dev/null
cloudctl control /_control/faults >"$T/faults"
expect_grep "latency fired once" '"fault": "latency", "seconds": 0.2, "match": "/routers", "count": 0, "skip": 0, "fired": 1' "$T/faults"

# A token that dies after two calls; a new one works.
inject '{"fault": "expire_token", "after": 2, "count": 1}'
t2=$(cloudctl token) || fail "token 2"
expect_status "call 1 of 2" 0 cloudctl get /identity/v3/projects --token "$t2" >/dev/null
expect_status "call 2 of 2" 0 cloudctl get /identity/v3/projects --token "$t2" >/dev/null
cloudctl get /identity/v3/projects --token "$t2" >"$T/out" 2>&1
expect_grep "call 3: token expired" '"code": 401' "$T/out"
t3=$(cloudctl token) || fail "token 3"
expect_status "a new token works" 0 cloudctl get /identity/v3/projects --token "$t3" >/dev/null
expect_status "and keeps working" 0 cloudctl get /identity/v3/projects --token "$t3" >/dev/null
expect_status "and keeps working" 0 cloudctl get /identity/v3/projects --token "$t3" >/dev/null

# A service missing from the catalog.
inject '{"fault": "no_service", "service": "network"}'
cat >"$T/auth.json" <<JSON
{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin",
"domain":{"name":"Default"},"password":"secret-admin-password"}}},
"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}
JSON
"$PYTHON3" -c '
import json, sys, urllib.request
r = urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/identity/v3/auth/tokens",
    data=open(sys.argv[2], "rb").read(), headers={"Content-Type": "application/json"}))
print(" ".join(sorted(s["type"] for s in json.load(r)["token"]["catalog"])))
' "$CLOUD_URL" "$T/auth.json" >"$T/types"
expect_eq "network left out of the catalog" "$(cat "$T/types")" "block-storage compute identity image volumev3"
get /network/v2.0/networks >"$T/out" 2>&1
expect_grep "network no longer served" '^HTTP 404$' "$T/out"

# Clearing faults brings everything back.
cloudctl control /_control/reset '{}' >/dev/null
expect_status "after reset" 0 get /network/v2.0/networks >/dev/null

# The log shows what each request got.
expect_grep "log: 503" "^GET /compute/v2.1/servers/detail?all_tenants=1 503$" "$T/cloud.log"
expect_grep "log: truncated" "^GET /compute/v2.1/flavors/detail 200 truncated$" "$T/cloud.log"
expect_grep "log: malformed" "^GET /compute/v2.1/os-hypervisors/detail 200 malformed$" "$T/cloud.log"
expect_grep "log: reset" "^GET /network/v2.0/subnets reset$" "$T/cloud.log"
expect_grep "log: 429" "^GET /network/v2.0/ports 429$" "$T/cloud.log"
finish
