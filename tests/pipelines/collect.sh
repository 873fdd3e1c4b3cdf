# collect as cron runs it (env -i, a minimal PATH) against the simulated
# cloud and a throwaway PostgreSQL: each run archived under
# raw/YYYY/MM/DD/RUN.jsonl.gz and stored, the os-fetch state moved on, the
# administrator data loaded once and again when it changes, timestamped
# log lines, nothing left behind in the spool.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pipelines/lib.sh"
pipes_setup
"$PYTHON3" "$top_srcdir/tests/cloud/simulate.py" --seed 7 --size 30 \
    --from "$SIM_FROM" --until "$SIM_UNTIL" --out "$T/sim" >/dev/null ||
    exit 99
cp "$T/sim/admin.jsonl" "$T/admin.jsonl"
echo "admin = admin.jsonl" >>"$T/moc.conf"

expect_pipe "first collect" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:00:00Z
expect_eq "one archive" "$(archives | wc -l)" 1
a1=$(archives)
case $a1 in
raw/2026/10/01/20261001T000000Z-*.jsonl.gz) pass "archive named after the run: $a1" ;;
*) fail "archive path: $a1" ;;
esac
if gzip -t "$T/spool/$a1"; then pass "archive is whole gzip"; else fail "archive is not whole gzip"; fi
run1=${a1##*/}
run1=${run1%.jsonl.gz}
expect_eq "stored run" "$(stored_runs)" "$run1"
expect_eq "the run is complete" "$(sql "select complete from moc.collection_run")" t
expect_eq "archive starts with its run_start" \
    "$(gzip -dc "$T/spool/$a1" | head -n 1 | jq -r '[.type, .run_id] | join(" ")')" \
    "run_start $run1"
expect_grep "state moved on" "^last_complete_start 2026-10-01T00:00:00Z" \
    "$T/spool/os-fetch.state"
expect_eq "no failed runs" "$(failed_list)" ""
expect_eq "administrator data loaded" \
    "$(sql "select count(*) from moc.institution")" \
    "$(jq -c 'select(.type == "institution")' "$T/admin.jsonl" | wc -l)"
expect_grep "log names the stored run" \
    "^20[0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z collect: run $run1 stored" \
    "$T/moc.log"
bad=$(grep -Ev '^20[0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z collect: ' "$T/moc.log")
expect_eq "every log line is timestamped and names the script" "$bad" ""
expect_eq "nothing on stderr when all went well (the log is a file)" \
    "$(cat "$T/collect.err")" ""

sim_time 2026-10-01T00:15:00Z
expect_pipe "second collect" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:15:00Z
expect_eq "two runs stored" "$(stored_runs | wc -l)" 2
expect_eq "two archives" "$(archives | wc -l)" 2
expect_grep "state at the second run" "^last_complete_start 2026-10-01T00:15:00Z" \
    "$T/spool/os-fetch.state"
expect_eq "unchanged administrator data not loaded again" \
    "$(grep -c 'administrator data .* loaded' "$T/moc.log")" 1

# The administrator changes the file: loaded at the next run.
jq -c 'if .type == "institution" and .code == "MOC" then .invoice_email = "billing@moc.example" else . end' \
    "$T/sim/admin.jsonl" >"$T/admin.jsonl"
sim_time 2026-10-01T00:30:00Z
expect_pipe "third collect" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:30:00Z
expect_eq "changed administrator data loaded" \
    "$(grep -c 'administrator data .* loaded' "$T/moc.log")" 2
expect_eq "the change is stored" \
    "$(sql "select count(*) from moc.institution where rec::json->>'invoice_email' = 'billing@moc.example' and valid_to is null")" 1

leftovers=$(cd "$T/spool" && find . -name '.*' ! -name . | sort)
expect_eq "no temporary files left in the spool" "$leftovers" ""

# The first collect of a day also reads nova's usage of the day before,
# as a run of its own; once a day.
no_usage_state
sim_time 2026-10-02T00:00:00Z
expect_pipe "first collect of a day" 0 collect -c "$T/moc.conf" --now 2026-10-02T00:00:00Z
expect_eq "a polling run and a usage run stored" \
    "$(sql "select count(*) from moc.collection_run where started_at = '2026-10-02T00:00:00Z'")" 2
expect_eq "the usage run read nova's usage only" \
    "$(sql "select resources from moc.collection_run where started_at = '2026-10-02T00:00:00Z' and resources <> (select resources from moc.collection_run order by id limit 1)")" \
    '["compute/tenant_usage"]'
expect_eq "its window is the day before" \
    "$(sql "select distinct rec::json->>'window_start', rec::json->>'window_end' from moc.tenant_usage")" \
    "2026-10-01T00:00:00Z|2026-10-02T00:00:00Z"
[ "$(sql "select count(*) from moc.tenant_usage")" -gt 0 ] &&
    pass "nova's usage stored" || fail "no tenant_usage stored"
expect_grep "the log says so" "collect: run .* stored: nova's usage from 2026-10-01 to 2026-10-02" "$T/moc.log"
expect_eq "the usage state" "$(cat "$T/spool/tenant-usage.state")" 2026-10-02
sim_time 2026-10-02T00:15:00Z
expect_pipe "second collect of the day" 0 collect -c "$T/moc.conf" --now 2026-10-02T00:15:00Z
expect_eq "no usage run" \
    "$(sql "select count(*) from moc.collection_run where started_at = '2026-10-02T00:15:00Z'")" 1
# Three days missed: their usage comes in one window.
sim_time 2026-10-05T00:00:00Z
expect_pipe "collect three days later" 0 collect -c "$T/moc.conf" --now 2026-10-05T00:00:00Z
expect_eq "the window covers the missed days" \
    "$(sql "select count(*) from moc.tenant_usage where rec::json->>'window_start' = '2026-10-02T00:00:00Z' and rec::json->>'window_end' = '2026-10-05T00:00:00Z'")" \
    "$(sql "select count(distinct rec::json->>'instance_id') from moc.tenant_usage where rec::json->>'window_start' = '2026-10-02T00:00:00Z'")"
expect_eq "the usage state moved on" "$(cat "$T/spool/tenant-usage.state")" 2026-10-05

# Without a log key, the log lines go to stderr (cron mails them).
sed '/^log =/d' "$T/moc.conf" >"$T/nolog.conf"
sim_time 2026-10-05T00:15:00Z
expect_pipe "collect logging to stderr" 0 collect -c "$T/nolog.conf" --now 2026-10-05T00:15:00Z
expect_grep "stderr has the log lines" "Z collect: run .* stored" "$T/collect.err"
finish
