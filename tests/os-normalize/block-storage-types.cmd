# block-storage/types pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service block-storage --resource types \
	    $O/cinder/v3/volume_type/volume-types-list-response.json \
	    $O/cinder/v3/volume_type/volume-type-show-response.json \
	    ;
	$E --zed --run-id run-zed --service block-storage --resource types \
	    $Z/cinder-types.json \
	    ;
} | os-normalize
