# Every man page renders and lints clean with mandoc.
. "$top_srcdir/tests/lib/common.sh"
[ -n "${MANDOC:-}" ] || need mandoc
MANDOC=${MANDOC:-mandoc}
n=0
for page in "$top_srcdir"/man/*.[1-9]; do
	[ -f "$page" ] || continue
	n=$((n + 1))
	name=${page##*/}
	if out=$("$MANDOC" -Tlint -W warning "$page" 2>&1) && [ -z "$out" ]; then
		pass "$name lints clean"
	else
		fail "$name: $out"
	fi
	if "$MANDOC" -Tutf8 "$page" >"$T/out" 2>&1 && [ -s "$T/out" ]; then
		pass "$name renders"
	else
		fail "$name does not render"
	fi
done
[ "$n" -gt 0 ] || fail "no man pages found"
finish
