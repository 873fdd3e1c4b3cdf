# Files take their final names only when complete: a run that fails on a bad
# record, is killed, or meets a full disk leaves the earlier files as they
# were and nothing half written under a final name.  Also: the manifest
# agrees with the files (sha256sum -c, row counts), write errors on
# standard output and an unwritable folder fail loudly.
. "$top_srcdir/tests/lib/common.sh"
[ -n "${PYTHON3:-}" ] || PYTHON3=python3
need "$PYTHON3" sha256sum
rt="$PYTHON3 $top_srcdir/tests/csv-emit/roundtrip.py"

$rt gen 3 3000 >"$T/day1.jsonl" || exit 99
$rt gen 4 3000 >"$T/day2.jsonl" || exit 99
csv-emit -d "$T/out" "$T/day1.jsonl"
expect_eq "first run" "$?" 0
mkdir "$T/before" && cp -p "$T/out"/* "$T/before/"

same_as_before() {
	if diff -r "$T/before" "$T/out" >"$T/diff" 2>&1; then
		pass "$1: earlier files intact, nothing else in the folder"
	else
		fail "$1: folder changed: $(head -5 "$T/diff")"
	fi
}

# The manifest: sha256sum -c, and row counts as a CSV parser counts them.
(cd "$T/out" && sha256sum --quiet --strict -c SHA256SUMS) >"$T/sums" 2>&1 &&
    pass "sha256sum -c SHA256SUMS" || fail "sha256sum -c: $(cat "$T/sums")"
"$PYTHON3" - "$T/out" >"$T/manifest-check" 2>&1 <<'PY'
import csv, hashlib, os, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(d, "MANIFEST"), newline="")))
files = sorted(f for f in os.listdir(d) if f.endswith(".csv"))
assert [r["file"] for r in rows] == files, (rows, files)
for r in rows:
    p = os.path.join(d, r["file"])
    n = sum(1 for _ in csv.reader(open(p, newline="", encoding="utf-8"))) - 1
    assert int(r["rows"]) == n, (r, n)
    assert int(r["bytes"]) == os.path.getsize(p), r
    assert r["sha256"] == hashlib.sha256(open(p, "rb").read()).hexdigest(), r
    assert r["type"] + ".csv" == r["file"], r
print("manifest ok:", len(rows), "files")
PY
[ $? -eq 0 ] && pass "MANIFEST rows, bytes and digests" ||
    fail "MANIFEST: $(cat "$T/manifest-check")"

# A digest that no longer matches is caught.
cp -r "$T/out" "$T/tampered"
printf 'x' >>"$T/tampered/thing.csv"
if (cd "$T/tampered" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1; then
	fail "sha256sum -c accepted a changed file"
else
	pass "sha256sum -c catches a changed file"
fi

# A bad record deep in the second day's stream: exit 1, nothing renamed.
{ head -n 2500 "$T/day2.jsonl"; echo '{"type":"instance","id":'; 
  tail -n 500 "$T/day2.jsonl"; } >"$T/bad.jsonl"
csv-emit -d "$T/out" "$T/bad.jsonl" 2>"$T/err"
expect_eq "bad record mid-stream" "$?" 1
expect_grep "message names input and line" "bad.jsonl:2501: bad JSON" "$T/err"
same_as_before "bad record"

# The same for -o: the earlier file stays, no temporary is left.
csv-emit -t instance -o "$T/one/instance.csv" "$T/day1.jsonl" 2>"$T/err"
expect_eq "-o into a missing folder" "$?" 1
mkdir "$T/one"
csv-emit -t instance -o "$T/one/instance.csv" "$T/day1.jsonl"
cp "$T/one/instance.csv" "$T/one-before.csv"
csv-emit -t instance -o "$T/one/instance.csv" "$T/bad.jsonl" 2>/dev/null
expect_eq "-o with a bad record" "$?" 1
cmp -s "$T/one-before.csv" "$T/one/instance.csv" &&
    [ "$(ls -A "$T/one")" = instance.csv ] &&
    pass "-o: earlier file intact, nothing else" ||
    fail "-o: $(ls -A "$T/one")"

# Killed while reading (SIGTERM): the temporary files are removed too.
mkfifo "$T/fifo"
kill_run() {
	sig=$1
	csv-emit -d "$T/out" <"$T/fifo" 2>"$T/err" &
	pid=$!
	exec 3>"$T/fifo"
	head -n 2000 "$T/day2.jsonl" >&3
	# Wait until the run has its temporary files (no time limit: the
	# harness's own timeout applies).
	while ! ls -A "$T/out" | grep -q '^\.instance\.csv\.'; do
		sleep 0.1
	done
	kill -s "$sig" "$pid"
	wait "$pid"
	st=$?
	exec 3>&-
	expect_eq "killed by SIG$sig" "$st" "$((128 + $(kill -l "$sig")))"
}
kill_run TERM
same_as_before "SIGTERM"
kill_run KILL
# SIGKILL cannot clean up: only hidden temporary names may remain.
ls -A "$T/out" | grep -v '^\.' | sort >"$T/names"
(cd "$T/before" && ls -A | sort) >"$T/names-before"
cmp -s "$T/names" "$T/names-before" && pass "SIGKILL: no new final names" ||
    fail "SIGKILL left: $(cat "$T/names")"
for f in "$T/before"/*; do
	cmp -s "$f" "$T/out/${f##*/}" || fail "SIGKILL changed ${f##*/}"
done
rm -f "$T/out"/.*.csv.*

# A complete second run replaces the files, and the manifest follows.
csv-emit -d "$T/out" "$T/day2.jsonl"
expect_eq "second run" "$?" 0
(cd "$T/out" && sha256sum --quiet --strict -c SHA256SUMS) &&
    pass "second run's manifest" || fail "second run's manifest"
cmp -s "$T/before/instance.csv" "$T/out/instance.csv" &&
    fail "second run did not replace instance.csv"
ls -A "$T/out" | grep '^\.' && fail "temporary files left after a good run"

# Standard output mode keeps its temporary and spill files unlinked.
mkdir "$T/tmp"
TMPDIR=$T/tmp csv-emit -t instance "$T/day2.jsonl" >"$T/std.csv"
expect_eq "--type instance" "$?" 0
cmp -s "$T/std.csv" "$T/out/instance.csv" && pass "stdout = -d file" ||
    fail "stdout differs from -d file"
# Appending (sendfile refuses O_APPEND; the copy falls back to write).
echo "before" >"$T/append.csv"
csv-emit -t instance "$T/day2.jsonl" >>"$T/append.csv"
{ echo "before"; cat "$T/std.csv"; } | cmp -s - "$T/append.csv" &&
    pass "stdout in append mode" || fail "stdout in append mode differs"
csv-emit -t instance "$T/day2.jsonl" | cat >"$T/piped.csv"
cmp -s "$T/std.csv" "$T/piped.csv" && pass "stdout to a pipe" ||
    fail "stdout to a pipe differs"
[ -z "$(ls -A "$T/tmp")" ] && pass "nothing left in TMPDIR" ||
    fail "left in TMPDIR: $(ls -A "$T/tmp")"

# Write errors on standard output.
csv-emit -t instance "$T/day1.jsonl" >/dev/full 2>"$T/err"
expect_eq "stdout on /dev/full" "$?" 1
expect_grep "/dev/full message" "write error" "$T/err"
csv-emit -t instance "$T/day1.jsonl" >&- 2>"$T/err"
expect_eq "closed stdout" "$?" 1

# A full disk: a small tmpfs (root only; skipped where mount is refused).
mkdir "$T/small"
if [ "$(id -u)" -eq 0 ] &&
    mount -t tmpfs -o size=256k tmpfs "$T/small" 2>/dev/null; then
	at_exit "umount '$T/small'"
	head -n 20 "$T/day1.jsonl" | csv-emit -d "$T/small/out"
	expect_eq "small run fits" "$?" 0
	mkdir "$T/small-before" && cp -p "$T/small/out"/* "$T/small-before/"
	csv-emit -d "$T/small/out" "$T/day2.jsonl" 2>"$T/err"
	expect_eq "full disk" "$?" 1
	expect_grep "full disk message" "No space left on device" "$T/err"
	if diff -r "$T/small-before" "$T/small/out" >"$T/diff" 2>&1; then
		pass "full disk: earlier files intact, temporaries removed"
	else
		fail "full disk: $(head -5 "$T/diff")"
	fi
else
	echo "note: no tmpfs mount here; the full-disk check is skipped"
fi

# A folder that cannot be written.
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
	mkdir -p "$T/ro/out" && chmod 755 "$T" "$T/ro" "$T/ro/out"
	runuser -u nobody -- "$(command -v csv-emit)" -d "$T/ro/out" \
	    "$T/day1.jsonl" 2>"$T/err"
	st=$?
else
	mkdir -p "$T/ro/out" && chmod 555 "$T/ro/out"
	csv-emit -d "$T/ro/out" "$T/day1.jsonl" 2>"$T/err"
	st=$?
fi
expect_eq "unwritable folder" "$st" 1
expect_grep "unwritable folder message" "cannot write in .*ro/out" "$T/err"
finish
