# Malformed records: each refused with its place and field, exit 1.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
ua() {
	usage-aggregate --month 2024-02 --rates rates.yaml --max-record 1K \
	    "$@" >/dev/null && echo "exit 0" || echo "exit $?"
}
printf '{"type":"instance","id":"vm-1",\n' | ua
printf '{"type":"instance","id":"vm-1","vcpus":"two","observed_at":"2024-02-01T00:00:00Z"}\n' | ua
printf '{"type":"instance","id":"vm-1","status":"ACTIVE"}\n' | ua
printf '{"type":"instance","id":"vm-1","observed_at":"yesterday"}\n' | ua
printf '[1,2]\n' | ua
printf '{"id":"vm-1"}\n' | ua
printf '{"type":"instance_action","instance_id":"vm-1","action":"stop"}\n' | ua
printf '{"type":"project_institution","project_id":"p","institution_id":"i","share":"half"}\n' | ua
printf '{"type":"instance","id":"%01100d"}\n' 0 | ua
printf '{"type":"instance","id":"vm-1","observed_at":"2024-02-01T00:00:00Z","valid_from":"2024-02-01T00:00:00Z","valid_to":"2024-01-01T00:00:00Z"}\n' >f.jsonl
ua f.jsonl
printf '{"type":"something_new","x":1}\n{"type":"instance","id":7,"observed_at":"2024-02-01T00:00:00Z"}\n' | ua
ua no-such-file.jsonl
