# March 2024: the rates file charges for stopped instances; --charge-stopped
# no overrides it.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - >in.jsonl
usage-aggregate --month 2024-03 --rates rates.yaml --by instance \
    --generated-at 2024-04-01T00:00:00Z --cloud MOC <in.jsonl
usage-aggregate --month 2024-03 --rates rates.yaml --by instance \
    --charge-stopped no --generated-at 2024-04-01T00:00:00Z --cloud MOC \
    <in.jsonl | grep '"axis":"instance"'
