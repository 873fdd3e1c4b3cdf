# bench/monthly.sh: the monthly report of a BENCH_SIZE-instance cloud
# (default 10000) end to end, stage by stage (make bench-monthly):
#
#   extract    pg-extract --role moc_reporter, the month
#   aggregate  usage-aggregate --by project,user,institution
#   check      consistency-check on the database and the summaries (when
#              built), as monthly-report runs it
#   render     pdf-render: the whole-cloud report and one per institution
#   dump       csv-emit -d (every table, MANIFEST, SHA256SUMS) and the
#              invoice CSV
#
# The database holds a month of 15-minute collections of the simulated
# cloud (tests/cloud/simulate.py), written as normalized records by
# tests/bench/monthly-gen.py and stored by pg-load; generating and loading
# are timed apart from the four stages.  Prints wall and CPU seconds and
# peak RSS of each; asserts nothing (benchmarks are not tests).
#   BENCH_SIZE   instances created over the simulated history (10000)
#   BENCH_MONTH  the month (2026-09)
#   BENCH_SEED   the simulation's seed (1)
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
PYTHON3=${PYTHON3:-python3}
need "$PYTHON3" psql
[ -x /usr/bin/time ] || skip "/usr/bin/time (Debian package time) is missing"
size=${BENCH_SIZE:-10000}
month=${BENCH_MONTH:-2026-09}
seed=${BENCH_SEED:-1}
from=$(date -u -d "$month-01" +%Y-%m-%dT%H:%M:%SZ)
until=$(date -u -d "$month-01 + 1 month" +%Y-%m-%dT%H:%M:%SZ)
data=$top_srcdir/tests/data/nerc-rates
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE

# stage NAME OUTPUT CMD...: run CMD with its standard output to OUTPUT
# and print its wall and CPU (user + system) seconds and peak RSS.
printf '%-10s %9s %9s %11s  %s\n' stage "wall s" "CPU s" "peak RSS" \
    "output"
stage() {
	name=$1 dest=$2
	shift 2
	st=0
	/usr/bin/time -f '%e %U %S %M' -o "$T/time.$name" "$@" >"$dest" ||
	    st=$?
	# consistency-check exits 1 for findings: a result, not a failure.
	if [ "$st" -ne 0 ] && ! { [ "$name" = check ] && [ "$st" -eq 1 ]; }; then
		echo "bench-monthly: $name failed (exit $st)"
		exit 1
	fi
	# (time writes a line of its own first when the status is not 0)
	read -r wall user sys kb <<EOF
$(tail -n 1 "$T/time.$name")
EOF
	printf '%-10s %9.2f %9.2f %8d KB  %s\n' "$name" "$wall" \
	    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$kb" \
	    "$(what "$dest")"
}
# what FILE: its size, and its records when it is a record stream.
what() {
	case $1 in
	/dev/null) echo - ;;
	*.jsonl) echo "$(wc -l <"$1") records, $(($(wc -c <"$1") / 1048576)) MB" ;;
	*) echo "$(($(wc -c <"$1") / 1024)) KB" ;;
	esac
}

pg_start
conninfo="host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER"
pg-load -q --sql-dir "$top_srcdir/sql" --init --roles || exit 1
echo "seed $seed, $size instances, $month, a run every 15 minutes"
stage generate "$T/month.jsonl" "$PYTHON3" \
    "$top_srcdir/tests/bench/monthly-gen.py" "$seed" "$size" "$from" "$until"
stage load /dev/null pg-load -q "$T/month.jsonl"
echo "stored: $(psql -XAtc "SELECT (SELECT count(*) FROM moc.instance)
    || ' instance versions, ' || (SELECT count(*) FROM moc.instance_action)
    || ' actions, ' || (SELECT count(*) FROM moc.collection_run) || ' runs'")"

stage extract "$T/extract.jsonl" pg-extract --role moc_reporter \
    --since "$from" --until "$until"
stage aggregate "$T/usage.jsonl" usage-aggregate --month "$month" \
    --cloud "bench cloud" --rates "$data/rates.yaml" \
    --outages "$data/outages.yaml" --by project,user,institution \
    --cluster "bench cloud" "$T/extract.jsonl"
# The findings go into the report as monthly-report puts them there.
if command -v consistency-check >/dev/null 2>&1; then
	stage check "$T/findings.jsonl" consistency-check -q -d "$conninfo" \
	    --role moc_reporter --since "$from" --until "$until" \
	    --summaries "$T/usage.jsonl"
	echo "consistency: $(grep '"check_summary"' "$T/findings.jsonl" |
	    sed 's/.*"verdict":"\([a-z]*\)".*"failed":\(\[[^]]*\]\).*/\1, failed \2/')"
else
	: >"$T/findings.jsonl"
fi
cat "$T/usage.jsonl" "$T/findings.jsonl" >"$T/report.jsonl"
stage render "$T/report.pdf" pdf-render "$T/report.jsonl"
mkdir "$T/inst"
stage render-inst /dev/null pdf-render --split-by=institution \
    -d "$T/inst" "$T/report.jsonl"
stage dump /dev/null csv-emit -d "$T/dump" "$T/extract.jsonl"
stage invoice "$T/invoice.csv" csv-emit --type invoice_line \
    "$T/usage.jsonl"
echo "report: $(pdfinfo "$T/report.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }') pages;" \
    "$(ls "$T/inst" | wc -l) institution PDFs;" \
    "$(($(wc -l <"$T/invoice.csv") - 1)) invoice lines;" \
    "dump $(du -sk "$T/dump" | cut -f1) KB in $(ls "$T/dump" | wc -l) files"
