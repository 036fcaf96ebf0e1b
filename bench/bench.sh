#!/bin/sh
# bench.sh: parser speed and memory (make bench). Results go to build/bench/results.txt and are
# not committed.
#
# usage: sh bench/bench.sh BIN
#   STDLIB=DIR   corpus root (default /usr/lib/python3.11: every .py file)
#   RUNS=N       timed runs per tool, best and mean reported (default 3)
#
# Measures, on the same files in the same run:
#   1. speed: `BIN parse` over every file in one process (xargs with a large -n, one thread),
#      wall time of the whole process (reading the files included), against /usr/bin/python3
#      timing only ast.parse() on the same files already in memory; MB/s and the ratio
#   2. memory: peak RSS of the whole run, and for the largest file (and a code-heavy one) its
#      peak RSS over that of an empty file, per source byte
#   3. instructions per source byte under callgrind for the fixed sample in bench/corpus.txt:
#      deterministic, the figure to watch for regressions
#   4. (later) report and check against rg: see bench_report
set -u
[ $# -ge 1 ] || { echo "usage: bench.sh BIN" >&2; exit 2; }
BIN=$1
STDLIB=${STDLIB:-/usr/lib/python3.11}
RUNS=${RUNS:-3}
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=build/bench
mkdir -p "$OUT"

mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }

# timed_runs N CMD...: runs CMD N times; sets best and mean wall time (seconds, from the clock
# in nanoseconds) and rss (largest peak RSS in KiB, from /usr/bin/time). CMD's stderr is kept
# in $OUT/stderr.
timed_runs() {
    n=$1
    shift
    best=""
    sum=0
    rss=0
    i=0
    while [ $i -lt "$n" ]; do
        t0=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$OUT/time" "$@" >/dev/null 2>"$OUT/stderr"
        e=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
        m=$(tail -n 1 "$OUT/time")
        sum=$(awk -v a="$sum" -v b="$e" 'BEGIN { print a + b }')
        best=$(awk -v a="${best:-$e}" -v b="$e" 'BEGIN { print (b < a ? b : a) }')
        [ "$m" -gt "$rss" ] && rss=$m
        i=$((i + 1))
    done
    mean=$(awk -v s="$sum" -v n="$n" 'BEGIN { printf "%.3f", s / n }')
}

bench_speed() {
    echo "-- speed: $STDLIB (python3 runs first and picks the files both tools parse)"
    find "$STDLIB" -name '*.py' -type f | LC_ALL=C sort | tr '\n' '\0' >"$OUT/all.list"
    read -r nfiles nbytes pyerr pybest pymean <<EOF2
$("$PY" "$HERE/ast_parse.py" "$OUT/all.list" "$OUT/files.list" "$RUNS")
EOF2
    echo "corpus: $nfiles files, $(mb "$nbytes") MB ($pyerr files that CPython 3.11 rejects left out)"
    printf '%-30s best %6.3f s  mean %6.3f s  %6s MB/s\n' "python3 ast.parse (in memory)" \
        "$pybest" "$pymean" "$(rate "$nbytes" "$pybest")"
    # shellcheck disable=SC2016 # $0 and $1 expand in the inner shell
    timed_runs "$RUNS" sh -c 'xargs -0 -n 100000 "$0" parse <"$1"' "$BIN" "$OUT/files.list"
    errs=$(grep -c ':[0-9]*:[0-9]*: ' "$OUT/stderr")
    printf '%-30s best %6.3f s  mean %6.3f s  %6s MB/s  (%s files with errors)\n' \
        "sqlasync parse (one process)" "$best" "$mean" "$(rate "$nbytes" "$best")" "$errs"
    awk -v p="$pybest" -v s="$best" \
        'BEGIN { if (s > 0) printf "ratio: sqlasync parses %.1fx as fast as python3\n", p / s }'
    run_rss=$rss
}

# per_byte FILE: peak RSS of parsing FILE alone, and that over an empty file per source byte.
per_byte() {
    timed_runs 1 "$BIN" parse "$1"
    awk -v r="$rss" -v b="$base_rss" -v n="$(wc -c <"$1")" -v f="$1" 'BEGIN {
        printf "%s (%.2f MB): peak RSS %.1f MB, %.1f bytes per source byte\n",
            f, n / 1e6, r / 1024, (r - b) * 1024 / n }'
}

bench_memory() {
    echo "-- memory"
    echo "peak RSS, whole corpus in one process: $((run_rss / 1024)) MB"
    : >"$OUT/empty.py"
    timed_runs 1 "$BIN" parse "$OUT/empty.py"
    base_rss=$rss
    largest=$(xargs -0 stat -c '%s %n' <"$OUT/files.list" | sort -n | tail -n 1 | cut -d' ' -f2-)
    printf 'largest file: '
    per_byte "$largest"
    printf 'code-heavy file: '
    per_byte "$STDLIB/$(grep -v '^#' "$HERE/corpus.txt" | head -n 1)"
}

instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

bench_instructions() {
    sample=""
    sbytes=0
    # shellcheck disable=SC2013 # one path per line, without spaces
    for f in $(grep -v '^#' "$HERE/corpus.txt"); do
        sample="$sample $STDLIB/$f"
        sbytes=$((sbytes + $(wc -c <"$STDLIB/$f")))
    done
    echo "-- instructions (callgrind; bench/corpus.txt, $(mb "$sbytes") MB)"
    : >"$OUT/empty.py"
    i_empty=$(instructions "$BIN" parse "$OUT/empty.py")
    # shellcheck disable=SC2086 # $sample is a list of paths without spaces
    i_sample=$(instructions "$BIN" parse $sample)
    awk -v i="$i_sample" -v e="$i_empty" -v n="$sbytes" 'BEGIN {
        printf "%d instructions (%d at start-up): %.1f instructions per source byte\n",
            i, e, (i - e) / n }'
}

# When `sqlasync report` (and check) exist, time them here on examples/ and on a large tree
# against the text-search floor, with the same helper:
#   timed_runs "$RUNS" rg -c 'session\.query\(' "$TREE"
#   timed_runs "$RUNS" "$BIN" report "$TREE"
bench_report() {
    if "$BIN" help 2>/dev/null | grep -q '^ *report'; then
        echo "-- report: exists but is not benchmarked yet (see bench_report in bench/bench.sh)"
    else
        echo "-- report: skipped (sqlasync report does not exist yet)"
    fi
}

main() {
    echo "== bench: $("$BIN" version 2>/dev/null || echo "$BIN"), $(uname -m), $(nproc) cores," \
        "$(date -u +%Y-%m-%dT%H:%MZ)"
    bench_speed
    bench_memory
    bench_instructions
    bench_report
}

main 2>&1 | tee "$OUT/results.txt"
echo "results: $OUT/results.txt"
