# Usage errors: one line and the pointer to --help, exit 2.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
ua() { usage-aggregate "$@" </dev/null && echo "exit 0" || echo "exit $?"; }
ua --month 2024-02
ua --rates rates.yaml
ua --rates rates.yaml --month 2024-13
ua --rates rates.yaml --month 2024-02 --since 2024-02-01
ua --rates rates.yaml --since 2024-02-02 --until 2024-02-01
ua --rates rates.yaml --month 2024-02 --tz Mars/Olympus_Mons
ua --rates rates.yaml --month 2024-02 --by tenant
ua --rates rates.yaml --month 2024-02 --charge-stopped maybe
ua --rates rates.yaml --month 2024-02 --interval 0
ua --rates rates.yaml --month 2024-02 --interval 1h --max-gap 30m
# Usage in a month the rates file does not cover: a configuration error.
printf '%s\n' '{"type":"instance","id":"vm","status":"ACTIVE","vcpus":1,"ram_mb":2048,"observed_at":"2022-01-10T00:00:00Z"}' >old.jsonl
usage-aggregate --rates rates.yaml --month 2022-01 old.jsonl >/dev/null &&
    echo "exit 0" || echo "exit $?"
