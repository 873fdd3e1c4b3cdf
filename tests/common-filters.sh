# Checks every filter of the suite must pass on its standard input:
# a reader that goes away (`| head`) ends it quietly; an endless line is
# refused with a message, not swallowed (under `ulimit -v` where the build
# allows it: the sanitizers reserve more address space than any limit);
# invalid UTF-8 is reported with input and line.
. "$top_srcdir/tests/lib/common.sh"

# tool, then its arguments as a filter from stdin to stdout.
filters="os-normalize
csv-emit --type page
usage-aggregate --by project --month 2026-11 --rates $DATA/nerc-rates/rates.yaml
pdf-render"

# A valid input large enough to fill any pipe buffer.
i=0
while [ $i -lt 40 ]; do
	cat "$DATA/sample-pages.jsonl"
	i=$((i + 1))
done >"$T/big.jsonl"

n=0
echo "$filters" | while read -r name args; do
	[ -x "$top_builddir/bin/$name" ] || continue
	echo "$name" >>"$T/tested"
	# shellcheck disable=SC2086
	{ "$name" $args <"$T/big.jsonl" 2>"$T/err"; echo $? >"$T/st"; } |
	    head -c 10 >/dev/null
	st=$(cat "$T/st")
	if { [ "$st" -eq 0 ] || [ "$st" -eq 141 ]; } && [ ! -s "$T/err" ]; then
		pass "$name | head: quiet"
	else
		fail "$name | head: status $st, stderr: $(head -c 300 "$T/err")"
	fi

	# shellcheck disable=SC2086
	printf '{"type":"x","s":"\377"}\n' | "$name" $args >/dev/null 2>"$T/err"
	st=$?
	if [ "$st" -ne 0 ] && grep -q '<stdin>:1' "$T/err"; then
		pass "$name: invalid UTF-8 reported with its line"
	else
		fail "$name: invalid UTF-8: status $st, stderr: $(cat "$T/err")"
	fi

	limit=
	[ "${MOC_SANITIZERS:-no}" = yes ] || limit='ulimit -v 1000000;'
	# shellcheck disable=SC2086
	head -c 300000000 /dev/zero | tr '\0' x |
	    sh -c "$limit exec \"\$0\" \"\$@\"" "$name" $args \
	    >/dev/null 2>"$T/err"
	st=$?
	if [ "$st" -eq 1 ] && grep -q 'longer than' "$T/err"; then
		pass "$name: endless line refused"
	else
		fail "$name: endless line: status $st, stderr: $(head -c 300 "$T/err")"
	fi
	[ "$test_failures" -eq 0 ] || { echo "$test_failures" >"$T/failed"; }
done
[ -f "$T/tested" ] || skip "no filters built yet"
[ -f "$T/failed" ] && exit 1
finish
