# moc-lib.sh: what the pipelines (collect, replay, daily-dump,
# monthly-report, verify, prune) share, sourced by each of them:
# the configuration file (parsed, never sourced), log lines, finding the
# tools, the spool lock, atomic folders and time arithmetic.
#
# Exit statuses of every script: 0 done, 1 failed (data or a check),
# 2 usage or configuration error, 75 temporary (API or database down,
# the lock held by another run): cron mail reads them.
#
# Installing substitutes the two values below (see pipelines/local.am);
# in the source tree they stay unsubstituted and MOC_BINDIR, PATH and
# -c or MOC_CONF apply.
moc_installed_bindir='@bindir@'
moc_installed_sysconfdir='@sysconfdir@'

# The keys of the configuration file (moc-reporting.conf(5)).
moc_conf_keys='cloud region database reporter_role spool output log retain
archive_retain tz rates outages admin cluster_name fetch_options'

declare -A MOC_VAL=() MOC_VAL_LINE=()
moc_conf_file=
moc_log_file=
moc_cleanups=
moc_tmp=

# moc_start NAME: set up messages, the scratch folder and the traps.
moc_start() {
	moc_prog=$1
	umask 027
	# A kill runs the cleanups too (bash runs the EXIT trap on exit only).
	trap 'moc_cleanup' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	moc_tmp=$(mktemp -d "${TMPDIR:-/tmp}/moc-$moc_prog.XXXXXX") ||
	    moc_fail 1 "cannot make a scratch folder in ${TMPDIR:-/tmp}"
}

