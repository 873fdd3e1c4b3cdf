# An instance action that does not name its server takes the server_id of
# the page's context (the server os-fetch asked about); one that does keeps
# its own.
printf '%s\n' '{"type":"page","service":"compute","resource":"instance_actions","region":"RegionOne","status":200,"fetched_at":"2026-11-25T16:00:00Z","context":{"server_id":"srv-9"},"body":{"instanceActions":[{"action":"create","request_id":"req-1","start_time":"2026-11-25T15:00:00.123"},{"action":"stop","instance_uuid":"srv-8","request_id":"req-2","start_time":"2026-11-25T15:30:00"}]}}' |
    os-normalize
