# lib.sh: what the os-fetch tests share.  Sourced after tests/lib/common.sh
# and tests/cloud/lib.sh; start_cloud must have run.
#   fetch NAME [os-fetch options]  run os-fetch against the test cloud:
#                                  $T/NAME.jsonl, $T/NAME.err, $T/NAME.st
#   run_end NAME                   the run_end record, compact
need jq
export OS_CLIENT_CONFIG_FILE="$T/clouds.yaml"
export OS_CLOUD=test
PAGES_PY="$top_srcdir/tests/os-fetch/pages.py"
ZED=$DATA/openstack-zed-recorded

fetch() {
	name=$1
	shift
	os-fetch "$@" >"$T/$name.jsonl" 2>"$T/$name.err"
	echo $? >"$T/$name.st"
}

fetch_status() {
	cat "$T/$1.st"
}

run_end() {
	jq -c 'select(.type == "run_end") | del(.run_id, .ended_at)' \
	    "$T/$1.jsonl"
}

# The requests the cloud saw since the last mark.
mark_log() {
	log_mark=$(wc -l <"$T/cloud.log")
}
log_since_mark() {
	tail -n +"$((log_mark + 1))" "$T/cloud.log"
}

inject() {
	cloudctl control /_control/faults "$1" >/dev/null || fail "inject $1"
}

reset_faults() {
	cloudctl control /_control/reset '{}' >/dev/null || fail "reset faults"
}
