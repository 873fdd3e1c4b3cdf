#!/bin/sh
# Benchmark of csv-emit against jq doing the same columns with @csv.
#
#   sh tests/bench/csv-emit.sh PATH/TO/csv-emit
#
# Generates BENCH_MB megabytes (default 1024) of instance records like
# those os-normalize writes, then runs, on the same file, csv-emit --type
# instance, csv-emit -d, and a jq -r program that prints the same columns
# with @csv (checked to give the same cells).  Prints side by side the
# throughput (MB/s of input, by wall-clock and by CPU time: on a shared
# machine the second is the fairer ratio) and peak RSS (GNU time's %M), at
# BENCH_SMALL_MB (default 100) too, so flat memory shows.
# BENCH_DIR says where the data goes (default: a folder under TMPDIR).
set -eu
prog=${1:?usage: csv-emit.sh PATH/TO/csv-emit}
mb=${BENCH_MB:-1024}
small=${BENCH_SMALL_MB:-100}
for tool in jq awk; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-csv.XXXXXX")}
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT

# Instance records with varied content: quotes, commas, newlines, a
# formula-looking name now and then, nulls, numbers and times.
gen() {
	awk -v limit="$(($1 * 1024 * 1024))" 'BEGIN {
		srand(42); n = 0; bytes = 0
		split("ACTIVE SHUTOFF SHELVED_OFFLOADED ERROR DELETED", st, " ")
		split("active stopped shelved_offloaded error deleted", vm, " ")
		split("cpu-su.1 cpu-su.2 cpu-su.4 cpu-su.8 gpu-su-a100.1", fl, " ")
		while (bytes < limit) {
			n++
			i = n % 5 + 1
			f = n % 5 + 1
			name = sprintf("vm-%07d", n)
			if (n % 7 == 0) name = name ", \\\"quoted\\\" part"
			if (n % 11 == 0) name = name "\\nsecond line"
			if (n % 13 == 0) name = "=HYPERLINK(\\\"x\\\")" name
			term = (i >= 4) ? sprintf("\"2024-03-%02dT%02d:%02d:00Z\"", n % 28 + 1, n % 24, n % 60) : "null"
			line = sprintf("{\"type\":\"instance\",\"id\":\"%08x-%04x-4%03x-a%03x-%012x\",\"name\":\"%s\",\"project_id\":\"%032x\",\"user_id\":\"%032x\",\"status\":\"%s\",\"vm_state\":\"%s\",\"task_state\":null,\"power_state\":%d,\"flavor_id\":\"%s\",\"flavor_name\":\"%s\",\"vcpus\":%d,\"ram_mb\":%d,\"disk_gb\":%d,\"ephemeral_gb\":0,\"gpu_count\":%d,\"gpu_alias\":%s,\"created_at\":\"2024-02-%02dT%02d:%02d:%02dZ\",\"updated_at\":\"2024-03-01T00:00:00Z\",\"launched_at\":\"2024-02-%02dT%02d:%02d:%02dZ\",\"terminated_at\":%s,\"deleted_at\":%s,\"host\":\"compute-%03d\",\"availability_zone\":\"nova\",\"image_id\":\"%032x\",\"region\":\"RegionOne\",\"observed_at\":\"2024-03-01T00:15:00Z\",\"run_id\":\"run-%06d\"}",
			    n, n % 65536, n % 4096, (n * 7) % 4096, n * 31, name,
			    n % 997, n % 20011, st[i], vm[i], (i == 1) ? 1 : 4,
			    fl[f], fl[f], 2 ^ (f - 1), 4096 * 2 ^ (f - 1), 20 * f,
			    (f == 5) ? 1 : 0, (f == 5) ? "\"a100\"" : "null",
			    n % 28 + 1, n % 24, n % 60, n % 60,
			    n % 28 + 1, n % 24, (n + 1) % 60, n % 60, term, term,
			    n % 500, n % 100, n / 1000)
			print line
			bytes += length(line) + 1
		}
	}'
}

