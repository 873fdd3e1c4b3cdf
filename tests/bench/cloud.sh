#!/bin/sh
# bench-cloud: how fast the loopback test cloud starts and serves a
# simulated cloud of BENCH_SIZE instances (default 10000), so that the
# collectors' benchmarks know what share of their time is the server's.
# Prints figures; asserts nothing.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
size=${BENCH_SIZE:-10000}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

t0=$(now)
"$PYTHON3" "$CLOUD_DIR/simulate.py" --seed 1 --size "$size" --out "$T/sim" || exit 1
t1=$(now)
echo "simulate.py --size $size: $(secs "$t0" "$t1") s;" \
	"truth $(wc -l <"$T/sim/truth.jsonl") records"

t0=$(now)
start_cloud --simulate --seed 1 --size "$size"
t1=$(now)
echo "server start-up (simulate + listen): $(secs "$t0" "$t1") s"
tok=$(cloudctl token) || exit 1

page() {	# what path key [mv]
	t0=$(now)
	n=$(cloudctl pages "$2" "$3" --token "$tok" ${4:+--mv "$4"} | head -n 1)
	t1=$(now)
	echo "$1: $n in $(secs "$t0" "$t1") s"
}
page "servers/detail (2.79, 1000 a page)" "/compute/v2.1/servers/detail?all_tenants=1" servers "compute 2.79"
page "servers/detail again (cached instant)" "/compute/v2.1/servers/detail?all_tenants=1" servers "compute 2.79"
page "servers/detail deleted=true" "/compute/v2.1/servers/detail?all_tenants=1&deleted=true" servers "compute 2.79"
page "users" "/identity/v3/users" users
page "ports" "/network/v2.0/ports" ports
page "tenant usage (2.40)" "/compute/v2.1/os-simple-tenant-usage?start=2024-01-01T00:00:00Z&end=2024-02-01T00:00:00Z&detailed=1" tenant_usages "compute 2.40"
cloudctl control /_control/time '{"now": "2024-01-31T23:45:00Z"}' >/dev/null
page "servers/detail at a new instant" "/compute/v2.1/servers/detail?all_tenants=1" servers "compute 2.79"

if command -v openstack >/dev/null 2>&1; then
	export OS_CLIENT_CONFIG_FILE="$T/clouds.yaml" OS_CLOUD=test HOME="$T"
	t0=$(now)
	openstack server list --all-projects --long -f json >"$T/cli.json" || echo "openstack failed"
	t1=$(now)
	echo "openstack server list --all-projects --long -f json:" \
		"$(grep -c '"ID"' "$T/cli.json") servers in $(secs "$t0" "$t1") s"
fi
echo "server peak memory: $(awk '/VmHWM/ { print $2, $3 }' "/proc/$CLOUD_PID/status")"
