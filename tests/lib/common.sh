# common.sh: helpers sourced by the shell tests.
#   . "$top_srcdir/tests/lib/common.sh"
# Exit 77 skips a test (automake's convention), 99 is a hard error.

set -u
: "${top_srcdir:?run the tests through make check}"
: "${top_builddir:?run the tests through make check}"
DATA=$top_srcdir/tests/data
test_failures=0

# A private scratch folder, removed when the test ends.
T=$(mktemp -d "${TMPDIR:-/tmp}/moc-test.XXXXXX") || exit 99
cleanup_hooks=
at_exit() { cleanup_hooks="$1; $cleanup_hooks"; }
trap 'eval "$cleanup_hooks"; rm -rf "$T"' EXIT

fail() {
	echo "FAIL: $*"
	test_failures=$((test_failures + 1))
}

pass() {
	echo "ok: $*"
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: got '$2', want '$3'"
	fi
}

# expect_status WHAT WANT CMD...: run CMD, compare its exit status.
expect_status() {
	what=$1 want=$2
	shift 2
	"$@"
	got=$?
	expect_eq "$what (exit status)" "$got" "$want"
}

# expect_grep WHAT PATTERN FILE
expect_grep() {
	if grep -q -e "$2" "$3"; then
		pass "$1"
	else
		fail "$1: no '$2' in $3:"
		head -c 1500 "$3"
	fi
}

need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

# Call at the end of every test.
finish() {
	if [ "$test_failures" -ne 0 ]; then
		echo "$test_failures check(s) failed"
		exit 1
	fi
	exit 0
}
