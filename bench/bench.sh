#!/bin/sh
# bench.sh: parser speed and memory (make bench). Results go to build/bench/results.txt and are
# not committed.
#
# usage: sh bench/bench.sh BIN
#   STDLIB=DIR   corpus root (default /usr/lib/python3.11: every .py file)
#   RUNS=N       timed runs per tool, best and mean reported (default 3)
#   PARTS=LIST   which of speed memory instructions report to run (default all; memory runs
#                speed first)
#
# Measures, on the same files in the same run:
#   1. speed: `BIN parse` over every file in one process (xargs with a large -n, one thread),
#      wall time of the whole process (reading the files included), against /usr/bin/python3
#      timing only ast.parse() on the same files already in memory; MB/s and the ratio
#   2. memory: peak RSS of the whole run, and for the largest file (and a code-heavy one) its
#      peak RSS over that of an empty file, per source byte
#   3. instructions per source byte under callgrind for the fixed sample in bench/corpus.txt:
#      deterministic, the figure to watch for regressions
#   4. `BIN report --format json` and `BIN check` against `rg -c 'session\.query\('` on the
#      same .py files with the same threads (-j 2, then -j 1), over the standard library and
#      the python3-nova and python3-keystone Debian packages (apt-get download into
#      $CORPORA, cached, unpacked with dpkg-deb -x, never committed): best wall time of
#      each, the ratio report/rg (target: 5 or less) and the report's peak RSS; and, side by
#      side, ast-grep (tree-sitter, a tool that parses, like us) searching the structural
#      pattern `$S.query($$$A)` on the same files and threads: the ratio report/ast-grep
#      (ast-grep comes from the npm registry, @ast-grep/cli at a pinned version, installed
#      into build/npm; AST_GREP=PATH uses another binary; without npm the column says "-")
#   CORPORA=DIR  where the .deb files are downloaded and unpacked (default build/corpora)
set -u
[ $# -ge 1 ] || { echo "usage: bench.sh BIN" >&2; exit 2; }
BIN=$1
STDLIB=${STDLIB:-/usr/lib/python3.11}
RUNS=${RUNS:-3}
PARTS=${PARTS:-speed memory instructions report}
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=build/bench
mkdir -p "$OUT"

mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }

# timed_runs N CMD...: runs CMD N times; sets best and mean wall time (seconds, from the clock
# in nanoseconds) and rss (largest peak RSS in KiB, from /usr/bin/time). CMD's stderr is kept
# in $OUT/stderr. When CMD prints phase timings (SQLASYNC_TIMINGS=1), pbest is the least time
# (seconds) of its walk and read+parse phases: what parsing the files alone costs in that run.
timed_runs() {
    n=$1
    shift
    best=""
    pbest=""
    sum=0
    rss=0
    i=0
    while [ $i -lt "$n" ]; do
        t0=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$OUT/time" "$@" >/dev/null 2>"$OUT/stderr"
        rc=$?
        e=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
        m=$(tail -n 1 "$OUT/time")
        sum=$(awk -v a="$sum" -v b="$e" 'BEGIN { print a + b }')
        best=$(awk -v a="${best:-$e}" -v b="$e" 'BEGIN { print (b < a ? b : a) }')
        [ "$m" -gt "$rss" ] && rss=$m
        p=$(awk '/^timing: (walk|read\+parse) / { ms += $(NF - 1) } END { if (ms) printf "%.4f", ms / 1e3 }' \
            "$OUT/stderr")
        [ -n "$p" ] && pbest=$(awk -v a="${pbest:-$p}" -v b="$p" 'BEGIN { print (b < a ? b : a) }')
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

# ---- report and check against rg ------------------------------------------------------------
CORPORA=${CORPORA:-build/corpora}
RG_PATTERN='session\.query\('
SG_PATTERN='$S.query($$$A)'
SG_VERSION=0.51.1

# ast_grep: the ast-grep binary (AST_GREP, or installed from npm into build/npm), or "".
ast_grep() {
    if [ -n "${AST_GREP:-}" ]; then echo "$AST_GREP"; return; fi
    sg=build/npm/node_modules/.bin/ast-grep
    if [ ! -x "$sg" ] && command -v npm >/dev/null 2>&1; then
        npm install --no-audit --no-fund --silent --prefix build/npm "@ast-grep/cli@$SG_VERSION" \
            >"$OUT/npm.log" 2>&1 || echo "ast-grep: npm install failed (see $OUT/npm.log)" >&2
    fi
    [ -x "$sg" ] && "$sg" --version >/dev/null 2>&1 && echo "$sg"
}

# need_tool CMD PACKAGE: installs PACKAGE with apt-get (after apt-get update if the first try
# fails) when CMD is missing. Fails when it is still missing.
need_tool() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing $2 ($1 is missing)"
    apt-get install -y --no-install-recommends "$2" >"$OUT/apt.log" 2>&1 ||
        { apt-get update >>"$OUT/apt.log" 2>&1 &&
            apt-get install -y --no-install-recommends "$2" >>"$OUT/apt.log" 2>&1; }
    command -v "$1" >/dev/null 2>&1
}

