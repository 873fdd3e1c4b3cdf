# lib.sh: what the pipeline tests share, sourced after tests/lib/common.sh.
#
#   pipes_setup [server.py options]   a throwaway PostgreSQL with the schema,
#                                     the loopback cloud (simulated unless
#                                     options say otherwise) and a
#                                     configuration file $T/moc.conf with its
#                                     spool $T/spool and output $T/out
#                                     (with SPOOL/tenant-usage.state set far
#                                     ahead, so that collect makes its
#                                     polling runs only; no_usage_state
#                                     removes it)
#   pipe NAME [args]                  run pipelines/NAME as cron would:
#                                     env -i, PATH=/usr/bin:/bin, MOC_BINDIR;
#                                     stdout in $T/NAME.out, stderr in
#                                     $T/NAME.err, exit status in $pipe_status
#   sim_time T                        move the simulated clock to T
#   stored_runs                       the run ids in moc.collection_run
#   sql QUERY                         one value from the database
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/cloud/lib.sh"
need gzip flock sha256sum psql jq

SIM_FROM=2026-10-01T00:00:00Z
SIM_UNTIL=2026-11-01T00:00:00Z

pipes_setup() {
	pg_start
	"$top_builddir/bin/pg-load" --sql-dir "$top_srcdir/sql" --init --roles \
	    >"$T/init.out" 2>&1 || { cat "$T/init.out"; exit 99; }
	if [ $# -eq 0 ]; then
		set -- --simulate --seed 7 --size 30 --from "$SIM_FROM" \
		    --until "$SIM_UNTIL" --time "$SIM_FROM"
	fi
	start_cloud "$@"
	mkdir -p "$T/etc"
	cat >"$T/moc.conf" <<CONF
# moc-reporting configuration of a test
cloud = test
database = host=$PGHOST port=$PGPORT user=postgres dbname=postgres
spool = spool
output = out
log = moc.log
tz = UTC
CONF
	mkdir -p "$T/spool"
	echo 2999-01-01 >"$T/spool/tenant-usage.state"
}

no_usage_state() {
	rm -f "$T/spool/tenant-usage.state"
}

pipe() {
	pipe_name=$1
	shift
	env -i PATH=/usr/bin:/bin MOC_BINDIR="$top_builddir/bin" \
	    OS_CLIENT_CONFIG_FILE="$T/clouds.yaml" TMPDIR="${TMPDIR:-/tmp}" \
	    LC_ALL=C.UTF-8 ${PIPE_ENV:-} \
	    bash "$top_srcdir/pipelines/$pipe_name" "$@" \
	    >"$T/$pipe_name.out" 2>"$T/$pipe_name.err"
	pipe_status=$?
}

# expect_pipe WHAT STATUS NAME [args]: run a pipeline, check its status,
# show its stderr and the log's end when it is not the one expected.
expect_pipe() {
	what=$1 want=$2
	shift 2
	pipe "$@"
	if [ "$pipe_status" = "$want" ]; then
		pass "$what (exit $want)"
	else
		fail "$what: exit $pipe_status, want $want"
		sed 's/^/  stderr: /' "$T/$pipe_name.err" | head -n 20
		[ ! -f "$T/moc.log" ] || tail -n 20 "$T/moc.log" | sed 's/^/  log: /'
	fi
}

sim_time() {
	cloudctl time "$1" >/dev/null || { echo "cannot move the clock to $1"; exit 99; }
}

sql() {
	"$PGBIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"
}

stored_runs() {
	sql "select id from moc.collection_run order by id"
}

# archives: the archived runs, relative to the spool, oldest first.
archives() {
	(cd "$T/spool" && find raw -name '*.jsonl.gz' | sort)
}

failed_list() {
	cat "$T/spool/failed" 2>/dev/null || :
}

# pg_down / pg_up: stop the test's PostgreSQL and start it again on the
# same data folder and socket.
pg_down() {
	$TPG_AS "$TPG_BIN/pg_ctl" -D "$TPG_DIR/data" -m fast -w stop >/dev/null ||
	    { echo "cannot stop PostgreSQL"; exit 99; }
}

pg_up() {
	$TPG_AS "$TPG_BIN/pg_ctl" -D "$TPG_DIR/data" -l "$TPG_DIR/server.log" \
	    -w -o "-k $TPG_DIR -p $PGPORT -c listen_addresses=''" start >/dev/null ||
	    { cat "$TPG_DIR/server.log"; exit 99; }
}

# table_digest: every stored row version of every table, as one digest
# (to show that a replay changed nothing).
table_digest() {
	sql "select string_agg(table_name, ' ' order by table_name) from information_schema.tables where table_schema = 'moc' and table_type = 'BASE TABLE'" |
	    tr ' ' '\n' | while read -r t; do
		[ "$t" = collection_run ] && continue
		sql "select '$t', count(*), md5(coalesce(string_agg(md5(x::text), '' order by md5(x::text)), '')) from moc.\"$t\" x"
	    done
	sql "select 'collection_run', count(*), md5(coalesce(string_agg(id || digest, '' order by id), '')) from moc.collection_run"
}
