#!/usr/bin/python3
"""Generates src/syntax/unicode_names.h: the Unicode character names that \\N{NAME} accepts.

Run by hand with Debian's /usr/bin/python3 (3.11, unicodedata 14.0.0); the output is committed:

    apt-get install unicode-data      # for /usr/share/unicode/NameAliases.txt
    /usr/bin/python3 tools/gen_unicode_names.py > src/syntax/unicode_names.h

What \\N{} accepts in CPython 3.11 (Modules/unicodedata.c _getcode with with_named_seq=0):
  * every character name of unicodedata, case-insensitively (ASCII case);
  * every name alias of NameAliases.txt (the file may be newer than Unicode 14: an alias is kept
    only when unicodedata.lookup() of this interpreter resolves it to the same code point);
  * algorithmically, and case-sensitively: "CJK UNIFIED IDEOGRAPH-" with 4 or 5 upper-case hex
    digits of a unified ideograph, and "HANGUL SYLLABLE " with the jamo short names;
  * not named sequences (unicodedata.lookup accepts them, \\N{} does not).

Layout of the generated tables (decoded by src/syntax/unicode.c):
  * hex_ranges: runs of code points whose name is PREFIX-XXXX with XXXX the code point in hex
    (the CJK unified ideographs, marked strict, and regular names such as
    CJK COMPATIBILITY IDEOGRAPH-F900); these names are not in the word tables.
  * Every other name or alias is a list of space-separated words. The distinct words, most
    frequent first, form name_words ("WORD WORD ..."); word_start[i] is the offset of word 16*i.
  * The names, sorted by name, form name_data, in buckets of 32. A record is: the number of
    leading words shared with the previous name of the bucket (one digit), the number of further
    words (varint), the code point (varint: absolute for a bucket's first name, else a zigzag
    delta from the previous one), then the further words as word ranks (varints).
    bucket_start[i] is the offset of bucket i.
  * Digits are the 90 printable characters '#'..'~' without '?' and '\\\\' (so the data are
    plain string literals, free of escapes and trigraphs). A varint is little-endian base 45:
    a digit below 45 ends it, a digit d >= 45 adds (d - 45) * 45^k and goes on.
  * The long strings are cut into rows of ROW characters (char[][ROW]) to stay within the
    4095-character literal limit of ISO C; the decoder reads them as one byte array.
"""
import collections
import sys
import unicodedata

ALIASES = "/usr/share/unicode/NameAliases.txt"
BUCKET = 32
WORD_GROUP = 16
ROW = 4000
ALPHABET = "".join(chr(c) for c in range(0x23, 0x7F) if chr(c) not in "?\\")
assert len(ALPHABET) == 90
HALF = 45


def varint(v):
    out = []
    while v >= HALF:
        out.append(ALPHABET[HALF + v % HALF])
        v //= HALF
    out.append(ALPHABET[v])
    return "".join(out)


def zigzag(d):
    return 2 * d if d >= 0 else -2 * d - 1


def all_names():
    """(name -> code point) of the table and the hex-suffixed runs [(prefix, first, last, strict)]."""
    names, hexed = {}, {}
    for cp in range(0x110000):
        n = unicodedata.name(chr(cp), None)
        if n is None or n.startswith("HANGUL SYLLABLE "):
            continue
        suffix = "-%04X" % cp
        if n.endswith(suffix):
            hexed[cp] = n[: -len(suffix)]
        else:
            names[n] = cp
    runs = []
    for cp in sorted(hexed):
        p = hexed[cp]
        if runs and runs[-1][0] == p and runs[-1][2] == cp - 1:
            runs[-1][2] = cp
        else:
            runs.append([p, cp, cp, p == "CJK UNIFIED IDEOGRAPH"])
    return names, runs


def aliases(names):
    out = {}
    with open(ALIASES, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cp, alias, _kind = line.split(";")
            cp = int(cp, 16)
            try:
                got = unicodedata.lookup(alias)
            except KeyError:
                continue  # an alias newer than this interpreter's Unicode version
            if got == chr(cp) and alias not in names:
                out[alias] = cp
    return out


def encode(entries):
    """entries: sorted [(name, cp)]. Returns (words, data, bucket_start)."""
    freq = collections.Counter(w for n, _ in entries for w in n.split(" "))
    words = [w for w, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))]
    rank = {w: i for i, w in enumerate(words)}
    data, starts = [], []
    size = 0
    prev, prevcp = [], 0
    for i, (name, cp) in enumerate(entries):
        toks = name.split(" ")
        if i % BUCKET == 0:
            starts.append(size)
            shared, code = 0, varint(cp)
        else:
            shared = 0
            while shared < min(len(toks), len(prev)) and toks[shared] == prev[shared]:
                shared += 1
            code = varint(zigzag(cp - prevcp))
        assert shared < len(ALPHABET)
        rec = ALPHABET[shared] + varint(len(toks) - shared) + code
        rec += "".join(varint(rank[w]) for w in toks[shared:])
        data.append(rec)
        size += len(rec)
        prev, prevcp = toks, cp
    return words, "".join(data), starts


