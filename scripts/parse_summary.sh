#!/bin/sh
# parse_summary.sh: the main job until `sqlasync report` exists: parses every .py file under DIR
# in one `sqlasync parse` run and prints a one-line summary (errors, if any, before it).
#
# usage: sh scripts/parse_summary.sh BIN DIR
# Exits with sqlasync's status: 0 all parsed, 1 syntax errors, 3 unreadable files.
set -u
BIN=$1
DIR=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
find "$DIR" -name '*.py' -type f | LC_ALL=C sort >"$TMP/files"
nfiles=$(wc -l <"$TMP/files")
if [ "$nfiles" -eq 0 ]; then
    echo "sqlasync parse: no .py files under $DIR"
    exit 0
fi
nlines=$(tr '\n' '\0' <"$TMP/files" | xargs -0 cat | wc -l)
nbytes=$(tr '\n' '\0' <"$TMP/files" | xargs -0 cat | wc -c)
start=$(date +%s%N)
tr '\n' '\0' <"$TMP/files" | xargs -0 -n 100000 "$BIN" parse 2>"$TMP/err"
status=$?
ms=$((($(date +%s%N) - start) / 1000000))
# xargs reports 123 when a command exits 1-125, so count the files named by the messages:
# "path:line:col: message" is a syntax error, "path: message" an unreadable file.
msgs() {
    awk -v dir="$DIR/" -v re="$1" 'index($0, dir) == 1 && substr($0, length(dir) + 1) ~ re' \
        "$TMP/err" | sed 's/\.py:.*/.py/' | sort -u | wc -l
}
bad=$(msgs '^[^:]*:[0-9]+:[0-9]+: ')
unreadable=$(msgs '^[^:]*: ')
if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] && [ "$unreadable" -eq 0 ]; then
    cat "$TMP/err"
    echo "sqlasync parse $DIR: failed (status $status) without naming a file"
    exit 2
fi
head -n 20 "$TMP/err"
[ "$(wc -l <"$TMP/err")" -gt 20 ] && echo "... (more in the full run: $BIN parse FILES)"
echo "sqlasync parse $DIR: $nfiles files, $nlines lines, $((nbytes / 1024)) KiB in $ms ms:" \
    "$((nfiles - bad - unreadable)) parsed, $bad with syntax errors, $unreadable unreadable"
if [ "$unreadable" -gt 0 ]; then exit 3; fi
if [ "$bad" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
exit 0
