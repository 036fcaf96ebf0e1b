#!/usr/bin/env bash
# Run the example application's test suite with Debian's python3 and the dependencies prepared
# by setup.sh.
#
# usage: tests/pyenv/run_examples.sh [DIR] [pytest args...]
#   DIR defaults to examples/ in this repository; it may be any copy of it (for example a tree
#   rewritten by `sqlasync fix`).  Exits with pytest's status (non-zero on failure).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$ROOT/examples}"
[ "$#" -gt 0 ] && shift
[ -d "$DIR" ] || { echo "run_examples.sh: no such directory: $DIR" >&2; exit 2; }
DIR="$(cd "$DIR" && pwd)"

"$ROOT/tests/pyenv/setup.sh" >/dev/null
SITE="$ROOT/build/pydeps/usr/lib/python3/dist-packages"

cd "$DIR"
export PYTHONPATH="$SITE:$DIR${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
# -p no:cacheprovider: leave no .pytest_cache in the tree under test.
exec /usr/bin/python3 -m pytest -q -p no:cacheprovider "$@"
