# After the last complete collection nobody vouches for an instance, even
# one whose action log says it was running: that time is unknown, not
# billed.  Runs at 12:30 and 12:45 vouch until 13:00; the instance was
# created at 12:30, so 30 minutes count (one hour after rounding up) and the
# rest of the month is unknown.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --month 2024-02 --rates rates.yaml --by instance \
    --generated-at 2024-03-01T00:00:00Z --cloud MOC
