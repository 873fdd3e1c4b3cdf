# pg-extract's period: versions overlapping [since, until), event-like
# rows inside it, runs inside it; --at, --types; errors.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/pg-load/lib.sh"
db_new ex
S='"compute/servers"'
D=2019-03-01T
{
	run r1 ${D}00:00:00Z R1 "$S"
	inst a ${D}00:00:00Z R1 ACTIVE
	inst b ${D}00:00:00Z R1 ACTIVE
	end r1 ${D}00:00:10Z
	run r2 ${D}01:00:00Z R1 "$S"
	inst a ${D}01:00:00Z R1 SHUTOFF
	printf '{"type":"instance_action","id":"req-a","region":"R1","observed_at":"%s","instance_id":"a","action":"stop","request_id":"req-a","start_time":"%s","finish_time":"%s"}\n' \
	    ${D}01:00:00Z ${D}00:50:00Z ${D}00:50:05Z
	end r2 ${D}01:00:10Z
} | pg-load -q || fail "load"

ids() {
	$PYTHON3 -c '
import json, sys
print(" ".join(sorted("%s:%s:%s" % (r["type"], r["id"], r.get("valid_from", "")[11:16])
    for r in map(json.loads, sys.stdin))))'
}
expect_eq "whole history" "$(pg-extract --types instance | ids)" \
    "instance:a:00:00 instance:a:01:00 instance:b:00:00"
expect_eq "before the change" "$(pg-extract --types instance,instance_action \
    --since ${D}00:10:00Z --until ${D}00:50:00Z | ids)" \
    "instance:a:00:00 instance:b:00:00"
expect_eq "end exclusive, event inside" "$(pg-extract --types \
    instance,instance_action,collection_run --since ${D}00:50:00Z \
    --until ${D}01:00:00Z | ids)" \
    "instance:a:00:00 instance:b:00:00 instance_action:req-a:"
expect_eq "after: b closed at 01:00 is out" "$(pg-extract --types instance \
    --since ${D}01:00:00Z --until ${D}02:00:00Z | ids)" "instance:a:01:00"
expect_eq "runs of the period" "$(pg-extract --types collection_run \
    --since ${D}00:30:00Z --until ${D}02:00:00Z | ids)" "collection_run:r2:"
expect_eq "--at" "$(pg-extract --at ${D}00:59:59Z | ids)" \
    "instance:a:00:00 instance:b:00:00"
expect_eq "--at a date" "$(pg-extract --at 2019-03-02 | ids)" "instance:a:01:00"
pg-extract --types instance --since 2019-03-01 | $PYTHON3 -c '
import json, sys
for r in map(json.loads, sys.stdin):
    if r["id"] == "b": print(r["valid_from"], r["valid_to"])' >"$T/b"
expect_eq "validity as RFC 3339" "$(cat "$T/b")" \
    "2019-03-01T00:00:00Z 2019-03-01T01:00:00Z"

# Usage errors: exit 2, a pointer to --help.
for args in "--since yesterday" "--types instance,bogus" \
    "--at 2019-03-01 --since 2019-03-01" "extra-arg"; do
	pg-extract $args >"$T/out" 2>"$T/err"
	expect_eq "usage error: $args" "$?" 2
	expect_grep "usage hint: $args" "Try 'pg-extract --help'" "$T/err"
done
pg-extract >/dev/full 2>"$T/err"
expect_eq "full disk: exit" "$?" 1
expect_grep "full disk: message" "write error" "$T/err"
pg-extract -d "host=$T/nowhere port=1" 2>"$T/err"
expect_eq "unreachable: exit" "$?" 75
PGDATABASE=postgres pg-extract 2>"$T/err"
expect_eq "no schema: exit" "$?" 1
expect_grep "no schema: message" 'relation "moc.collection_run" does not exist' "$T/err"
finish
