# compute/tenant_usage pages: upstream api-ref samples, then responses recorded
# from a real cloud, each wrapped in a page envelope by envelope.py.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
O=$DATA/openstack Z=$DATA/openstack-zed-recorded
{
	$E --service compute --resource tenant_usage \
	    $O/nova/os-simple-tenant-usage/simple-tenant-usage-get.json \
	    $O/nova/os-simple-tenant-usage/simple-tenant-usage-get-detail.json \
	    $O/nova/os-simple-tenant-usage/simple-tenant-usage-get-specific.json \
	    $O/nova/os-simple-tenant-usage/v2.40/simple-tenant-usage-get.json \
	    $O/nova/os-simple-tenant-usage/v2.40/simple-tenant-usage-get-all.json \
	    $O/nova/os-simple-tenant-usage/v2.40/simple-tenant-usage-get-detail.json \
	    $O/nova/os-simple-tenant-usage/v2.40/simple-tenant-usage-get-specific.json \
	    ;
	$E --zed --run-id run-zed --service compute --resource tenant_usage \
	    $Z/nova-simple-tenant-usage-detailed-2.1.json \
	    $Z/nova-simple-tenant-usage-detailed-limit2-2.40.json \
	    $Z/nova-simple-tenant-usage-show-acme-eng.json \
	    $Z/nova-simple-tenant-usage-show-globex-research.json \
	    ;
} | os-normalize
