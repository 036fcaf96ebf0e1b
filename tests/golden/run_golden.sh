#!/bin/sh
# run_golden.sh: golden tests. Each suite is a directory tests/golden/<suite>/ holding cases
# <case>.py (or a directory <case>/ for multi-file inputs), their expected output
# <case>.expected, and optionally <case>.args (extra arguments, split on white space).
#
# usage: sh tests/golden/run_golden.sh BIN [SUITE | SUITE/CASE ...]
#   UPDATE=1    rewrite the .expected files from the actual output (review with git diff)
#   GOLDEN_TIMEOUT=SECONDS  per case (default 60)
#
# Commands run from inside the suite directory with relative paths, as
#   BIN <command words> <case.args words> <case>
# and what is compared depends on the capture mode of the suite:
#   out       stdout; the command must exit 0 and print nothing to stderr
#   out+exit  stdout, then a line "exit: N"
#   err+exit  stderr, then a line "exit: N"
#   script    the suite's own runner does everything (see the table)
# Prints each failing case with a short diff, then "golden: N passed, N failed".
set -u

# The suite table: one line per suite. To add a suite, add a line and create the directory.
#  suite        capture    command
SUITES='
tokens          out        parse --dump-tokens
ast             out        parse --dump
errors          err+exit   parse
findings        out+exit   check
findings_graph  out+exit   check
report_md       out        report
report_json     out        report --format json
graph           out        graph --format json
rewrite         script     tests/fix/run_rewrite_golden.sh
'
# Capture "script" hands the suite to its own runner, run as `sh SCRIPT BIN [CASE...]` from the
# repository root (rewrite fixes a copy of each case in place, then checks the file, that it
# parses and that a second fix changes nothing); its "NAME: N passed, N failed" line is added in.

usage() {
    echo "usage: sh tests/golden/run_golden.sh BIN [SUITE | SUITE/CASE ...]" >&2
    exit 2
}

[ $# -ge 1 ] || usage
BIN=$1
shift
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || { echo "run_golden.sh: $BIN is not an executable" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
TIMEOUT=${GOLDEN_TIMEOUT:-60}
UPDATE=${UPDATE:-0}
passed=0
failed=0

# selected SUITE CASE: is this case asked for on the command line (or is nothing asked for)?
selected() {
    [ -z "$FILTER" ] && return 0
    for f in $FILTER; do
        [ "$f" = "$1" ] || [ "$f" = "$1/$2" ] && return 0
    done
    return 1
}
FILTER="$*"

fail() {
    failed=$((failed + 1))
    echo "FAIL golden/$1: $2"
}

# run_case CAPTURE CASEFILE COMMAND...: writes the captured output to $TMP/actual.
# Runs in the suite directory (the caller cds there).
run_case() {
    capture=$1
    input=$2
    shift 2
    "$@" "$input" >"$TMP/stdout" 2>"$TMP/stderr" </dev/null
    status=$?
    case "$capture" in
        out) cp "$TMP/stdout" "$TMP/actual" ;;
        out+exit) { cat "$TMP/stdout"; echo "exit: $status"; } >"$TMP/actual" ;;
        err+exit) { cat "$TMP/stderr"; echo "exit: $status"; } >"$TMP/actual" ;;
        *) echo "run_golden.sh: unknown capture mode '$capture'" >&2; exit 2 ;;
    esac
}

# check_case SUITE NAME CAPTURE INPUT COMMAND...
check_case() {
    suite=$1
    name=$2
    capture=$3
    input=$4
    shift 4
    args=""
    [ -f "$name.args" ] && args=$(cat "$name.args")
    # shellcheck disable=SC2086 # the .args words are split on purpose
    run_case "$capture" "$input" timeout "$TIMEOUT" "$BIN" "$@" $args
    if [ "$capture" = out ] && { [ "$status" -ne 0 ] || [ -s "$TMP/stderr" ]; }; then
        fail "$suite/$name" "exit status $status, stderr:"
        head -n 5 "$TMP/stderr" | sed 's/^/    /'
        return
    fi
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$TMP/stderr"; then
        fail "$suite/$name" "sanitizer report:"
        head -n 20 "$TMP/stderr" | sed 's/^/    /'
        return
    fi
    if [ "$UPDATE" = 1 ]; then
        cmp -s "$TMP/actual" "$name.expected" || {
            cp "$TMP/actual" "$name.expected"
            echo "updated golden/$suite/$name.expected"
        }
        passed=$((passed + 1))
    elif [ ! -f "$name.expected" ]; then
        fail "$suite/$name" "no $name.expected (create it with UPDATE=1 and review it)"
    elif cmp -s "$TMP/actual" "$name.expected"; then
        passed=$((passed + 1))
    else
        fail "$suite/$name" "output differs (- expected, + actual):"
        diff -u "$name.expected" "$TMP/actual" | sed -n '3,22p' | sed 's/^/    /'
    fi
}

# run_script SUITE SCRIPT: runs a suite's own runner on the selected cases and adds its counts.
run_script() {
    cases=""
    if [ -n "$FILTER" ]; then
        whole=0
        for f in $FILTER; do
            [ "$f" = "$1" ] && whole=1
            case "$f" in "$1"/*) cases="$cases ${f#*/}" ;; esac
        done
        [ "$whole" = 1 ] && cases=""
        [ "$whole" = 0 ] && [ -z "$cases" ] && return
    fi
    # shellcheck disable=SC2086 # $cases is a list of case names
    (cd "$ROOT" && sh "$2" "$BIN" $cases) >"$TMP/script" 2>&1
    rc=$?
    grep -v -E "^$1: [0-9]+ passed, [0-9]+ failed\$" "$TMP/script"
    line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed\$" "$TMP/script" | tail -n 1)
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.*passed, \([0-9]*\) failed/\1/p')
    [ -n "$line" ] || f=1
    [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    [ "$rc" -eq 0 ] || echo "FAIL golden/$1: $2 exited with status $rc"
}

# suite_line SUITE CAPTURE COMMAND...: runs every selected case of one suite.
suite_line() {
    suite=$1
    capture=$2
    shift 2
    [ -d "$HERE/$suite" ] || return 0
    if [ "$capture" = script ]; then
        run_script "$suite" "$1"
        return
    fi
    cd "$HERE/$suite" || exit 2
    for input in *; do
        case "$input" in
            *.py) name=${input%.py} ;;
            *.expected | *.args | *.md | *.txt) continue ;;
            *) [ -d "$input" ] || continue; name=$input ;;
        esac
        selected "$suite" "$name" || continue
        check_case "$suite" "$name" "$capture" "$input" "$@"
        cd "$HERE/$suite" || exit 2
    done
    for exp in *.expected; do
        [ -f "$exp" ] || continue
        name=${exp%.expected}
        [ -e "$name.py" ] || [ -d "$name" ] || echo "note: golden/$suite/$exp has no case"
    done
}

TABLE=$(printf '%s\n' "$SUITES" | sed -e '/^[[:space:]]*$/d' -e '/^[[:space:]]*#/d')
while read -r suite capture cmd; do
    # shellcheck disable=SC2086 # the command words are split on purpose
    suite_line "$suite" "$capture" $cmd
done <<TABLE_END
$TABLE
TABLE_END

# A suite directory without a table line is not run: say so.
for d in "$HERE"/*/; do
    d=$(basename "$d")
    printf '%s\n' "$TABLE" | grep -q "^${d}[[:space:]]" ||
        echo "note: tests/golden/$d/ has no line in the suite table of run_golden.sh (not run)"
done

echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
