# network/floatingips pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service network --resource floatingips \
	    $O/neutron/floatingips/floating-ips-list-response.json \
	    $O/neutron/floatingips/floatingip-show-response.json \
	    ;
	$E --zed --run-id run-zed --service network --resource floatingips \
	    $Z/neutron-floatingips.json \
	    ;
} | os-normalize