# fetch_corpus NAME PACKAGE: prints the directory PACKAGE is unpacked into ($CORPORA/NAME),
# downloading the .deb (apt-get download, cached in $CORPORA) and unpacking it (dpkg-deb -x) if
# needed. Fails, saying why on stderr, when apt-get download fails.
fetch_corpus() {
    dir=$CORPORA/$1
    if [ ! -f "$dir/.unpacked" ]; then
        mkdir -p "$CORPORA"
        deb=$(find "$CORPORA" -maxdepth 1 -name "$2_*.deb" | head -n 1)
        if [ -z "$deb" ]; then
            if ! (cd "$CORPORA" && apt-get download "$2") >"$OUT/apt.log" 2>&1; then
                # the package lists may be missing or stale: one update, one more try
                apt-get update >>"$OUT/apt.log" 2>&1
                if ! (cd "$CORPORA" && apt-get download "$2") >>"$OUT/apt.log" 2>&1; then
                    echo "corpus $1: apt-get download $2 failed, skipped:" \
                        "$(tail -n 1 "$OUT/apt.log")" >&2
                    return 1
                fi
            fi
            deb=$(find "$CORPORA" -maxdepth 1 -name "$2_*.deb" | head -n 1)
        fi
        rm -rf "$dir"
        mkdir -p "$dir"
        dpkg-deb -x "$deb" "$dir" || { echo "corpus $1: dpkg-deb -x $deb failed, skipped" >&2; return 1; }
        : >"$dir/.unpacked"
    fi
    echo "$dir"
}

