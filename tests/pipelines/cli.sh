# Every pipeline: --help on stdout with exit 0 and "Usage: NAME", a bad
# option or argument is a usage error (exit 2, the pointer to --help),
# and every long option of --help is in moc-pipelines(8).
. "$top_srcdir/tests/lib/common.sh"
page=$top_srcdir/man/moc-pipelines.8
for name in collect replay daily-dump monthly-report verify prune; do
	prog=$top_srcdir/pipelines/$name
	env -i PATH=/usr/bin:/bin bash "$prog" --help >"$T/help" 2>"$T/err"
	expect_eq "$name --help exit" "$?" 0
	expect_grep "$name --help shows usage" "^Usage: $name " "$T/help"
	expect_eq "$name --help writes nothing on stderr" "$(cat "$T/err")" ""
	env -i PATH=/usr/bin:/bin bash "$prog" --no-such-option >"$T/out" 2>"$T/err"
	expect_eq "$name bad option exit" "$?" 2
	expect_grep "$name bad option names it" "^$name: unknown option '--no-such-option'" "$T/err"
	expect_grep "$name bad option hint" "^Try '$name --help' for more information." "$T/err"
	expect_eq "$name bad option writes no stdout" "$(cat "$T/out")" ""
	env -i PATH=/usr/bin:/bin bash "$prog" stray >"$T/out" 2>"$T/err"
	expect_eq "$name stray argument exit" "$?" 2
	env -i PATH=/usr/bin:/bin bash "$prog" --help >/dev/full 2>"$T/err"
	st=$?
	[ "$st" -ne 0 ] && pass "$name --help >/dev/full fails ($st)" ||
	    fail "$name --help >/dev/full exits 0"
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
		grep -q -- "Fl -${opt#--}" "$page" ||
		    fail "$name: $opt is not in moc-pipelines.8"
	done
	grep -q "^\.Ss $name\$" "$page" &&
	    pass "moc-pipelines.8 describes $name" || fail "moc-pipelines.8 lacks a section for $name"
done
# A usage error needs no configuration file.
env -i PATH=/usr/bin:/bin bash "$top_srcdir/pipelines/replay" --since 2026-10-01 \
    >"$T/out" 2>"$T/err"
expect_eq "replay without --until exit" "$?" 2
expect_grep "replay says what is missing" "give --since and --until" "$T/err"
env -i PATH=/usr/bin:/bin bash "$top_srcdir/pipelines/verify" --month 2026-13 >"$T/out" 2>"$T/err"
expect_eq "verify --month 2026-13 exit" "$?" 2
expect_grep "verify names the bad month" "not a month (YYYY-MM): 2026-13" "$T/err"
env -i PATH=/usr/bin:/bin bash "$top_srcdir/pipelines/daily-dump" --date 2026-02-30 >"$T/out" 2>"$T/err"
expect_eq "daily-dump --date 2026-02-30 exit" "$?" 2
env -i PATH=/usr/bin:/bin bash "$top_srcdir/pipelines/collect" --now yesterday >"$T/out" 2>"$T/err"
expect_eq "collect --now yesterday exit" "$?" 2
env -i PATH=/usr/bin:/bin bash "$top_srcdir/pipelines/collect" --wait >"$T/out" 2>"$T/err"
expect_eq "collect --wait without a value exit" "$?" 2
expect_grep "says the option needs a value" "option '--wait' needs a value" "$T/err"

# The README shows the installed crontab.example, line for line.
sed -e 's|@pkglibexecdir@|/usr/local/libexec/moc-reporting|g' \
    -e 's|@sysconfdir@|/usr/local/etc|g' "$top_srcdir/pipelines/crontab.example" |
    grep -v '^#' | grep . >"$T/cron"
missing=$(while IFS= read -r l; do grep -qF -- "    $l" "$top_srcdir/README" || echo "$l"; done <"$T/cron")
expect_eq "README shows every line of crontab.example" "$missing" ""
finish
