# network/subnets pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service network --resource subnets \
	    $O/neutron/subnets/subnets-list-response.json \
	    $O/neutron/subnets/subnet-show-response.json \
	    ;
	$E --zed --run-id run-zed --service network --resource subnets \
	    $Z/neutron-subnets.json \
	    ;
} | os-normalize
