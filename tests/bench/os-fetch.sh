#!/bin/sh
# make bench-os-fetch: os-fetch's full collection against the test cloud
# serving a simulated cloud of BENCH_SIZE instances (default 13400: about
# 10,000 alive at the end), instance actions read for the 1% of servers
# changed most recently, side by side with
# "openstack server list --all-projects --long -f json" (the server part
# alone) against the same server.  Prints wall time and peak RSS of both,
# and os-fetch's peak RSS on a cloud a tenth the size: memory should not
# grow with the number of servers.  Nothing here is asserted: figures only.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
SIZE=${BENCH_SIZE:-13400}
PARALLEL=${BENCH_PARALLEL:-8}
export OS_CLIENT_CONFIG_FILE="$T/clouds.yaml" OS_CLOUD=test
TIME=/usr/bin/time
[ -x "$TIME" ] || skip "/usr/bin/time is not installed (Debian package time)"

# NAME CMD...: wall seconds and peak RSS (KB) of CMD into $T/NAME.time
measure() {
	name=$1
	shift
	"$TIME" -f '%e %M' -o "$T/$name.time" "$@" >"$T/$name.out" 2>"$T/$name.err"
	st=$?
	[ "$st" -eq 0 ] || { echo "$name failed ($st):"; tail -5 "$T/$name.err"; }
}

# SIZE: start a simulated cloud; pick the changes-since instant that
# leaves 1% of the live servers changed after it.
cloud() {
	start_cloud --simulate --seed 1 --size "$1" \
		--from 2024-01-01T00:00:00Z --until 2024-02-01T00:00:00Z
	os-fetch -q -r compute/servers >"$T/servers.jsonl" ||
		{ echo "listing the servers failed"; exit 99; }
	live=$(jq -r 'select(.type == "page") | .body.servers[].updated' "$T/servers.jsonl" | sort >"$T/updated"; wc -l <"$T/updated")
	n=$((live / 100))
	[ "$n" -gt 0 ] || n=1
	SINCE=$(tail -n "$n" "$T/updated" | head -1)
}

fetch_run() {
	measure "$1" os-fetch -q -j "$PARALLEL" --changes-since "$SINCE"
	pages=$(jq -c 'select(.type == "run_end") | [.complete, .pages]' "$T/$1.out")
	actions=$(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/$1.out" | sort -u | wc -l)
	shows=$(grep -c '"resource":"instance_action"' "$T/$1.out")
}

cloud $((SIZE / 10))
small_live=$live
fetch_run small
small_rss=$(cut -d' ' -f2 "$T/small.time")
measure small_servers os-fetch -q -r compute/servers
small_servers_rss=$(cut -d' ' -f2 "$T/small_servers.time")
kill "$CLOUD_PID" 2>/dev/null; wait "$CLOUD_PID" 2>/dev/null

cloud "$SIZE"
fetch_run big
measure servers os-fetch -q -r compute/servers
read -r servers_s servers_kb <"$T/servers.time"
read -r fetch_s fetch_kb <"$T/big.time"
echo "os-fetch: $live live servers, complete/pages $pages, actions of $actions changed servers ($shows actions shown), $(wc -c <"$T/big.out") bytes"

cli="not run"
if command -v openstack >/dev/null 2>&1; then
	measure cli openstack server list --all-projects --long --limit -1 -f json
	read -r cli_s cli_kb <"$T/cli.time"
	cli_n=$(jq length "$T/cli.out" 2>/dev/null)
	cli="$cli_s s wall, $cli_kb KB peak RSS ($cli_n servers)"
fi

echo
echo "  os-fetch full collection ($live servers): $fetch_s s wall, $fetch_kb KB peak RSS"
echo "  os-fetch -r compute/servers alone: $servers_s s wall, $servers_kb KB peak RSS"
echo "  openstack server list --all-projects --long --limit -1 -f json: $cli"
[ -n "${cli_s:-}" ] && awk -v a="$cli_s" -v b="$fetch_s" 'BEGIN {
	if (b > 0) printf "  CLI server listing / os-fetch full collection: %.1fx\n", a / b }'
[ -n "${cli_s:-}" ] && awk -v a="$cli_s" -v b="$servers_s" 'BEGIN {
	if (b > 0) printf "  CLI server listing / os-fetch server listing: %.1fx\n", a / b }'
echo "  os-fetch peak RSS, full collection: $small_rss KB at $small_live servers, $fetch_kb KB at $live servers"
echo "  os-fetch peak RSS, servers only:    $small_servers_rss KB at $small_live servers, $servers_kb KB at $live servers"
exit 0
