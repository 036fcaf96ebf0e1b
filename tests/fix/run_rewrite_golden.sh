#!/bin/sh
# run_rewrite_golden.sh: the rewrite golden suite, tests/golden/rewrite/<case>.py + .expected.
#
# usage: sh tests/fix/run_rewrite_golden.sh BIN [CASE...]
#   UPDATE=1  rewrite the .expected files (review with git diff)
# Each case is copied to a temporary folder and fixed in place with
#   BIN fix --select SA101,SA102,SA103 --unsafe-fixes <case>.py
# then the file must equal <case>.expected, parse with python3's ast, and a second
# `fix --diff` over it must change nothing (exit 0).
# Prints failures, then "rewrite: N passed, N failed".
set -u
[ $# -ge 1 ] || { echo "usage: sh tests/fix/run_rewrite_golden.sh BIN [CASE...]" >&2; exit 2; }
BIN=$1
shift
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
HERE=$(cd "$(dirname "$0")/../golden/rewrite" && pwd)
PY=${PYTHON:-/usr/bin/python3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
passed=0
failed=0
fail() { failed=$((failed + 1)); echo "FAIL rewrite/$1: $2"; }

for input in "$HERE"/*.py; do
    name=$(basename "$input" .py)
    if [ $# -gt 0 ]; then
        want=0
        for c in "$@"; do [ "$c" = "$name" ] && want=1; done
        [ $want = 1 ] || continue
    fi
    rm -rf "$TMP/case" && mkdir "$TMP/case"
    cp "$input" "$TMP/case/$name.py"
    (cd "$TMP/case" && "$BIN" fix --select SA101,SA102,SA103 --unsafe-fixes "$name.py") \
        >"$TMP/out" 2>"$TMP/err"
    status=$?
    if [ $status -ne 0 ]; then
        fail "$name" "exit status $status"; sed 's/^/    /' "$TMP/err" | head -5; continue
    fi
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$TMP/err"; then
        fail "$name" "sanitizer report"; head -20 "$TMP/err"; continue
    fi
    if [ "${UPDATE:-0}" = 1 ]; then
        cmp -s "$TMP/case/$name.py" "$HERE/$name.expected" ||
            { cp "$TMP/case/$name.py" "$HERE/$name.expected"; echo "updated rewrite/$name.expected"; }
    elif [ ! -f "$HERE/$name.expected" ]; then
        fail "$name" "no $name.expected (create it with UPDATE=1 and review it)"; continue
    elif ! cmp -s "$TMP/case/$name.py" "$HERE/$name.expected"; then
        fail "$name" "output differs (- expected, + actual):"
        diff -u "$HERE/$name.expected" "$TMP/case/$name.py" | sed -n '3,30p' | sed 's/^/    /'
        continue
    fi
    if ! "$PY" -c 'import ast, sys; ast.parse(open(sys.argv[1], "rb").read())' \
        "$TMP/case/$name.py" 2>"$TMP/err"; then
        fail "$name" "rewritten file does not parse with python3"; cat "$TMP/err"; continue
    fi
    (cd "$TMP/case" && "$BIN" fix --diff --select SA101,SA102,SA103 --unsafe-fixes "$name.py") \
        >"$TMP/out2" 2>&1
    if [ $? -ne 0 ]; then
        fail "$name" "a second run would change the file:"; head -20 "$TMP/out2"; continue
    fi
    passed=$((passed + 1))
done
echo "rewrite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
