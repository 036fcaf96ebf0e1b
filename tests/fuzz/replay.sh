#!/bin/sh
# replay.sh: replays every saved input of tests/fuzz/corpus/<target>/ through its target, built
# without libFuzzer (make fuzz-replay, part of make test).
#
# usage: sh tests/fuzz/replay.sh BUILD/fuzz/replay_<target>...
# Prints each target's line, then "fuzz-replay: N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT INT TERM
passed=0
failed=0
for bin in "$@"; do
    target=${bin##*/replay_}
    "$bin" "$target" "$HERE/corpus/$target" >"$TMP" 2>&1
    status=$?
    sed "s|$HERE/corpus/|corpus/|" "$TMP"
    line=$(grep -E "^$target: [0-9]+ passed, [0-9]+ failed\$" "$TMP" | tail -n 1)
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.*passed, \([0-9]*\) failed/\1/p')
    [ -n "$f" ] || f=1
    [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + ${p:-0}))
    failed=$((failed + f))
done
echo "fuzz-replay: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