moc_cleanup() {
	eval "$moc_cleanups"
	[ -n "$moc_tmp" ] && moc_rm_at_exit+=("$moc_tmp")
	[ ${#moc_rm_at_exit[@]} -eq 0 ] || rm -rf -- "${moc_rm_at_exit[@]}"
}

# moc_at_exit CMD: run CMD (a string) when the script ends, newest first.
moc_at_exit() {
	moc_cleanups="$1; $moc_cleanups"
}

# moc_at_exit_rm PATH...: remove these when the script ends, after the
# commands of moc_at_exit (one rm for all: collect runs every 15 minutes).
moc_rm_at_exit=()
moc_at_exit_rm() {
	moc_rm_at_exit+=("$@")
}

# (bash's own strftime: a log line costs no process; collect writes a few
# every 15 minutes)
moc_now() {
	TZ=UTC0 printf '%(%Y-%m-%dT%H:%M:%SZ)T\n' -1
}

# moc_log MESSAGE: one timestamped line to the log (file or stderr).
moc_log() {
	local line
	TZ=UTC0 printf -v line '%(%Y-%m-%dT%H:%M:%SZ)T' -1
	line="$line $moc_prog: $*"
	if [ -n "$moc_log_file" ]; then
		printf '%s\n' "$line" >>"$moc_log_file" ||
		    printf '%s\n' "$line" >&2
	else
		printf '%s\n' "$line" >&2
	fi
}

# moc_error MESSAGE: logged, and on stderr too when the log is a file, so
# that cron mails it.
moc_error() {
	moc_log "$*"
	[ -z "$moc_log_file" ] || printf '%s: %s\n' "$moc_prog" "$*" >&2
}

# moc_fail STATUS MESSAGE
moc_fail() {
	local st=$1
	shift
	moc_error "$*"
	exit "$st"
}

moc_usage_error() {
	printf '%s: %s\n' "$moc_prog" "$*" >&2
	printf "Try '%s --help' for more information.\n" "$moc_prog" >&2
	exit 2
}

# moc_log_stderr FILE [loud]: the messages a tool wrote, as log lines
# (and on stderr as well with "loud" and a log file).
moc_log_stderr() {
	local l
	[ -s "$1" ] || return 0
	while IFS= read -r l || [ -n "$l" ]; do
		if [ "${2:-}" = loud ]; then
			moc_error "$l"
		else
			moc_log "$l"
		fi
	done <"$1"
	: >"$1"
}

# ---------------------------------------------------------------- options

# moc_optarg OPTION "$@": the value of OPTION given as "--opt value" (the
# caller shifts 2) or "--opt=value" (shift 1); sets moc_optval and
# moc_optshift.
moc_optarg() {
	local opt=$1
	shift
	case $1 in
	*=*) moc_optval=${1#*=} moc_optshift=1 ;;
	*)
		[ $# -ge 2 ] || moc_usage_error "option '$opt' needs a value"
		moc_optval=$2 moc_optshift=2
		;;
	esac
}

# --------------------------------------------------------- configuration

# moc_trim VAR STRING: STRING without its leading and trailing blanks, in
# VAR (no subshell: the file is read on every run).
moc_trim() {
	local s=$2
	s=${s#"${s%%[![:space:]]*}"}
	s=${s%"${s##*[![:space:]]}"}
	printf -v "$1" '%s' "$s"
}

# moc_conf_load [FILE]: FILE (from -c), else $MOC_CONF, else the installed
# default.  "key = value" lines; "#" starts a comment line; unknown or
# repeated keys are errors, so that a typo does not pass unnoticed.
moc_conf_load() {
	local file=${1:-${MOC_CONF:-}} line t key val n=0 keys
	keys=" ${moc_conf_keys//$'\n'/ } "
	if [ -z "$file" ]; then
		case $moc_installed_sysconfdir in
		@*) moc_fail 2 "no configuration file: give -c FILE or set MOC_CONF" ;;
		esac
		file=$moc_installed_sysconfdir/moc-reporting/moc-reporting.conf
	fi
	[ -f "$file" ] && [ -r "$file" ] ||
	    moc_fail 2 "configuration file $file: cannot read it"
	case $file in
	/*) ;;
	*) file=$(pwd)/$file ;;
	esac
	moc_conf_file=$file
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%$'\r'}
		moc_trim t "$line"
		case $t in
		'' | '#'*) continue ;;
		*=*) ;;
		*) moc_fail 2 "$file:$n: not a 'key = value' line: $t" ;;
		esac
		moc_trim key "${t%%=*}"
		moc_trim val "${t#*=}"
		case $keys in
		*" $key "*) ;;
		*) moc_fail 2 "$file:$n: unknown key \"$key\" (the keys are:$keys)" ;;
		esac
		[ -z "${MOC_VAL_LINE[$key]:-}" ] ||
		    moc_fail 2 "$file:$n: key \"$key\" is set twice (first on line ${MOC_VAL_LINE[$key]})"
		MOC_VAL[$key]=$val
		MOC_VAL_LINE[$key]=$n
	done <"$file"
	: "${MOC_VAL[reporter_role]:=moc_reporter}"
	: "${MOC_VAL[tz]:=UTC}"
	moc_conf_check_values
	# From here on, messages go to the configured log.
	if [ -n "${MOC_VAL[log]:-}" ]; then
		moc_log_file=$(moc_conf_path log)
		: >>"$moc_log_file" 2>/dev/null || {
			local f=$moc_log_file
			moc_log_file=
			moc_fail 2 "$(moc_conf_where log): cannot write the log file $f"
		}
	fi
}

# moc_conf_where KEY: "FILE:LINE: key "KEY"" (or FILE alone when unset).
moc_conf_where() {
	if [ -n "${MOC_VAL_LINE[$1]:-}" ]; then
		printf '%s:%s: key "%s"' "$moc_conf_file" "${MOC_VAL_LINE[$1]}" "$1"
	else
		printf '%s: key "%s"' "$moc_conf_file" "$1"
	fi
}

moc_conf_check_values() {
	local k
	for k in retain archive_retain; do
		[ -z "${MOC_VAL[$k]:-}" ] || moc_duration_seconds "${MOC_VAL[$k]}" >/dev/null ||
		    moc_fail 2 "$(moc_conf_where $k): \"${MOC_VAL[$k]}\" is not a duration (such as 400d, 2w, 36h)"
	done
	k=${MOC_VAL[tz]}
	case $k in
	UTC | Etc/UTC) ;;
	*)
		# usage-aggregate would quietly take an unknown zone for UTC.
		case $k in *..* | /*) k= ;; esac
		[ -n "$k" ] && [ -f "${TZDIR:-/usr/share/zoneinfo}/$k" ] ||
		    moc_fail 2 "$(moc_conf_where tz): \"${MOC_VAL[tz]}\" is not a time zone of ${TZDIR:-/usr/share/zoneinfo}"
		;;
	esac
	k=${MOC_VAL[reporter_role]}
	[[ $k =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
	    moc_fail 2 "$(moc_conf_where reporter_role): \"$k\" is not a role name"
}

# moc_conf_require KEY...: each must be set (non-empty).
moc_conf_require() {
	local k
	for k in "$@"; do
		[ -n "${MOC_VAL[$k]:-}" ] ||
		    moc_fail 2 "$moc_conf_file: key \"$k\" is not set"
	done
}

# moc_conf_path KEY: the value as a path; relative paths are taken from
# the configuration file's folder (cron's working folder is no anchor).
moc_conf_path() {
	local v=${MOC_VAL[$1]:-}
	case $v in
	'' | /*) printf '%s' "$v" ;;
	*) printf '%s/%s' "${moc_conf_file%/*}" "$v" ;;
	esac
}

# moc_conf_file_key KEY: a path key naming a readable file.
moc_conf_file_key() {
	local p
	p=$(moc_conf_path "$1")
	[ -f "$p" ] && [ -r "$p" ] ||
	    moc_fail 2 "$(moc_conf_where "$1"): cannot read $p"
	printf '%s' "$p"
}

# moc_conf_dir_key KEY: a path key naming a folder, made if missing.
moc_conf_dir_key() {
	local p
	p=$(moc_conf_path "$1")
	mkdir -p "$p" 2>/dev/null && [ -w "$p" ] ||
	    moc_fail 2 "$(moc_conf_where "$1"): cannot write to the folder $p"
	(cd "$p" && pwd)
}

# ------------------------------------------------------------------ tools

# moc_tool NAME: the path of one of the suite's programs: in MOC_BINDIR
# when set (a build tree), else the installed bindir, else PATH.
moc_tool() {
	local p
	if [ -n "${MOC_BINDIR:-}" ]; then
		p=$MOC_BINDIR/$1
	elif [ "${moc_installed_bindir#@}" = "$moc_installed_bindir" ] &&
	    [ -x "$moc_installed_bindir/$1" ]; then
		p=$moc_installed_bindir/$1
	else
		p=$(command -v "$1" 2>/dev/null) || p=
	fi
	[ -n "$p" ] && [ -x "$p" ] ||
	    moc_fail 2 "cannot find the program $1 (${MOC_BINDIR:+MOC_BINDIR=$MOC_BINDIR, }PATH=$PATH)"
	printf '%s' "$p"
}

# moc_tools NAME...: look every one up now, as variables named after the
# tool (os-fetch -> t_os_fetch), so a missing one fails before any work.
moc_tools() {
	local n v
	for n in "$@"; do
		v=t_${n//-/_}
		printf -v "$v" '%s' "$(moc_tool "$n")"
		[ -n "${!v}" ] || exit 2
	done
}

# ------------------------------------------------------------------- lock

# moc_lock FILE SECONDS: hold FILE's lock until the script ends; wait at
# most SECONDS for another holder, then give up with 75 (try later).
moc_lock() {
	local f=$1 wait=$2
	command -v flock >/dev/null ||
	    moc_fail 2 "flock (util-linux) is not in PATH=$PATH"
	exec 9>>"$f" || moc_fail 2 "cannot open the lock file $f"
	flock -n 9 && return 0
	moc_log "another run holds $f; waiting up to ${wait}s"
	if ! flock -w "$wait" 9; then
		moc_fail 75 "another run holds $f; gave up after ${wait}s (try again later)"
	fi
}

# ----------------------------------------------------------------- folders

# moc_publish TMPDIR FINAL: put a complete folder in place.  A folder
# already there (a re-run) is moved aside first and removed after, so
# FINAL is always either the old or the new folder, never half of one.
moc_publish() {
	local tmp=$1 final=$2 old
	old=${final%/*}/.${final##*/}.old.$$
	sync -f "$tmp" 2>/dev/null || :
	if [ -e "$final" ]; then
		mv -T "$final" "$old" || return 1
		if ! mv -T "$tmp" "$final"; then
			mv -T "$old" "$final"
			return 1
		fi
		rm -rf "$old"
	else
		mv -T "$tmp" "$final" || return 1
	fi
}

# ------------------------------------------------------------------- time

# moc_time_utc TIME: an RFC 3339 time or a date (midnight UTC) as
# "YYYY-MM-DDTHH:MM:SSZ"; fails on anything else.
moc_time_utc() {
	case $1 in
	[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] | \
	[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9][T\ ][0-2][0-9]:[0-5][0-9]:[0-5][0-9]*) ;;
	*) return 1 ;;
	esac
	TZ=UTC date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null
}

