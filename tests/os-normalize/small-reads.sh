# Every golden case's input stream, fed to os-normalize one byte per
# read(2) (dd bs=1) and in odd-sized chunks, must give exactly the output
# it gives when read whole: a record split across reads is reassembled.
. "$top_srcdir/tests/lib/common.sh"
PY=${PYTHON3:-python3}
E="$PY $top_srcdir/tests/os-normalize/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service compute --resource servers $O/nova/servers/v2.100/servers-details-resp.json
	$E --zed --service compute --resource servers $Z/nova-servers-detail-all-2.79.json
	$E --zed --service compute --resource instance_action $Z/nova-instance-action-eng-build-1-resize.json
	$E --zed --service block-storage --resource volumes $Z/cinder-volumes-detail-all-3.60.json
	$E --service notification --resource versioned $O/notifications/nova/instance-create-end.json
	printf '{"type":"page","body":{"servers":[{"id":\n'
	printf '{"type":"institution","id":"x","name":"caf\303\251"}'
} >"$T/in"
os-normalize <"$T/in" >"$T/want" 2>"$T/want.err"
[ -s "$T/want" ] || fail "no output from the whole input"
for bs in 1 2 3 7 64 4093; do
	dd bs=$bs status=none <"$T/in" | os-normalize >"$T/got" 2>"$T/got.err"
	if cmp -s "$T/want" "$T/got" && cmp -s "$T/want.err" "$T/got.err"; then
		pass "read size $bs"
	else
		fail "read size $bs: output differs"
		diff "$T/want" "$T/got" | head -n 5
	fi
done
finish
