#!/bin/sh
# A real client against the test cloud: Debian's python3-openstackclient
# lists servers (all projects, long), usage and projects.  Skipped when the
# openstack command is not installed.
. "$top_srcdir/tests/lib/common.sh"
need openstack
. "$top_srcdir/tests/cloud/lib.sh"

start_cloud
export OS_CLIENT_CONFIG_FILE="$T/clouds.yaml"
export OS_CLOUD=test
# Keep the client's caches and config out of the user's home.
export HOME="$T/home" XDG_CACHE_HOME="$T/home/.cache" XDG_CONFIG_HOME="$T/home/.config"
mkdir -p "$HOME"
unset OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_PROJECT_NAME OS_TOKEN OS_AUTH_TYPE \
	OS_REGION_NAME OS_INTERFACE OS_USER_DOMAIN_NAME OS_PROJECT_DOMAIN_NAME

run() {	# what command...
	what=$1; shift
	if "$@" >"$T/cli.out" 2>"$T/cli.err"; then
		pass "$what"
	else
		fail "$what (exit $?)"; cat "$T/cli.err"
	fi
}

run "openstack server list --all-projects --long" \
	openstack server list --all-projects --long -f value -c Name -c Status -c "Flavor Name" -c Host
for s in "demo-1 ACTIVE m1.tiny mini-compute-2" "gx-sim-2 SUSPENDED m1.small" \
	"gx-sim-1 SHUTOFF m1.large" "ci-runner-1 ACTIVE c1.ci-private" \
	"eng-build-2 ACTIVE m1.tiny" "eng-build-1 ACTIVE m1.large mini-compute-1"; do
	expect_grep "server list shows $s" "^$s" "$T/cli.out"
done
expect_eq "server list: six servers" "$(wc -l <"$T/cli.out")" 6

# (the table, since -f value prints the raw server list in Servers)
run "openstack usage list" openstack usage list
for p in "demo 1" "acme-eng-ci 2" "acme-eng 3" "globex-research 2"; do
	set -- $p
	expect_grep "usage list shows $p" "^| $1 *| $2 *|" "$T/cli.out"
done

run "openstack project list" openstack project list -f value -c Name
for p in admin service acme-corp acme-eng acme-eng-ci acme-sales globex-research demo; do
	expect_grep "project list shows $p" "^$p$" "$T/cli.out"
done

# The same through an application credential.
OS_CLOUD=test-appcred run "project list with an application credential" \
	openstack project list -f value -c Name
expect_grep "app-cred project list" "^acme-eng-ci$" "$T/cli.out"

# The client, too, only read.
expect_eq "client sent only GET and the token POST" \
	"$(cut -d' ' -f1 "$T/cloud.log" | sort -u | tr '\n' ' ')" "GET POST "
expect_grep "client paged servers" "^GET /compute/v2.1/servers/detail?.*all_tenants" "$T/cloud.log"
finish
