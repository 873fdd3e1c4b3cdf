# A line over --max-record-size is skipped to its end, not read into
# memory; the lines after it are read as usual.
{
	printf '%s\n' '{"type":"run_start","run_id":"r1","source":"openstack","cloud":"test","region":"RegionOne","started_at":"2026-11-25T16:00:00Z","resources":["compute/servers"]}'
	printf '%s{"servers":[{"id":"s-1","name":"%0300d"}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":' 0
	printf '%s{"servers":[{"id":"s-2"}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s\n' '{"type":"run_end","run_id":"r1","ended_at":"2026-11-25T16:01:00Z","complete":true,"pages":3,"failed":[]}'
} | os-normalize --max-record-size=400
