# A plain os-normalize stream: no instance actions, polls every 15 minutes
# and two hours in which nothing was collected.  vm-s: 22 inferred hours
# billed, 2 unknown; vm-t: from its first poll (12:00) on; vm-u: stopped
# from 18:00, when a poll first showed it; vol-1: 100 GB until 09:00, then
# 200 GB until it disappeared from complete runs after 09:45; fip-1 22 h.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --since 2024-02-01 --until 2024-02-02 --rates rates.yaml \
    --by instance,user --generated-at 2024-03-01T00:00:00Z --cloud MOC
