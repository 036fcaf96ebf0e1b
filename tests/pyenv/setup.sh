#!/usr/bin/env bash
# Prepare the Python environment used to run the bundled example application's test suite
# (examples/) on a Debian 12 (bookworm) machine, as root.
#
#  * Debian 12 packages: pytest, pytest-asyncio, greenlet, fastapi (installed with apt-get).
#  * Debian 13 (trixie) packages: python3-sqlalchemy (2.0.x), python3-typing-extensions and
#    python3-aiosqlite, fetched with `apt-get download` through a private apt configuration and
#    extracted with `dpkg-deb -x` into build/pydeps/ (the machine's apt setup is not changed).
#
# The trixie archive entry is derived at run time from the machine's own apt sources: no
# archive host name is written here.  Idempotent: work already done is skipped.
# Prints the PYTHONPATH to use on its last line of standard output.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
PYDEPS="$BUILD/pydeps"
SITE="$PYDEPS/usr/lib/python3/dist-packages"
PY=/usr/bin/python3
TARGET_SUITE="${SQLASYNC_PYDEPS_SUITE:-trixie}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { echo "setup.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ -x "$PY" ] || die "$PY not found (a Debian python3 is required)"

# ---------------------------------------------------------------------------------------------
# 1. Debian 12 packages
# ---------------------------------------------------------------------------------------------
APT_PKGS=(python3-pytest python3-pytest-asyncio python3-greenlet python3-fastapi)
missing=()
for p in "${APT_PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "must run as root to install: ${missing[*]}"
    need_update=0
    for p in "${missing[@]}"; do
        cand="$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')"
        if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then need_update=1; fi
    done
    if [ "$need_update" -eq 1 ]; then
        log "apt-get update"
        apt-get update -q >&2
    fi
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# ---------------------------------------------------------------------------------------------
# 2. Debian 13 packages into build/pydeps (skipped when SQLAlchemy 2.x is already there)
# ---------------------------------------------------------------------------------------------
have_sqla2() {
    [ -d "$SITE/sqlalchemy" ] || return 1
    PYTHONPATH="$SITE" "$PY" -c \
        'import sys, sqlalchemy, typing_extensions, aiosqlite; sys.exit(0 if sqlalchemy.__version__.startswith("2.") else 1)' \
        >/dev/null 2>&1
}

# Print "URI" of the machine's main Debian archive (not the security archive).
derive_archive_uri() {
    local f uri=""
    # deb822 format
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri="$(awk '
            BEGIN { RS = ""; FS = "\n" }          # one stanza per record
            {
                uris = ""; suites = ""; enabled = 1
                for (i = 1; i <= NF; i++) {
                    line = $i
                    if (line ~ /^[ \t]*#/) continue
                    if (tolower(line) ~ /^uris:/)    { sub(/^[^:]*:[ \t]*/, "", line); uris = line }
                    if (tolower(line) ~ /^suites:/)  { sub(/^[^:]*:[ \t]*/, "", line); suites = line }
                    if (tolower(line) ~ /^enabled:[ \t]*no/) enabled = 0
                    if (tolower(line) ~ /^types:/ && line !~ /[ \t]deb([ \t]|$)/) enabled = 0
                }
                if (!enabled || uris == "") next
                n = split(suites, s, /[ \t]+/)
                plain = 0
                for (j = 1; j <= n; j++) if (s[j] != "" && s[j] !~ /-(security|updates|backports|proposed-updates)$/ && s[j] !~ /\//) plain = 1
                if (plain) { split(uris, u, /[ \t]+/); print u[1]; exit }
            }' "$f")"
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    # one-line format
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        uri="$(awk '
            /^[ \t]*deb[ \t]/ {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
                u = $i; s = $(i + 1)
                if (s !~ /-(security|updates|backports|proposed-updates)$/ && s !~ /\// && u ~ /debian\/?$/) { print u; exit }
            }' "$f")"
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    return 1
}

if have_sqla2; then
    log "build/pydeps already has SQLAlchemy 2.x; nothing to fetch"
else
    command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
    ARCHIVE_URI="$(derive_archive_uri)" || die "could not derive the Debian archive URI from /etc/apt sources"
    log "deriving the $TARGET_SUITE entry from the machine's archive: $ARCHIVE_URI"

    APTDIR="$BUILD/apt-$TARGET_SUITE"
    mkdir -p "$APTDIR/etc/sources.list.d" "$APTDIR/etc/preferences.d" "$APTDIR/lists/partial" \
        "$APTDIR/cache/archives/partial" "$APTDIR/debs"
    SRC="$APTDIR/etc/sources.list"
    if [ -f "$KEYRING" ]; then
        echo "deb [signed-by=$KEYRING] $ARCHIVE_URI $TARGET_SUITE main" >"$SRC"
    else
        echo "deb $ARCHIVE_URI $TARGET_SUITE main" >"$SRC"
    fi
    APT_OPTS=(
        -o "Dir::Etc::sourcelist=$SRC"
        -o "Dir::Etc::sourceparts=-"
        -o "Dir::Etc::preferences=$APTDIR/etc/preferences"
        -o "Dir::Etc::preferencesparts=$APTDIR/etc/preferences.d"
        -o "Dir::State::Lists=$APTDIR/lists"
        -o "Dir::Cache=$APTDIR/cache"
        -o "APT::Sandbox::User=root"
        -o "Acquire::Languages=none"
        -o "APT::Get::List-Cleanup=0"
    )
    log "apt-get update (private lists for $TARGET_SUITE)"
    apt-get "${APT_OPTS[@]}" update -q >&2 || die "apt-get update of the private $TARGET_SUITE lists failed"

    DL_PKGS=(python3-sqlalchemy python3-typing-extensions python3-aiosqlite)
    rm -f "$APTDIR/debs"/*.deb
    (cd "$APTDIR/debs" && apt-get "${APT_OPTS[@]}" download "${DL_PKGS[@]}" >&2) \
        || die "apt-get download ${DL_PKGS[*]} failed"

    rm -rf "$PYDEPS.tmp"
    mkdir -p "$PYDEPS.tmp"
    for deb in "$APTDIR/debs"/*.deb; do
        log "extracting $(basename "$deb")"
        dpkg-deb -x "$deb" "$PYDEPS.tmp"
    done
    rm -rf "$PYDEPS"
    mv "$PYDEPS.tmp" "$PYDEPS"
    have_sqla2 || die "SQLAlchemy 2.x not importable from $SITE after extraction"
fi

ver="$(PYTHONPATH="$SITE" "$PY" -c 'import sqlalchemy; print(sqlalchemy.__version__)')"
log "SQLAlchemy $ver from $SITE"
echo "PYTHONPATH=$SITE"
