#!/bin/sh
# The test cloud in fixture mode: tokens, token checking, paging to the end,
# the recorded Zed answers replayed, and a request log that names them all.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"

start_cloud
expect_grep "base URL printed" "^http://127.0.0.1:[0-9]*$" "$T/cloud.out"
expect_grep "clouds.yaml written" "auth_url: $CLOUD_URL/identity/v3" "$T/clouds.yaml"

# Tokens: password (project and system scope) and application credential.
tok=$(cloudctl token) || fail "password token"
sys=$(cloudctl token --scope system) || fail "system-scoped token"
app=$(cloudctl token --appcred) || fail "application-credential token"
expect_status "wrong password refused" 1 cloudctl token --password nope
expect_status "wrong secret refused" 1 cloudctl token --appcred --password nope
[ "$tok" != "$app" ] && [ "$tok" != "$sys" ] || fail "tokens are not distinct"

# The token body carries a catalog pointing at this server.
cat >"$T/auth.json" <<JSON
{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin",
"domain":{"name":"Default"},"password":"secret-admin-password"}}},
"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}
JSON
catalog() {
	"$PYTHON3" - "$CLOUD_URL" "$T/auth.json" >"$T/catalog" <<'PY'
import json, sys, urllib.request
base, body = sys.argv[1], open(sys.argv[2], "rb").read()
r = urllib.request.urlopen(urllib.request.Request(
    base + "/identity/v3/auth/tokens", data=body, method="POST",
    headers={"Content-Type": "application/json"}))
print("status", r.status)
tok = json.load(r)["token"]
for s in tok["catalog"]:
    for e in s["endpoints"]:
        print(s["type"], e["interface"], e["region_id"], e["url"])
PY
}
catalog
expect_grep "token issued with 201" "^status 201$" "$T/catalog"
for svc in identity compute network volumev3 block-storage; do
	for iface in public internal admin; do
		expect_grep "catalog: $svc $iface" "^$svc $iface RegionOne $CLOUD_URL/" "$T/catalog"
	done
done

# Token checking on every call, with Keystone's error body.
expect_status "no token: refused" 1 cloudctl get /compute/v2.1/servers/detail
cloudctl get /network/v2.0/networks --token bogus >"$T/401" 2>&1
expect_grep "bad token: Keystone-shaped 401" '"code": 401, "title": "Unauthorized"' "$T/401"
expect_status "app-cred token accepted" 0 cloudctl get /identity/v3/projects --token "$app"
expect_status "system token accepted" 0 cloudctl get /identity/v3/domains --token "$sys"

# Paging to the end, every paged API, with a page size of 2.
check_pages() {	# what path key want
	cloudctl pages "$2" "$3" --token "$tok" ${mv:+--mv "$mv"} >"$T/pages" 2>&1
	expect_eq "$1: paged to the end" "$(head -n 1 "$T/pages")" "$4"
	sort "$T/pages" | uniq -d | grep -q . && fail "$1: an item came twice"
}
mv="compute 2.79" check_pages "servers" "/compute/v2.1/servers/detail?all_tenants=1&limit=2" servers "6 items in 4 pages"
mv="compute 2.79" check_pages "servers (no all_tenants)" "/compute/v2.1/servers/detail?limit=2" servers "0 items in 1 pages"
mv="compute 2.79" check_pages "deleted servers" "/compute/v2.1/servers/detail?all_tenants=1&deleted=true&limit=1" servers "2 items in 3 pages"
mv="compute 2.79" check_pages "changes-since" "/compute/v2.1/servers/detail?all_tenants=1&changes-since=2026-11-24T15:37:39Z&limit=3" servers "8 items in 3 pages"
mv="compute 2.79" check_pages "deleted and changed since" "/compute/v2.1/servers/detail?all_tenants=1&deleted=true&changes-since=2026-11-25T15:35:10Z" servers "1 items in 1 pages"
mv="compute 2.66" check_pages "changes-before" "/compute/v2.1/servers/detail?all_tenants=1&changes-since=2026-11-24T00:00:00Z&changes-before=2026-11-25T15:35:10Z" servers "3 items in 1 pages"
mv="compute 2.79" check_pages "changes-since, none" "/compute/v2.1/servers/detail?all_tenants=1&changes-since=2099-01-01T00:00:00Z" servers "0 items in 1 pages"
mv="compute 2.61" check_pages "flavors" "/compute/v2.1/flavors/detail?is_public=None&limit=2" flavors "5 items in 3 pages"
mv="compute 2.40" check_pages "tenant usage" "/compute/v2.1/os-simple-tenant-usage?start=2026-11-24T15:37:40&end=2026-11-25T15:38:40&detailed=1&limit=2" tenant_usages "8 items in 5 pages"
mv= check_pages "networks" "/network/v2.0/networks?limit=2" networks "5 items in 3 pages"
mv= check_pages "ports" "/network/v2.0/ports?limit=4" ports "13 items in 4 pages"
vol=/volume/v3/f2ebcaddb405447f81efa7cc31b9d53a
mv="volume 3.60" check_pages "volumes" "$vol/volumes/detail?all_tenants=1&limit=2" volumes "5 items in 3 pages"
mv="volume 3.60" check_pages "attachments" "$vol/attachments?all_tenants=1&limit=1" attachments "2 items in 3 pages"
mv="compute 2.84" check_pages "instance actions" "/compute/v2.1/servers/b527a438-6acc-4c5f-978d-bad6f84e4225/os-instance-actions?limit=3" instanceActions "8 items in 3 pages"

