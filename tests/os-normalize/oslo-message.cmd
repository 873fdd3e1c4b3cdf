# A notification as oslo.messaging v2 delivers it: the message is a JSON
# string inside {"oslo.version", "oslo.message"}, with a message_id and a
# timestamp that become the event's id and generated time.  A message
# that is not JSON is reported.
P=${PYTHON3:-python3}
{ $P - "$CASEDIR/envelope.py" "$DATA/openstack/notifications/nova/instance-power_off-end.json" <<'PY'
import json, subprocess, sys
body = json.loads(subprocess.run([sys.executable, sys.argv[1], "--expand", sys.argv[2]],
                                 capture_output=True, check=True, text=True).stdout)
body["message_id"] = "8d1d3e44-6a4b-4f3c-9bdb-6c4b2b0e8a11"
body["timestamp"] = "2026-11-25 15:36:01.234567"
wrapped = {"oslo.version": "2.0", "oslo.message": json.dumps(body)}
env = {"type": "page", "service": "notification", "resource": "versioned",
       "region": "RegionOne", "status": 200,
       "fetched_at": "2026-11-25T16:00:00Z", "body": wrapped}
print(json.dumps(env))
env["body"] = {"oslo.version": "2.0", "oslo.message": "{not json"}
print(json.dumps(env))
PY
} | os-normalize