moc_epoch() {
	date -u -d "$1" +%s
}

# moc_duration_seconds D: "400d", "2w", "36h", "90m", "3600s".
moc_duration_seconds() {
	local n u
	[[ $1 =~ ^([0-9]+)([smhdw])$ ]] || return 1
	n=$((10#${BASH_REMATCH[1]}))
	u=${BASH_REMATCH[2]}
	case $u in
	s) echo "$n" ;;
	m) echo $((n * 60)) ;;
	h) echo $((n * 3600)) ;;
	d) echo $((n * 86400)) ;;
	w) echo $((n * 604800)) ;;
	esac
}

# moc_month_bounds YYYY-MM ZONE: the month's first instant and the next
# month's, in ZONE, as UTC times on one line.
moc_month_bounds() {
	local m=$1 zone=$2 next s u
	[[ $m =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]] || return 1
	next=$(date -u -d "$m-01 +1 month" +%Y-%m) || return 1
	s=$(TZ=$zone date -d "$m-01 00:00:00" +%s) || return 1
	u=$(TZ=$zone date -d "$next-01 00:00:00" +%s) || return 1
	printf '%s %s\n' "$(date -u -d "@$s" +%Y-%m-%dT%H:%M:%SZ)" \
	    "$(date -u -d "@$u" +%Y-%m-%dT%H:%M:%SZ)"
}

