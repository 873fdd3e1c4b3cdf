# Envelope faults: no service, a service that is not a string, no
# fetched_at, a bad fetched_at, no status.  A page without run_id and
# region takes them from the open run_start.
{
	printf '%s\n' '{"type":"run_start","run_id":"r1","source":"openstack","cloud":"test","region":"RegionOne","started_at":"2026-11-25T16:00:00Z","resources":["compute/servers"]}'
	printf '%s\n' '{"type":"page","resource":"servers","status":200,"fetched_at":"2026-11-25T16:00:02Z","body":{}}'
	printf '%s\n' '{"type":"page","service":7,"resource":"servers","status":200,"fetched_at":"2026-11-25T16:00:02Z","body":{}}'
	printf '%s\n' '{"type":"page","service":"compute","resource":"servers","status":200,"body":{"servers":[]}}'
	printf '%s\n' '{"type":"page","service":"compute","resource":"servers","status":200,"fetched_at":"25/11/2026","body":{"servers":[]}}'
	printf '%s\n' '{"type":"page","service":"compute","resource":"servers","fetched_at":"2026-11-25T16:00:02Z","body":{"servers":[]}}'
	printf '%s\n' '{"type":"page","service":"compute","resource":"servers","status":200,"fetched_at":"2026-11-25 16:00:03.123456","body":{"servers":[{"id":"s-1"}]}}'
	printf '%s\n' '{"type":"run_end","run_id":"r1","ended_at":"2026-11-25T16:01:00Z","complete":true,"pages":3,"failed":[]}'
} | os-normalize
