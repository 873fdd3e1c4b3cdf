# compute/instance_actions pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service compute --resource instance_actions \
	    $O/nova/os-instance-actions/instance-actions-list-resp.json \
	    $O/nova/os-instance-actions/v2.21/instance-actions-list-resp.json \
	    $O/nova/os-instance-actions/v2.51/instance-actions-list-resp.json \
	    $O/nova/os-instance-actions/v2.58/instance-actions-list-resp.json \
	    $O/nova/os-instance-actions/v2.62/instance-actions-list-resp.json \
	    $O/nova/os-instance-actions/v2.66/instance-actions-list-resp.json \
	    $O/nova/os-instance-actions/v2.84/instance-actions-list-resp.json \
	    ;
	$E --zed --run-id run-zed --service compute --resource instance_actions \
	    $Z/nova-instance-actions-ci-runner-1.json \
	    $Z/nova-instance-actions-ci-runner-2.json \
	    $Z/nova-instance-actions-demo-1.json \
	    $Z/nova-instance-actions-eng-build-1.json \
	    $Z/nova-instance-actions-eng-build-2.json \
	    $Z/nova-instance-actions-eng-scratch.json \
	    $Z/nova-instance-actions-gx-sim-1.json \
	    $Z/nova-instance-actions-gx-sim-2.json \
	    ;
} | os-normalize
