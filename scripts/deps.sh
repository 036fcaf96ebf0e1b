#!/bin/sh
# deps.sh: install the Debian 12 packages a make target needs, only those that are missing.
#
# usage: sh scripts/deps.sh GROUP|PACKAGE...
#   groups: build (compile sqlasync), test (make test, make asan, make fuzz, CI lint),
#           bench (make bench)
# Checks each package with dpkg-query; if any is missing it runs `apt-get update` once, then
# `apt-get install -y --no-install-recommends` of the missing ones (as root). Does nothing, and
# needs no root, when everything is already installed. Never removes or upgrades anything.
set -eu

group_build="gcc libc6-dev make"
# clang + libclang-rt-14-dev: make asan and make fuzz (ASan, UBSan, libFuzzer runtimes).
# python3 + libpython3.11-stdlib: the differential test and the stdlib corpus. valgrind: leak
# and callgrind checks. time: /usr/bin/time -v (peak memory). clang-format, clang-tidy: CI lint.
group_test="$group_build clang libclang-rt-14-dev python3 libpython3.11-stdlib valgrind time \
clang-format clang-tidy"
group_bench="$group_build python3 libpython3.11-stdlib valgrind time ripgrep"

want=""
for arg in "$@"; do
    case "$arg" in
        build) want="$want $group_build" ;;
        test) want="$want $group_test" ;;
        bench) want="$want $group_bench" ;;
        *) want="$want $arg" ;;
    esac
done

missing=""
for p in $want; do
    case " $missing " in *" $p "*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing packages:$missing; run as root (or: apt-get install$missing)" >&2
    exit 1
fi
echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends $missing >&2
