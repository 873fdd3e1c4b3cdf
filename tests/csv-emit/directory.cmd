# -d: one file per record type, a MANIFEST with row counts and digests, and
# SHA256SUMS that sha256sum -c accepts.
csv-emit -d out
ls -A out
echo "--- MANIFEST"
cat out/MANIFEST
for f in out/*.csv; do
	echo "--- $f"
	cat "$f"
done
cd out && sha256sum -c SHA256SUMS
