# block-storage/snapshots pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service block-storage --resource snapshots \
	    $O/cinder/v3/snapshots/snapshots-list-detailed-response.json \
	    $O/cinder/v3/snapshots/snapshot-show-response.json \
	    $O/cinder/v3/snapshots/v3.14/snapshots-list-detailed-response.json \
	    $O/cinder/v3/snapshots/v3.41/snapshots-list-detailed-response.json \
	    $O/cinder/v3/snapshots/v3.65/snapshots-list-detailed-response.json \
	    $O/cinder/v2/snapshots-list-detailed-response.json \
	    ;
	$E --zed --run-id run-zed --service block-storage --resource snapshots \
	    $Z/cinder-snapshots-detail-all.json \
	    ;
} | os-normalize
