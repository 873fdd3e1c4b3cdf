# lib.sh: start the loopback test cloud for a shell test.
#   . "$top_srcdir/tests/lib/common.sh"; . "$top_srcdir/tests/cloud/lib.sh"
#   start_cloud [server.py options]     sets CLOUD_URL, CLOUD_PID
# The server is killed (by its process id) when the test ends; its request
# log is $T/cloud.log, its clouds.yaml $T/clouds.yaml.

: "${PYTHON3:=}"
PYTHONDONTWRITEBYTECODE=1; export PYTHONDONTWRITEBYTECODE
[ -n "$PYTHON3" ] || PYTHON3=$(command -v python3) || skip "python3 is not installed"
CLOUD_DIR=$top_srcdir/tests/cloud

cloudctl() {
	"$PYTHON3" "$CLOUD_DIR/cloudctl.py" "$CLOUD_URL" "$@"
}

start_cloud() {
	rm -f "$T/cloud.url"
	"$PYTHON3" "$CLOUD_DIR/server.py" --url-file "$T/cloud.url" \
		--log "$T/cloud.log" --clouds-yaml "$T/clouds.yaml" "$@" \
		>"$T/cloud.out" 2>"$T/cloud.err" &
	CLOUD_PID=$!
	at_exit "kill $CLOUD_PID 2>/dev/null"
	# Wait for the server to publish its URL (not a timed assertion: a
	# slow machine only waits longer, up to five minutes).
	n=0
	while [ ! -s "$T/cloud.url" ]; do
		if ! kill -0 "$CLOUD_PID" 2>/dev/null; then
			echo "the test cloud did not start:"
			cat "$T/cloud.err"
			exit 99
		fi
		n=$((n + 1))
		[ "$n" -lt 3000 ] || { echo "the test cloud never listened"; exit 99; }
		sleep 0.1
	done
	CLOUD_URL=$(cat "$T/cloud.url")
}
