cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --month 2024-02 --rates rates.yaml --by instance,project \
    --generated-at 2024-03-01T00:00:00Z --cloud MOC
