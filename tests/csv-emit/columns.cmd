# A type without a built-in list: id first, the rest sorted by bytes,
# whatever order the fields and records come in.  Fields first seen after
# the header get their column all the same (the file is rewritten).
csv-emit -t thing
