# An endless line is refused under a memory limit, not swallowed; a large
# but legal record (a 20 MB cell) goes through whole.
. "$top_srcdir/tests/lib/common.sh"
grep -q '^SAN_CFLAGS = .*-fsanitize' "$top_builddir/Makefile" &&
    skip "ulimit -v and AddressSanitizer do not mix"

# 320 MB of one line against a 64 MB default limit, in 256 MB of address space.
(
	ulimit -v 262144
	{ printf '{"type":"thing","id":"1","v":"'; head -c 335544320 /dev/zero |
	    tr '\0' x; printf '"}\n{"type":"thing","id":"2"}\n'; } |
	    csv-emit -t thing >"$T/out" 2>"$T/err"
	echo $? >"$T/status"
)
expect_eq "endless line" "$(cat "$T/status")" 1
expect_grep "endless line message" "<stdin>:1: record longer than the limit of 67108864 bytes" "$T/err"
[ -s "$T/out" ] && fail "endless line: something was written"

{ printf '{"type":"thing","id":"big","v":"'; head -c 20971520 /dev/zero |
    tr '\0' y; printf '"}\n'; } >"$T/big.jsonl"
csv-emit -t thing "$T/big.jsonl" >"$T/big.csv"
expect_eq "20 MB cell" "$?" 0
expect_eq "20 MB cell size" "$(wc -c <"$T/big.csv")" "$((20971520 + 3 + 5 + 2))"
finish
