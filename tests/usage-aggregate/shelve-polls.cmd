# A shelve seen by one poll only (07:00) between polls showing ACTIVE:
# the ACTIVE polls before and after must not join across it.  Running
# until 06:53:27 and from 07:13:13: 23 h 40 m 14 s, billed 24 h.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --since 2024-02-01 --until 2024-02-02 --rates rates.yaml \
    --by instance --generated-at 2024-03-01T00:00:00Z --cloud MOC
