# pg-extract's row versions with collection_run records: runs every 15
# minutes but none complete from 06:00 to 08:00.  vm-v is ACTIVE, then
# SHUTOFF from 15:00:05 to 18:00:05 (February: not billed): 00:00-06:00,
# 08:00-15:00:05 and 18:00:05-24:00 are billed (19 h rounded up), the gap
# is 2 unknown hours.  vm-w was created at 09:58 and deleted at 11:52
# (deleted_at, no delete action): 1 h 52 m seen from 10:00:05, 2 h billed.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --since 2024-02-01 --until 2024-02-02 --rates rates.yaml \
    --by instance --generated-at 2024-03-01T00:00:00Z --cloud MOC
