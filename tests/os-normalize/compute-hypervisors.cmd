# compute/hypervisors pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service compute --resource hypervisors \
	    $O/nova/os-hypervisors/hypervisors-detail-resp.json \
	    $O/nova/os-hypervisors/hypervisors-show-resp.json \
	    $O/nova/os-hypervisors/v2.28/hypervisors-detail-resp.json \
	    $O/nova/os-hypervisors/v2.33/hypervisors-detail-resp.json \
	    $O/nova/os-hypervisors/v2.53/hypervisors-detail-resp.json \
	    $O/nova/os-hypervisors/v2.88/hypervisors-detail-resp.json \
	    ;
	$E --zed --run-id run-zed --service compute --resource hypervisors \
	    $Z/nova-hypervisors-detail-2.88.json \
	    ;
} | os-normalize
