#!/bin/sh
# run_fuzz.sh: runs each libFuzzer target for a fixed time (make fuzz FUZZ_SECONDS=N).
#
# usage: sh tests/fuzz/run_fuzz.sh DIR SECONDS TARGET...
#   DIR holds the binaries fuzz_<target> (built by make fuzz into build/libfuzzer/fuzz).
# Each target starts from the committed seeds in tests/fuzz/corpus/<target>/ plus the inputs it
# found in earlier runs (DIR/corpus/<target>/, not committed). A crash, leak, timeout or
# out-of-memory input is copied into tests/fuzz/corpus/<target>/ (so make test replays it from
# then on) and the run fails. Prints "fuzz: N passed, N failed" (one per target).
set -u
[ $# -ge 3 ] || { echo "usage: run_fuzz.sh DIR SECONDS TARGET..." >&2; exit 2; }
DIR=$1
SECONDS_EACH=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
DICT="$HERE/python.dict"
passed=0
failed=0

for target in "$@"; do
    bin="$DIR/fuzz_$target"
    seeds="$HERE/corpus/$target"
    work="$DIR/corpus/$target"
    artifacts="$DIR/artifacts/$target"
    log="$DIR/$target.log"
    mkdir -p "$seeds" "$work" "$artifacts"
    rm -f "$artifacts"/*
    dict=""
    [ -f "$DICT" ] && dict="-dict=$DICT"
    echo "fuzz: $target for ${SECONDS_EACH}s (log: $log)"
    # The first corpus directory receives new inputs; the seeds directory is only read.
    # shellcheck disable=SC2086 # $dict is empty or one word
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" $dict "$work" "$seeds" \
        >"$log" 2>&1
    status=$?
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' \
        "$log" | sed 's/^/    /'
    found=$(ls "$artifacts" 2>/dev/null)
    if [ "$status" -eq 0 ] && [ -z "$found" ]; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    echo "FAIL fuzz/$target: exit status $status; the end of its log:"
    tail -n 40 "$log" | sed 's/^/    /'
    for f in $found; do
        cp "$artifacts/$f" "$seeds/$f"
        echo "    saved tests/fuzz/corpus/$target/$f (reproduce: $bin $seeds/$f)"
    done
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
