#!/usr/bin/env bash
# corpora.sh: `sqlasync fix` on real code (issue 5, item 6).
#
# usage: tests/fix/corpora.sh BIN [PACKAGE...]    (default: python3-nova python3-keystone
#                                                  python3-neutron)
# Each Debian package is fetched once with `apt-get download` into build/corpora/ and unpacked
# with `dpkg-deb -x` (nothing of it is committed). Its Python tree is copied to
# build/corpora/work/<package>/ and fixed in place with
#     BIN fix --select SA101,SA102,SA103 --unsafe-fixes <copy>
# Then every changed file must still parse with python3's ast, and a second `fix --diff` must
# change nothing. Prints, per package: files changed, chains converted, chains left manual (with
# the most common reasons); then "corpora: N passed, N failed" (three checks per package).
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: tests/fix/corpora.sh BIN [PACKAGE...]" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN=$1
shift
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
PKGS=("$@")
[ ${#PKGS[@]} -gt 0 ] || PKGS=(python3-nova python3-keystone python3-neutron)
PY=/usr/bin/python3
DIR="$ROOT/build/corpora"
mkdir -p "$DIR/debs" "$DIR/src" "$DIR/work"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   corpora/$1"; }
ko() { failed=$((failed + 1)); echo "FAIL corpora/$1"; }

fetch() { # fetch PKG: unpacks PKG into $DIR/src/PKG once
    local pkg=$1
    [ -d "$DIR/src/$pkg" ] && return 0
    if ! ls "$DIR/debs/${pkg}_"*.deb >/dev/null 2>&1; then
        (cd "$DIR/debs" && apt-get download "$pkg" >&2) || return 1
    fi
    rm -rf "$DIR/src/$pkg.tmp"
    dpkg-deb -x "$(ls "$DIR/debs/${pkg}_"*.deb | tail -n 1)" "$DIR/src/$pkg.tmp" || return 1
    mv "$DIR/src/$pkg.tmp" "$DIR/src/$pkg"
}

parses() { # parses FILE...: every file parses with python3's ast
    "$PY" -c 'import ast, sys
bad = 0
for p in sys.argv[1:]:
    try:
        ast.parse(open(p, "rb").read(), p)
    except (SyntaxError, ValueError) as e:
        print(f"  does not parse: {p}: {e}"); bad += 1
sys.exit(1 if bad else 0)' "$@"
}

one() { # one PKG
    local pkg=$1 tree copy log
    if ! fetch "$pkg"; then ko "$pkg: cannot fetch"; return; fi
    tree="$DIR/src/$pkg/usr/lib/python3/dist-packages"
    [ -d "$tree" ] || tree="$DIR/src/$pkg"
    copy="$DIR/work/$pkg"
    rm -rf "$copy" && mkdir -p "$copy" && cp -R "$tree/." "$copy/"
    log="$DIR/work/$pkg.log"
    local start end
    start=$(date +%s.%N)
    "$BIN" fix --select SA101,SA102,SA103 --unsafe-fixes "$copy" 2>"$log" >/dev/null
    local rc=$?
    end=$(date +%s.%N)
    # exit 3 is expected when the tree holds files our parser rejects (Python 2 leftovers)
    if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then ok "$pkg: fix ran (exit $rc)"; else ko "$pkg: fix exit $rc"; fi
    mapfile -t changed < <(diff -rq "$tree" "$copy" 2>/dev/null | sed -n 's/^Files .* and \(.*\) differ$/\1/p')
    if [ ${#changed[@]} -eq 0 ] || parses "${changed[@]}"; then
        ok "$pkg: ${#changed[@]} changed files parse with python3 ast"
    else
        ko "$pkg: a changed file does not parse"
    fi
    if "$BIN" fix --diff --select SA101,SA102,SA103 --unsafe-fixes "$copy" >"$DIR/work/$pkg.diff2" 2>/dev/null; then
        ok "$pkg: a second run changes nothing"
    else
        ko "$pkg: a second run would change $(grep -c '^+++ ' "$DIR/work/$pkg.diff2") files"
    fi
    echo "  $pkg: $(grep -E '^(would )?fixed? ' "$log" | tail -n 1)"
    printf '  %s: files changed %d; time %.2fs\n' "$pkg" "${#changed[@]}" "$(echo "$end - $start" | bc)"
    echo "  $pkg: chains left manual, by reason:"
    sed -n 's/.* not fixed (manual): //p' "$log" | sed "s/'[^']*'/'…'/g; s/line [0-9]*/line N/g" |
        sort | uniq -c | sort -rn | head -n 12 | sed 's/^/    /'
    local errs
    errs=$(grep -c -E ':[0-9]+:[0-9]+: (expected|invalid|unexpected|unterminated|too)' "$log")
    [ "$errs" -gt 0 ] && echo "  $pkg: $errs files our parser rejected (see $log)"
}

for pkg in "${PKGS[@]}"; do
    one "$pkg"
done
echo "corpora: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
