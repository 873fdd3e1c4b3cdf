# compute/instance_action pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service compute --resource instance_action \
	    $O/nova/os-instance-actions/instance-action-get-resp.json \
	    $O/nova/os-instance-actions/v2.21/instance-action-get-resp.json \
	    $O/nova/os-instance-actions/v2.51/instance-action-get-resp.json \
	    $O/nova/os-instance-actions/v2.51/instance-action-get-non-admin-resp.json \
	    $O/nova/os-instance-actions/v2.58/instance-action-get-resp.json \
	    $O/nova/os-instance-actions/v2.62/instance-action-get-resp.json \
	    $O/nova/os-instance-actions/v2.66/instance-action-get-resp.json \
	    $O/nova/os-instance-actions/v2.84/instance-action-get-resp.json \
	    ;
	$E --zed --run-id run-zed --service compute --resource instance_action \
	    $Z/nova-instance-action-ci-runner-1-attach_volume.json \
	    $Z/nova-instance-action-ci-runner-1-create.json \
	    $Z/nova-instance-action-ci-runner-1-pause.json \
	    $Z/nova-instance-action-ci-runner-1-unpause.json \
	    $Z/nova-instance-action-ci-runner-2-create.json \
	    $Z/nova-instance-action-ci-runner-2-delete.json \
	    $Z/nova-instance-action-demo-1-create.json \
	    $Z/nova-instance-action-eng-build-1-attach_volume.json \
	    $Z/nova-instance-action-eng-build-1-confirmResize.json \
	    $Z/nova-instance-action-eng-build-1-create.json \
	    $Z/nova-instance-action-eng-build-1-resize.json \
	    $Z/nova-instance-action-eng-build-1-start.json \
	    $Z/nova-instance-action-eng-build-1-stop.json \
	    $Z/nova-instance-action-eng-build-2-attach_volume.json \
	    $Z/nova-instance-action-eng-build-2-create.json \
	    $Z/nova-instance-action-eng-build-2-detach_volume.json \
	    $Z/nova-instance-action-eng-build-2-reboot.json \
	    $Z/nova-instance-action-eng-build-2-resize.json \
	    $Z/nova-instance-action-eng-build-2-revertResize.json \
	    $Z/nova-instance-action-eng-scratch-create.json \
	    $Z/nova-instance-action-eng-scratch-delete.json \
	    $Z/nova-instance-action-gx-sim-1-create.json \
	    $Z/nova-instance-action-gx-sim-1-stop.json \
	    $Z/nova-instance-action-gx-sim-2-create.json \
	    $Z/nova-instance-action-gx-sim-2-suspend.json \
	    ;
} | os-normalize
