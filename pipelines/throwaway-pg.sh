# throwaway-pg.sh: a private PostgreSQL cluster, sourced by the demo and the
# test suite.  Its socket lives in its own folder and it listens on no TCP
# address.  initdb refuses root, so as root the cluster runs as the postgres
# user (which must be able to reach DIR).
#
#   tpg_start DIR PORT [SERVER-OPTION...]   init and start; sets PGHOST,
#                                          PGPORT, PGUSER, PGDATABASE
#   tpg_stop [fast|immediate]               stop it
#
# tpg_start returns 1 with the log on standard error when the cluster
# cannot start, 2 when no PostgreSQL server is installed.

tpg_bindir() {
	for d in "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

tpg_start() {
	TPG_DIR=$1 PGPORT=$2
	shift 2
	TPG_BIN=$(tpg_bindir) || return 2
	mkdir -p "$TPG_DIR"
	TPG_AS=
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$TPG_DIR"
		TPG_AS="runuser -u postgres --"
	fi
	$TPG_AS "$TPG_BIN/initdb" -D "$TPG_DIR/data" -A trust -U postgres \
	    --no-sync -E UTF8 --locale=C.UTF-8 >"$TPG_DIR/initdb.log" 2>&1 ||
	    { cat "$TPG_DIR/initdb.log" >&2; return 1; }
	$TPG_AS "$TPG_BIN/pg_ctl" -D "$TPG_DIR/data" -l "$TPG_DIR/server.log" \
	    -w -o "-k $TPG_DIR -p $PGPORT -c listen_addresses='' $*" \
	    start >/dev/null || { cat "$TPG_DIR/server.log" >&2; return 1; }
	PGHOST=$TPG_DIR PGUSER=postgres PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
	unset PGSERVICE PGPASSWORD 2>/dev/null || :
}

tpg_stop() {
	[ -n "${TPG_BIN:-}" ] || return 0
	${TPG_AS:-} "$TPG_BIN/pg_ctl" -D "$TPG_DIR/data" -m "${1:-fast}" -w stop \
	    >/dev/null 2>&1 || :
}
