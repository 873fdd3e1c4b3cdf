# One type on standard output: built-in columns in moc-records(5) order,
# RFC 4180 quoting, null apart from "", other types skipped.
csv-emit --type instance
