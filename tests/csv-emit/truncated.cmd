# A last line cut short (no newline, JSON incomplete) is fatal.
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
