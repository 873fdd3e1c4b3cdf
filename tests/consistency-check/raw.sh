# raw: the recorded Zed cloud's raw pages (tests/data/sample-pages.jsonl),
# normalized and loaded, against the run's collection_run.counts, read
# from pg-extract's stream, from the database, and from a .gz archive;
# an object removed from a page, a page added, and a run never stored
# are found.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
need gzip
db_new raw --roles
RAW=$DATA/sample-pages.jsonl
os-normalize "$RAW" | pg-load -q || exit 99
pg-extract -r moc_reporter >"$T/extract.jsonl" || exit 99

check ok -c raw --raw "$RAW" "$T/extract.jsonl"
expect_eq "recorded cloud: pass" "$st" 0
expect_grep "recorded cloud: summary" '^raw .*pass.* 1 run in the raw pages, 0 not stored, 0 counts differ' "$T/ok.err"
check db -c raw --raw "$RAW" -d dbname=raw -r moc_reporter
expect_eq "from the database: pass" "$st" 0
gzip -c "$RAW" >"$T/raw.jsonl.gz"
check gz -c raw --raw "$T/raw.jsonl.gz" "$T/extract.jsonl"
expect_eq "gzip archive: pass" "$st" 0
check stdin -c raw --raw - "$T/extract.jsonl" <"$RAW"
expect_eq "raw pages on stdin: pass" "$st" 0
# Every check whose input is given: raw too, with the stream.
check all --raw "$RAW" "$T/extract.jsonl"
expect_grep "raw among the checks run" '"checks":\["coverage","references","nova-usage","raw"\]' "$T/all.out"

# One server fewer in the first servers page; a flavors page twice.
edit "$RAW" "$T/less.jsonl" '
if r["type"] == "page" and r["resource"] == "servers" and "s" not in state:
    state["s"] = 1
    r["body"]["servers"] = r["body"]["servers"][1:]
if r["type"] == "page" and r["resource"] == "flavors":
    extra = [r]'
n=$("$PYTHON3" -c '
import json, sys
print(json.load(open(sys.argv[1]))["counts"]["instance"])' \
    "$(grep -m1 '"collection_run"' "$T/extract.jsonl" >"$T/run.json"; echo "$T/run.json")")
f=$("$PYTHON3" -c '
import json, sys
print(json.load(open(sys.argv[1]))["counts"]["flavor"])' "$T/run.json")
check less -c raw --raw "$T/less.jsonl" "$T/extract.jsonl"
expect_eq "changed pages: fail" "$st" 1
finding less "\"subject\":\"run sample-zed-1, instance\",\"expected\":\"$((n - 1))\",\"actual\":\"$n\""
finding less "\"subject\":\"run sample-zed-1, flavor\",\"expected\":\"$((f * 2))\",\"actual\":\"$f\""

# A run that never made it to the database.
sed 's/sample-zed-1/sample-zed-2/g' "$RAW" >"$T/other.jsonl"
check other -c raw --raw "$T/other.jsonl" "$T/extract.jsonl"
expect_eq "run not stored: fail" "$st" 1
finding other '"severity":"error","subject":"run sample-zed-2","expected":"a collection_run","actual":"none"'
grep -v '"run_end"' "$T/other.jsonl" >"$T/partial.jsonl"
check partial -c raw --raw "$T/partial.jsonl" "$T/extract.jsonl"
expect_eq "incomplete run not stored: pass" "$st" 0
finding partial '"severity":"warning","subject":"run sample-zed-2"'

printf 'not gzip\n' >"$T/bad.gz"
check badgz -c raw --raw "$T/bad.gz" "$T/extract.jsonl"
expect_eq "not gzip: exit 2" "$st" 2
check noraw -c raw "$T/extract.jsonl"
expect_eq "no --raw: exit 2" "$st" 2
expect_grep "no --raw: message" "check raw needs --raw FILE" "$T/noraw.err"
finish
