# network/routers pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service network --resource routers \
	    $O/neutron/routers/routers-list-response.json \
	    $O/neutron/routers/router-show-response.json \
	    ;
	$E --zed --run-id run-zed --service network --resource routers \
	    $Z/neutron-routers.json \
	    ;
} | os-normalize
