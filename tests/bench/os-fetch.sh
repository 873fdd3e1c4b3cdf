#!/bin/sh
# make bench-os-fetch: os-fetch's full collection against the test cloud
# serving a simulated cloud of BENCH_SIZE instances (default 13400: about
# 10,000 alive at the end), instance actions read for the 1% of servers
# changed most recently, side by side with
# "openstack server list --all-projects --long -f json" (the server part
# alone) against the same server.  Prints wall time and peak RSS of both,
# and os-fetch's peak RSS on clouds a tenth and twice the size: memory
# should not grow with the number of servers.  Nothing here is asserted: figures only.
#
# The test server is Python: the first request for a listing at a
# simulated instant builds it (and its items' JSON) for that instant.
# Each client is timed on a second run, after a first that warmed the
# server for it, so that neither pays the other's warm-up; the first
# collection is printed too.  The warm-up runs' output is kept and
# checked; the timed runs write to /dev/null (as hyperfine does), so that
# neither figure includes this disk's writeback of what it wrote.  Each
# timed figure is the median of BENCH_REPEAT runs (default 5).  The server's own CPU time during each
# timed run (from /proc) shows how much of the wall time was the server
# working rather than the client.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
SIZE=${BENCH_SIZE:-13400}
PARALLEL=${BENCH_PARALLEL:-8}
REPEAT=${BENCH_REPEAT:-5}
export OS_CLIENT_CONFIG_FILE="$T/clouds.yaml" OS_CLOUD=test
TIME=/usr/bin/time
[ -x "$TIME" ] || skip "/usr/bin/time is not installed (Debian package time)"

TICKS=$(getconf CLK_TCK 2>/dev/null) || TICKS=100

# The server's CPU time so far, in clock ticks (user + system), or
# nothing where /proc does not tell.
server_ticks() {
	[ -r "/proc/$CLOUD_PID/stat" ] || return 0
	# Fields after the command name, which is in parentheses.
	sed 's/^.*) //' "/proc/$CLOUD_PID/stat" | awk '{ print $12 + $13 }'
}

# NAME CMD...: wall seconds, peak RSS (KB), user and system seconds of
# CMD into $T/NAME.time, the server's CPU seconds meanwhile into
# $T/NAME.server; its output into $T/NAME.out (measure) or /dev/null
# (measure_timed).
measure() {
	measure_into "$T/$1.out" "$@"
}

# The run of median wall time of $REPEAT: one run's wall time on a busy
# two-core machine is a sample, not a figure.
measure_timed() {
	tname=$1
	shift
	i=0
	: >"$T/$tname.runs"
	while [ "$i" -lt "$REPEAT" ]; do
		i=$((i + 1))
		measure_into /dev/null "$tname.$i" "$@"
		echo "$(cut -d' ' -f1 "$T/$tname.$i.time") $i" >>"$T/$tname.runs"
	done
	mid=$(sort -n "$T/$tname.runs" | sed -n "$(((REPEAT + 1) / 2))p" | cut -d' ' -f2)
	cp "$T/$tname.$mid.time" "$T/$tname.time"
	# Peak RSS: the largest of the runs, not the median run's.
	cat "$T/$tname".[0-9]*.time | awk '$2 > m { m = $2 } END { print m }' \
	    >"$T/$tname.rss"
	cp "$T/$tname.$mid.server" "$T/$tname.server"
	cp "$T/$tname.$mid.err" "$T/$tname.err"
}

measure_into() {
	out=$1
	name=$2
	shift 2
	t0=$(server_ticks)
	"$TIME" -f '%e %M %U %S' -o "$T/$name.time" "$@" >"$out" 2>"$T/$name.err"
	st=$?
	t1=$(server_ticks)
	if [ -n "$t0" ] && [ -n "$t1" ]; then
		awk -v a="$t0" -v b="$t1" -v hz="$TICKS" \
			'BEGIN { printf "%.2f\n", (b - a) / hz }' >"$T/$name.server"
	else
		echo "n/a" >"$T/$name.server"
	fi
	[ "$st" -eq 0 ] || { echo "$name failed ($st):"; tail -5 "$T/$name.err"; }
}

