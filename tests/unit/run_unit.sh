#!/bin/sh
# Runs every unit test binary given; prints the total as "unit: N passed, N failed".
# A binary that exits non-zero (a failed CHECK, a crash, a sanitizer report) or prints no
# "N passed, N failed" line counts at least one failure.
passed=0; failed=0; status=0
for t in "$@"; do
    out=$("$t"); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -n 1)
    if [ "$rc" -ne 0 ]; then
        status=1
        echo "FAIL $t: exit status $rc"
        [ "${f:-0}" -eq 0 ] && f=1
    fi
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
