# pg.sh: a throwaway PostgreSQL cluster for one test, sourced after
# common.sh.  pg_start sets PGHOST (a Unix socket folder in the test's
# scratch space, also $PGDIR), PGPORT, PGUSER and PGDATABASE, and stops the
# cluster when the test ends.  The cluster itself comes from
# pipelines/throwaway-pg.sh, as the demo's does.
. "$top_srcdir/pipelines/throwaway-pg.sh"

pg_start() {
	PGDIR=$T/pg
	# The postgres user (as root) must reach the socket in $T.
	chmod 755 "$T"
	tpg_start "$PGDIR" $((20000 + $$ % 30000)) -c fsync=off \
	    -c full_page_writes=off -c synchronous_commit=off
	case $? in
	0) ;;
	2) skip "PostgreSQL server (initdb) is not installed" ;;
	*) exit 99 ;;
	esac
	PGBIN=$TPG_BIN
	at_exit pg_stop
}

pg_stop() {
	tpg_stop immediate
}
