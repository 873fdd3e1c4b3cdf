# -d with --type: only those types; a type named but absent still gets its
# file (header only for a built-in list, empty otherwise).
csv-emit -d out -t instance -t volume -t custom
ls -A out
for f in out/*.csv out/MANIFEST; do
	echo "--- $f"
	cat "$f"
done
