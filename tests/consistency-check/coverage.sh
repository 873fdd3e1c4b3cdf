# coverage: every 15-minute slot has a complete run.  The simulated
# cloud's 192 runs of two days pass; without four runs there is one gap
# with its start and end; an incomplete run is a warning and a gap of its
# own slot; a region with a single run has gaps around it.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/consistency-check/lib.sh"
F=2024-02-01T00:00:00Z U=2024-02-03T00:00:00Z
sim 1 40 $F $U "$T/sim.jsonl"

check all -c coverage --since $F --until $U "$T/sim.jsonl"
expect_eq "every slot: pass" "$st" 0
expect_grep "every slot: summary" '^coverage .*pass.* 192 slots of 900s in 1 region, 192 with a complete run, 0 gaps' "$T/all.err"
expect_grep "every slot: verdict" '"verdict":"pass","checks":\["coverage"\]' "$T/all.out"

# The period from the runs themselves, slot aligned.
check span -c coverage "$T/sim.jsonl"
expect_eq "period of the runs: pass" "$st" 0
expect_grep "period of the runs" "\"since\":\"$F\",\"until\":\"$U\"" "$T/span.out"

# Runs 10 to 13 (02:30 to 03:30) lost; run 20 (05:00) incomplete.
edit "$T/sim.jsonl" "$T/gap.jsonl" '
if r.get("run_id") in ("run-10", "run-11", "run-12", "run-13"):
    r = None
elif r["type"] == "run_end" and r["run_id"] == "run-20":
    r["complete"] = False'
check gap -c coverage --since $F --until $U "$T/gap.jsonl"
expect_eq "gap: fail" "$st" 1
finding gap '"severity":"error","subject":"region RegionOne".*"actual":"none from 2024-02-01T02:30:00Z to 2024-02-01T03:30:00Z","detail":"gap of 4 slots'
finding gap '"actual":"none from 2024-02-01T05:00:00Z to 2024-02-01T05:15:00Z","detail":"gap of 1 slot of'
finding gap '"severity":"warning","subject":"run run-20","expected":"complete","actual":"incomplete"'
expect_eq "gap: two gaps, one warning" "$(grep -c '"type":"finding"' "$T/gap.out")" 3
expect_grep "gap: summary" "^coverage .*FAIL 2 errors, 1 warning;.* 187 with a complete run, 2 gaps" "$T/gap.err"

# The period's edges: a gap at the start and one at the end.
check edges -c coverage --since 2024-01-31T23:00:00Z --until 2024-02-03T00:30:00Z "$T/sim.jsonl"
expect_eq "edges: fail" "$st" 1
finding edges '"actual":"none from 2024-01-31T23:00:00Z to 2024-02-01T00:00:00Z","detail":"gap of 4 slots'
finding edges '"actual":"none from 2024-02-03T00:00:00Z to 2024-02-03T00:30:00Z","detail":"gap of 2 slots'

# A second region seen in one run only: gaps around it, RegionOne fine.
edit "$T/sim.jsonl" "$T/region.jsonl" '
if r["type"] == "run_end" and r["run_id"] == "run-0":
    extra = [{"type": "run_start", "run_id": "east-1", "region": "East",
              "started_at": "2024-02-02T00:05:00Z"},
             {"type": "run_end", "run_id": "east-1", "complete": True}]'
check region -c coverage --since $F --until $U "$T/region.jsonl"
expect_eq "second region: fail" "$st" 1
finding region '"subject":"region East".*"actual":"none from 2024-02-01T00:00:00Z to 2024-02-02T00:00:00Z"'
finding region '"subject":"region East".*"actual":"none from 2024-02-02T00:15:00Z to 2024-02-03T00:00:00Z"'
nofinding region '"subject":"region RegionOne"'

# With 30-minute slots the four lost runs are two slots.
check slot -c coverage --slot 30m --since $F --until $U "$T/gap.jsonl"
finding slot '"actual":"none from 2024-02-01T02:30:00Z to 2024-02-01T03:30:00Z","detail":"gap of 2 slots of 1800s'

# The month of the two days: the rest of February is one gap.
check month -c coverage --month 2024-02 "$T/sim.jsonl"
expect_eq "month: fail" "$st" 1
finding month '"actual":"none from 2024-02-03T00:00:00Z to 2024-03-01T00:00:00Z","detail":"gap of 2592 slots'
expect_grep "month: period" '"since":"2024-02-01T00:00:00Z","until":"2024-03-01T00:00:00Z"' "$T/month.out"

# No run at all.
check none -c coverage --since $F --until $U </dev/null
expect_eq "no run: fail" "$st" 1
finding none "\"actual\":\"none from $F to $U\",\"detail\":\"gap of 192 slots"
check noperiod -c coverage </dev/null
expect_eq "no run, no period: fail" "$st" 1
finding noperiod '"actual":"no collection run"'
expect_grep "no run, no period: null period" '"since":null,"until":null' "$T/noperiod.out"
finish
