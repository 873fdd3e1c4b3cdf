# The man pages of the suite point at one another: every page's SEE ALSO
# names the record format and the pipelines, each tool's page names the
# tools up and down its stream, and every page of the suite it names exists.
. "$top_srcdir/tests/lib/common.sh"
M=$top_srcdir/man

see_also() {
	awk '/^\.Sh SEE ALSO/ { p = 1; next } /^\.Sh / { p = 0 }
	    p && /^\.Xr / { print $2 "." $3 }' "$1"
}

# page: the pages its SEE ALSO must name besides moc-records.5 and
# moc-pipelines.8 (the streams of moc-records(5), section 2 of the design).
neighbours() {
	case $1 in
	os-fetch.1) echo os-normalize.1 pg-load.1 ;;
	os-normalize.1) echo os-fetch.1 pg-load.1 ;;
	pg-load.1) echo os-fetch.1 os-normalize.1 pg-extract.1 consistency-check.1 ;;
	pg-extract.1) echo pg-load.1 usage-aggregate.1 csv-emit.1 consistency-check.1 ;;
	usage-aggregate.1) echo pg-extract.1 pdf-render.1 csv-emit.1 consistency-check.1 ;;
	csv-emit.1) echo pg-extract.1 usage-aggregate.1 consistency-check.1 ;;
	pdf-render.1) echo usage-aggregate.1 consistency-check.1 ;;
	consistency-check.1) echo pg-extract.1 usage-aggregate.1 csv-emit.1 pdf-render.1 os-fetch.1 ;;
	moc-records.5 | moc-pipelines.8) ls "$M" | grep -E '^(os-|pg-|usage-|csv-|pdf-|consistency-)[a-z-]*\.1$' ;;
	esac
}

n=0
for page in "$M"/*.[1-9]; do
	name=${page##*/}
	n=$((n + 1))
	see_also "$page" >"$T/refs"
	[ -s "$T/refs" ] || { fail "$name: no SEE ALSO"; continue; }
	missing=
	for want in moc-records.5 moc-pipelines.8 $(neighbours "$name"); do
		[ "$want" = "$name" ] && continue
		grep -qx "$want" "$T/refs" || missing="$missing $want"
	done
	expect_eq "$name names its neighbours" "$missing" ""
	# A page of the suite's own that it names must be there.
	dangling=
	for ref in $(grep -E '^(os-|pg-|usage-|csv-|pdf-|consistency-|moc-)' "$T/refs"); do
		[ -f "$M/$ref" ] || dangling="$dangling $ref"
	done
	expect_eq "$name: every page of the suite it names exists" "$dangling" ""
done
[ "$n" -ge 11 ] || fail "only $n man pages found"
finish
