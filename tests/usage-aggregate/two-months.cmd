# A period across two months: February does not bill stopped instances,
# March does; each month is rounded, priced and invoiced on its own.
# vm-s2 stopped from 2024-02-20 to 2024-03-10: Feb 15-20 (120 h) and
# Mar 1-15 (336 h, stopped time included) are billed.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --since 2024-02-15 --until 2024-03-15 --rates rates.yaml \
    --by project --generated-at 2024-04-01T00:00:00Z --cloud MOC
