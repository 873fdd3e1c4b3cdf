# An error page carries no facts: skipped with a message, and the run
# is incomplete.  The recorded 401, 404 and 406 bodies of a real cloud
# are handled the same way.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
Z=$DATA/openstack-zed-recorded
{
	printf '%s\n' '{"type":"run_start","run_id":"r1","source":"openstack","cloud":"test","region":"RegionOne","started_at":"2026-11-25T16:00:00Z","resources":["compute/servers"]}'
	printf '%s\n' '{"type":"page","run_id":"r1","service":"compute","resource":"servers","region":"RegionOne","status":500,"fetched_at":"2026-11-25T16:00:02Z","body":{"computeFault":{"code":500,"message":"Unexpected API Error."}}}'
	printf '%s\n' '{"type":"run_end","run_id":"r1","ended_at":"2026-11-25T16:01:00Z","complete":true,"pages":3,"failed":[]}'
	$E --zed --run-id run-zed --service compute --resource servers \
	    $Z/error-401-bad-token.json $Z/error-404-server.json \
	    $Z/error-406-microversion.json
} | os-normalize
