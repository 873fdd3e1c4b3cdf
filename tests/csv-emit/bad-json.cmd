# Malformed JSON is fatal: message with input, line, byte; no file written.
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
