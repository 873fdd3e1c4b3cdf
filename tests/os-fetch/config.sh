#!/bin/sh
# Where os-fetch finds its cloud, as OpenStack's clients do: clouds.yaml in
# ./, $XDG_CONFIG_HOME/openstack, ~/.config/openstack; secure.yaml beside
# it; OS_CLOUD and --os-cloud; OS_* variables alone; application
# credentials; region and interface.  Secrets and tokens never printed.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
start_cloud
. "$top_srcdir/tests/os-fetch/lib.sh"
unset OS_CLIENT_CONFIG_FILE OS_CLOUD XDG_CONFIG_HOME
PW=secret-admin-password
AUTH=$CLOUD_URL/identity/v3
mkdir -p "$T/empty" "$T/home"
export HOME="$T/home"

# Runs from a folder: NAME DIR os-fetch-options...
fetch_in() {
	name=$1 dir=$2
	shift 2
	(cd "$dir" && os-fetch -r identity/domains "$@" >"$T/$name.jsonl" 2>"$T/$name.err"
	echo $? >"$T/$name.st")
}
works() {
	expect_eq "$1: exit" "$(fetch_status "$1")" 0
	expect_eq "$1: cloud" "$(jq -r 'select(.type == "run_start") | .cloud' "$T/$1.jsonl")" "$2"
}

# Search path.
mkdir -p "$T/cwd"
cp "$T/clouds.yaml" "$T/cwd/clouds.yaml"
fetch_in cwd "$T/cwd" --os-cloud test
works cwd test
mkdir -p "$T/xdg/openstack"
cp "$T/clouds.yaml" "$T/xdg/openstack/clouds.yaml"
XDG_CONFIG_HOME=$T/xdg OS_CLOUD=test fetch_in xdg "$T/empty"
works xdg test
mkdir -p "$T/home/.config/openstack"
cp "$T/clouds.yaml" "$T/home/.config/openstack/clouds.yaml"
OS_CLOUD=test fetch_in home "$T/empty"
works home test
# ./clouds.yaml comes first: a broken one there is what is read.
printf 'clouds:\n  test: [unclosed\n' >"$T/cwd/clouds.yaml"
OS_CLOUD=test fetch_in badyaml "$T/cwd"
expect_eq "YAML error: exit 2" "$(fetch_status badyaml)" 2
expect_grep "YAML error: file and line" '^os-fetch: ./clouds.yaml:[0-9]*:[0-9]*: ' "$T/badyaml.err"
cp "$T/clouds.yaml" "$T/cwd/clouds.yaml"
fetch_in nocloud "$T/cwd" --os-cloud nosuch
expect_eq "unknown cloud: exit 2" "$(fetch_status nocloud)" 2
expect_grep "unknown cloud: message" 'no cloud "nosuch" under "clouds"' "$T/nocloud.err"
OS_CLOUD=nosuch fetch_in cloudenv "$T/cwd" --os-cloud test
works cloudenv test

# secure.yaml: the password lives apart and wins over clouds.yaml.
mkdir -p "$T/sec"
sed "s/password: $PW/password: wrong-password/" "$T/clouds.yaml" >"$T/sec/clouds.yaml"
fetch_in wrongpw "$T/sec" --os-cloud test
expect_eq "wrong password: exit 2" "$(fetch_status wrongpw)" 2
expect_grep "wrong password: message" 'authentication at .* failed: HTTP status 401 (check the credentials)' "$T/wrongpw.err"
printf 'clouds:\n  test:\n    auth:\n      password: %s\n' "$PW" >"$T/sec/secure.yaml"
fetch_in secure "$T/sec" --os-cloud test
works secure test
grep -v "password:" "$T/clouds.yaml" >"$T/sec/clouds.yaml"
fetch_in secure2 "$T/sec" --os-cloud test
works secure2 test

