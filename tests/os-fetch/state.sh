#!/bin/sh
# Servers changed since the last run: --changes-since and --state.  The
# changes-since listing is added (deleted servers show there), instance
# actions are read only for the servers it names, and the state file is
# written only after a complete run.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
start_cloud
. "$top_srcdir/tests/os-fetch/lib.sh"

# The instant the recording of the changes-since listing was made with.
SINCE=2026-11-24T15:37:39Z
fetch changes --changes-since "$SINCE" -r compute/servers,compute/instance_actions
expect_eq "changes-since: exit" "$(fetch_status changes)" 0
expect_eq "changes-since: in run_start" \
	"$(jq -r 'select(.type == "run_start") | .changes_since' "$T/changes.jsonl")" "$SINCE"
expect_eq "changes-since: the listing is marked" \
	"$(jq -c 'select(.resource == "servers" and .context != null) | .context' "$T/changes.jsonl")" \
	"{\"changes_since\":\"$SINCE\"}"
"$PYTHON3" "$PAGES_PY" compare "$CLOUD_URL" "$T/changes.jsonl" "$ZED" compute/servers >"$T/changes.cmp" ||
	fail "changes-since: bodies differ: $(grep -v ^same "$T/changes.cmp")"
expect_eq "changes-since: listing as recorded" "$(grep -c 'nova-servers-detail-changes-since.json' "$T/changes.cmp")" 1
expect_eq "actions of the changed servers only" \
	"$(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/changes.jsonl" | sort -u)" \
	"$(jq -r 'select(.resource == "servers" and .context != null) | .body.servers[].id' "$T/changes.jsonl" | sort -u)"
# Each changed server's actions are listed from the same instant on
# (Nova 2.58's changes-since on os-instance-actions), so only the actions
# begun or changed since then are shown, each once.
mark_log
fetch actions --changes-since "$SINCE" -r compute/servers,compute/instance_actions
expect_eq "changes-since: action lists filtered" \
	"$(log_since_mark | grep -c '/os-instance-actions?changes-since=2026-11-24T15%3A37%3A39Z[& ]')" \
	"$(jq -r 'select(.resource == "servers" and .context != null) | .body.servers[].id' "$T/actions.jsonl" | sort -u | wc -l)"
listed=$(jq -r 'select(.resource == "instance_actions") | .body.instanceActions[] | .request_id' "$T/actions.jsonl" | sort)
expect_eq "changes-since: the actions listed are shown" \
	"$(jq -r 'select(.resource == "instance_action") | .body.instanceAction.request_id' "$T/actions.jsonl" | sort)" "$listed"
expect_eq "changes-since: no action older than it" \
	"$(jq -r 'select(.resource == "instance_actions") | .body.instanceActions[] | select(.updated_at < "2026-11-24T15:37:39") | .request_id' "$T/actions.jsonl")" ""
all=$(for f in "$ZED"/nova-instance-actions-*.json; do jq -r '.response.body.instanceActions[] | select(.updated_at >= "2026-11-24T15:37:39") | .request_id' "$f"; done | sort)
[ -n "$listed" ] || fail "changes-since: no action listed at all"
for id in $all; do
	server=$(grep -l "\"$id\"" "$ZED"/nova-instance-actions-*.json | head -1)
	sid=$(jq -r '.request.url' "$server" | sed 's|.*/servers/||; s|/.*||')
	if jq -e --arg s "$sid" 'select(.resource == "servers" and .context != null) | .body.servers[] | select(.id == $s)' "$T/actions.jsonl" >/dev/null; then
		printf '%s\n' "$listed" | grep -qx "$id" || fail "changes-since: action $id of changed server $sid not listed"
	fi
done
pass "changes-since: every action since then of a changed server is listed"
# Before 2.58 Nova has no such filter: every action is read.
mark_log
fetch old_mv --os-compute-api-version 2.57 --changes-since "$SINCE" -r compute/servers,compute/instance_actions
expect_eq "microversion 2.57: exit" "$(fetch_status old_mv)" 0
expect_eq "microversion 2.57: action lists not filtered" \
	"$(log_since_mark | grep -c 'os-instance-actions?changes-since')" 0