# --------------------------------------------------------------- archives

# moc_archive_field FILE FIELD: a string field of an archive's first
# record (its run_start), or nothing.
moc_archive_field() {
	local first
	first=$({ gzip -dc "$1" 2>/dev/null || :; } | { head -n 1 || :; })
	moc_record_field "$first" "$2"
}

# moc_record_field RECORD FIELD: a string field of a compact record.
moc_record_field() {
	[[ $1 =~ \"$2\":\"([^\"]*)\" ]] || return 0
	printf '%s' "${BASH_REMATCH[1]}"
}

# moc_archive_complete FILE: true when the archive ends with a run_end
# that says complete (os-fetch writes it compact, one line).
moc_archive_complete() {
	local last
	last=$({ gzip -dc "$1" 2>/dev/null || :; } | tail -n 1)
	[[ $last == *'"type":"run_end"'* && $last == *'"complete":true'* ]]
}

# moc_failed_add SPOOL RELPATH / moc_failed_remove SPOOL RELPATH: the
# list of archives not stored (SPOOL/failed, one path per line, relative
# to SPOOL), rewritten through a temporary file and a rename.
moc_failed_add() {
	local f=$1/failed
	if [ -f "$f" ] && grep -qxF -- "$2" "$f"; then
		return 0
	fi
	{ [ ! -f "$f" ] || cat "$f"; printf '%s\n' "$2"; } >"$f.tmp.$$" &&
	    mv -f "$f.tmp.$$" "$f"
}

moc_failed_remove() {
	local f=$1/failed
	[ -f "$f" ] || return 0
	{ grep -vxF -- "$2" "$f" || :; } >"$f.tmp.$$" && mv -f "$f.tmp.$$" "$f"
}

moc_failed_has() {
	[ -f "$1/failed" ] && grep -qxF -- "$2" "$1/failed"
}

# moc_load_archive FILE [pg-load option...]: gzip -dc FILE | os-normalize |
# pg-load -d DATABASE, with the tools' messages logged.  Sets moc_load to
# "stored" (the run is in the database now, or was already), "skipped"
# (stored, but os-normalize left part of it out: its messages say what),
# "down" (database unreachable), "refused" (pg-load exit 2: the database
# or its schema) or "failed" (nothing stored).  pg-load alone says whether
# the run was stored (it stores a run whole or not at all, and reports
# the runs it stored or found already loaded); os-normalize's status says
# whether all of it was.  Needs t_os_normalize, t_pg_load, db, moc_tmp.
moc_load_archive() {
	local f=$1 ps runs l
	shift
	set +e
	gzip -dc "$f" | "$t_os_normalize" 2>"$moc_tmp/norm.err" |
	    "$t_pg_load" -d "$db" "$@" 2>"$moc_tmp/load.err"
	ps=("${PIPESTATUS[@]}")
	set -e
	runs=
	while IFS= read -r l || [ -n "$l" ]; do
		[[ $l =~ :\ stored\ [0-9]+\ records\ of\ ([0-9]+)\ runs\ \(([0-9]+)\ runs\ already\ loaded\) ]] &&
		    runs="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	done <"$moc_tmp/load.err"
	moc_log_stderr "$moc_tmp/norm.err" "$([ "${ps[1]}" -eq 0 ] || echo loud)"
	moc_log_stderr "$moc_tmp/load.err" "$([ "${ps[2]}" -eq 0 ] || echo loud)"
	moc_load_status="gzip/os-normalize/pg-load exited ${ps[0]}/${ps[1]}/${ps[2]}"
	case ${ps[2]} in
	0) ;;
	75) moc_load=down; return 0 ;;
	2) moc_load=refused; return 0 ;;
	*) moc_load=failed; return 0 ;;
	esac
	if [ -z "$runs" ] || [ "$runs" = "0 0" ]; then
		moc_load=failed moc_load_status="$moc_load_status, no run reached pg-load"
	elif [ "${ps[0]}" -ne 0 ] || [ "${ps[1]}" -ne 0 ]; then
		moc_load=skipped
	else
		moc_load=stored
	fi
}
