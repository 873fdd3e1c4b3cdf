# pg.sh: a throwaway PostgreSQL cluster for one test, sourced after
# common.sh.  pg_start sets PGHOST (a Unix socket folder in the test's
# scratch space), PGPORT, PGUSER and PGDATABASE, and stops the cluster when
# the test ends.  initdb refuses root, so as root the cluster runs as the
# postgres user.

pg_bindir() {
	for d in "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

pg_start() {
	PGBIN=$(pg_bindir) || skip "PostgreSQL server (initdb) is not installed"
	PGDIR=$T/pg
	mkdir -p "$PGDIR"
	pg_as=
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$PGDIR"
		chmod 755 "$T"
		pg_as="runuser -u postgres --"
	fi
	$pg_as "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres \
	    --no-sync -E UTF8 --locale=C.UTF-8 >"$PGDIR/initdb.log" 2>&1 ||
	    { cat "$PGDIR/initdb.log"; exit 99; }
	PGPORT=$((20000 + $$ % 30000))
	$pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
	    -o "-k $PGDIR -p $PGPORT -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
	    start >/dev/null || { cat "$PGDIR/server.log"; exit 99; }
	at_exit pg_stop
	PGHOST=$PGDIR PGUSER=postgres PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
	unset PGSERVICE PGPASSWORD 2>/dev/null || true
}

pg_stop() {
	$pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop \
	    >/dev/null 2>&1 || true
}