deleted=$(jq '.response.body.servers | map(select(.status == "DELETED")) | length' "$ZED/nova-servers-detail-changes-since.json")
expect_eq "changes-since: deleted servers listed" \
	"$(jq -s '[.[] | select(.resource == "servers" and .context != null) | .body.servers[] | select(.status == "DELETED")] | length' "$T/changes.jsonl")" "$deleted"

# A later instant: fewer servers changed, only theirs are read.
LATEST=$(jq -r 'select(.resource == "servers" and .context == null) | .body.servers[].updated' "$T/changes.jsonl" | sort | tail -1)
fetch later --changes-since "$LATEST" -r compute/servers,compute/instance_actions
expect_eq "later changes-since: exit" "$(fetch_status later)" 0
total=$(jq -r 'select(.resource == "servers" and .context == null) | .body.servers[].id' "$T/later.jsonl" | sort -u | wc -l)
changed=$(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/later.jsonl" | sort -u | wc -l)
expect_eq "later changes-since: actions of the changed servers only" \
	"$(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/later.jsonl" | sort -u)" \
	"$(jq -r 'select(.resource == "servers" and .context != null) | .body.servers[].id' "$T/later.jsonl" | sort -u)"
if [ "$changed" -gt 0 ] && [ "$changed" -lt "$total" ]; then
	pass "later changes-since: $changed of $total servers' actions read"
else
	fail "later changes-since: $changed of $total servers' actions read"
fi
# Of those servers' actions, only the ones changed since then.
since_naive=$(printf '%s' "$LATEST" | sed 's/Z$//')
want=$(for sid in $(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/later.jsonl" | sort -u); do
	jq -r --arg s "$sid" --arg t "$since_naive" 'select(.request.url | test("/servers/" + $s + "/os-instance-actions$")) | .response.body.instanceActions[] | select(.updated_at >= $t) | .request_id' "$ZED"/nova-instance-actions-*.json
done | sort)
older=$(for sid in $(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/later.jsonl" | sort -u); do
	jq -r --arg s "$sid" --arg t "$since_naive" 'select(.request.url | test("/servers/" + $s + "/os-instance-actions$")) | .response.body.instanceActions[] | select(.updated_at < $t) | .request_id' "$ZED"/nova-instance-actions-*.json
done | wc -l)
[ "$older" -gt 0 ] || fail "later changes-since: the recording has no older action to leave out"
[ -n "$want" ] || fail "later changes-since: no action changed since then to show"
expect_eq "later changes-since: only the actions changed since then shown" \
	"$(jq -r 'select(.resource == "instance_action") | .body.instanceAction.request_id' "$T/later.jsonl" | sort)" "$want"

# --state: the first run reads every server's actions, then remembers.
S=$T/fetch.state
fetch first --state "$S" -r compute/servers,compute/instance_actions
expect_eq "first run: exit" "$(fetch_status first)" 0
expect_eq "first run: no changes-since listing" \
	"$(jq -c 'select(.resource == "servers") | .context' "$T/first.jsonl")" null
started=$(jq -r 'select(.type == "run_start") | .started_at' "$T/first.jsonl")
expect_grep "state: start of the run" "^last_complete_start $started\$" "$S"
expect_grep "state: cloud" "^cloud test\$" "$S"
fetch second --state "$S" -r compute/servers,compute/instance_actions
expect_eq "second run: exit" "$(fetch_status second)" 0
expect_eq "second run: changes since the first, less 5 minutes" \
	"$(jq -r 'select(.type == "run_start") | .changes_since' "$T/second.jsonl")" \
	"$(date -u -d "$started - 300 seconds" +%Y-%m-%dT%H:%M:%SZ)"
expect_grep "second run: changes-since asked for" 'changes-since=' "$T/cloud.log"

# An incomplete run leaves the state as it was.
cp "$S" "$T/state.before"
inject '{"fault": "status", "status": 403, "match": "/servers/detail"}'
fetch third --state "$S" -r compute/servers
expect_eq "incomplete run: exit 1" "$(fetch_status third)" 1
if cmp -s "$S" "$T/state.before"; then
	pass "incomplete run: state untouched"
else
	fail "incomplete run: state changed"
fi
printf 'last_complete_start yesterday\n' >"$T/bad.state"
fetch badstate --state "$T/bad.state"
expect_eq "bad state file: exit 2" "$(fetch_status badstate)" 2
expect_grep "bad state file: message" 'bad.state: bad time "yesterday"' "$T/badstate.err"
finish
