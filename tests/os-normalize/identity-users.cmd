# identity/users pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service identity --resource users \
	    $O/keystone/v3/admin/users-list-response.json \
	    $O/keystone/v3/admin/user-show-response.json \
	    $O/keystone/v3/admin/group-users-list-response.repaired.json \
	    ;
	$E --zed --run-id run-zed --service identity --resource users \
	    $Z/keystone-users.json \
	    ;
} | os-normalize
