#!/bin/sh
# TLS is verified by default: a certificate no CA vouches for stops
# os-fetch before it sends anything; --cacert, OS_CACERT and cacert in
# clouds.yaml name the CA; --insecure (asked for) skips the check, with a
# warning.  The server is a real HTTPS server on 127.0.0.1.
. "$top_srcdir/tests/lib/common.sh"
need openssl
[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3) || skip "python3 is not installed"
unset OS_CLOUD OS_CLIENT_CONFIG_FILE
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" \
	-out "$T/cert.pem" >/dev/null 2>&1 || skip "openssl cannot make a certificate"
"$PYTHON3" "$top_srcdir/tests/os-fetch/tls-server.py" "$T/cert.pem" \
	"$T/key.pem" "$T/tls.log" "$T/url" 2>"$T/server.err" &
pid=$!
at_exit "kill $pid 2>/dev/null"
n=0
while [ ! -s "$T/url" ]; do
	kill -0 "$pid" 2>/dev/null || { cat "$T/server.err"; exit 99; }
	n=$((n + 1)); [ "$n" -lt 3000 ] || exit 99
	sleep 0.1
done
export OS_AUTH_URL="$(cat "$T/url")/v3" OS_USERNAME=admin OS_PASSWORD=tls-test-pw
touch "$T/tls.log"

os-fetch --retries 0 >"$T/out" 2>"$T/err"
expect_eq "unknown CA: exit 1" "$?" 1
expect_grep "unknown CA: message" "authentication at https://.*failed: .*[Cc]ertificate" "$T/err"
expect_eq "unknown CA: nothing sent" "$(cat "$T/tls.log")" ""

os-fetch --retries 0 --cacert "$T/cert.pem" >"$T/out" 2>"$T/err"
expect_eq "--cacert: the server answers (401: exit 2)" "$?" 2
expect_eq "--cacert: the token POST arrived" "$(cat "$T/tls.log")" "POST /v3/auth/tokens"

: >"$T/tls.log"
OS_CACERT=$T/cert.pem os-fetch --retries 0 >"$T/out" 2>"$T/err"
expect_eq "OS_CACERT: the token POST arrived" "$(cat "$T/tls.log")" "POST /v3/auth/tokens"

: >"$T/tls.log"
cat >"$T/clouds.yaml" <<EOC
clouds:
  tls:
    auth:
      auth_url: $OS_AUTH_URL
      username: admin
      password: tls-test-pw
    cacert: $T/cert.pem
EOC
(unset OS_AUTH_URL OS_USERNAME OS_PASSWORD
OS_CLIENT_CONFIG_FILE=$T/clouds.yaml os-fetch --os-cloud tls --retries 0 >"$T/out" 2>"$T/err")
expect_eq "cacert in clouds.yaml: the token POST arrived" "$(cat "$T/tls.log")" "POST /v3/auth/tokens"

: >"$T/tls.log"
os-fetch --retries 0 --insecure >"$T/out" 2>"$T/err"
expect_eq "--insecure: the token POST arrived" "$(cat "$T/tls.log")" "POST /v3/auth/tokens"
expect_grep "--insecure: warned" "warning: TLS certificates are not verified" "$T/err"
if grep -q tls-test-pw "$T/err" "$T/out"; then
	fail "the password was printed"
else
	pass "the password never printed"
fi
finish
