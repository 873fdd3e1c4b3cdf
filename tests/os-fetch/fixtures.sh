#!/bin/sh
# os-fetch against the test cloud serving the recorded Zed cloud: every
# page's body is the body Zed answered, the envelope is what
# moc-records(5) says, and, when os-normalize is built, normalizing
# os-fetch's pages gives the same records as normalizing the recordings.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
start_cloud
. "$top_srcdir/tests/os-fetch/lib.sh"

# Compare the pages of a run with the recordings: RUN RESOURCE...
compare() {
	run=$1
	shift
	if "$PYTHON3" "$PAGES_PY" compare "$CLOUD_URL" "$T/$run.jsonl" "$ZED" \
	    "$@" >"$T/$run.cmp"; then
		pass "$run: bodies as recorded ($(tail -1 "$T/$run.cmp"))"
	else
		fail "$run: bodies differ from the recordings"
		grep -v '^same' "$T/$run.cmp"
	fi
	if "$PYTHON3" "$PAGES_PY" check "$T/$run.jsonl" >"$T/$run.chk"; then
		pass "$run: envelope well formed"
	else
		fail "$run: envelope: $(cat "$T/$run.chk")"
	fi
}

# The default selection, at the default microversions.
fetch all
expect_eq "default run exit" "$(fetch_status all)" 0
expect_eq "default run quiet" "$(cat "$T/all.err")" ""
expect_eq "default run complete" "$(run_end all | jq .complete)" true
compare all identity/domains identity/projects identity/users \
	identity/role_assignments compute/servers network/networks \
	network/subnets network/routers network/floatingips network/ports \
	block-storage/types
expect_eq "run_start lists the default resources" \
	"$(jq -c 'select(.type == "run_start") | .resources' "$T/all.jsonl")" \
	'["identity/domains","identity/projects","identity/users","identity/role_assignments","compute/flavors","compute/servers","compute/instance_actions","compute/instance_action","network/networks","network/subnets","network/routers","network/floatingips","network/ports","block-storage/volumes","block-storage/snapshots","block-storage/types"]'
expect_eq "run_start cloud and region" \
	"$(jq -c 'select(.type == "run_start") | [.source, .cloud, .region]' "$T/all.jsonl")" \
	'["openstack","test","RegionOne"]'
expect_eq "microversions recorded" \
	"$(jq -r 'select(.type == "page") | "\(.service) \(.microversion)"' "$T/all.jsonl" | sort -u | tr '\n' ' ')" \
	"block-storage 3.50 compute 2.79 identity null network null "
# Without state, every server's actions are read, each action shown.
expect_eq "instance actions of every server" \
	"$(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/all.jsonl" | sort -u | wc -l)" \
	"$(jq -r 'select(.resource == "servers") | .body.servers[].id' "$T/all.jsonl" | sort -u | wc -l)"
expect_eq "every action shown" \
	"$(jq -r 'select(.resource == "instance_actions") | .body.instanceActions[].request_id' "$T/all.jsonl" | sort -u)" \
	"$(jq -r 'select(.resource == "instance_action") | .context.request_id' "$T/all.jsonl" | sort -u)"

# Bodies over --spool-size wait in TMPDIR: the same pages, no file left.
mkdir "$T/spool"
TMPDIR=$T/spool fetch spooled --spool-size 1K
expect_eq "spooled run exit" "$(fetch_status spooled)" 0
strip() { jq -c 'select(.type == "page") | del(.run_id, .fetched_at)' "$1" | sort; }
if [ "$(strip "$T/all.jsonl")" = "$(strip "$T/spooled.jsonl")" ]; then
	pass "spooled run: the same pages"
else
	fail "spooled run: other pages"
fi
expect_eq "spooled run: no file left in TMPDIR" "$(ls "$T/spool")" ""
expect_eq "spooled run: servers page over 1K" \
	"$(jq -r 'select(.resource == "servers") | .body | tostring | length > 1024' "$T/spooled.jsonl")" true

