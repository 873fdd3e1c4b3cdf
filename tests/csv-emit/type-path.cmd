# With -d a type names a file: one that would escape the folder is fatal.
st=0
csv-emit -d out  || st=$?
ls -A out
exit "$st"
