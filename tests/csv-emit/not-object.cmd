# A record that is not an object is fatal.
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
