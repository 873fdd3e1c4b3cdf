# Records that are not pages (administrator data, records already
# normalized, objects without a type) and blank lines: other record
# kinds pass through unchanged, blank lines are dropped.
{
	printf '%s\n' '{"type":"institution","id":"bu","name":"Boston University","code":"BU-1"}'
	printf '\n  \n'
	printf '%s\n' '{"type":"instance","id":"s-9","region":"RegionOne", "note" : "kept as written"}'
	printf '%s\n' '{"no_type":true}'
} | os-normalize
