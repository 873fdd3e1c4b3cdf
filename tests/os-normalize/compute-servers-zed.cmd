# compute/servers pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --zed --run-id run-zed --service compute --resource servers \
	    $Z/nova-servers-detail-all-2.1.json \
	    $Z/nova-servers-detail-all-2.47.json \
	    $Z/nova-servers-detail-all-2.79.json \
	    $Z/nova-servers-detail-all-2.93.json \
	    $Z/nova-servers-detail-limit3-page1.json \
	    $Z/nova-servers-detail-limit3-page2.json \
	    $Z/nova-servers-detail-limit3-page3.json \
	    $Z/nova-servers-detail-deleted.json \
	    $Z/nova-servers-detail-changes-since.json \
	    ;
} | os-normalize