def decode_all(words, data, starts, count):
    """Mirror of the C decoder, for the self-check."""
    pos = [0]

    def digit():
        c = data[pos[0]]
        pos[0] += 1
        return ALPHABET.index(c)

    def vint():
        v, mul = 0, 1
        while True:
            d = digit()
            if d < HALF:
                return v + d * mul
            v += (d - HALF) * mul
            mul *= HALF

    out = []
    for b, start in enumerate(starts):
        pos[0] = start
        prev, cp = [], 0
        for i in range(BUCKET):
            if b * BUCKET + i >= count:
                break
            shared = digit()
            n = vint()
            c = vint()
            if i == 0:
                cp = c
            else:
                cp += c // 2 if c % 2 == 0 else -(c + 1) // 2
            toks = prev[:shared] + [words[vint()] for _ in range(n)]
            out.append((" ".join(toks), cp))
            prev = toks
    return out


def rows(s):
    return [s[i:i + ROW] for i in range(0, len(s), ROW)] or [""]


def write_rows(w, cname, s):
    """char cname[][ROW] = { "..." "..." (one literal per row, cut into 96-column pieces) }."""
    w("static const char %s[][%d] = {\n" % (cname, ROW))
    for r in rows(s):
        pieces = [r[i:i + 96] for i in range(0, len(r), 96)]
        if len(pieces) == 2:  # clang's -Wstring-concatenation flags a pair of literals
            pieces = [pieces[0][:48], pieces[0][48:], pieces[1]]
        w("\n".join('    "%s"' % p for p in pieces) + ",\n")
    w("};\n")


def write_u32(w, cname, values):
    w("static const uint32_t %s[] = {\n" % cname)
    line = "   "
    for v in values:
        item = " %d," % v
        if len(line) + len(item) > 99:
            w(line + "\n")
            line = "   "
        line += item
    w(line + "\n};\n")


def main():
    names, runs = all_names()
    names.update(aliases(names))
    entries = sorted(names.items())
    for n, _ in entries:
        assert n == n.upper() and "  " not in n and n.strip() == n, n
    words, data, starts = encode(entries)
    assert decode_all(words, data, starts, len(entries)) == entries
    dictionary = " ".join(words)
    word_start, off = [], 0
    for i, wd in enumerate(words):
        if i % WORD_GROUP == 0:
            word_start.append(off)
        off += len(wd) + 1
    w = sys.stdout.write
    w("/* unicode_names: the character names and aliases that \\N{NAME} accepts.\n *\n")
    w(" * GENERATED by tools/gen_unicode_names.py from Python %s's unicodedata (Unicode %s)\n"
      % (sys.version.split()[0], unicodedata.unidata_version))
    w(" * and NameAliases.txt; do not edit. The layout is described in the generator. Included\n")
    w(" * only by unicode.c. */\n")
    w("#ifndef UNICODE_NAMES_H\n#define UNICODE_NAMES_H\n\n#include <stdbool.h>\n#include <stdint.h>\n\n")
    w("#define UNAMES_VERSION    \"%s\"\n" % unicodedata.unidata_version)
    w("#define UNAMES_COUNT      %d /* names and aliases in name_data */\n" % len(entries))
    w("#define UNAMES_BUCKET     %d\n" % BUCKET)
    w("#define UNAMES_WORD_GROUP %d\n" % WORD_GROUP)
    w("#define UNAMES_ROW        %d\n" % ROW)
    w("#define UNAMES_HALF       %d\n\n" % HALF)
    w("typedef struct HexRange {\n    const char *prefix; /* the name is prefix-XXXX */\n")
    w("    uint32_t first, last;\n")
    w("    bool strict; /* CPython's algorithmic names: exact case, 4-5 hex digits */\n")
    w("} HexRange;\n\n/* clang-format off */\n")
    w("static const HexRange hex_ranges[] = {\n")
    for p, a, b, strict in runs:
        w('    {"%s", 0x%X, 0x%X, %s},\n' % (p, a, b, "true" if strict else "false"))
    w("};\n\n")
    write_u32(w, "word_start", word_start)
    w("\n")
    write_u32(w, "bucket_start", starts)
    w("\n")
    write_rows(w, "name_words", dictionary)
    w("\n")
    write_rows(w, "name_data", data)
    w("/* clang-format on */\n\n#endif\n")
    sys.stderr.write("%d names and aliases, %d words (%d chars), %d data chars, %d ranges\n"
                     % (len(entries), len(words), len(dictionary), len(data), len(runs)))


if __name__ == "__main__":
    main()
