#!/bin/sh
# bench-usage-aggregate: usage-aggregate --by project with the tree against
# json_verify -s (the parse limit) and a plain Python aggregation, on a
# generated stream of BENCH_RECORDS records (default 10 million; 10,000
# projects, 20,000 users), and peak memory for 1M and for BENCH_RECORDS.
#   sh tests/bench/usage-aggregate.sh   (make bench-usage-aggregate)
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
n=${BENCH_RECORDS:-10000000}
ua=$top_builddir/bin/usage-aggregate
rates=$top_srcdir/tests/data/nerc-rates/rates.yaml
py=${PYTHON3:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-ua.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

gen() {
	awk -v n="$1" -f "$top_srcdir/tests/bench/usage-aggregate-gen.awk"
}

# run NAME CMD...: CPU seconds (user + system; the machine may be shared,
# so wall time is shown but not compared) and peak RSS (KB) of CMD.
run() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" nice -n 10 "$@" \
	    <"$tmp/stream" >"$tmp/out.$name"
	read -r wall user sys kb <"$tmp/time"
	secs=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	eval "secs_$name=$secs kb_$name=$kb"
	mbps=$(awk -v b="$bytes" -v s="$secs" \
	    'BEGIN { if (s > 0) printf "%.1f", b / 1048576 / s; else print "-" }')
	printf '%-16s %7.2f s CPU %7.2f s wall %8s MB/s %8d KB peak RSS\n' \
	    "$name" "$secs" "$wall" "$mbps" "$kb"
}

t0=$(date +%s)
gen "$n" >"$tmp/stream"
bytes=$(wc -c <"$tmp/stream")
records=$(wc -l <"$tmp/stream")
echo "stream: $records records, $bytes bytes (generated in" \
    "$(( $(date +%s) - t0 )) s)"
run json_verify json_verify -s
run usage_aggregate "$ua" --month 2024-03 --by project --rates "$rates" \
    --generated-at 2024-04-01T00:00:00Z
if command -v "$py" >/dev/null 2>&1; then
	run python "$py" "$top_srcdir/tests/bench/usage-aggregate-plain.py"
fi
awk -v a="$secs_usage_aggregate" -v j="$secs_json_verify" \
    -v p="${secs_python:-0}" 'BEGIN {
	if (a <= 0)
		a = 0.01	# below the resolution of time(1)
	printf "usage-aggregate: %.0f%% of json_verify throughput", 100 * j / a
	print " (target >= 50%)"
	if (p > 0)
		printf "usage-aggregate: %.1fx the Python aggregation (target >= 20x)\n", p / a
}'
# Memory grows with keys (projects, users, instances), not records.
if [ "$n" -gt 1000000 ]; then
	gen 1000000 >"$tmp/stream"
	bytes=$(wc -c <"$tmp/stream")
	kb_big=$kb_usage_aggregate
	run usage_aggregate "$ua" --month 2024-03 --by project \
	    --rates "$rates" --generated-at 2024-04-01T00:00:00Z
	echo "peak RSS: $kb_usage_aggregate KB for 1M records," \
	    "$kb_big KB for $records records"
fi
