#!/bin/sh
# run_robust.sh: hostile and extreme inputs for `sqlasync parse` (make robust, part of make test).
#
# usage: sh tests/robust/run_robust.sh BIN [WORKDIR]
#   WORKDIR (default build/robust) receives the generated inputs; nothing here is committed.
#   TIME_SCALE=N multiplies every time limit (make asan sets it: sanitized builds are slower).
#
# Every case must end with an allowed exit status (never a signal, a sanitizer report or a
# time-out), and a failing run's first line of stderr must read "path:line:col: message" or
# "path: message". Some cases also pin words of the message ("too deeply nested").
# Prints failures, then "robust: N passed, N failed".
set -u
[ $# -ge 1 ] || { echo "usage: run_robust.sh BIN [WORKDIR]" >&2; exit 2; }
BIN=$1
W=${2:-build/robust}
SCALE=${TIME_SCALE:-1}
LIMIT=$((10 * SCALE)) # seconds, per run
GEN_VERSION=1         # bump when a generator below changes
mkdir -p "$W"
passed=0
failed=0

fail() {
    failed=$((failed + 1))
    echo "FAIL robust/$1: $2"
    [ -s "$W/stderr" ] && head -n 8 "$W/stderr" | cut -c1-200 | sed 's/^/    /'
}

# form_ok PATH LINE: does LINE read "PATH:line:col: message" or "PATH: message"?
form_ok() {
    rest=${2#"$1":}
    [ "$rest" != "$2" ] || return 1
    printf '%s\n' "$rest" | grep -Eq '^([0-9]+:[0-9]+:)? [^ ].*'
}

# run NAME "ALLOWED EXITS" PATTERN FILE [OPTION]: runs `BIN parse [OPTION] FILE` and checks it.
# PATTERN is an extended regex the first stderr line must match ("" for none).
run() {
    name=$1
    allowed=$2
    pattern=$3
    file=$4
    shift 4
    start=$(date +%s%N)
    timeout -s KILL "$LIMIT" "$BIN" parse "$@" "$file" >/dev/null 2>"$W/stderr" </dev/null
    status=$?
    elapsed_ms=$((($(date +%s%N) - start) / 1000000))
    label="$name${1:+ $1}"
    first=$(head -n 1 "$W/stderr")
    if [ "$status" -eq 137 ] && [ "$elapsed_ms" -ge $((LIMIT * 1000)) ]; then
        fail "$label" "took longer than ${LIMIT}s"
    elif [ "$status" -gt 128 ]; then
        fail "$label" "killed by signal $((status - 128))"
    elif grep -q -e 'Sanitizer' -e 'runtime error:' "$W/stderr"; then
        fail "$label" "sanitizer report (exit $status)"
    elif ! printf ' %s ' "$allowed" | grep -q " $status "; then
        fail "$label" "exit status $status, expected one of: $allowed"
    elif [ "$status" -eq 0 ] && [ -s "$W/stderr" ]; then
        fail "$label" "exit status 0 but stderr is not empty"
    elif [ "$status" -ne 0 ] && ! form_ok "$file" "$first"; then
        fail "$label" "message is not 'path:line:col: message' or 'path: message'"
    elif [ "$status" -ne 0 ] && [ -n "$pattern" ] &&
        ! printf '%s\n' "$first" | grep -Eq "$pattern"; then
        fail "$label" "message does not match /$pattern/"
    else
        passed=$((passed + 1))
    fi
}

# all_modes NAME "PARSE EXITS" "TOKEN EXITS" PATTERN FILE: parse, parse --dump, parse --dump-tokens
# (PATTERN is checked for the parse modes only).
all_modes() {
    run "$1" "$2" "$4" "$5"
    run "$1" "$2" "$4" "$5" --dump
    run "$1" "$3" "" "$5" --dump-tokens
}

# ---- generators (printf octal escapes are POSIX; \x is not) ---------------------------------

# repeat N STRING: STRING N times, no newline.
repeat() {
    awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

gen_small() {
    : >"$W/empty.py"
    printf '# one comment\n   # an indented comment\n\n#!/not/a/shebang\n# last, no newline' \
        >"$W/comments_only.py"
    printf '\n\n   \n\t\n\014\n  ' >"$W/whitespace_only.py"
    printf '\357\273\277' >"$W/bom_only.py"
    printf 'x = 1\r\ny = 2\rz = 3' >"$W/mixed_line_ends.py"
    printf 'x = "\377\376"\n' >"$W/utf8_invalid_string.py"
    printf 'x = 1  # caf\351 in latin-1\n' >"$W/utf8_invalid_comment.py"
    printf 'x = "\300\257"\n' >"$W/utf8_overlong.py"
    printf 'x = "\355\240\200"\n' >"$W/utf8_surrogate.py"
    printf 'x = "\342\202' >"$W/utf8_truncated_at_eof.py"
    printf 'x = 1\000\ny = 2\n' >"$W/nul_in_code.py"
    printf '# comment \000 with a NUL\nx = 1\n' >"$W/nul_in_comment.py"
    printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000' >"$W/binary_elf.py"
    i=0
    while [ $i -lt 256 ]; do
        # shellcheck disable=SC2059 # the format is the octal escape of byte $i
        printf "\\$(printf %o $i)"
        i=$((i + 1))
    done >"$W/bytes256"
    for _ in 1 2 3 4 5 6 7 8; do cat "$W/bytes256"; done >>"$W/binary_elf.py"
    { printf 'x = "'; repeat 5000000 a; printf '"\n'; } >"$W/long_line.py"
    { repeat 1000000 n; printf ' = 1\n'; } >"$W/long_name.py"
    ln -sf does-not-exist.py "$W/dangling_symlink.py"
    mkdir -p "$W/a_directory.py"
    printf 'x = 1\n' >"$W/good.py"
}

# deep NAME OPEN CLOSE: 10,000 levels of OPEN around 1.
gen_deep() {
    { printf 'x = '; repeat 10000 "$2"; printf '1'; repeat 10000 "$3"; printf '\n'; } >"$W/$1.py"
}

gen_nesting() {
    gen_deep deep_parens '(' ')'
    gen_deep deep_brackets '[' ']'
    gen_deep deep_braces '{' '}'
    gen_deep deep_mixed '([{' '}])'
    gen_deep deep_calls 'f(' ')'
    gen_deep deep_unary_minus '-' ''
    gen_deep deep_not 'not ' ''
    gen_deep deep_lambda 'lambda: ' ''
    gen_deep deep_await 'await ' ''
    gen_deep deep_power '2 ** ' ''
    gen_deep deep_ternary 'a if b else ' ''
    gen_deep deep_fstring 'f"{' '}"'
    { printf 'x = 1'; repeat 100000 ' + 1'; printf '\n'; } >"$W/long_binop_chain.py"
    { printf 'x = a'; repeat 100000 '.b'; printf '\n'; } >"$W/long_attribute_chain.py"
    { printf 'x = f'; repeat 100000 '()'; printf '\n'; } >"$W/long_call_chain.py"
    { printf 'x = a'; repeat 100000 '[0]'; printf '\n'; } >"$W/long_subscript_chain.py"
    { printf 'x = a'; repeat 100000 ' < a'; printf '\n'; } >"$W/long_compare_chain.py"
    { printf 'x = a'; repeat 100000 ' and a'; printf '\n'; } >"$W/long_boolop_chain.py"
    { printf 'x = '; repeat 100000 '"s" '; printf '\n'; } >"$W/long_string_concat.py"
    # 10,000 nested ifs, one more space of indentation each (about 50 MB)
    awk 'BEGIN { s = ""; for (i = 0; i < 10000; i++) { printf "%sif x:\n", s; s = s " " }
                 printf "%spass\n", s }' >"$W/deep_ifs.py"
}

# A 1 MB chunk of varied, valid Python (3.11 and 3.12), and 100 copies of it.
gen_big() {
    awk 'BEGIN {
        for (i = 0; i < 1400; i++) {
            printf "@decorator(%d)\ndef func_%d(a, b=%d, *args, key: str = \"k\", **kw) -> int:\n", i, i, i
            printf "    \"\"\"Docstring %d.\"\"\"\n    total = a + b * 2 - (a // 3) %% 7 ** 2\n", i
            printf "    items = [x for x in range(%d) if x %% 2]\n", i
            printf "    table = {\"k%d\": [1, 2.5, 3j, 0x1F, 1_000], \"s\": {a, b}}\n", i
            printf "    if a and not b or a is None:\n        return -1\n    elif a in items:\n"
            printf "        total += 1\n    for k, v in table.items():\n        total += len(k)\n"
            printf "    with open(\"f\") as fh, lock:\n        data = fh.read()[1:-1:2]\n"
            printf "    try:\n        value = obj.attr.method(*args, **kw)\n"
            printf "    except (ValueError, KeyError) as exc:\n        raise RuntimeError(f\"bad {exc!r:>10}\") from exc\n"
            printf "    finally:\n        pass\n    return total if total > 0 else lambda y: y\n\n\n"
            printf "class Model_%d(Base):\n    __tablename__ = \"model_%d\"\n", i, i
            printf "    id: Mapped[int] = mapped_column(primary_key=True)\n\n"
            printf "    async def load(self, session):\n        rows = await session.execute(select(Model_%d).where(Model_%d.id > %d))\n", i, i, i
            printf "        return [r async for r in rows]\n\n\n"
        }
    }' >"$W/big_chunk.py"
    if [ -x /usr/bin/python3 ]; then
        /usr/bin/python3 -c 'import ast, sys; ast.parse(open(sys.argv[1], "rb").read())' \
            "$W/big_chunk.py" || echo "warning: the generated big_chunk.py is not valid Python" >&2
    fi
    c="$W/big_chunk.py"
    : >"$W/big_100mb.py"
    while [ "$(wc -c <"$W/big_100mb.py")" -lt 100000000 ]; do
        cat "$c" "$c" "$c" "$c" >>"$W/big_100mb.py"
    done
}

if [ "$(cat "$W/.generated" 2>/dev/null)" != "$GEN_VERSION" ]; then
    echo "robust: generating inputs into $W"
    gen_small
    gen_nesting
    gen_big
    echo "$GEN_VERSION" >"$W/.generated"
fi

# ---- cases -----------------------------------------------------------------------------------

# Valid files: exit 0 in every mode.
for f in empty comments_only whitespace_only bom_only mixed_line_ends long_line long_name good; do
    all_modes "$f" 0 0 "" "$W/$f.py"
done
run devnull 0 "" /dev/null

# Invalid bytes: a syntax error (exit 1) in every mode, never a crash.
for f in utf8_invalid_string utf8_invalid_comment utf8_overlong utf8_surrogate \
    utf8_truncated_at_eof nul_in_code nul_in_comment binary_elf; do
    all_modes "$f" 1 1 "" "$W/$f.py"
done

# 10,000 levels of nesting: a clear error, never a stack overflow. The lexer alone may accept
# or refuse them.
DEEP='too deeply nested|too many levels of indentation|too many nested'
for f in deep_parens deep_brackets deep_braces deep_mixed deep_calls deep_ifs deep_fstring; do
    all_modes "$f" 1 "0 1" "$DEEP" "$W/$f.py"
done
# Deep unary, lambda, power and conditional chains, and 100,000-term chains that build deep
# left-nested trees: accepted or refused, never a crash (the dump walks the whole tree).
for f in deep_unary_minus deep_not deep_lambda deep_await deep_power deep_ternary \
    long_binop_chain long_attribute_chain long_call_chain long_subscript_chain \
    long_compare_chain long_boolop_chain long_string_concat; do
    all_modes "$f" "0 1" "0 1" "" "$W/$f.py"
done

# Files that cannot be read: exit 3 and "path: message" in every mode. Tests run as root, so
# chmod 000 does not stop a read: use a dangling symlink, a directory and path errors instead.
LONGNAME="$W/$(repeat 300 x).py"
for f in "$W/missing.py" "$W/dangling_symlink.py" "$W/a_directory.py" "$W/good.py/" "$LONGNAME"; do
    case "$f" in "$LONGNAME") n=name_too_long ;; */) n=not_a_directory ;; *) n=$(basename "$f" .py) ;; esac
    all_modes "$n" 3 3 "" "$f"
