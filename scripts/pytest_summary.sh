#!/bin/sh
# pytest_summary.sh: turns pytest's closing line into "NAME: N passed, N failed".
#
# usage: sh scripts/pytest_summary.sh NAME STATUS LOG
# Failures and errors count as failed. pytest's status 5 (no tests collected) is not a failure;
# any other non-zero status counts at least one failure. Exits 1 if anything failed.
set -u
name=$1
rc=$2
last=$(grep -E '(passed|failed|error|no tests ran)' "$3" | tail -n 1)
count() {
    printf '%s\n' "$last" | sed -n "s/.*[^0-9]\([0-9][0-9]*\) $1.*/\1/p;s/^\([0-9][0-9]*\) $1.*/\1/p" | head -n 1
}
p=$(count passed)
f=$(count failed)
e=$(count error)
failed=$((${f:-0} + ${e:-0}))
[ "$rc" -eq 5 ] && rc=0
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$name: ${p:-0} passed, $failed failed"
[ "$failed" -eq 0 ]
