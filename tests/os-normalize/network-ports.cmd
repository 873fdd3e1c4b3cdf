# network/ports pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service network --resource ports \
	    $O/neutron/ports/ports-list-response.json \
	    $O/neutron/ports/port-show-response.json \
	    ;
	$E --zed --run-id run-zed --service network --resource ports \
	    $Z/neutron-ports.json \
	    ;
} | os-normalize
