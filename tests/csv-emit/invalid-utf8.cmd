# Invalid UTF-8 in a value is fatal.
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
