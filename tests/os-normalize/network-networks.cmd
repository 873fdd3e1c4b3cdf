# network/networks pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service network --resource networks \
	    $O/neutron/networks/networks-list-response.json \
	    $O/neutron/networks/networks-provider-list-response.json \
	    $O/neutron/networks/network-show-response.json \
	    $O/neutron/pagination/networks-list-page1-response.json \
	    $O/neutron/pagination/networks-list-page2-response.json \
	    ;
	$E --zed --run-id run-zed --service network --resource networks \
	    $Z/neutron-networks.json \
	    $Z/neutron-networks-limit2-page1.json \
	    ;
} | os-normalize
