# A record with the same key twice is fatal (which one would be the value?).
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
