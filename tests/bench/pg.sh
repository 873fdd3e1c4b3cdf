# bench/pg.sh: pg-load and pg-extract against plain COPY, side by side on
# the same generated data (make bench-pg).  Sizes from the environment:
#   BENCH_PG_ROWS   instance records of the bulk load (default 2000000)
#   BENCH_PG_CLOUD  instances of the polled cloud (default 10000)
#   BENCH_PG_POLLS  polls timed after the first (default 5)
# Prints the figures; asserts nothing (benchmarks are not tests).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
PYTHON3=${PYTHON3:-python3}
. "$top_srcdir/tests/pg-load/lib.sh"

ROWS=${BENCH_PG_ROWS:-2000000}
CLOUD=${BENCH_PG_CLOUD:-10000}
POLLS=${BENCH_PG_POLLS:-5}

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
# mark NAME: CPU seconds so far of this script's children (the clients,
# from the shell's times, so run in the shell itself) and of the server's
# ended backends (the postmaster's children as /proc counts them; a step's
# backend is counted once it has gone), into $T/cpu.NAME.
mark() {
	n=0
	while [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE pid <>
	    pg_backend_pid() AND backend_type = 'client backend'")" != 0 ] &&
	    [ "$n" -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 0.2
	times >"$T/times"
	{
		awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) {
		    split($i, p, "m"); n += p[1] * 60 + p[2] } print n }' \
		    "$T/times"
		awk -v hz="$(getconf CLK_TCK)" '{ print ($16 + $17) / hz }' \
		    "/proc/$(head -n 1 "$PGDIR/data/postmaster.pid")/stat"
	} >"$T/cpu.$1"
}
# cpu FROM TO: "CPU: client X s + server Y s" between two marks.
cpu() {
	paste "$T/cpu.$1" "$T/cpu.$2" | awk '{ d[NR] = $2 - $1 } END {
	    printf "CPU: client %.2f s + server %.2f s", d[1], d[2] }'
}

# Records as os-normalize writes them: compact JSON lines.
echo "generating $ROWS instance records ..."
$GEN --compact --instances "$ROWS" --polls 1 --change 0 --churn 0 \
    >"$T/bulk.jsonl"
# The same rows as TSV, one column per field, for the raw COPY.
$PYTHON3 - "$T/bulk.jsonl" >"$T/bulk.tsv" <<'PY'
import json, sys
cols = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["type"] != "instance":
        continue
    if cols is None:
        cols = list(r)
    print("\t".join("\\N" if r[c] is None else str(r[c]) for c in cols))
PY
db_new bench
q "CREATE TABLE plain (type text, id text, name text, project_id text,
	user_id text, status text, vm_state text, task_state text,
	power_state int, flavor_id text, flavor_name text, vcpus int,
	ram_mb int, disk_gb int, ephemeral_gb int, gpu_count int,
	gpu_alias text, created_at timestamptz, updated_at timestamptz,
	launched_at timestamptz, terminated_at timestamptz,
	deleted_at timestamptz, host text, availability_zone text,
	image_id text, region text, observed_at timestamptz, run_id text)" \
	>/dev/null

mark 0
t0=$(now)
pg-load -q "$T/bulk.jsonl" || exit 1
t1=$(now)
mark 1
t2=$(now)
psql -X -q -c "\\copy plain FROM '$T/bulk.tsv'" || exit 1
t3=$(now)
mark 2
load=$(secs "$t0" "$t1")
copy=$(secs "$t2" "$t3")
loadcpu=$(cpu 0 1)
copycpu=$(cpu 1 2)
n=$(q "SELECT count(*) FROM moc.instance")

t0=$(now)
pg-extract --types instance | wc -l >"$T/nx"
t1=$(now)
psql -X -c "COPY (SELECT row_to_json(t) FROM plain t) TO STDOUT" | wc -l \
    >"$T/nc"
t2=$(now)
ext=$(secs "$t0" "$t1")
excopy=$(secs "$t1" "$t2")

echo "generating a cloud of $CLOUD instances, $((POLLS + 1)) polls, 1% changed per poll ..."
$GEN --compact --instances "$CLOUD" --polls $((POLLS + 1)) --change 0.01 \
    --churn 0 --region RegionTwo >"$T/polls.jsonl"
awk -v d="$T" '/"type":"run_start"/ { n++ } { print > (d "/poll." n) }' \
    "$T/polls.jsonl"
pg-load -q "$T/poll.1" || exit 1
versions() {
	q "SELECT (SELECT count(*) FROM moc.instance WHERE region = 'RegionTwo')
	    + (SELECT count(*) FROM moc.project WHERE region = 'RegionTwo')
	    + (SELECT count(*) FROM moc.flavor WHERE region = 'RegionTwo')"
}
total=0 added=0 changed=0
i=2
while [ "$i" -le $((POLLS + 1)) ]; do
	before=$(versions)
	t0=$(now)
	pg-load -q "$T/poll.$i" || exit 1
	t1=$(now)
	after=$(versions)
	s=$(secs "$t0" "$t1")
	echo "  poll $i: $s s, $((after - before)) rows added"
	total=$(awk -v a="$total" -v b="$s" 'BEGIN { print a + b }')
	added=$((added + after - before))
	i=$((i + 1))
done

echo
echo "bulk load, $n instance records:"
echo "  pg-load       $load s  $(rate "$n" "$load") rows/s  $loadcpu"
echo "  psql \\copy    $copy s  $(rate "$n" "$copy") rows/s (TSV into a plain table)  $copycpu"
echo "  pg-load reaches $(pct "$copy" "$load") of the raw COPY rate (target >= 50%)"
echo "poll of a $CLOUD-instance cloud, 1% changed, $POLLS polls:"
echo "  mean $(awk -v a="$total" -v n="$POLLS" 'BEGIN { printf "%.3f", a / n }') s per load (target < 0.5 s), $added rows added in all ($(awk -v a="$added" -v n="$POLLS" 'BEGIN { printf "%.1f", a / n }') per poll; about 1% of $CLOUD = $((CLOUD / 100)) expected)"
echo "extract, $(cat "$T/nx") rows:"
echo "  pg-extract    $ext s  $(rate "$(cat "$T/nx")" "$ext") rows/s"
echo "  COPY row_to_json $excopy s  $(rate "$(cat "$T/nc")" "$excopy") rows/s"
echo "  pg-extract reaches $(pct "$excopy" "$ext") of the COPY rate (target >= 70%)"
