# Bodies and items of the wrong shape.  Whole pages: "servers" not an
# array, no "servers" at all, a body that is not an object.  Items: a
# server without "id", an item that is not an object (each skipped, the
# other items of the page kept).  Fields of the wrong type are reported
# and written as null.
{
	printf '%s\n' '{"type":"run_start","run_id":"r1","source":"openstack","cloud":"test","region":"RegionOne","started_at":"2026-11-25T16:00:00Z","resources":["compute/servers"]}'
	printf '%s{"servers":{"id":"s-0"}}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s{"server_list":[]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s[{"id":"s-0"}]}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s{"servers":[{"name":"no-id"},"s-0",{"id":"s-1"},{"id":17}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s{"servers":[{"id":"s-2","flavor":{"vcpus":"2","ram":4096.5},"created":"yesterday","OS-EXT-STS:power_state":"1","name":["x"],"image":"i-1"}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s\n' '{"type":"run_end","run_id":"r1","ended_at":"2026-11-25T16:01:00Z","complete":true,"pages":3,"failed":[]}'
} | os-normalize
