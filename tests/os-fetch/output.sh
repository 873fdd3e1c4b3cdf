#!/bin/sh
# Standard output that fails: a full disk and a closed descriptor end
# os-fetch with a message and exit 1; a reader that stops early (| head)
# ends it quietly.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/cloud/lib.sh"
start_cloud
. "$top_srcdir/tests/os-fetch/lib.sh"

os-fetch -r identity >/dev/full 2>"$T/full.err"
expect_eq "/dev/full: exit 1" "$?" 1
expect_grep "/dev/full: write error" "^os-fetch: write error on standard output: No space left on device" "$T/full.err"

# A run that did not get out does not move the state on.
os-fetch -r identity --state "$T/state" >/dev/full 2>/dev/null
expect_eq "/dev/full: no state written" "$(ls "$T/state" 2>/dev/null)" ""
os-fetch -r identity --state "$T/state" >/dev/null 2>&1
expect_grep "a complete run writes the state" "^last_complete_start " "$T/state"

# --now: the run, its pages and the state stand at the instant given.
os-fetch -r identity --now 2019-03-01T00:15:00Z --state "$T/nstate" >"$T/now.jsonl"
expect_eq "--now: exit" "$?" 0
expect_eq "--now: run_start" "$(jq -r 'select(.type == "run_start") | .started_at' "$T/now.jsonl")" 2019-03-01T00:15:00Z
expect_eq "--now: run id" "$(jq -r 'select(.type == "run_start") | .run_id[0:16]' "$T/now.jsonl")" 20190301T001500Z
expect_eq "--now: pages stamped from that instant" "$(jq -r 'select(.type == "page") | .fetched_at[0:15]' "$T/now.jsonl" | sort -u)" 2019-03-01T00:1
expect_grep "--now: state" "^last_complete_start 2019-03-01T00:15:00Z" "$T/nstate"
os-fetch -r identity --now 2019-02-30 >/dev/null 2>"$T/now.err"
expect_eq "--now: bad time: exit 2" "$?" 2

os-fetch -r identity >&- 2>"$T/closed.err"
expect_eq "closed stdout: exit 1" "$?" 1
expect_grep "closed stdout: write error" "^os-fetch: write error on standard output" "$T/closed.err"

# SIGPIPE ends it as any filter: no message.
os-fetch --page-size 1 2>"$T/pipe.err" | head -1 >"$T/pipe.out"
expect_eq "| head: first record" "$(jq -r .type "$T/pipe.out")" run_start
expect_eq "| head: no message" "$(cat "$T/pipe.err")" ""

# Progress: one line, rewritten in place, only with a terminal on stderr.
if command -v script >/dev/null 2>&1; then
	script -qec "os-fetch -r identity,network >'$T/tty.jsonl'" "$T/typescript" >/dev/null 2>&1
	expect_grep "terminal: progress line" "os-fetch: [0-9]* pages, [0-9]* requests" "$T/typescript"
	expect_eq "terminal: complete run" "$(run_end tty | jq .complete)" true
fi
os-fetch -r identity,network >"$T/notty.out" 2>"$T/notty.err"
expect_eq "no terminal: nothing on stderr" "$(cat "$T/notty.err")" ""
finish
