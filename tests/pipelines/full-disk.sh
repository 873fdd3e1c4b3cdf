# A full output disk during daily-dump (and monthly-report): exit 1 with a
# message, no half-written folder or file left, a day dumped before kept
# whole; once there is room again, the dump is written.  The output folder
# is a small tmpfs mounted for the test (root only).
. "$top_srcdir/tests/lib/common.sh"
[ "$(id -u)" -eq 0 ] || skip "mounting a small tmpfs needs root"
. "$top_srcdir/tests/pipelines/lib.sh"
[ -x "$top_builddir/bin/consistency-check" ] ||
    skip "consistency-check is not built (daily-dump calls it)"
mkdir -p "$T/out"
mount -t tmpfs -o size=2m,mode=0755 moc-test-full "$T/out" 2>"$T/mount.err" ||
    skip "cannot mount a tmpfs: $(cat "$T/mount.err")"
at_exit "umount '$T/out'"
pipes_setup
echo "rates = $DATA/nerc-rates/rates.yaml" >>"$T/moc.conf"
for t in 2026-10-01T23:30:00Z 2026-10-01T23:45:00Z 2026-10-02T00:00:00Z; do
	sim_time "$t"
	expect_pipe "collect at $t" 0 collect -c "$T/moc.conf" --now "$t"
done

expect_pipe "daily-dump with room" 0 daily-dump -c "$T/moc.conf" --date 2026-10-01
d=$T/out/dump/2026-10-01
before=$(cd "$d" && ls -l --time-style=+ . && cat MANIFEST)

# Fill the disk.
dd if=/dev/zero of="$T/out/filler" bs=4096 2>/dev/null &&
    { echo "the tmpfs never filled"; exit 99; }
expect_pipe "daily-dump of the same day, disk full" 1 daily-dump -c "$T/moc.conf" --date 2026-10-01
expect_grep "says the dump failed" \
    "daily-dump: 2026-10-01 not dumped: csv-emit exit 1 (disk full?" "$T/daily-dump.err"
expect_grep "and why" "No space left on device" "$T/daily-dump.err"
expect_eq "the earlier dump is untouched" "$(cd "$d" && ls -l --time-style=+ . && cat MANIFEST)" "$before"
if (cd "$d" && sha256sum -c --quiet SHA256SUMS); then
	pass "the earlier dump still matches its SHA256SUMS"
else
	fail "the earlier dump was damaged"
fi
expect_pipe "daily-dump of a new day, disk full" 1 daily-dump -c "$T/moc.conf" --date 2026-10-02
[ ! -e "$T/out/dump/2026-10-02" ] && pass "no folder for the new day" ||
    fail "a folder was left for the new day"
expect_pipe "monthly-report, disk full" 1 monthly-report -c "$T/moc.conf" --month 2026-10
[ ! -e "$T/out/report/2026-10" ] && pass "no report folder" ||
    fail "a report folder was left"
expect_eq "nothing hidden or temporary left" \
    "$(cd "$T/out" && find . -name '.*' ! -name . -o -name '*.tmp')" ""

rm -f "$T/out/filler"
expect_pipe "daily-dump of the new day, with room again" 0 daily-dump -c "$T/moc.conf" --date 2026-10-02
if (cd "$T/out/dump/2026-10-02" && sha256sum -c --quiet SHA256SUMS); then
	pass "the new dump matches its SHA256SUMS"
else
	fail "the new dump does not match its SHA256SUMS"
fi
finish
