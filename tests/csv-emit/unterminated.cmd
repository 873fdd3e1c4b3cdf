# A complete last record without its newline is accepted; blank lines are
# skipped.
csv-emit -t instance
