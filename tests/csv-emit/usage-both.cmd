# --directory and --output exclude each other.
csv-emit -d out -t a -o x.csv
