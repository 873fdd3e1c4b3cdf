# Losses are charged to their own run: run r1 ends incomplete (and a
# run_end that already said false gains the reasons), run r2 stays
# complete and passes unchanged.
{
	printf '%s\n' '{"type":"run_start","run_id":"r1","source":"openstack","cloud":"test","region":"RegionOne","started_at":"2026-11-25T16:00:00Z","resources":["compute/servers"]}'
	printf '%s{"servers":[{"name":"no-id"}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s\n' '{"type":"run_end","run_id":"r1","ended_at":"2026-11-25T16:01:00Z","complete":false,"pages":1,"failed":[{"resource":"compute/flavors","status":503,"error":"Service Unavailable"}]}'
	printf '%s\n' '{"type":"run_start","run_id":"r2","region":"RegionTwo","started_at":"2026-11-25T16:15:00Z"}'
	printf '%s\n' '{"type":"page","service":"compute","resource":"servers","status":200,"fetched_at":"2026-11-25T16:15:01Z","body":{"servers":[{"id":"s-1"}]}}'
	printf '%s\n' '{"type":"run_end","run_id":"r2","ended_at":"2026-11-25T16:16:00Z","complete":true}'
} | os-normalize
