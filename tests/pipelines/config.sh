# The configuration file: found by -c, then MOC_CONF; "key = value" lines
# parsed (never run as shell); every mistake is a configuration error
# (exit 2) naming the file, the line and the key.
. "$top_srcdir/tests/lib/common.sh"

# run NAME CONF-TEXT [args]: the pipeline on a configuration file holding
# CONF-TEXT; stderr in $T/err.
run() {
	name=$1
	printf '%s\n' "$2" >"$T/moc.conf"
	shift 2
	env -i PATH=/usr/bin:/bin MOC_BINDIR="$top_builddir/bin" \
	    ${RUN_ENV:-} bash "$top_srcdir/pipelines/$name" "$@" >"$T/out" 2>"$T/err"
	run_status=$?
}

# bad WHAT PATTERN NAME CONF-TEXT [args]: exit 2 and PATTERN on stderr.
bad() {
	what=$1 pattern=$2
	shift 2
	run "$@"
	expect_eq "$what: exit" "$run_status" 2
	expect_grep "$what: message" "$pattern" "$T/err"
}

good="cloud = test
database = host=/nonexistent dbname=moc
spool = $T/spool
output = $T/output"

env -i PATH=/usr/bin:/bin MOC_BINDIR="$top_builddir/bin" \
    bash "$top_srcdir/pipelines/collect" >"$T/out" 2>"$T/err"
expect_eq "no configuration file: exit" "$?" 2
expect_grep "no configuration file: message" "collect: no configuration file: give -c FILE or set MOC_CONF" "$T/err"

bad "missing file" "collect: configuration file $T/none.conf: cannot read it" \
    collect "" -c "$T/none.conf"
bad "unknown key" "collect: $T/moc.conf:3: unknown key \"spol\" (the keys are: cloud region" \
    collect "# comment
cloud = test
spol = /tmp" -c "$T/moc.conf"
bad "key set twice" "daily-dump: $T/moc.conf:2: key \"output\" is set twice (first on line 1)" \
    daily-dump "output = a
output = b" -c "$T/moc.conf"
bad "not a key = value line" "prune: $T/moc.conf:2: not a 'key = value' line: retain 400d" \
    prune "
retain 400d" -c "$T/moc.conf"
bad "a bad duration" "prune: $T/moc.conf:2: key \"retain\": \"400\" is not a duration" \
    prune "database = x
retain = 400" -c "$T/moc.conf"
bad "a bad archive_retain" "key \"archive_retain\": \"1y\" is not a duration" \
    prune "archive_retain = 1y" -c "$T/moc.conf"
bad "an unknown time zone" "monthly-report: $T/moc.conf:1: key \"tz\": \"Mars/Olympus\" is not a time zone" \
    monthly-report "tz = Mars/Olympus" -c "$T/moc.conf"
bad "a path as time zone" "key \"tz\": \"../../etc/passwd\" is not a time zone" \
    monthly-report "tz = ../../etc/passwd" -c "$T/moc.conf"
bad "a bad role name" "key \"reporter_role\": \"x; drop\" is not a role name" \
    verify "reporter_role = x; drop" -c "$T/moc.conf" --month 2026-10
bad "collect without cloud" "collect: $T/moc.conf: key \"cloud\" is not set" \
    collect "database = x
spool = $T/spool" -c "$T/moc.conf"
bad "collect without spool" "collect: $T/moc.conf: key \"spool\" is not set" \
    collect "cloud = test
database = x" -c "$T/moc.conf"
bad "monthly-report without rates" "monthly-report: $T/moc.conf: key \"rates\" is not set" \
    monthly-report "$good" -c "$T/moc.conf"
bad "a rates file that is missing" "monthly-report: $T/moc.conf:5: key \"rates\": cannot read $T/no-rates.yaml" \
    monthly-report "$good
rates = no-rates.yaml" -c "$T/moc.conf"
bad "an admin file that is missing" "collect: $T/moc.conf:5: key \"admin\": cannot read /nonexistent/admin.jsonl" \
    collect "$good
admin = /nonexistent/admin.jsonl" -c "$T/moc.conf"
bad "a spool that cannot be made" "collect: $T/moc.conf:3: key \"spool\": cannot write to the folder /proc/moc-spool" \
    collect "cloud = test
database = x
spool = /proc/moc-spool" -c "$T/moc.conf"
bad "a log that cannot be written" "key \"log\": cannot write the log file /proc/moc.log" \
    collect "$good
log = /proc/moc.log" -c "$T/moc.conf"

# Values are text, never shell: nothing in them runs.
run prune "archive_retain = \$(touch $T/ran)1d
spool = $T/spool" -c "$T/moc.conf"
expect_eq "a value with \$(...): exit" "$run_status" 2
[ ! -e "$T/ran" ] && pass "nothing in a value ran" || fail "a value ran as shell"

# MOC_CONF names the file when -c does not; relative paths are taken from
# the file's folder; the log goes where the file says.
mkdir -p "$T/etc"
printf 'spool = ../var/spool\narchive_retain = 30d\nlog = ../var/prune.log\n' >"$T/etc/moc.conf"
mkdir -p "$T/var"
env -i PATH=/usr/bin:/bin MOC_BINDIR="$top_builddir/bin" MOC_CONF="$T/etc/moc.conf" \
    bash "$top_srcdir/pipelines/prune" >"$T/out" 2>"$T/err"
expect_eq "MOC_CONF: exit" "$?" 0
[ -d "$T/var/spool" ] && pass "relative spool made beside the file" ||
    fail "relative spool not in $T/var/spool"
expect_grep "relative log written" "prune: archives: 0 removed" "$T/var/prune.log"
expect_eq "nothing on stderr with a log file" "$(cat "$T/err")" ""

# Tools not found: a configuration error naming the program.
RUN_ENV="MOC_BINDIR=$T/nowhere" bad "a missing tool" \
    "collect: cannot find the program os-fetch (MOC_BINDIR=$T/nowhere" \
    collect "$good" -c "$T/moc.conf"
finish
