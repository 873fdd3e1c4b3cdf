# identity/projects pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service identity --resource projects \
	    $O/keystone/v3/admin/projects-list-response.json \
	    $O/keystone/v3/admin/project-show-response.json \
	    $O/keystone/v3/admin/project-show-parents-response.json \
	    $O/keystone/v3/admin/project-show-subtree-response.json \
	    $O/keystone/v3/admin/user-projects-list-response.json \
	    $O/keystone/identity-api-v3-spec/project-show-parents-and-subtree-as-ids-response.json \
	    $O/keystone/identity-api-v3-spec/project-show-parents-and-subtree-as-list-response.json \
	    $O/keystone/identity-api-v3-spec/project-show-parents-as-ids-response.json \
	    $O/keystone/identity-api-v3-spec/project-show-subtree-as-ids-response.json \
	    ;
	$E --zed --run-id run-zed --service identity --resource projects \
	    $Z/keystone-projects.json \
	    $Z/keystone-projects-parent-acme-corp.json \
	    $Z/keystone-projects-parent-acme-eng-ci.json \
	    $Z/keystone-project-acme-corp-parents-subtree-ids.json \
	    $Z/keystone-project-acme-eng-ci-parents-subtree-ids.json \
	    ;
} | os-normalize
