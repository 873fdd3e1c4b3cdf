# Checks every installed tool must pass, whatever it does:
# --help on stdout with exit 0, --version, a bad option (one line, the
# pointer to --help, exit 2), a write error on /dev/full fails loudly,
# and every long option of --help appears in the man page.
. "$top_srcdir/tests/lib/common.sh"
n=0
for prog in "$top_builddir"/bin/*; do
	[ -x "$prog" ] && [ -f "$prog" ] || continue
	name=${prog##*/}
	n=$((n + 1))

	if "$prog" --help >"$T/help" 2>"$T/err" && [ -s "$T/help" ] &&
	    [ ! -s "$T/err" ]; then
		pass "$name --help"
	else
		fail "$name --help: wrong output or status"
	fi
	expect_grep "$name --help shows usage" "^[Uu]sage: $name" "$T/help"
	if "$prog" --version >"$T/ver" 2>&1 && grep -q "^$name " "$T/ver"; then
		pass "$name --version"
	else
		fail "$name --version: $(cat "$T/ver")"
	fi

	"$prog" --no-such-option >"$T/out" 2>"$T/err"
	expect_eq "$name bad option exit" "$?" 2
	expect_grep "$name bad option hint" "Try '$name --help'" "$T/err"
	[ -s "$T/out" ] && fail "$name bad option wrote to stdout"

	"$prog" --help >/dev/full 2>"$T/err"
	st=$?
	if [ "$st" -ne 0 ] && grep -q "write error" "$T/err"; then
		pass "$name --help >/dev/full fails loudly"
	else
		fail "$name --help >/dev/full: status $st, $(cat "$T/err")"
	fi

	page=$top_srcdir/man/$name.1
	if [ -f "$page" ]; then
		for opt in $(grep -o -- '--[a-z][a-z0-9-]*' "$T/help" | sort -u); do
			if grep -q -- "Fl ${opt#-}" "$page"; then
				:
			else
				fail "$name: $opt is in --help but not in $name.1"
			fi
		done
		pass "$name: --help options checked against $name.1"
	else
		fail "$name has no man page"
	fi
done
[ "$n" -gt 0 ] || skip "no tools built yet"
finish
