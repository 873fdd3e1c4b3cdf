# Formula cells get a leading quote by default; numbers, and strings spelled
# as JSON numbers, stay as they are.  --no-neutralise writes them all as is.
tee in.jsonl | csv-emit -t thing
echo "--- --no-neutralise"
csv-emit -t thing --no-neutralise in.jsonl
