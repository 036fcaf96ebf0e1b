#!/bin/sh
# Differential test of our AST dump against CPython's ast module (see tests/diff/diffast.py).
# Usage: sh tests/diff/run_diff.sh build/sqlasync
# Needs Debian's /usr/bin/python3 (3.11) and its stdlib; installs them with apt-get if missing.
# Writes build/diff/report.txt; the last line is "diff: N passed, N failed"; exit 1 on failure.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-build/sqlasync}
PY=/usr/bin/python3
cd "$ROOT" || exit 2

stdlib_ok() {
    [ -x "$PY" ] && "$PY" -c 'import os, sysconfig, sys
d = sysconfig.get_paths()["stdlib"]
sys.exit(0 if os.path.isfile(os.path.join(d, "os.py")) and os.path.isfile(os.path.join(d, "ast.py")) else 1)' \
        2>/dev/null
}

if ! stdlib_ok; then
    echo "run_diff.sh: installing python3 and libpython3.11-stdlib with apt-get" >&2
    apt-get update >&2 && apt-get install -y python3 libpython3.11-stdlib >&2
    if ! stdlib_ok; then
        echo "run_diff.sh: $PY or its stdlib is missing and could not be installed" >&2
        echo "diff: 0 passed, 1 failed"
        exit 1
    fi
fi
if [ ! -x "$BIN" ]; then
    echo "run_diff.sh: $BIN not built (run make)" >&2
    echo "diff: 0 passed, 1 failed"
    exit 1
fi

STDLIB=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
exec "$PY" tests/diff/diffast.py --bin "$BIN" --stdlib "$STDLIB" --cases tests/diff/cases \
    --golden tests/golden \
    --exceptions tests/diff/exceptions.txt --out build/diff --jobs 2