# The variables override the file, and alone describe a cloud.
OS_PASSWORD=$PW fetch_in envpw "$T/sec" --os-cloud test
works envpw test
rm "$T/sec/secure.yaml"
OS_PASSWORD=wrong fetch_in envwrong "$T/cwd" --os-cloud test
expect_eq "OS_PASSWORD overrides clouds.yaml" "$(fetch_status envwrong)" 2
OS_AUTH_URL=$AUTH OS_USERNAME=admin OS_PASSWORD=$PW OS_PROJECT_NAME=admin \
	OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default \
	OS_REGION_NAME=RegionOne fetch_in envvars "$T/empty"
works envvars envvars
OS_AUTH_URL=$CLOUD_URL/identity OS_USERNAME=admin OS_PASSWORD=$PW \
	OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default \
	OS_PROJECT_DOMAIN_NAME=Default fetch_in nov3 "$T/empty"
works nov3 envvars
OS_AUTH_URL=$AUTH OS_USERNAME=admin fetch_in nopw "$T/empty"
expect_eq "no password: exit 2" "$(fetch_status nopw)" 2
expect_grep "no password: message" 'no password: set it in clouds.yaml, secure.yaml or OS_PASSWORD' "$T/nopw.err"
fetch_in noauth "$T/empty"
expect_eq "nothing configured: exit 2" "$(fetch_status noauth)" 2

# Application credentials, from clouds.yaml and from the variables.
fetch_in appcred "$T/cwd" --os-cloud test-appcred
works appcred test-appcred
OS_AUTH_URL=$AUTH OS_APPLICATION_CREDENTIAL_ID=0f9c3ab2c1d84a7b9e6f5d4c3b2a1900 \
	OS_APPLICATION_CREDENTIAL_SECRET=secret-app-cred fetch_in appenv "$T/empty"
works appenv envvars
OS_AUTH_URL=$AUTH OS_APPLICATION_CREDENTIAL_ID=0f9c3ab2c1d84a7b9e6f5d4c3b2a1900 \
	OS_APPLICATION_CREDENTIAL_SECRET=not-the-secret fetch_in appwrong "$T/empty"
expect_eq "wrong secret: exit 2" "$(fetch_status appwrong)" 2

# Interface and region from the catalog.
mark_log
fetch_in internal "$T/cwd" --os-cloud test --os-interface internal -r network/networks
works internal test
expect_eq "internal interface used" "$(log_since_mark | grep -c '^GET /internal/network/v2.0/networks')" 1
mark_log
OS_INTERFACE=admin fetch_in admin "$T/cwd" --os-cloud test -r compute/flavors
expect_eq "OS_INTERFACE=admin used" "$(log_since_mark | grep -c '^GET /admin/compute/v2.1/flavors/detail')" 1
fetch_in region2 "$T/cwd" --os-cloud test --os-region-name RegionTwo -r compute/flavors
expect_eq "unknown region: exit 1" "$(fetch_status region2)" 1
expect_grep "unknown region: message" 'no compute endpoint (interface public, region RegionTwo)' "$T/region2.err"

# Secrets: never on the command line, never printed, even with --verbose.
fetch_in argpw "$T/cwd" --os-cloud test "$PW"
expect_eq "a password as an argument: exit 2" "$(fetch_status argpw)" 2
fetch_in optpw "$T/cwd" --os-cloud test --os-password="$PW"
expect_eq "--os-password=...: exit 2" "$(fetch_status optpw)" 2
expect_grep "--os-password=...: named, not quoted" "unrecognized option '--os-password'$" "$T/optpw.err"
fetch_in verbose "$T/cwd" --os-cloud test --verbose -r identity,network
works verbose test
expect_grep "verbose: requests shown" '^os-fetch: GET .*/identity/v3/projects -> 200$' "$T/verbose.err"
OS_PASSWORD=$PW fetch_in verbose2 "$T/cwd" --os-cloud test-appcred -v
cat "$T"/*.jsonl "$T"/*.err >"$T/everything"
for secret in "$PW" secret-app-cred gAAAAA X-Auth-Token; do
	if grep -q -e "$secret" "$T/everything"; then
		fail "\"$secret\" appears in os-fetch's output"
		grep -l -e "$secret" "$T"/*.jsonl "$T"/*.err
	else
		pass "\"$secret\" never printed"
	fi
done
finish
