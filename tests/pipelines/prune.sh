# prune: raw archives of the days older than archive_retain removed (each
# day logged), those of runs never stored kept whatever their age, recent
# ones kept; the database pruned through pg-load --retain.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pipelines/lib.sh"
pipes_setup
# The simulated runs are of 2026-10-01; today is later than that.
for t in 2026-10-01T00:00:00Z 2026-10-01T00:15:00Z; do
	sim_time "$t"
	expect_pipe "collect at $t" 0 collect -c "$T/moc.conf" --now "$t"
done
pg_down
sim_time 2026-10-01T00:30:00Z
expect_pipe "collect with the database down" 75 collect -c "$T/moc.conf" --now 2026-10-01T00:30:00Z
pg_up
never=$(failed_list)
# A run of today (an archive copied under today's folder).
today=$(date -u +%Y/%m/%d)
mkdir -p "$T/spool/raw/$today"
cp "$T/spool/$(archives | head -n 1)" "$T/spool/raw/$today/recent.jsonl.gz"

printf 'retain = 400d\narchive_retain = 2d\n' >>"$T/moc.conf"
expect_pipe "prune" 0 prune -c "$T/moc.conf"
expect_eq "left: the failed run and today's" "$(archives)" "$(printf '%s\n' "$never" "raw/$today/recent.jsonl.gz" | sort)"
expect_grep "logs the day removed" "prune: removed raw/2026/10/01: 2 archived runs older than 2d" "$T/moc.log"
expect_grep "logs the failed run kept" "prune: kept 1 archives of raw/2026/10/01 listed in .*/failed" "$T/moc.log"
expect_grep "pg-load reported its pruning" "prune: pg-load: .*" "$T/moc.log"
expect_grep "logs the database pruned" "prune: database: removed the row versions that ended more than 400d ago" "$T/moc.log"
expect_eq "the stored runs stay in the database" "$(stored_runs | wc -l)" 2

# Once replayed, the old failed run goes at the next prune.
expect_pipe "replay --failed" 0 replay -c "$T/moc.conf" --failed
expect_pipe "prune again" 0 prune -c "$T/moc.conf"
expect_eq "left: today's" "$(archives)" "raw/$today/recent.jsonl.gz"
[ ! -e "$T/spool/raw/2026/10" ] && pass "empty folders removed" || fail "raw/2026/10 left empty"

# The database down: 75.
pg_down
expect_pipe "prune with the database down" 75 prune -c "$T/moc.conf"
pg_up
finish
