# An input file that cannot be opened: exit 1, naming it.
csv-emit -t a no-such-file.jsonl
