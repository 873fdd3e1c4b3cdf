# An endless line is refused under a memory limit, not swallowed; a large
# but legal record (a 20 MB cell) goes through whole.
. "$top_srcdir/tests/lib/common.sh"
# 320 MB of one line against the 64 MB default limit, in 256 MB of address
# space.  AddressSanitizer needs far more address space than that, so a
# sanitizer build runs the same check without the ulimit.
limit=262144
if grep -q '^SAN_CFLAGS = .*-fsanitize' "$top_builddir/Makefile"; then
	echo "note: sanitizer build, no ulimit -v"
	limit=unlimited
fi
(
	ulimit -v "$limit"
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
# A late field after 40 MB of rows: the file is rewritten in steps, and
# holds the same rows as when the field comes first.
awk 'BEGIN { for (i = 0; i < 400000; i++)
	printf "{\"type\":\"thing\",\"id\":\"t%d\",\"v\":\"value, %d\",\"n\":%d}\n", i, i, i }' \
    >"$T/rows.jsonl"
late='{"type":"thing","id":"late","zz":"late field","a":[1,{"b":null}]}'
{ cat "$T/rows.jsonl"; echo "$late"; } | csv-emit -t thing >"$T/late-last.csv"
expect_eq "late field after 40 MB" "$?" 0
{ echo "$late"; cat "$T/rows.jsonl"; } | csv-emit -t thing >"$T/late-first.csv"
expect_eq "header with the late field" "$(head -n 1 "$T/late-last.csv")" \
    "$(head -n 1 "$T/late-first.csv")"
expect_eq "rows with the late field" "$(sort "$T/late-last.csv" | cksum)" \
    "$(sort "$T/late-first.csv" | cksum)"
expect_eq "row count" "$(wc -l <"$T/late-last.csv")" 400002
finish
