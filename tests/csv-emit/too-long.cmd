# A line over --max-record is refused, not swallowed.
st=0
csv-emit -d out -m 100 || st=$?
ls -A out
exit "$st"