# NAME: "W s wall, U s CPU, K KB peak RSS; server CPU S s"
figures() {
	read -r w k u sy <"$T/$1.time"
	awk -v w="$w" -v k="$k" -v u="$u" -v s="$sy" -v srv="$(cat "$T/$1.server")" \
		'BEGIN { printf "%s s wall, %.2f s CPU, %s KB peak RSS; server CPU %s s\n", w, u + s, k, srv }'
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
	bytes=$(wc -c <"$T/$1.out")
}

# The timed run, after fetch_run warmed the server for it.
fetch_timed() {
	measure_timed "$1" os-fetch -q -j "$PARALLEL" --changes-since "$SINCE"
}

cloud $((SIZE / 10))
small_live=$live
fetch_run small_first
fetch_timed small
small_rss=$(cat "$T/small.rss")
measure_timed small_servers os-fetch -q -r compute/servers
small_servers_rss=$(cat "$T/small_servers.rss")
kill "$CLOUD_PID" 2>/dev/null; wait "$CLOUD_PID" 2>/dev/null

cloud "$SIZE"
fetch_run first
fetch_timed big
measure_timed servers os-fetch -q -r compute/servers
read -r servers_s _ <"$T/servers.time"
read -r fetch_s _ <"$T/big.time"
servers_kb=$(cat "$T/servers.rss")
fetch_kb=$(cat "$T/big.rss")
echo "os-fetch: $live live servers, complete/pages $pages, actions of $actions changed servers ($shows actions shown), $bytes bytes"

cli="not run"
if command -v openstack >/dev/null 2>&1; then
	CLI="openstack server list --all-projects --long --limit -1 -f json"
	measure cli_first $CLI
	measure_timed cli $CLI
	read -r cli_s cli_kb _ <"$T/cli.time"
	cli_n=$(jq length "$T/cli_first.out" 2>/dev/null)
	cli="$(figures cli) ($cli_n servers)"
fi

# Memory once more at twice the size: flat means no growth past the size
# at which the pages in flight are full.
kill "$CLOUD_PID" 2>/dev/null; wait "$CLOUD_PID" 2>/dev/null
big_live=$live
cloud $((SIZE * 2))
double_live=$live
live=$big_live
fetch_run double_first
fetch_timed double
measure_timed double_servers os-fetch -q -r compute/servers

echo
echo "  os-fetch full collection ($live servers): $(figures big)"
echo "    (first collection at this instant, server warming up: $(figures first))"
echo "  os-fetch -r compute/servers alone: $(figures servers)"
echo "  openstack server list --all-projects --long --limit -1 -f json: $cli"
[ -n "${cli_s:-}" ] &&
	echo "    (first listing at this instant: $(figures cli_first))"
[ -n "${cli_s:-}" ] && awk -v a="$cli_s" -v b="$fetch_s" 'BEGIN {
	if (b <= 0)
		exit
	r = a / b
	printf "  CLI server listing / os-fetch full collection: %.1fx (target: 10x, %s)\n",
	    r, (r >= 10 ? "met" : "not met") }'
[ -n "${cli_s:-}" ] && awk -v a="$cli_s" -v b="$servers_s" 'BEGIN {
	if (b > 0) printf "  CLI server listing / os-fetch server listing: %.1fx\n", a / b }'
echo "  os-fetch full collection ($double_live servers): $(figures double)"
echo "  os-fetch peak RSS (largest of $REPEAT runs), full collection: $small_rss KB at $small_live servers, $fetch_kb KB at $live, $(cat "$T/double.rss") KB at $double_live"
echo "  os-fetch peak RSS (largest of $REPEAT runs), servers only:    $small_servers_rss KB at $small_live servers, $servers_kb KB at $live, $(cat "$T/double_servers.rss") KB at $double_live"
exit 0
