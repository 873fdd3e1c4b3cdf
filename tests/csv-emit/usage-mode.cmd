# Neither -d nor exactly one --type: a usage error, exit 2.
csv-emit -t a -t b
