# compute/servers pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service compute --resource servers \
	    $O/nova/servers/servers-details-resp.json \
	    $O/nova/servers/v2.3/servers-details-resp.json \
	    $O/nova/servers/v2.9/servers-details-resp.json \
	    $O/nova/servers/v2.16/servers-details-resp.json \
	    $O/nova/servers/v2.19/servers-details-resp.json \
	    $O/nova/servers/v2.47/servers-details-resp.json \
	    $O/nova/servers/v2.52/servers-details-resp.json \
	    $O/nova/servers/v2.63/servers-details-resp.json \
	    $O/nova/servers/v2.69/servers-details-resp.json \
	    $O/nova/servers/v2.73/servers-details-resp.json \
	    $O/nova/servers/v2.90/servers-details-resp.json \
	    $O/nova/servers/v2.94/servers-details-resp.json \
	    $O/nova/servers/v2.96/servers-details-resp.json \
	    $O/nova/servers/v2.98/servers-details-resp.json \
	    $O/nova/servers/v2.100/servers-details-resp.json \
	    $O/nova/servers/server-get-resp.json \
	    $O/nova/servers/v2.100/server-get-resp.json \
	    ;
} | os-normalize
