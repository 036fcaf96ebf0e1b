#!/usr/bin/env bash
# run_example_proof.sh: `sqlasync fix` proved on a running application (issue 5, item 4).
#
# usage: tests/fix/run_example_proof.sh BIN
# Copies examples/ to a temporary folder, runs its test suite (SQLite, SQLAlchemy 2.0, through
# tests/pyenv/run_examples.sh), runs
#     BIN fix COPY
# (every rule with an automatic fix: the SA101-SA103 Query chains and the one-edit fixes SA105,
# SA107, SA305, SA403), checks that every rewritten file parses with python3's ast, that `check`
# finds no finding left with a safe fix, and that a second `fix --diff` changes nothing; then runs the
# suite again. When `--unsafe-fixes` would change more, that pass is applied and proved the same
# way (suite run a third time). Every step is one test; prints "fix-proof: N passed, N failed".
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: tests/fix/run_example_proof.sh BIN" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN=$1
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
COPY="$TMP/examples"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   fix-proof: $1"; }
ko() { failed=$((failed + 1)); echo "FAIL fix-proof: $1"; }
step() { # step NAME COMMAND...: one test, output shown on failure
    local name=$1
    shift
    if "$@" >"$TMP/log" 2>&1; then ok "$name"; else ko "$name"; tail -n 30 "$TMP/log" | sed 's/^/    /'; fi
}

suite() { bash "$ROOT/tests/pyenv/run_examples.sh" "$COPY" -x; }

parses() {
    find "$COPY" -name '*.py' -print0 |
        xargs -0 "$PY" -c 'import ast, sys
bad = 0
for p in sys.argv[1:]:
    try:
        ast.parse(open(p, "rb").read(), p)
    except SyntaxError as e:
        print(p, e); bad += 1
sys.exit(1 if bad else 0)'
}

# no_fixable KINDS: check finds no finding whose fix is one of KINDS ("safe" ...)
no_fixable() {
    "$BIN" check --format json "$COPY" >"$TMP/check.json"
    "$PY" - "$TMP/check.json" "$@" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
kinds = set(sys.argv[2:])
left = [f for f in data["findings"] if f["fix"] in kinds]
for f in left:
    print(f'{f["path"]}:{f["line"]}:{f["column"]}: {f["code"]} ({f["fix"]}) {f["message"]}')
manual = [f for f in data["findings"] if f["fix"] == "manual"]
print(f"left: {len(left)} fixable ({', '.join(sorted(kinds))}), {len(manual)} manual")
sys.exit(1 if left else 0)
PY
}

fix_pass() { # fix_pass LABEL [FLAGS...]
    local label=$1
    shift
    if "$BIN" fix "$@" "$COPY" 2>"$TMP/fix.err"; then
        ok "$label: sqlasync fix $*"
    else
        ko "$label: sqlasync fix exit status $?"
    fi
    tail -n 1 "$TMP/fix.err" | sed 's/^/    /'
    step "$label: every file still parses with python3 ast" parses
    step "$label: a second run changes nothing" "$BIN" fix --diff "$@" "$COPY"
}

cp -R "$ROOT/examples" "$COPY"
find "$COPY" -name __pycache__ -prune -exec rm -rf {} +
step "suite passes on the original copy" suite
fix_pass "safe" 
step "safe: no finding with a safe fix left" no_fixable safe
step "safe: suite passes after the rewrite" suite
if ! "$BIN" fix --diff --unsafe-fixes "$COPY" >/dev/null 2>&1; then
    fix_pass "unsafe" --unsafe-fixes
    step "unsafe: no finding with a safe or unsafe fix left" no_fixable safe unsafe
    step "unsafe: suite passes after the rewrite" suite
fi
echo "fix-proof: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
