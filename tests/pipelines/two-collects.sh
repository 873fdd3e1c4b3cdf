# Two collects at once never interleave: while one holds SPOOL/collect.lock
# another waits (at most --wait seconds, then exits 75 with a message and
# without asking the API anything); two started together run one after
# the other, each run stored whole.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/pipelines/lib.sh"
pipes_setup
expect_pipe "first collect" 0 collect -c "$T/moc.conf" --now 2026-10-01T00:00:00Z

# The lock held (by this test, as a collect in progress would hold it).
exec 8>>"$T/spool/collect.lock"
flock 8
requests=$(wc -l <"$T/cloud.log")
expect_pipe "collect while another holds the lock" 75 collect -c "$T/moc.conf" \
    --now 2026-10-01T00:15:00Z --wait 0
expect_grep "says another run holds the lock" \
    "collect: another run holds .*/spool/collect.lock; gave up after 0s (try again later)" \
    "$T/collect.err"
expect_eq "it asked the API nothing" "$(wc -l <"$T/cloud.log")" "$requests"
expect_eq "it archived nothing" "$(archives | wc -l)" 1
exec 8>&-

# Two at once, each made slow by a late answer so that they would overlap
# without the lock; the log shows whether they did.
cloudctl control /_control/faults \
    '{"fault": "latency", "seconds": 1, "match": "/servers/detail", "count": 4}' >/dev/null
sim_time 2026-10-01T00:15:00Z
: >"$T/moc.log"
for n in a b; do
	env -i PATH=/usr/bin:/bin MOC_BINDIR="$top_builddir/bin" \
	    OS_CLIENT_CONFIG_FILE="$T/clouds.yaml" TMPDIR="${TMPDIR:-/tmp}" \
	    bash "$top_srcdir/pipelines/collect" -c "$T/moc.conf" \
	    --now 2026-10-01T00:15:00Z >"$T/$n.out" 2>"$T/$n.err" &
	eval "pid_$n=\$!"
done
wait "$pid_a"
expect_eq "collect a exit" "$?" 0
wait "$pid_b"
expect_eq "collect b exit" "$?" 0
order=$(sed -n 's/.*collect: \(fetching\).*/\1/p; s/.*collect: run .* \(stored\) .*/\1/p' "$T/moc.log" | tr '\n' ' ')
expect_eq "one run after the other" "$order" "fetching stored fetching stored "
expect_eq "three runs stored" "$(stored_runs | wc -l)" 3
expect_eq "three archives" "$(archives | wc -l)" 3
expect_eq "nothing failed" "$(failed_list)" ""
finish
