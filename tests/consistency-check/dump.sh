# dump: a csv-emit -d folder of the simulated cloud matches its manifest
# and the records it was written from; a changed byte, a dropped row, a
# missing file or checksum list, an unlisted file and records that are
# not in the dump are each found.  A missing folder or a malformed
# manifest is input trouble (exit 2).
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
F=2024-02-01T00:00:00Z U=2024-02-03T00:00:00Z
sim 1 40 $F $U "$T/sim.jsonl"
csv-emit -d "$T/d" "$T/sim.jsonl" || exit 99

check ok --dump "$T/d"
expect_eq "manifest only: pass" "$st" 0
expect_grep "manifest only: dump alone" '"checks":\["dump"\]' "$T/ok.out"
expect_grep "manifest only: summary" "^dump .*pass.* files, [0-9]* rows$" "$T/ok.err"
check both --dump "$T/d" "$T/sim.jsonl"
expect_eq "manifest and records: pass" "$st" 0
expect_grep "manifest and records: compared" "^dump .*compared with the records" "$T/both.err"
check stdin -c dump --dump "$T/d" - <"$T/sim.jsonl"
expect_eq "records on stdin: pass" "$st" 0

cp -R "$T/d" "$T/x"
# A changed byte in instance.csv, the last row of volume.csv dropped.
"$PYTHON3" - "$T/x" <<'PY' || exit 99
import sys
d = sys.argv[1]
b = bytearray(open(d + "/instance.csv", "rb").read())
b[len(b) // 2] ^= 1
open(d + "/instance.csv", "wb").write(bytes(b))
lines = open(d + "/volume.csv", "rb").read().split(b"\n")
open(d + "/volume.csv", "wb").write(b"\n".join(lines[:-2] + [b""]))
PY
rm "$T/x/flavor.csv"
echo 'a,b' >"$T/x/stray.csv"
check bad --dump "$T/x" "$T/sim.jsonl"
expect_eq "tampered dump: fail" "$st" 1
finding bad '"subject":"instance.csv","expected":"[0-9a-f]\{64\}","actual":"[0-9a-f]\{64\}","detail":"SHA-256 in MANIFEST and of the file differ"'
finding bad '"subject":"instance.csv","expected":"[0-9a-f]\{64\}","actual":"[0-9a-f]\{64\}","detail":"SHA-256 in SHA256SUMS and of the file differ"'
vrows=$(awk -F, '$1 == "volume.csv" { print $3 }' "$T/d/MANIFEST")
finding bad "\"subject\":\"volume.csv\",\"expected\":\"$vrows\",\"actual\":\"$((vrows - 1))\",\"detail\":\"rows in MANIFEST"
finding bad '"subject":"volume.csv",.*"detail":"bytes in MANIFEST'
finding bad '"subject":"flavor.csv","expected":"present","actual":"missing"'
finding bad '"severity":"warning","subject":"stray.csv","expected":"listed in MANIFEST"'
nofinding bad '"subject":"table '

# Records the dump does not have: the stream has one instance more.
head -n 1 "$T/sim.jsonl" >"$T/more.jsonl"
grep -m 1 '"type": "instance"' "$T/sim.jsonl" >>"$T/more.jsonl"
cat "$T/sim.jsonl" >>"$T/more.jsonl"
n=$(awk -F, '$1 == "instance.csv" { print $3 }' "$T/d/MANIFEST")
check more --dump "$T/d" "$T/more.jsonl"
expect_eq "records not in the dump: fail" "$st" 1
finding more "\"subject\":\"table instance\",\"expected\":\"$((n + 1))\",\"actual\":\"$n\""
# A table of the dump with no record of its type.
grep -v '"type": "flavor"' "$T/sim.jsonl" >"$T/less.jsonl"
check less --dump "$T/d" "$T/less.jsonl"
finding less '"subject":"table flavor","expected":"0","actual":"[1-9]'

rm "$T/x/SHA256SUMS"
check nosums -c dump --dump "$T/x"
finding nosums '"subject":"SHA256SUMS","expected":"present","actual":"missing"'
rm "$T/x/MANIFEST"
check noman -c dump --dump "$T/x"
finding noman '"subject":"MANIFEST","expected":"present","actual":"missing"'

check nodir -c dump --dump "$T/nowhere"
expect_eq "missing folder: exit 2" "$st" 2
expect_grep "missing folder: message" "$T/nowhere" "$T/nodir.err"
cp -R "$T/d" "$T/m"
printf 'file,type,rows,bytes,sha256\ninstance.csv,instance,many,1,x\n' >"$T/m/MANIFEST"
check badman -c dump --dump "$T/m"
expect_eq "malformed manifest: exit 2" "$st" 2
expect_grep "malformed manifest: message" 'MANIFEST:2: bad number in field "rows": many' "$T/badman.err"
finish
