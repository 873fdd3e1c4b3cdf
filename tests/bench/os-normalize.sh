#!/bin/sh
# bench-os-normalize: throughput and peak memory of os-normalize on a
# generated stream of Nova server pages, beside yajl's own validator
# (json_verify -s: parsing alone, the limit) and jq doing the same
# projection (tests/bench/os-normalize.jq).
#
# BENCH_MB sets the size of the stream (default 1024); peak memory is also
# measured on a stream of a tenth of that size, to show that it is flat.
# Run by `make bench-os-normalize`; needs json_verify (yajl-tools), jq and
# GNU time (/usr/bin/time).
set -u
: "${top_srcdir:?run through make bench-os-normalize}"
: "${top_builddir:?run through make bench-os-normalize}"
MB=${BENCH_MB:-1024}
GEN=$top_builddir/tests/bench/gen-server-pages
NORM=$top_builddir/bin/os-normalize
JQPROG=$top_srcdir/tests/bench/os-normalize.jq
TIME=/usr/bin/time

for c in json_verify jq "$TIME"; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "bench-os-normalize: $c is not installed" \
		    "(Debian: yajl-tools, jq, time)" >&2
		exit 2
	}
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-os-normalize.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT

small=$((MB / 10))
[ "$small" -ge 1 ] || small=1
"$GEN" "$MB" >"$dir/pages.jsonl" || exit 1
"$GEN" "$small" >"$dir/small.jsonl" || exit 1
bytes=$(wc -c <"$dir/pages.jsonl")
lines=$(wc -l <"$dir/pages.jsonl")

# The jq program must make the same records as os-normalize, or the
# comparison means nothing: checked on the small stream.
"$NORM" "$dir/small.jsonl" | jq -cS . >"$dir/a" &&
    jq -c -f "$JQPROG" "$dir/small.jsonl" | jq -cS . >"$dir/b" &&
    cmp -s "$dir/a" "$dir/b" || {
	echo "bench-os-normalize: jq and os-normalize disagree" >&2
	exit 1
}
rm -f "$dir/a" "$dir/b"

# measure NAME INPUT CMD...: wall seconds and peak RSS of CMD <INPUT.
measure() {
	name=$1 in=$2
	shift 2
	if ! nice -n 10 "$TIME" -f '%e %M' -o "$dir/time" "$@" <"$in" \
	    >/dev/null; then
		echo "bench-os-normalize: $name failed" >&2
		exit 1
	fi
	read -r secs kb <"$dir/time"
	eval "secs_$name=\$secs kb_$name=\$kb"
}

measure verify "$dir/pages.jsonl" json_verify -q -s
measure norm "$dir/pages.jsonl" "$NORM"
measure jq "$dir/pages.jsonl" jq -c -f "$JQPROG"
measure small "$dir/small.jsonl" "$NORM"

# shellcheck disable=SC2154
awk -v bytes="$bytes" -v lines="$lines" -v mb="$MB" -v small="$small" \
    -v sv="$secs_verify" -v kv="$kb_verify" \
    -v sn="$secs_norm" -v kn="$kb_norm" \
    -v sj="$secs_jq" -v kj="$kb_jq" -v ks="$kb_small" '
function rate(s) { return (s > 0) ? bytes / 1048576 / s : 0 }
BEGIN {
	printf "os-normalize benchmark: %.0f MB of Nova server pages " \
	    "(%d lines)\n\n", bytes / 1048576, lines
	printf "%-22s %10s %10s %14s\n", "", "seconds", "MB/s", "peak RSS KB"
	printf "%-22s %10.2f %10.1f %14d\n", "json_verify -s", sv, rate(sv), kv
	printf "%-22s %10.2f %10.1f %14d\n", "os-normalize", sn, rate(sn), kn
	printf "%-22s %10.2f %10.1f %14d\n", "jq -c (same records)", sj,
	    rate(sj), kj
	printf "\nos-normalize peak RSS: %d KB at %d MB, %d KB at %d MB\n",
	    ks, small, kn, mb
	pv = (sn > 0) ? sv / sn * 100 : 0
	xj = (sn > 0) ? sj / sn : 0
	printf "os-normalize: %.0f%% of json_verify (target >= 50%%): %s\n",
	    pv, (pv >= 50) ? "met" : "NOT met"
	printf "os-normalize: %.1fx jq (target >= 10x): %s\n", xj,
	    (xj >= 10) ? "met" : "NOT met"
}'
