#!/bin/sh
# Polling the simulated cloud every 15 simulated minutes: the second poll,
# with --changes-since the first, lists the servers deleted in between
# (status DELETED) and reads the actions of exactly the servers that
# changed, and both runs are complete.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
start_cloud --simulate --seed 7 --size 3000 --from 2024-01-01T00:00:00Z \
	--until 2024-01-03T00:00:00Z --time 2024-01-02T12:00:00Z
. "$top_srcdir/tests/os-fetch/lib.sh"

fetch t0 -r compute/servers
expect_eq "first poll: exit" "$(fetch_status t0)" 0
cloudctl time 2024-01-02T12:15:00Z >/dev/null || fail "moving the clock"
fetch t15 -r compute/servers,compute/instance_actions \
	--changes-since 2024-01-02T12:00:00Z
expect_eq "second poll: exit" "$(fetch_status t15)" 0
expect_eq "second poll: complete" "$(run_end t15 | jq .complete)" true

ids() { jq -r "select(.resource == \"servers\" and $2) | .body.servers[] | $3" "$T/$1.jsonl" | sort -u; }
ids t0 '.context == null' .id >"$T/live0"
ids t15 '.context == null' .id >"$T/live15"
ids t15 '.context != null' .id >"$T/changed"
ids t15 '.context != null' 'select(.status == "DELETED") | .id' >"$T/deleted"
comm -23 "$T/live0" "$T/live15" >"$T/gone"
n=$(wc -l <"$T/changed")
if [ "$n" -gt 0 ] && [ "$n" -lt "$(wc -l <"$T/live15")" ]; then
	pass "$n servers changed in 15 minutes"
else
	fail "$n servers changed in 15 minutes of $(wc -l <"$T/live15")"
fi
# (Seed 7 deletes some servers in that quarter hour.)
if [ -s "$T/gone" ]; then
	expect_eq "$(wc -l <"$T/gone") servers gone since the first poll are listed as DELETED" \
		"$(comm -23 "$T/gone" "$T/deleted")" ""
else
	fail "no server was deleted between the polls"
fi
expect_eq "actions read for the changed servers only" \
	"$(jq -r 'select(.resource == "instance_actions") | .context.server_id' "$T/t15.jsonl" | sort -u)" \
	"$(cat "$T/changed")"
finish
