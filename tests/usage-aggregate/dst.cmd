# March 2024 in New York: 2024-03-01T05:00Z to 2024-04-01T04:00Z, 743 hours
# (clocks went forward on the 10th); vm-p runs from 2024-02-15 throughout.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --month 2024-03 --tz America/New_York --rates rates.yaml \
    --by instance --generated-at 2024-04-01T00:00:00Z --cloud MOC
