# references: the simulated cloud passes (its admin user, with no e-mail
# and nothing owned, is a warning); an instance of a missing project, a
# cycle in the tree, shares summing to 0.9, an attachment of a missing
# volume, a user owning instances without an institution each fail with
# their own finding; shares of 0.1 + 0.2 + 0.7 sum to exactly 1.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
F=2024-02-01T00:00:00Z U=2024-02-03T00:00:00Z
sim 1 40 $F $U "$T/sim.jsonl"

check ok -c references "$T/sim.jsonl"
expect_eq "simulated cloud: pass" "$st" 0
finding ok '"severity":"warning","subject":"user [0-9a-f]* (admin)","expected":"exactly one institution","actual":"none"'
nofinding ok '"severity":"error"'

# The ids of this cloud: a project funded 0.6/0.4, its parent, the first
# instance and its owner (whose explicit institution is dropped and whose
# e-mail domain is made unknown).
jq_first() {
	"$PYTHON3" -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if eval(sys.argv[2]):
        print(eval(sys.argv[3])); break' "$T/sim.jsonl" "$1" "$2"
}
P=$(jq_first 'r["type"] == "project_institution" and r["share"] == "0.6"' 'r["project_id"]')
PARENT=$(jq_first "r['type'] == 'project' and r['id'] == '$P'" 'r["parent_id"]')
I=$(jq_first 'r["type"] == "instance" and r.get("user_id")' 'r["id"]')
OWNER=$(jq_first "r['type'] == 'instance' and r['id'] == '$I'" 'r["user_id"]')
[ -n "$P" ] && [ -n "$PARENT" ] && [ -n "$I" ] && [ -n "$OWNER" ] || exit 99

edit "$T/sim.jsonl" "$T/bad.jsonl" "
if r['type'] == 'instance' and r['id'] == '$I':
    r['project_id'] = 'no-such-project'
if r['type'] == 'project' and r['id'] == '$PARENT':
    r['parent_id'] = '$P'
if r['type'] == 'project_institution' and r['share'] == '0.6':
    r['share'] = '0.5'
if r['type'] == 'user_institution' and r['user_id'] == '$OWNER':
    r = None
if r and r['type'] == 'user' and r['id'] == '$OWNER':
    r['email'] = 'someone@nowhere.invalid'
if r and r['type'] == 'run_end' and r['run_id'] == 'run-0':
    extra = [{'type': 'volume_attachment', 'id': 'att-1',
              'volume_id': 'no-such-volume', 'server_id': '$I'}]"
check bad -c references "$T/bad.jsonl"
expect_eq "broken references: fail" "$st" 1
finding bad "\"subject\":\"instance $I\",\"expected\":\"project no-such-project\",\"actual\":\"not in the records\""
finding bad "\"subject\":\"project [0-9a-f]*\",\"expected\":\"a tree (no cycle)\",\"actual\":\"a cycle\""
finding bad "\"subject\":\"project $P\",\"expected\":\"shares summing to 1\",\"actual\":\"0.9\",\"detail\":\"shares from 2024-01-02T00:00:00Z: "
finding bad '"subject":"volume_attachment att-1","expected":"volume no-such-volume"'
nofinding bad '"subject":"volume_attachment att-1","expected":"instance'
finding bad "\"severity\":\"error\",\"subject\":\"user $OWNER ([^)]*)\",\"expected\":\"exactly one institution\",\"actual\":\"none\".*someone@nowhere.invalid; owns instances"
expect_grep "broken references: summary" "^references .*FAIL 5 errors" "$T/bad.err"

# Exact decimals: 0.1 + 0.2 + 0.7 is 1 (in binary floating point it is
# not); a later date with 0.5 + 0.3 is reported with its date.
edit "$T/sim.jsonl" "$T/dec.jsonl" "
if r['type'] == 'project_institution' and r['project_id'] == '$P':
    r = None
    if 'done' not in state:
        state['done'] = 1
        base = {'type': 'project_institution', 'project_id': '$P',
                'valid_from': '2024-01-02T00:00:00Z'}
        extra = [dict(base, id='$P:a', institution_id='a', share='0.1'),
                 dict(base, id='$P:b', institution_id='b', share='0.2'),
                 dict(base, id='$P:c', institution_id='c', share='0.7'),
                 dict(base, id='$P:a', institution_id='a', share='0.1',
                      valid_from='2024-02-02T00:00:00Z'),
                 dict(base, id='$P:c', institution_id='c', share='0.2',
                      valid_from='2024-02-02T00:00:00Z')]
if r and r['type'] == 'institution' and 'inst' not in state:
    state['inst'] = 1
    extra = [{'type': 'institution', 'id': x, 'name': x} for x in 'abc']"
check dec -c references "$T/dec.jsonl"
expect_eq "shares by date: fail" "$st" 1
finding dec "\"subject\":\"project $P\",\"expected\":\"shares summing to 1\",\"actual\":\"0.5\",\"detail\":\"shares from 2024-02-02T00:00:00Z: "
nofinding dec '"actual":"1.0000000000000002"'
expect_eq "0.1 + 0.2 + 0.7 = 1: one finding only" \
    "$(grep -c "\"subject\":\"project $P\"" "$T/dec.out")" 1

# Two explicit institutions of one user from the same date.
EXPL=$(jq_first 'r["type"] == "user_institution"' 'r["user_id"]')
edit "$T/sim.jsonl" "$T/two.jsonl" "
if r['type'] == 'user_institution' and r['user_id'] == '$EXPL':
    extra = [dict(r, institution_id='$(jq_first 'r["type"] == "institution"' 'r["id"]')x')]"
check two -c references "$T/two.jsonl"
expect_eq "two institutions: fail" "$st" 1
finding two "\"subject\":\"user $EXPL\",\"expected\":\"exactly one institution\""
finding two '"subject":"user_institution [0-9a-f]*","expected":"institution [0-9a-f]*x","actual":"not in the records"'
finish
