# Usage errors exit 2: an input that cannot be opened (before any output),
# a bad --max-record-size, an unknown option.
st=0; os-normalize - /nonexistent/pages </dev/null || st=$?
echo "missing input: $st"
st=0; os-normalize --max-record-size=12X </dev/null || st=$?
echo "bad size: $st"
st=0; os-normalize --max-record-size=0 </dev/null || st=$?
echo "zero size: $st"
st=0; os-normalize --bogus </dev/null || st=$?
echo "bad option: $st"
