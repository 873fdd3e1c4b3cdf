# A project whose parent is unknown and two projects that are each
# other's parent: reported, and counted under the root.
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --month 2024-02 --rates rates.yaml --by project \
    --generated-at 2024-03-01T00:00:00Z --cloud MOC
