#!/bin/sh
# Pagination followed to the end: whatever the page size, a run reads the
# same items, the pages of a listing are numbered 1..n, and only the last
# has no next link.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
start_cloud
. "$top_srcdir/tests/os-fetch/lib.sh"

fetch whole
expect_eq "one page each: exit" "$(fetch_status whole)" 0
"$PYTHON3" "$PAGES_PY" items "$T/whole.jsonl" >"$T/whole.items"
n=$(wc -l <"$T/whole.items")
for size in 1 2 3; do
	mark_log
	fetch "size$size" --page-size "$size" -j 3
	expect_eq "page size $size: exit" "$(fetch_status "size$size")" 0
	expect_eq "page size $size: complete" "$(run_end "size$size" | jq .complete)" true
	"$PYTHON3" "$PAGES_PY" items "$T/size$size.jsonl" >"$T/size$size.items"
	if cmp -s "$T/whole.items" "$T/size$size.items"; then
		pass "page size $size: the same $n items"
	else
		fail "page size $size: other items"
		diff "$T/whole.items" "$T/size$size.items" | head
	fi
	# Pages of one listing (resource and server): 1..n without a gap.
	jq -r 'select(.type == "page") | "\(.resource) \(.context.server_id // "-")/\(.context.request_id // "-") \(.page)"' \
		"$T/size$size.jsonl" | sort -k1,2 -k3n | awk '
		{ k = $1 " " $2; if (k != last) { want = 1; last = k }
		  if ($3 != want) { print "gap: " $0; bad = 1 } want++ }
		END { exit bad }' || fail "page size $size: page numbers"
	for r in servers networks ports volumes flavors; do
		p=$(jq -r "select(.resource == \"$r\") | .page" "$T/size$size.jsonl" | sort -n | tail -1)
		if [ "${p:-0}" -gt 1 ]; then
			pass "page size $size: $r in $p pages"
		else
			fail "page size $size: $r in ${p:-0} pages"
		fi
	done
	expect_eq "page size $size: markers sent to Nova, Neutron, Cinder" \
		"$(log_since_mark | grep -E "limit=$size&marker=" | sed -E 's,^GET /([a-z]+)/.*,\1,' | sort -u | tr '\n' ' ')" \
		"compute network volume "
done
# The last page of a listing has no next link; the others do.
expect_eq "last pages have no next link" \
	"$(jq -c 'select(.type == "page" and .resource == "servers") | [.page, ([.body.servers_links[]? | select(.rel == "next")] | length)]' "$T/size2.jsonl" | tail -1 | jq '.[1]')" 0
finish
