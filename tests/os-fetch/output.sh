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
