# The database down during collect: exit 75, the archive (complete) kept
# and listed as failed, the os-fetch state not moved on; once it is back,
# the next collect stores its run and replay stores the one missed.  And a
# run the normalizer could not take (a stand-in for a normalizer bug) is
# stored by replay once the normalizer is fixed.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pipelines/lib.sh"
pipes_setup

expect_pipe "collect at 00:00" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:00:00Z

pg_down
sim_time 2026-10-01T00:15:00Z
expect_pipe "collect with the database down" 75 collect -c "$T/moc.conf" --now 2026-10-01T00:15:00Z
missed=$(archives | grep '/20261001T001500Z-')
expect_eq "the archive is kept and listed as failed" "$(failed_list)" "$missed"
expect_eq "it holds the complete run" \
    "$(gzip -dc "$T/spool/$missed" | tail -n 1 | jq -c '[.type, .complete]')" '["run_end",true]'
expect_grep "the state stays at the last stored run" \
    "^last_complete_start 2026-10-01T00:00:00Z" "$T/spool/os-fetch.state"
expect_grep "cron mail says the database is down" \
    "collect: run .* not stored: the database cannot be reached" "$T/collect.err"
pg_up

sim_time 2026-10-01T00:30:00Z
expect_pipe "collect with the database back" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:30:00Z
expect_eq "two runs stored" "$(stored_runs | wc -l)" 2
expect_pipe "replay --failed" 0 replay -c "$T/moc.conf" --failed
expect_eq "the missed run is stored" "$(stored_runs | grep -c '^20261001T001500Z-')" 1
expect_eq "nothing listed as failed" "$(failed_list)" ""

# A normalizer that fails on the run (the stand-in for a bug: every real
# tool but os-normalize, which exits 1 as a crashing normalizer would).
mkdir "$T/broken"
for t in "$top_builddir"/bin/*; do ln -s "$t" "$T/broken/"; done
rm "$T/broken/os-normalize"
printf '#!/bin/sh\necho "os-normalize: <stdin>:1: a bug" >&2\nexit 1\n' >"$T/broken/os-normalize"
chmod +x "$T/broken/os-normalize"
sim_time 2026-10-01T00:45:00Z
# (pipe passes PIPE_ENV after env -i; MOC_BINDIR given twice: the last wins)
PIPE_ENV="MOC_BINDIR=$T/broken" expect_pipe "collect with a broken normalizer" 1 \
    collect -c "$T/moc.conf" --now 2026-10-01T00:45:00Z
bugged=$(archives | grep '/20261001T004500Z-')
expect_eq "its archive listed as failed" "$(failed_list)" "$bugged"
expect_grep "the normalizer's message is logged" "collect: os-normalize: <stdin>:1: a bug" "$T/moc.log"
expect_eq "the run is not stored" "$(stored_runs | grep -c '^20261001T004500Z-')" 0
before=$(table_digest)
expect_pipe "replay with the fixed normalizer" 0 replay -c "$T/moc.conf" \
    --since 2026-10-01T00:00:00Z --until 2026-10-01T01:00:00Z
expect_eq "the run is stored" "$(stored_runs | grep -c '^20261001T004500Z-')" 1
expect_eq "nothing listed as failed" "$(failed_list)" ""
[ "$(table_digest)" != "$before" ] && pass "the replayed run added its observations" ||
    fail "the replayed run changed nothing"

# Replay with the database down: 75, the run stays listed.
pg_down
sim_time 2026-10-01T01:00:00Z
expect_pipe "collect with the database down again" 75 collect -c "$T/moc.conf" --now 2026-10-01T01:00:00Z
missed=$(archives | grep '/20261001T010000Z-')
expect_pipe "replay with the database down" 75 replay -c "$T/moc.conf" --failed
expect_eq "the run stays listed as failed" "$(failed_list)" "$missed"
pg_up
expect_pipe "replay with the database back" 0 replay -c "$T/moc.conf" --failed
expect_eq "the run is stored" "$(stored_runs | grep -c '^20261001T010000Z-')" 1

# An archive listed but gone: said, exit 1.
echo "raw/2026/10/01/gone.jsonl.gz" >"$T/spool/failed"
expect_pipe "replay of a missing archive" 1 replay -c "$T/moc.conf" --failed
expect_grep "names the missing archive" \
    "replay: raw/2026/10/01/gone.jsonl.gz: listed in .*/failed but missing" "$T/replay.err"
finish
