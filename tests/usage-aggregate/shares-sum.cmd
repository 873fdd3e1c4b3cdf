# Shares declared together must sum to 1: a data error, exit 1.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --month 2024-02 --rates rates.yaml
