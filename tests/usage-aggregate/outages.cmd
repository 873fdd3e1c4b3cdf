cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cp "$CASEDIR/outages.yaml" outages.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --month 2024-02 --rates rates.yaml --outages outages.yaml \
    --by instance --generated-at 2024-03-01T00:00:00Z --cloud MOC