cols='id name project_id user_id status vm_state task_state power_state flavor_id flavor_name vcpus ram_mb disk_gb ephemeral_gb gpu_count gpu_alias created_at updated_at launched_at terminated_at deleted_at host availability_zone image_id region observed_at run_id valid_from valid_to'
jqprog="select(.type == \"instance\") | [$(echo "$cols" | sed 's/\([a-z_]*\)/.\1/g; s/ /, /g')] | @csv"

# measure LABEL INPUT CMD...: prints MB/s of input by wall-clock time and
# by CPU time (user + system: what the program itself costs, whatever else
# runs on the machine), peak RSS and seconds.  Leaves the MB/s in $rate and
# $cpurate, the output in $dir/out.csv.
measure() {
	label=$1 input=$2
	shift 2
	inbytes=$(wc -c <"$input")
	start=$(date +%s.%N)
	/usr/bin/time -f '%M %U %S' -o "$dir/rss" "$@" <"$input" >"$dir/out.csv"
	end=$(date +%s.%N)
	set -- $(tail -n 1 "$dir/rss")
	rate=$(awk -v s="$inbytes" -v a="$start" -v b="$end" \
	    'BEGIN { printf "%.1f", s / 1048576 / (b - a) }')
	cpurate=$(awk -v s="$inbytes" -v u="$2" -v y="$3" \
	    'BEGIN { c = u + y; if (c < 0.01) c = 0.01; printf "%.1f", s / 1048576 / c }')
	awk -v l="$label" -v r="$rate" -v c="$cpurate" -v m="$1" -v a="$start" -v b="$end" \
	    'BEGIN { printf "%-30s %7.1f MB/s %7.1f MB/s CPU %7.1f MiB RSS %7.2f s\n", l, r, c, m / 1024, b - a }'
}

# Both programs must write the same cells (csv-emit without neutralising,
# since jq does not), read back with Python's csv module.
same_cells() {
	command -v python3 >/dev/null || return 0
	"$prog" --type instance --no-neutralise <"$1" >"$dir/a.csv"
	jq -r "$jqprog" <"$1" >"$dir/b.csv"
	python3 - "$dir/a.csv" "$dir/b.csv" <<'PY' || exit 1
import csv, sys
a = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[1:]
b = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
if a != b:
    bad = next(i for i, (x, y) in enumerate(zip(a + [None], b + [None])) if x != y)
    sys.exit("bench: csv-emit and jq differ at row %d" % (bad + 1))
print("same cells from csv-emit and jq: %d rows" % len(a))
PY
}

run_size() {
	size=$1
	input=$dir/instances-$size.jsonl
	echo "== $size MB of instance records"
	start=$(date +%s.%N)
	gen "$size" >"$input"
	end=$(date +%s.%N)
	awk -v s="$(wc -c <"$input")" -v n="$(wc -l <"$input")" -v a="$start" -v b="$end" \
	    'BEGIN { printf "input: %d bytes, %d records (generated at %.1f MB/s)\n", s, n, s / 1048576 / (b - a) }'
	[ "$size" = "$small" ] && same_cells "$input"
	measure "csv-emit --type instance" "$input" "$prog" --type instance
	r1=$rate c1=$cpurate
	measure "csv-emit -d DIR (+ SHA-256)" "$input" "$prog" -d "$dir/d"
	r2=$rate c2=$cpurate
	measure "jq -r '[...] | @csv'" "$input" jq -r "$jqprog"
	awk -v a="$r1" -v b="$r2" -v j="$rate" -v ca="$c1" -v cb="$c2" -v cj="$cpurate" \
	    'BEGIN { printf "csv-emit / jq: wall %.1fx (--type), %.1fx (-d); CPU %.1fx (--type), %.1fx (-d)\n", a / j, b / j, ca / cj, cb / cj }'
	rm -f "$input"
}

echo "csv-emit benchmark: $(nproc) CPUs, $(jq --version)"
run_size "$small"
[ "$mb" -ne "$small" ] && run_size "$mb"
exit 0
