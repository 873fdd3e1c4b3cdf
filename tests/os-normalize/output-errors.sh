# Output that cannot be written fails loudly: a full disk (/dev/full) and a
# closed standard output give a message and exit status 1; a reader that
# goes away (`| :`) ends os-normalize quietly by SIGPIPE, as for any filter.
. "$top_srcdir/tests/lib/common.sh"
PY=${PYTHON3:-python3}
$PY "$top_srcdir/tests/os-normalize/envelope.py" --zed --service compute \
    --resource servers "$DATA"/openstack-zed-recorded/nova-servers-detail-all-2.79.json \
    >"$T/in"
i=0
while [ $i -lt 200 ]; do cat "$T/in"; i=$((i + 1)); done >"$T/big"

os-normalize <"$T/in" >/dev/full 2>"$T/err"
expect_eq "/dev/full: exit status" "$?" 1
expect_grep "/dev/full: message" "write error" "$T/err"

os-normalize <"$T/in" >&- 2>"$T/err"
expect_eq "closed stdout: exit status" "$?" 1
expect_grep "closed stdout: message" "write error" "$T/err"

(os-normalize <"$T/big" 2>"$T/err"; echo $? >"$T/st") | :
st=$(cat "$T/st")
if [ "$st" -eq 0 ] || [ "$st" -gt 128 ]; then
	pass "| : ends it (status $st)"
else
	fail "| : gave status $st"
fi
if [ -s "$T/err" ]; then
	fail "| : wrote a message: $(cat "$T/err")"
else
	pass "| : stays quiet"
fi
finish
