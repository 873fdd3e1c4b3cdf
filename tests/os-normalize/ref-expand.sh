# The test's template expanders (envelope.py): $ref against nova's own
# expansion, and %(name)s placeholders.
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

# nova's api_samples templates use %(name)s placeholders; envelope.py puts
# fixed values in their place, so a template still makes a page.
printf '{"server": {"id": "%%(uuid)s", "created": "%%(isotime)s",\n "status": "ACTIVE"}}\n' >"$T/tpl.json"
"$PY" "$top_srcdir/tests/os-normalize/envelope.py" --service compute \
    --resource servers "$T/tpl.json" | os-normalize >"$T/out" 2>"$T/err"
expect_eq "template normalized" "$?" 0
expect_grep "placeholder id" '"id":"00000000-0000-4000-8000-0000000004' "$T/out"
expect_grep "placeholder time" '"created_at":"2026-01-01T00:00:00Z"' "$T/out"
finish
