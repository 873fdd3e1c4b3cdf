# lib.sh: helpers for pg-load's tests, sourced after common.sh and pg.sh.
# db_new NAME: a fresh database with the current schema; PGDATABASE=NAME.
MOC_SQLDIR=$top_srcdir/sql
GEN=$top_srcdir/tests/pg-load/gen-cloud
export MOC_SQLDIR

need psql
pg_start

db_new() {
	psql -q -X -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $1" ||
	    exit 99
	PGDATABASE=$1
	export PGDATABASE
	shift
	pg-load -q --init "$@" 2>"$T/init.err" || { cat "$T/init.err"; exit 99; }
}

# q SQL: one value, unaligned.
q() {
	psql -X -A -t -v ON_ERROR_STOP=1 -c "$1"
}

# dump FILE: every table of the schema, sorted, for comparisons.
dump() {
	for t in $(q "SELECT tablename FROM pg_tables WHERE schemaname = 'moc'
	    AND tablename <> 'schema_version' ORDER BY 1"); do
		echo "== $t"
		psql -X -A -t -c "SELECT * FROM moc.$t" | sort
	done >"$1"
}

# sorted_json FILE: records with sorted keys, sorted, for comparisons.
sorted_json() {
	$PYTHON3 -c '
import json, sys
drop = set(sys.argv[2:])
rows = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    for k in drop:
        r.pop(k, None)
    rows.append(json.dumps(r, sort_keys=True))
print("\n".join(sorted(rows)))' "$@"
}
[ -n "${PYTHON3:-}" ] || skip "python3 is not installed"

# run ID TIME REGION RESOURCES [COMPLETE]: a run_start line (stdout); records
# follow from the caller, then end ID TIME [COMPLETE].
run() {
	printf '{"type":"run_start","run_id":"%s","source":"openstack","cloud":"t","region":"%s","started_at":"%s","resources":[%s]}\n' \
	    "$1" "$3" "$2" "$4"
}
end() {
	printf '{"type":"run_end","run_id":"%s","ended_at":"%s","complete":%s,"pages":1,"failed":[]}\n' \
	    "$1" "$2" "${3:-true}"
}
# inst ID TIME REGION STATUS [EXTRA]: an instance observation.
inst() {
	printf '{"type":"instance","id":"%s","region":"%s","observed_at":"%s","run_id":"r","status":"%s","vcpus":1,"project_id":"p"%s}\n' \
	    "$1" "$3" "$2" "$4" "${5:-}"
}
# base_load: one complete run r1 of two running instances a and b at
# 2019-03-01T00:00:00Z in region R1, loaded; its dump in $T/base.
# Sets S (the run's resources) and D (the day) for the caller's next runs.
base_load() {
	S='"compute/servers"'
	D=2019-03-01T
	{
		run r1 ${D}00:00:00Z R1 "$S"
		inst a ${D}00:00:00Z R1 ACTIVE
		inst b ${D}00:00:00Z R1 ACTIVE
		end r1 ${D}00:00:10Z
	} | pg-load -q || fail "base load"
	dump "$T/base"
}
# versions TABLE ID: "valid_from valid_to" of each version, by valid_from.
versions() {
	q "SELECT string_agg(to_char(valid_from AT TIME ZONE 'UTC', 'HH24:MI:SS')
	    || '-' || coalesce(to_char(valid_to AT TIME ZONE 'UTC', 'HH24:MI:SS'),
	    'open'), ' ' ORDER BY valid_from) FROM moc.$1 WHERE id = '$2'"
}

# expect_generated FILE: the row versions gen-cloud --expect FILE says the
# loads must have left (instances, projects, flavors, actions, and the
# instances still open).
expect_generated() {
	for t in instance project flavor instance_action; do
		expect_eq "$t rows" "$(q "SELECT count(*) FROM moc.$t")" \
		    "$(awk -v t=$t '$1 == t { print $2 }' "$1")"
	done
	expect_eq "open instances" "$(q "SELECT count(*) FROM moc.instance
	    WHERE valid_to IS NULL")" "$(awk '$1 == "open_instances" { print $2 }' "$1")"
}

# wait_for SQL VALUE: poll until the query gives VALUE (bounded, so a
# hang fails the test instead of blocking make check).
wait_for() {
	n=0
	while [ "$(q "$1")" != "$2" ]; do
		n=$((n + 1))
		if [ "$n" -gt 1200 ]; then
			fail "gave up waiting for: $1 = $2"
			return 1
		fi
		sleep 0.1
	done
}

# A control session that holds locks for as long as the test wants:
# ctl_open, ctl "SQL;", ctl_close.
ctl_open() {
	mkfifo "$T/ctl"
	psql -X -q -v ON_ERROR_STOP=1 <"$T/ctl" >"$T/ctl.out" 2>&1 &
	ctl_pid=$!
	exec 3>"$T/ctl"
}
ctl() {
	echo "$1" >&3
}
ctl_close() {
	exec 3>&-
	wait "$ctl_pid"
	rm -f "$T/ctl"
}
LOCK_KEY=7168867
LOADERS="SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg-load'"
ADVISORY_HELD="SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
    AND objid = $LOCK_KEY AND granted"
# table_locked TABLE: the query telling that the control session holds it.
table_locked() {
	echo "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a
	    USING (pid) WHERE a.application_name = 'psql' AND l.granted
	    AND l.relation = 'moc.$1'::regclass"
}
