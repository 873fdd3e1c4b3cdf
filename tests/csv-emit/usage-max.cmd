# --max-record takes a size.
csv-emit -t a --max-record=lots
