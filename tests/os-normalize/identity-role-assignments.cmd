# identity/role_assignments pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service identity --resource role_assignments \
	    $O/keystone/v3/admin/role-assignments-list-response.json \
	    $O/keystone/v3/admin/role-assignments-effective-list-response.json \
	    $O/keystone/v3/admin/role-assignments-effective-list-include-names-response.repaired.json \
	    $O/keystone/v3/admin/role-assignments-list-include-subtree-response.json \
	    ;
	$E --zed --run-id run-zed --service identity --resource role_assignments \
	    $Z/keystone-role-assignments.json \
	    $Z/keystone-role-assignments-include-names.json \
	    $Z/keystone-role-assignments-effective-names.json \
	    ;
} | os-normalize
