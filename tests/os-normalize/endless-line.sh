# An endless line (here 100 MB without a newline, then a good record) is
# refused at --max-record-size, not read into memory: the message names
# the line, the next record is still read, and peak memory stays far
# below the line's size.
. "$top_srcdir/tests/lib/common.sh"
[ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) is not installed"
{
	head -c 104857600 /dev/zero | tr '\0' x
	printf '\n{"type":"institution","id":"bu"}\n'
} >"$T/in"
/usr/bin/time -f %M -o "$T/rss" os-normalize --max-record-size=1M \
    <"$T/in" >"$T/out" 2>"$T/err"
expect_eq "exit status" "$?" 1
expect_grep "message names the line" \
    '^os-normalize: <stdin>:1: record longer than the limit of 1048576 bytes; line skipped$' \
    "$T/err"
expect_eq "next record kept" "$(cat "$T/out")" '{"type":"institution","id":"bu"}'
rss=$(tail -n 1 "$T/rss")
if [ "$rss" -lt 32768 ]; then
	pass "peak RSS $rss KB for a 100 MB line"
else
	fail "peak RSS $rss KB for a 100 MB line"
fi
finish
