# -d naming a file, or a folder whose parent is missing: exit 1.
: >file
st=0
csv-emit -d file || st=$?
csv-emit -d missing/parent || st=$?
exit "$st"
