# block-storage/attachments pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service block-storage --resource attachments \
	    $O/cinder/v3/attachment-list-detailed-response.json \
	    $O/cinder/v3/attachment-show-response.json \
	    ;
} | os-normalize