secs() { awk -v s="$1" 'BEGIN { printf "%.3f", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

# bench_corpus NAME DIR: times report, rg and check on DIR; adds lines to $OUT/summary.
bench_corpus() {
    name=$1
    dir=$2
    nfiles=$(find -L "$dir" -name '*.py' -type f | wc -l)
    nbytes=$(find -L "$dir" -name '*.py' -type f -print0 | xargs -0 cat | wc -c)
    # one untimed run (warms the page cache) to check the report sees the same files
    "$BIN" report --format json -j 2 "$dir" >"$OUT/report-$name.json" 2>"$OUT/stderr"
    seen=$(sed -n 's/^ *"python_files": \([0-9]*\).*/\1/p' "$OUT/report-$name.json" | head -n 1)
    echo "-- $name: $dir: $nfiles .py files, $(mb "$nbytes") MB (report sees ${seen:-?} files)"
    for j in 2 1; do
        timed_runs "$RUNS" env SQLASYNC_TIMINGS=1 "$BIN" report --format json -j "$j" "$dir"
        r_best=$best r_rss=$rss r_rc=$rc r_parse=${pbest:-0}
        timed_runs "$RUNS" rg -c "$RG_PATTERN" -j "$j" -t py --no-ignore --hidden -L "$dir"
        g_best=$best
        timed_runs "$RUNS" "$BIN" check -j "$j" "$dir"
        c_best=$best c_rss=$rss c_rc=$rc
        s_best=""
        if [ -n "$SG" ]; then
            timed_runs "$RUNS" "$SG" run -p "$SG_PATTERN" -l py -j "$j" --follow \
                --no-ignore hidden --no-ignore vcs "$dir"
            s_best=$best
        fi
        note=""
        [ "$r_rc" -ne 0 ] && note="report exit $r_rc"
        [ "$c_rc" -gt 1 ] && note="$note check exit $c_rc"
        rr=$(ratio "$r_best" "$g_best")
        pr=$(ratio "$r_parse" "$g_best")
        ra=$(ratio "$r_best" "$r_parse")
        printf -- '-j %s  report %7.3f s (exit %s, peak RSS %4d MB)  rg %6.3f s  ratio %5s' \
            "$j" "$r_best" "$r_rc" $((r_rss / 1024)) "$g_best" "$rr"
        printf '  (of which reading+parsing %.3f s: %sx rg)' "$r_parse" "$pr"
        printf '  check %7.3f s (exit %s, %d MB)\n' "$c_best" "$c_rc" $((c_rss / 1024))
        sg_s="-" rs="-"
        if [ -n "$s_best" ]; then
            sg_s=$(secs "$s_best")
            rs=$(ratio "$r_best" "$s_best")
            printf -- '       ast-grep %6.3f s: report / ast-grep = %s\n' "$s_best" "$rs"
        fi
        printf '%-9s %5d %7s %2s %8s %8s %6s %8s %6s %6s %8s %6s %8s %7s %s\n' "$name" "$nfiles" \
            "$(mb "$nbytes")" "$j" "$(secs "$r_best")" "$(secs "$g_best")" "$rr" \
            "$(secs "$r_parse")" "$pr" "$ra" "$sg_s" "$rs" "$(secs "$c_best")" \
            $((r_rss / 1024)) "$note" >>"$OUT/summary"
    done
}

# bench_scaling DIR...: the report over all corpora at once (symbolic links in one folder)
# against the sum of its runs over each: whole-program passes should stay near-linear.
bench_scaling() {
    [ $# -ge 2 ] || return 0
    combo=$OUT/combo
    rm -rf "$combo"
    mkdir -p "$combo"
    parts_sum=0 # (timed_runs sets sum)
    for d in "$@"; do
        ln -s "$(cd "$d" && pwd)" "$combo/$(basename "$d")"
        timed_runs "$RUNS" "$BIN" report --format json -j 2 "$d"
        parts_sum=$(awk -v a="$parts_sum" -v b="$best" 'BEGIN { print a + b }')
    done
    timed_runs "$RUNS" "$BIN" report --format json -j 2 "$combo"
    nfiles=$(find -L "$combo" -name '*.py' -type f | wc -l)
    echo "-- scaling: report -j 2 over the $# corpora at once ($nfiles files): $(secs "$best") s;" \
        "the sum of the separate runs: $(secs "$parts_sum") s; ratio $(awk -v a="$best" -v b="$parts_sum" 'BEGIN { printf "%.2f", a / b }')" \
        "(1.00 is linear)"
    rm -rf "$combo"
}

bench_report() {
    if ! "$BIN" help 2>/dev/null | grep -q '^ *report'; then
        echo "-- report: skipped (sqlasync report does not exist yet)"
        return
    fi
    need_tool rg ripgrep || { echo "-- report: skipped (ripgrep is missing)"; return; }
    echo "-- report --format json and check against rg -c '$RG_PATTERN' -t py --no-ignore" \
        "--hidden (best of $RUNS)"
    : >"$OUT/summary"
    SG=$(ast_grep)
    echo "-- ast-grep: ${SG:-not available} ${SG:+($("$SG" --version)), pattern '$SG_PATTERN'}"
    bench_corpus stdlib "$STDLIB"
    parts="$STDLIB"
    for pkg in python3-nova python3-keystone; do
        name=${pkg#python3-}
        if dir=$(fetch_corpus "$name" "$pkg"); then
            bench_corpus "$name" "$dir"
            parts="$parts $dir"
        fi
    done
    bench_scaling $parts
    echo "-- summary (seconds, best of $RUNS; ratio = report / rg, target <= 5; parse = the"
    echo "   walk and read+parse phases inside the report run, the floor for any tool that parses;"
    echo "   p/rg = parse / rg; r/p = report / parse; sg = ast-grep on the same files; r/sg ="
    echo "   report / ast-grep (below 1: the whole report is faster than one ast-grep search); RSS"
    echo "   of report)"
    printf '%-9s %5s %7s %2s %8s %8s %6s %8s %6s %6s %8s %6s %8s %7s\n' corpus files MB j report \
        rg ratio parse p/rg r/p sg r/sg check "RSS MB"
    cat "$OUT/summary"
}

# Time a copy of BIN: the build tree may be rebuilt while the benchmark runs.
cp "$BIN" "$OUT/sqlasync.bin" || exit 1
BIN=$OUT/sqlasync.bin

main() {
    echo "== bench: $("$BIN" version 2>/dev/null || echo "$BIN"), $(uname -m), $(nproc) cores," \
        "$(date -u +%Y-%m-%dT%H:%MZ)"
    case " $PARTS " in *" speed "* | *" memory "*) bench_speed ;; esac
    case " $PARTS " in *" memory "*) bench_memory ;; esac
    case " $PARTS " in *" instructions "*) bench_instructions ;; esac
    case " $PARTS " in *" report "*) bench_report ;; esac
}

[ -x /usr/bin/time ] || {
    echo "installing time (/usr/bin/time is missing)"
    apt-get install -y --no-install-recommends time >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends time >/dev/null 2>&1; }
} || { echo "bench: /usr/bin/time is missing (package time)" >&2; exit 1; }

main 2>&1 | tee "$OUT/results.txt"
echo "results: $OUT/results.txt"
