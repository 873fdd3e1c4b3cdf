# The API failing in the middle of a collection run: nothing of the run
# stored, its archive kept and listed in SPOOL/failed, the os-fetch state
# left where it was.  replay leaves such an incomplete run by default (its
# absences would read as deletions) and stores it as observations only with
# --partial; replaying what is already stored changes nothing.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pipelines/lib.sh"
need jq
pipes_setup
echo "fetch_options = --retries 1 --timeout 10" >>"$T/moc.conf"

expect_pipe "collect at 00:00" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:00:00Z

# Nova's server listing fails for good: os-fetch gives up after its retry.
sim_time 2026-10-01T00:15:00Z
cloudctl control /_control/faults \
    '{"fault": "status", "status": 503, "match": "/servers/detail", "count": 100}' >/dev/null
expect_pipe "collect while the API fails" 75 collect -c "$T/moc.conf" --now 2026-10-01T00:15:00Z
cloudctl control /_control/reset '{}' >/dev/null
expect_eq "nothing of the failed run stored" "$(stored_runs | wc -l)" 1
failed_run=$(archives | grep '/20261001T001500Z-')
expect_eq "its archive is kept" "$(echo "$failed_run" | grep -c .)" 1
expect_eq "and listed as failed" "$(failed_list)" "$failed_run"
expect_eq "the archive is the incomplete run" \
    "$(gzip -dc "$T/spool/$failed_run" | tail -n 1 | jq -c '[.type, .complete, [.failed[].resource]]')" \
    '["run_end",false,["compute/servers"]]'
rid=${failed_run##*/}
rid=${rid%.jsonl.gz}
expect_eq "no row of it in any table" \
    "$(sql "select count(*) from moc.instance where run_id = '$rid'")" 0
expect_grep "the state stays at the last stored run" \
    "^last_complete_start 2026-10-01T00:00:00Z" "$T/spool/os-fetch.state"
expect_grep "cron mail says what happened" \
    "collect: run $rid not stored: the API failed after retries.*archive kept as .*$failed_run" \
    "$T/collect.err"
expect_grep "and what os-fetch said" "collect: os-fetch: compute/servers: HTTP status 503" \
    "$T/collect.err"

sim_time 2026-10-01T00:30:00Z
expect_pipe "collect after the API recovered" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:30:00Z
expect_eq "two runs stored" "$(stored_runs | wc -l)" 2
before=$(table_digest)

# replay: the stored runs are skipped, the incomplete one left.
expect_pipe "replay of the day" 0 replay -c "$T/moc.conf" --since 2026-10-01 --until 2026-10-02
expect_grep "replay says it left the incomplete run" \
    "replay: $failed_run: an incomplete run, left (replay --partial" "$T/moc.log"
expect_grep "replay skipped the stored runs" 'pg-load: .*is already loaded; skipped' "$T/moc.log"
expect_eq "still listed as failed" "$(failed_list)" "$failed_run"
expect_eq "replaying stored runs changes nothing" "$(table_digest)" "$before"

# replay --partial: stored as observations, taken off the failed list.
expect_pipe "replay --partial" 0 replay -c "$T/moc.conf" --partial \
    --since 2026-10-01T00:00:00Z --until 2026-10-01T01:00:00Z
expect_eq "the incomplete run is stored" "$(stored_runs | wc -l)" 3
expect_eq "as a partial run" \
    "$(sql "select complete, partial from moc.collection_run where id = '$rid'")" "f|t"
expect_eq "no longer listed as failed" "$(failed_list)" ""
after=$(table_digest)
expect_pipe "replay --partial again" 0 replay -c "$T/moc.conf" --partial \
    --since 2026-10-01 --until 2026-10-02
expect_eq "a second replay changes nothing" "$(table_digest)" "$after"

# A period that holds no run: nothing done, exit 0.
expect_pipe "replay of an empty period" 0 replay -c "$T/moc.conf" --since 2026-09-01 --until 2026-09-02
expect_grep "says it replayed nothing" "replayed 0 archived runs" "$T/moc.log"
finish