# Every GET recorded from the real Zed cloud answered as Zed answered it.
"$PYTHON3" "$CLOUD_DIR/replay.py" "$CLOUD_URL" "$tok" >"$T/replay" 2>&1
expect_eq "replay of the Zed recordings" "$?" 0
grep -v '^same' "$T/replay"
expect_grep "replay compared pages" "^same: nova-servers-detail-limit3-page2.json" "$T/replay"

# Microversions: embedded flavor from 2.47, the 406 Zed sends beyond 2.93.
cloudctl get "/compute/v2.1/servers/detail?all_tenants=1" --token "$tok" --mv "compute 2.46" >"$T/246"
expect_grep "2.46: flavor by reference" '"flavor": {"id": "' "$T/246"
cloudctl get "/compute/v2.1/servers/detail?all_tenants=1" --token "$tok" --mv "compute 2.47" >"$T/247"
expect_grep "2.47: embedded flavor" '"flavor": {"vcpus": ' "$T/247"
cloudctl get "/compute/v2.1/servers/detail" --token "$tok" --mv "compute 9.99" >"$T/406" 2>&1
expect_grep "9.99: 406 as Zed says it" 'Version 9.99 is not supported by the API. Minimum is 2.1 and maximum is 2.93.' "$T/406"
cloudctl get "/compute/v2.1/flavors/82bd9b46-5218-485e-a0b8-cdfa3bc2e6a0/os-extra_specs" --token "$tok" >"$T/es"
expect_grep "os-extra_specs" '"extra_specs": {}' "$T/es"

# A client that writes is refused and logged.
"$PYTHON3" -c '
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1] + "/compute/v2.1/servers", data=b"{}",
    method="POST", headers={"X-Auth-Token": sys.argv[2], "Content-Type": "application/json"})
try:
    urllib.request.urlopen(req)
except urllib.error.HTTPError as e:
    print(e.code)
' "$CLOUD_URL" "$tok" >"$T/post"
expect_eq "POST to nova refused" "$(cat "$T/post")" 405
expect_grep "log: the refused POST" "^POST /compute/v2.1/servers 405$" "$T/cloud.log"

# The log names every request; a reader only ever sent GET and the POST.
expect_grep "log: token POST" "^POST /identity/v3/auth/tokens 201$" "$T/cloud.log"
expect_grep "log: paged GET" "^GET /compute/v2.1/servers/detail?all_tenants=1&limit=2&marker=.* 200$" "$T/cloud.log"
expect_eq "log: only GET and the token POST (but for the refused one)" \
	"$(grep -v '^POST /compute/v2.1/servers 405$' "$T/cloud.log" | cut -d' ' -f1,2 |
		sed 's/^GET .*/GET/' | sort -u | tr '\n' ' ')" "GET POST /identity/v3/auth/tokens "

# A second region: in the catalog, served under its own prefix.
kill "$CLOUD_PID"
start_cloud --extra-region RegionTwo
tok=$(cloudctl token) || fail "token (two regions)"
catalog
expect_grep "catalog: a second region" "^compute admin RegionTwo $CLOUD_URL/region/RegionTwo/admin/compute/v2.1$" "$T/catalog"
expect_status "second region answers" 0 cloudctl get /region/RegionTwo/admin/compute/v2.1/flavors --token "$tok" >/dev/null
expect_status "unknown region refused" 1 cloudctl get /region/Nowhere/compute/v2.1/flavors --token "$tok" >/dev/null 2>&1
cloudctl get /identity/v3/regions --token "$tok" >"$T/regions"
expect_grep "regions listed" '"id": "RegionTwo"' "$T/regions"

finish
