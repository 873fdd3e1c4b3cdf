# Objects and arrays become compact JSON in one cell; non-ASCII text is
# written as UTF-8.
csv-emit -t flavor
