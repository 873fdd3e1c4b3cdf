# nova versioned notifications: every instance.* sample (its $ref
# templates expanded by envelope.py, as nova's json_ref.py does), and
# samples of other kinds, which become event records without instance facts.
E="${PYTHON3:-python3} $CASEDIR/envelope.py"
N=$DATA/openstack/notifications/nova
$E --service notification --resource versioned $N/instance-*.json \
    $N/flavor-create.json $N/volume-usage.json \
    $N/compute_task-build_instances-error.json | os-normalize
