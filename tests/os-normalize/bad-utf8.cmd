# Invalid UTF-8 (a lone 0xff byte in a server name): yajl's validation
# rejects the line, the next page is still normalized.
{
	printf '%s\n' '{"type":"run_start","run_id":"r1","source":"openstack","cloud":"test","region":"RegionOne","started_at":"2026-11-25T16:00:00Z","resources":["compute/servers"]}'
	printf '%s{"servers":[{"id":"s-1","name":"caf\377"}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s{"servers":[{"id":"s-2","name":"caf\303\251"}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s\n' '{"type":"run_end","run_id":"r1","ended_at":"2026-11-25T16:01:00Z","complete":true,"pages":3,"failed":[]}'
} | os-normalize
