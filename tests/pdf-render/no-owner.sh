# Usage that no user or institution answers for (a floating IP has no
# user, an unfunded project no institution) comes from usage-aggregate as
# rows with a null id; they are shown as rows of their own and counted in
# the totals.
. "$top_srcdir/tests/lib/common.sh"
need pdftotext

cat >"$T/in.jsonl" <<'RECS'
{"type":"usage_meta","cloud":"c","since":"2024-03-01T00:00:00Z","until":"2024-04-01T00:00:00Z","tz":"UTC"}
{"type":"usage","axis":"user","id":"u1","name":"alice","su_type":"OpenStack CPU","instance_hours":10,"su_hours":20,"rate":"0.013","cost":"0.26"}
{"type":"usage","axis":"user","id":null,"name":null,"su_type":null,"instance_hours":0,"su_hours":0,"floating_ip_hours":731}
{"type":"usage","axis":"institution","id":null,"name":null,"su_type":"OpenStack CPU","instance_hours":3,"su_hours":4321,"rate":"0.013","cost":"56.17"}
RECS
SOURCE_DATE_EPOCH=1709251200 pdf-render -o "$T/r.pdf" "$T/in.jsonl" 2>"$T/err"
expect_eq "null ids accepted (exit)" "$?" 0
pdftotext -layout "$T/r.pdf" "$T/r.txt" 2>/dev/null
expect_grep "user row without a user" '(no user)' "$T/r.txt"
expect_grep "its floating-IP hours" '731' "$T/r.txt"
expect_grep "institution row without an institution" '(no institution)' "$T/r.txt"
expect_grep "its SU hours" '4,321' "$T/r.txt"

# An id missing altogether is still an error.
printf '%s\n' '{"type":"usage","axis":"user","name":"x"}' |
    pdf-render >/dev/null 2>"$T/err"
expect_eq "missing id (exit)" "$?" 1
expect_grep "missing id (message)" 'missing value in field "id"' "$T/err"
finish
