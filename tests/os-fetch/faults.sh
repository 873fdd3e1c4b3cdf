#!/bin/sh
# os-fetch under the faults the test cloud injects: retried failures that
# heal (503, 429 with Retry-After, a cut body, a reset connection, a
# timeout), failures that outlast the retries (exit 75), 403, a service
# missing from the catalog, and a token that expires mid-run (401).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
start_cloud
. "$top_srcdir/tests/os-fetch/lib.sh"

# A run that heals: exit 0, complete, and the fault seen in the log.
# NAME FAULT LOG-PATTERN os-fetch-options...
heals() {
	name=$1 fault=$2 pattern=$3
	shift 3
	inject "$fault"
	mark_log
	fetch "$name" --retries 3 "$@"
	expect_eq "$name: exit" "$(fetch_status "$name")" 0
	expect_eq "$name: complete" "$(run_end "$name" | jq .complete)" true
	log_since_mark >"$T/$name.log"
	expect_grep "$name: the fault happened" "$pattern" "$T/$name.log"
	reset_faults
}

heals 503 '{"fault": "status", "status": 503, "match": "/servers/detail", "count": 2}' \
	'^GET /compute/v2.1/servers/detail?all_tenants=1&limit=1000 503$' -r compute/servers
expect_eq "503: retried to a 200" \
	"$(grep -c '/servers/detail.* 200$' "$T/503.log")" 1
expect_eq "503: one page written" \
	"$(jq -c 'select(.resource == "servers") | .status' "$T/503.jsonl")" 200

heals 500 '{"fault": "status", "status": 500, "match": "/networks"}' \
	'^GET /network/v2.0/networks?limit=1000 500$' -r network/networks

heals truncate '{"fault": "truncate", "match": "/flavors"}' \
	'/flavors/detail.* 200 truncated$' -r compute/flavors
expect_eq "truncate: the cut body is not written" \
	"$(jq -c 'select(.type == "page") | .body.flavors | length' "$T/truncate.jsonl")" \
	"$(jq '.response.body.flavors | length' "$ZED/nova-flavors-detail-all-2.61.json")"

heals malformed '{"fault": "malformed", "match": "/volumes/detail"}' \
	'/volumes/detail.* 200 malformed$' -r block-storage/volumes
expect_eq "malformed: only the good body written" \
	"$(jq -c 'select(.type == "page") | .body.volumes | length' "$T/malformed.jsonl")" \
	"$(jq '.response.body.volumes | length' "$ZED/cinder-volumes-detail-all-3.60.json")"

heals reset '{"fault": "reset", "match": "/subnets"}' \
	'/subnets.* reset$' -r network/subnets

# (The log line of the slow answer may come after the run: the fault's
# own count says it fired; a 1 s timeout cannot wait for a 4 s answer.)
inject '{"fault": "latency", "seconds": 4, "match": "/routers", "count": 1}'
fetch timeout --retries 3 --timeout 1 -r network/routers
expect_eq "timeout: exit" "$(fetch_status timeout)" 0
expect_eq "timeout: complete" "$(run_end timeout | jq .complete)" true
expect_grep "timeout: the slow answer was asked for" '"fired": 1' \
	"$(cloudctl control /_control/faults >"$T/timeout.faults"; echo "$T/timeout.faults")"
reset_faults

# Retry-After: the second attempt waits at least as long as asked.
t0=$(date +%s%N)
heals 429 '{"fault": "status", "status": 429, "retry_after": 3, "match": "/ports"}' \
	'/ports.* 429$' -r network/ports
t1=$(date +%s%N)
waited=$(( (t1 - t0) / 1000000 ))
if [ "$waited" -ge 3000 ]; then
	pass "429: waited Retry-After (${waited} ms)"
else
	fail "429: retried after ${waited} ms, before Retry-After: 3"
fi

# Failures that outlast the retries: the run ends, incomplete, exit 75.
inject '{"fault": "status", "status": 503, "match": "/volumes/detail", "count": 100}'
mark_log
fetch down503 --retries 2 -r block-storage/volumes,block-storage/types
expect_eq "503 forever: exit 75" "$(fetch_status down503)" 75
expect_eq "503 forever: run_end" "$(run_end down503)" \
	'{"type":"run_end","complete":false,"pages":2,"failed":[{"resource":"block-storage/volumes","status":503,"error":"HTTP status 503 from '"$CLOUD_URL"'/volume/v3/f2ebcaddb405447f81efa7cc31b9d53a/volumes/detail?all_tenants=1&limit=1000","failures":1}]}'
expect_eq "503 forever: three attempts" \
	"$(log_since_mark | grep -c '/volumes/detail.* 503$')" 3
