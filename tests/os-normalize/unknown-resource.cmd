# Pages of a service or resource os-normalize does not know pass through
# byte for byte, with one warning per kind; they do not make the run
# incomplete, and the exit status stays 0.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack
{
	printf '%s\n' '{"type":"run_start","run_id":"r1","source":"openstack","cloud":"test","region":"RegionOne","started_at":"2026-11-25T16:00:00Z","resources":["compute/servers"]}'
	printf '%s\n' '{"type":"page","run_id":"r1","service":"image","resource":"images","region":"RegionOne","status":200,"fetched_at":"2026-11-25T16:00:02Z","body":{"images":[ ]}}'
	printf '%s\n' '{"type":"page","run_id":"r1","service":"image","resource":"images","region":"RegionOne","status":200,"fetched_at":"2026-11-25T16:00:03Z","body":{"images":[]}}'
	$E --no-run --run-id r1 --service compute --resource limits \
	    $O/nova/flavors/flavors-list-resp.json
	printf '%s{"servers":[{"id":"s-1"}]}}\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","method":"GET","url":"https://nova.test/v2.1/servers/detail","status":200,"microversion":"2.79","fetched_at":"2026-11-25T16:00:01Z","page":1,"context":{},"body":'
	printf '%s\n' '{"type":"run_end","run_id":"r1","ended_at":"2026-11-25T16:01:00Z","complete":true,"pages":3,"failed":[]}'
} | os-normalize