done
if [ "$(id -u)" -ne 0 ]; then
    printf 'x = 1\n' >"$W/unreadable.py"
    chmod 000 "$W/unreadable.py"
    all_modes unreadable 3 3 "" "$W/unreadable.py"
fi

# Several files: the worst status wins (3), and each bad one is named.
timeout -s KILL "$LIMIT" "$BIN" parse "$W/good.py" "$W/missing.py" "$W/nul_in_code.py" \
    >/dev/null 2>"$W/stderr"
status=$?
if [ "$status" -eq 3 ] && grep -q "^$W/missing.py: " "$W/stderr" &&
    grep -q "^$W/nul_in_code.py:[0-9]*:[0-9]*: " "$W/stderr"; then
    passed=$((passed + 1))
else
    fail several_files "exit status $status (expected 3, with both bad files named)"
fi

# 100 MB of valid Python: parsed (exit 0), or refused with a clear message (exit 3), within the
# time limit. The 1 MB chunk it repeats must parse.
all_modes big_chunk 0 0 "" "$W/big_chunk.py"
start=$(date +%s%N)
run big_100mb "0 3" "" "$W/big_100mb.py"
ms=$((($(date +%s%N) - start) / 1000000))
rss=""
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$W/rss" timeout -s KILL "$LIMIT" "$BIN" parse "$W/big_100mb.py" \
        >/dev/null 2>&1
    rss=", peak RSS $(($(tail -n 1 "$W/rss") / 1024)) MB"
fi
echo "robust: big_100mb.py ($(($(wc -c <"$W/big_100mb.py") / 1000000)) MB) took ${ms} ms$rss"

# Determinism: report, check and graph print the same bytes whatever the thread count.
for cmd in "report --format json" "report" "check" "graph --format json"; do
    name="jobs_$(echo "$cmd" | tr ' -' '__')"
    # shellcheck disable=SC2086
    "$BIN" $cmd -j 1 examples >"$W/j1.out" 2>&1
    # shellcheck disable=SC2086
    "$BIN" $cmd -j 4 examples >"$W/j4.out" 2>&1
    if [ -s "$W/j1.out" ] && cmp -s "$W/j1.out" "$W/j4.out"; then
        passed=$((passed + 1))
    else
        fail "$name" "output differs between -j 1 and -j 4 (or is empty)"
    fi
done

echo "robust: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