# The versions the recordings of the other resources were made at.
fetch v284 --os-compute-api-version 2.84 --os-volume-api-version 3.60 \
	-r compute/servers,compute/instance_actions,block-storage
expect_eq "2.84 run exit" "$(fetch_status v284)" 0
compare v284 compute/instance_actions compute/instance_action \
	block-storage/volumes block-storage/snapshots
fetch v261 --os-compute-api-version 2.61 -r compute/flavors
compare v261 compute/flavors
fetch v288 --os-compute-api-version 2.88 -r compute/hypervisors
compare v288 compute/hypervisors
fetch usage --os-compute-api-version 2.1 -r compute/tenant_usage \
	--since 2026-11-24T15:37:40Z --until 2026-11-25T15:38:40Z
expect_eq "tenant usage exit" "$(fetch_status usage)" 0
expect_eq "tenant usage window in the context" \
	"$(jq -c 'select(.type == "page") | .context' "$T/usage.jsonl")" \
	'{"start":"2026-11-24T15:37:40Z","end":"2026-11-25T15:38:40Z"}'
expect_eq "window in run_start" \
	"$(jq -c 'select(.type == "run_start") | [.since, .until]' "$T/usage.jsonl")" \
	'["2026-11-24T15:37:40Z","2026-11-25T15:38:40Z"]'
expect_grep "tenant usage asks for the window" \
	'os-simple-tenant-usage?detailed=1&start=2026-11-24T15:37:40&end=2026-11-25T15:38:40' \
	"$T/cloud.log"

# Only reads: GET everywhere, POST only for the token.
expect_eq "methods sent" "$(awk '{print $1}' "$T/cloud.log" | sort -u | tr '\n' ' ')" "GET POST "
expect_eq "every POST asks for a token" \
	"$(awk '$1 == "POST" {print $2}' "$T/cloud.log" | sort -u)" /identity/v3/auth/tokens

# End to end through os-normalize, when it is built.
if command -v os-normalize >/dev/null 2>&1; then
	for run in all v284 v261; do
		"$PYTHON3" "$PAGES_PY" pair "$CLOUD_URL" "$T/$run.jsonl" "$ZED" \
			"$T/$run.ours" "$T/$run.theirs"
		for side in ours theirs; do
			os-normalize <"$T/$run.$side" >"$T/$run.$side.rec" ||
				fail "$run: os-normalize failed on $side"
			jq -cS 'del(.run_id, .observed_at)' "$T/$run.$side.rec" |
				sort >"$T/$run.$side.norm"
		done
		n=$(grep -vc '"type":"run_' "$T/$run.ours.norm")
		if [ "$n" -gt 0 ] && cmp -s "$T/$run.ours.norm" "$T/$run.theirs.norm"; then
			pass "$run: os-fetch | os-normalize = recordings | os-normalize ($n records)"
		else
			fail "$run: normalized records differ ($n records)"
			diff "$T/$run.ours.norm" "$T/$run.theirs.norm" | head -20
		fi
	done
	# Every page of every run, recorded or not, normalizes cleanly.
	# (The recorded cloud has no snapshots.)
	for run in all v284 v261 v288 usage spooled; do
		os-normalize <"$T/$run.jsonl" >"$T/$run.rec" 2>"$T/$run.nerr"
		expect_eq "$run | os-normalize: exit" "$?" 0
		expect_eq "$run | os-normalize: no message" "$(cat "$T/$run.nerr")" ""
	done
	expect_eq "record types of a default run" \
		"$(jq -r .type "$T/all.rec" | sort -u | tr '\n' ' ')" \
		"domain flavor floating_ip instance instance_action network port project role_assignment router run_end run_start subnet user volume volume_attachment volume_type "
	expect_eq "tenant usage records" \
		"$(jq -r .type "$T/usage.rec" | sort -u | tr '\n' ' ')" \
		"run_end run_start tenant_usage "
else
	echo "os-normalize is not built: raw bodies compared only"
fi
finish
