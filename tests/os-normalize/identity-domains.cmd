# identity/domains pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service identity --resource domains \
	    $O/keystone/v3/admin/domains-list-response.json \
	    $O/keystone/v3/admin/domain-show-response.json \
	    ;
	$E --zed --run-id run-zed --service identity --resource domains \
	    $Z/keystone-domains.json \
	    ;
} | os-normalize
