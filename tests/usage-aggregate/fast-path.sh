#!/bin/sh
# The fast path for repeated polls changes nothing: the same stream with
# every line made unique (so each is parsed in full) gives the same output,
# and a repeated line with a bad time or an escaped run_id is still read
# as the parser reads it.
. "$top_srcdir/tests/lib/common.sh"
cd "$T" || exit 99
cp "$DATA/nerc-rates/rates.yaml" rates.yaml
cat "$top_srcdir/tests/usage-aggregate/base.jsonl" \
    "$top_srcdir/tests/usage-aggregate/observations.in" >fast.jsonl
# A member that differs on every line defeats the template match.
awk '{ sub(/^\{"type":"instance",/, "{\"type\":\"instance\",\"n\":" NR ","); print }' \
    fast.jsonl >slow.jsonl
USAGE_AGGREGATE_DEBUG=1
export USAGE_AGGREGATE_DEBUG
ua() {
	usage-aggregate --since 2024-02-01 --until 2024-02-02 --rates rates.yaml \
	    --by instance,user,project,institution \
	    --generated-at 2024-03-01T00:00:00Z "$@"
}
ua fast.jsonl >fast.out 2>fast.err
expect_eq "fast path exit status" "$?" 0
ua slow.jsonl >slow.out 2>slow.err
expect_eq "full parse exit status" "$?" 0
if cmp -s fast.out slow.out; then
	pass "fast path and full parse agree"
else
	fail "fast path and full parse differ:"
	diff fast.out slow.out | head -n 20
fi
grep -q ' 0 repeated polls' fast.err && fail "the fast path was not taken"
grep -q 'repeated polls' fast.err && pass "the fast path was taken: $(cat fast.err)"
grep -q '"inferred_hours":22' fast.out && pass "the stream was counted" ||
	fail "no inferred hours in the output"

# A repeat of the last vm-s line with an impossible date: refused, with
# its line number.
last=$(grep '"id":"vm-s"' fast.jsonl | tail -n 1)
{ cat fast.jsonl; echo "$last" | sed 's/"observed_at":"[^"]*"/"observed_at":"2024-02-30T00:00:03Z"/'; } >bad.jsonl
n=$(wc -l <bad.jsonl)
unset USAGE_AGGREGATE_DEBUG
ua bad.jsonl >/dev/null 2>bad.err
expect_eq "bad time in a repeated line: exit status" "$?" 1
expect_grep "bad time in a repeated line: message" \
    "bad.jsonl:$n: bad time in field \"observed_at\"" bad.err

# An escaped run_id is not plain text: parsed in full, same figures.
{ cat fast.jsonl; echo "$last" | sed 's/"run_id":"[^"]*"/"run_id":"run-\\u0041"/'; } >esc.jsonl
ua esc.jsonl >esc.out 2>esc.err
expect_eq "escaped run_id: exit status" "$?" 0
if cmp -s esc.out fast.out; then
	pass "escaped run_id: same figures"
else
	fail "escaped run_id changed the figures"
fi
exit $((test_failures > 0))
