# The test's $ref expander (envelope.py) against nova's own expansion:
# notifications/nova-expanded/ holds what nova's json_ref.py makes of 22
# samples; envelope.py --expand must give the same bytes.
. "$top_srcdir/tests/lib/common.sh"
PY=${PYTHON3:-python3}
N=$DATA/openstack/notifications
n=0
for want in "$N"/nova-expanded/*.json; do
	name=${want##*/}
	n=$((n + 1))
	if "$PY" "$top_srcdir/tests/os-normalize/envelope.py" --expand \
	    "$N/nova/$name" >"$T/got" && cmp -s "$T/got" "$want"; then
		:
	else
		fail "$name: expansion differs from nova-expanded/$name"
		diff "$want" "$T/got" | head -n 10
	fi
done
expect_eq "samples compared" "$n" 22
finish
