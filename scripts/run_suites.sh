#!/bin/sh
# run_suites.sh: runs test suites one after another, even when one fails, and adds up their
# closing "NAME: N passed, N failed" lines (make test).
#
# usage: sh scripts/run_suites.sh LOGDIR "MAKE COMMAND" SUITE...
# Each suite runs as `MAKE COMMAND SUITE`; its output is shown and kept in LOGDIR/SUITE.log. A
# suite that exits non-zero counts at least one failure, even if its line says otherwise (or it
# printed none). Ends with "total: N passed, N failed"; exits 1 if anything failed.
set -u
[ $# -ge 2 ] || { echo "usage: run_suites.sh LOGDIR 'MAKE' SUITE..." >&2; exit 2; }
logdir=$1
make=$2
shift 2
mkdir -p "$logdir"
total_p=0
total_f=0
recap=""
for s in "$@"; do
    echo "==== $s"
    # shellcheck disable=SC2086 # $make is a command with arguments
    { $make "$s"; echo $? >"$logdir/$s.rc"; } 2>&1 | tee "$logdir/$s.log"
    rc=$(cat "$logdir/$s.rc")
    line=$(grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$logdir/$s.log" | tail -n 1)
    p=$(printf '%s\n' "$line" | sed -n 's/^[^:]*: \([0-9]*\) passed.*/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/^[^:]*: [0-9]* passed, \([0-9]*\) failed.*/\1/p')
    p=${p:-0}
    f=${f:-0}
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    total_p=$((total_p + p))
    total_f=$((total_f + f))
    status=ok
    [ "$rc" -ne 0 ] && status="FAILED (exit $rc)"
    recap="$recap$(printf '  %-14s %6d passed, %4d failed  %s' "$s" "$p" "$f" "$status")
"
done
echo "==== summary"
printf '%s' "$recap"
echo "total: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
