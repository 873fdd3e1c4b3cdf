# block-storage/volumes pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service block-storage --resource volumes \
	    $O/cinder/v3/volumes/volumes-list-detailed-response.json \
	    $O/cinder/v3/volumes/volume-show-response.json \
	    $O/cinder/v3/volumes/v3.13/volumes-list-detailed-response.json \
	    $O/cinder/v3/volumes/v3.21/volumes-list-detailed-response.json \
	    $O/cinder/v3/volumes/v3.48/volumes-list-detailed-response.json \
	    $O/cinder/v3/volumes/v3.61/volumes-list-detailed-response.json \
	    $O/cinder/v3/volumes/v3.63/volumes-list-detailed-response.json \
	    $O/cinder/v3/volumes/v3.65/volumes-list-detailed-response.json \
	    $O/cinder/v3/volumes/v3.69/volumes-list-detailed-response.json \
	    $O/cinder/v2/volumes-list-detailed-response.json \
	    ;
	$E --zed --run-id run-zed --service block-storage --resource volumes \
	    $Z/cinder-volumes-detail-all-3.0.json \
	    $Z/cinder-volumes-detail-all-3.60.json \
	    $Z/cinder-volumes-detail-limit2-page1.json \
	    ;
} | os-normalize
