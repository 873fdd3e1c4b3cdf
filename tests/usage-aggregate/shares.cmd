# Funding shares: Joint is half BU, half MIT until the 15th, then a quarter
# and three quarters; its sub-project has none and inherits them; Unfunded
# has none anywhere up the tree, so each instance goes to its user's
# institution (alice: BU from her e-mail domain, bob: MIT explicitly).
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$CASEDIR/base.jsonl" - |
usage-aggregate --month 2024-02 --rates rates.yaml --by project,institution \
    --generated-at 2024-03-01T00:00:00Z --cloud MOC
