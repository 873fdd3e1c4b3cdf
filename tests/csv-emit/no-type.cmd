# A record without a type is fatal, naming the field.
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
