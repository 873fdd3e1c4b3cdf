# Every fixture copied for these tests is one the fixture manifest marks
# as valid JSON, and os-normalize reads each of those it has a handler for
# without a single warning: no field of a published sample is reported as
# malformed.
. "$top_srcdir/tests/lib/common.sh"
PY=${PYTHON3:-python3}
M=$DATA/openstack/MANIFEST.tsv
cd "$DATA/openstack" || exit 99
n=0
for f in $(find keystone nova neutron cinder notifications -name '*.json' | sort); do
	n=$((n + 1))
	valid=$(awk -F'\t' -v p="$f" '$1 == p { print $9 }' "$M")
	[ "$valid" = yes ] || fail "$f: valid_json is '$valid' in MANIFEST.tsv"
done
pass "$n copied fixtures checked against MANIFEST.tsv"

# service/resource of each copied sample, by where it lives.
kind() {
	case $1 in
	notifications/nova/common_payloads/*) ;;
	notifications/nova/*) echo notification versioned ;;
	*/domain*) echo identity domains ;;
	*role-assign*) echo identity role_assignments ;;
	*/region*) echo identity regions ;;
	*project*) echo identity projects ;;
	*user*) echo identity users ;;
	nova/flavors/*) echo compute flavors ;;
	nova/servers/*) echo compute servers ;;
	*instance-actions-list*) echo compute instance_actions ;;
	*instance-action-get*) echo compute instance_action ;;
	*tenant-usage*) echo compute tenant_usage ;;
	*hypervisors*) echo compute hypervisors ;;
	neutron/networks/* | neutron/pagination/*) echo network networks ;;
	neutron/subnets/*) echo network subnets ;;
	neutron/routers/*) echo network routers ;;
	neutron/floatingips/*) echo network floatingips ;;
	neutron/ports/*) echo network ports ;;
	*attachment-*) echo block-storage attachments ;;
	*snapshot*) echo block-storage snapshots ;;
	*volume_type*) echo block-storage types ;;
	cinder/*volume*) echo block-storage volumes ;;
	esac
}
n=0
for f in $(find keystone nova neutron cinder notifications/nova -name '*.json' | sort); do
	set -- $(kind "$f")
	[ $# -eq 2 ] || continue
	n=$((n + 1))
	$PY "$top_srcdir/tests/os-normalize/envelope.py" --service "$1" \
	    --resource "$2" "$f" | os-normalize >"$T/out" 2>"$T/err"
	st=$?
	if [ "$st" -ne 0 ] || [ -s "$T/err" ] || [ ! -s "$T/out" ]; then
		fail "$f as $1/$2: status $st: $(head -c 300 "$T/err")"
	fi
done
pass "$n fixtures normalized without a warning"
finish
