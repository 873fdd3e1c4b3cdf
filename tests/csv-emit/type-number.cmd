# A type that is not a string is fatal.
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