expect_grep "503 forever: message" \
	"^os-fetch: block-storage/volumes: HTTP status 503 from" "$T/down503.err"
expect_eq "503 forever: error page kept" \
	"$(jq -c 'select(.resource == "volumes") | [.status, (.body | keys)]' "$T/down503.jsonl")" \
	'[503,["computeFault"]]'
reset_faults

inject '{"fault": "malformed", "match": "/os-hypervisors", "count": 100}'
fetch downbad --retries 1 -r compute/hypervisors
expect_eq "malformed forever: exit 75" "$(fetch_status downbad)" 75
expect_grep "malformed forever: message" "compute/hypervisors: malformed body from .*/os-hypervisors/detail" "$T/downbad.err"
expect_eq "malformed forever: no page" "$(grep -c '"type":"page"' "$T/downbad.jsonl")" 0
reset_faults

inject '{"fault": "reset", "match": "/routers", "count": 100}'
fetch downreset --retries 1 -r network/routers
expect_eq "reset forever: exit 75" "$(fetch_status downreset)" 75
expect_eq "reset forever: failed" \
	"$(run_end downreset | jq -c '.failed[] | [.resource, .status]')" \
	'["network/routers",null]'
reset_faults

inject '{"fault": "latency", "seconds": 3, "match": "/subnets"}'
fetch downslow --retries 1 --timeout 1 -r network/subnets
expect_eq "timeout forever: exit 75" "$(fetch_status downslow)" 75
expect_grep "timeout forever: message" "network/subnets: .*[Tt]imeout" "$T/downslow.err"
reset_faults

# 403: no point retrying; the message says what the account lacks.
inject '{"fault": "status", "status": 403, "match": "/identity/v3/users"}'
fetch forbidden -r identity
expect_eq "403: exit 1" "$(fetch_status forbidden)" 1
expect_grep "403: needs admin or reader" \
	"identity/users: 403 Forbidden .*needs the admin role (or a reader role" \
	"$T/forbidden.err"
expect_eq "403: the others are read" \
	"$(jq -r 'select(.type == "page") | "\(.resource) \(.status)"' "$T/forbidden.jsonl" | sort | tr '\n' ' ')" \
	"domains 200 projects 200 role_assignments 200 users 403 "
expect_eq "403: failed lists users" \
	"$(run_end forbidden | jq -c '[.complete, [.failed[] | [.resource, .status]]]')" \
	'[false,[["identity/users",403]]]'
reset_faults

# 401 mid-run: the token dies after 3 calls; one new token, run complete.
inject '{"fault": "expire_token", "after": 3, "count": 1}'
mark_log
fetch expired -r identity,network
expect_eq "401: exit 0" "$(fetch_status expired)" 0
expect_eq "401: complete" "$(run_end expired | jq .complete)" true
log_since_mark >"$T/expired.log"
expect_eq "401: two tokens asked for" "$(grep -c '^POST /identity/v3/auth/tokens 201$' "$T/expired.log")" 2
expect_grep "401: seen" ' 401$' "$T/expired.log"
expect_eq "401: no 401 page written" \
	"$(jq -c 'select(.type == "page" and .status != 200)' "$T/expired.jsonl")" ""
reset_faults

# ... and when the new token dies too, the run fails instead of looping.
inject '{"fault": "expire_token", "after": 2, "count": 2}'
mark_log
fetch expired2 -r identity,network
expect_eq "401 twice: exit 1" "$(fetch_status expired2)" 1
expect_eq "401 twice: two tokens only" \
	"$(log_since_mark | grep -c '^POST /identity/v3/auth/tokens')" 2
expect_grep "401 twice: message" "401 Unauthorized from .*even with a new token" "$T/expired2.err"
expect_eq "401 twice: incomplete" "$(run_end expired2 | jq .complete)" false
reset_faults

# A service missing from the catalog: skipped, warned about, incomplete.
inject '{"fault": "no_service", "service": "network"}'
mark_log
fetch nonet -r identity/domains,network/networks,network/ports
expect_eq "no network: exit 1" "$(fetch_status nonet)" 1
expect_grep "no network: warning" \
	"network/networks: no network endpoint (interface public, region RegionOne) in the service catalog; skipped" \
	"$T/nonet.err"
expect_eq "no network: failed" \
	"$(run_end nonet | jq -c '[.complete, [.failed[].resource]]')" \
	'[false,["network/networks","network/ports"]]'
# (networks and ports only: a slow answer of an earlier case may land late)
expect_eq "no network: nothing asked of it" \
	"$(log_since_mark | grep -Ec '/network/v2.0/(networks|ports)')" 0
expect_eq "no network: the rest read" \
	"$(jq -r 'select(.type == "page") | .resource' "$T/nonet.jsonl")" domains
finish
