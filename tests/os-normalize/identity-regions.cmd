# identity/regions pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service identity --resource regions \
	    $O/keystone/v3/admin/regions-list-response.json \
	    $O/keystone/v3/admin/region-show-response.json \
	    ;
	$E --zed --run-id run-zed --service identity --resource regions \
	    $Z/keystone-regions.json \
	    ;
} | os-normalize
