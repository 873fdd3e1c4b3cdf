# compute/flavors pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service compute --resource flavors \
	    $O/nova/flavors/flavors-detail-resp.json \
	    $O/nova/flavors/flavors-list-resp.json \
	    $O/nova/flavors/flavor-get-resp.json \
	    $O/nova/flavors/v2.55/flavors-detail-resp.json \
	    $O/nova/flavors/v2.61/flavors-detail-resp.json \
	    $O/nova/flavors/v2.61/flavor-get-resp.json \
	    $O/nova/flavors/v2.75/flavors-detail-resp.json \
	    $O/nova/flavors/v2.102/flavors-detail-resp.json \
	    ;
	$E --zed --run-id run-zed --service compute --resource flavors \
	    $Z/nova-flavors-detail-all-2.1.json \
	    $Z/nova-flavors-detail-all-2.61.json \
	    ;
} | os-normalize
