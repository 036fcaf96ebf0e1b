#!/usr/bin/python3
"""Generates src/syntax/unicode_nfkc.h: the tables for NFKC normalization of identifiers.

Run by hand with Debian's /usr/bin/python3 (3.11, unicodedata 14.0.0); the output is committed:

    /usr/bin/python3 tools/gen_unicode_nfkc.py > src/syntax/unicode_nfkc.h

CPython normalizes every non-ASCII identifier with unicodedata.normalize('NFKC', name).
src/syntax/unicode.c computes NFKC as the standard defines it: full compatibility decomposition,
canonical ordering by combining class, canonical composition. A per-character mapping alone is
not enough (a letter followed by a combining mark composes: 'e' U+0301 -> U+00E9), so three
tables are generated:
  * nfkd_*: the full compatibility decomposition (unicodedata.normalize('NFKD', ch)) of every
    identifier character (str.isidentifier() of ch or of 'a' + ch) that has one, except the
    Hangul syllables, which are decomposed algorithmically. Other characters never reach the
    normalizer: CPython rejects identifiers containing them before normalizing.
  * ccc_ranges: runs of code points with the same non-zero canonical combining class.
  * comp_*: the primary composites, pairs (first, second) -> composite: canonical
    decompositions into two code points that NFC recomposes (composition exclusions and
    non-starter decompositions drop out by that test). Hangul LV/LVT pairs are algorithmic.
The generator checks the tables by running the same algorithm in Python on every identifier
character and comparing with unicodedata.normalize.
"""
import sys
import unicodedata


def is_id_char(ch):
    return ch.isidentifier() or ("a" + ch).isidentifier()


def is_hangul(cp):
    return 0xAC00 <= cp <= 0xD7A3


def tables():
    nfkd, ccc, comp = {}, {}, {}
    for cp in range(0x110000):
        ch = chr(cp)
        c = unicodedata.combining(ch)
        if c:
            ccc[cp] = c
        if is_hangul(cp) or not is_id_char(ch):
            continue
        d = unicodedata.normalize("NFKD", ch)
        if d != ch:
            nfkd[cp] = [ord(x) for x in d]
    for cp in range(0x110000):
        dec = unicodedata.decomposition(chr(cp))
        if not dec or dec.startswith("<"):
            continue
        parts = [int(x, 16) for x in dec.split()]
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(parts[0]) + chr(parts[1])) == chr(cp):
            comp[(parts[0], parts[1])] = cp
    return nfkd, ccc, comp


def hangul_decompose(cp):
    s = cp - 0xAC00
    out = [0x1100 + s // 588, 0x1161 + (s % 588) // 28]
    if s % 28:
        out.append(0x11A7 + s % 28)
    return out


def compose_pair(comp, a, b):
    if 0x1100 <= a < 0x1113 and 0x1161 <= b < 0x1176:
        return 0xAC00 + ((a - 0x1100) * 21 + b - 0x1161) * 28
    if is_hangul(a) and (a - 0xAC00) % 28 == 0 and 0x11A7 < b < 0x11C3:
        return a + b - 0x11A7
    return comp.get((a, b))


def nfkc(s, nfkd, ccc, comp):
    """The algorithm of unicode.c, for the self-check."""
    buf = []
    for ch in s:
        cp = ord(ch)
        buf += hangul_decompose(cp) if is_hangul(cp) else nfkd.get(cp, [cp])
    for i in range(1, len(buf)):  # canonical ordering: insertion sort of non-starter runs
        j = i
        while j > 0 and ccc.get(buf[j], 0) and ccc.get(buf[j - 1], 0) > ccc.get(buf[j], 0):
            buf[j - 1], buf[j] = buf[j], buf[j - 1]
            j -= 1
    if not buf:
        return ""
    out, starter = [buf[0]], 0
    last = 0 if ccc.get(buf[0], 0) == 0 else 256
    for cp in buf[1:]:
        c = ccc.get(cp, 0)
        k = compose_pair(comp, out[starter], cp)
        if k is not None and (last < c or last == 0):
            out[starter] = k
            continue
        if c == 0:
            starter = len(out)
        last = c
        out.append(cp)
    return "".join(map(chr, out))


def ccc_ranges(ccc):
    runs = []
    for cp in sorted(ccc):
        if runs and runs[-1][1] == cp - 1 and runs[-1][2] == ccc[cp]:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, ccc[cp]])
    return runs


def self_check(nfkd, ccc, comp):
    ids = [chr(cp) for cp in range(0x110000) if is_id_char(chr(cp))]
    for ch in ids:
        for s in (ch, "a" + ch, ch + "\u0301", ch + "\u0323\u0301", ch + "\u3099", ch + "\u11a8"):
            if nfkc(s, nfkd, ccc, comp) != unicodedata.normalize("NFKC", s):
                sys.exit("self-check failed on %r" % s)
    return len(ids)


def write_list(w, decl, items, fmt):
    w(decl + " = {\n")
    line = "   "
    for it in items:
        item = " " + fmt(it) + ","
        if len(line) + len(item) > 99:
            w(line + "\n")
            line = "   "
        line += item
    w(line + "\n};\n")


def main():
    nfkd, ccc, comp = tables()
    nids = self_check(nfkd, ccc, comp)
    keys = sorted(nfkd)
    pool, offs = [], []
    for cp in keys:
        offs.append(len(pool))
        pool += nfkd[cp]
    offs.append(len(pool))
    assert len(pool) < 65536
    pairs = sorted(comp)
    w = sys.stdout.write
    w("/* unicode_nfkc: decompositions, combining classes and compositions for NFKC.\n *\n")
    w(" * GENERATED by tools/gen_unicode_nfkc.py from Python %s's unicodedata (Unicode %s);\n"
      % (sys.version.split()[0], unicodedata.unidata_version))
    w(" * do not edit. Included only by unicode.c. */\n")
    w("#ifndef UNICODE_NFKC_H\n#define UNICODE_NFKC_H\n\n#include <stdint.h>\n\n")
    w("/* clang-format off */\n")
    w("/* Identifier characters with a compatibility decomposition (Hangul syllables excepted),\n"
      " * sorted; the decomposition of nfkd_keys[i] is nfkd_pool[nfkd_offs[i]..nfkd_offs[i+1]). */\n")
    write_list(w, "static const uint32_t nfkd_keys[%d]" % len(keys), keys, lambda v: "0x%X" % v)
    write_list(w, "static const uint16_t nfkd_offs[%d]" % len(offs), offs, str)
    write_list(w, "static const uint32_t nfkd_pool[%d]" % len(pool), pool, lambda v: "0x%X" % v)
    w("\n/* Runs {first, last, class} of non-zero canonical combining class, sorted. */\n")
    write_list(w, "static const uint32_t ccc_ranges[%d][3]" % len(ccc_ranges(ccc)), ccc_ranges(ccc),
               lambda r: "{0x%X, 0x%X, %d}" % tuple(r))
    w("\n/* Primary composites: comp_pairs[i] = first << 21 | second, sorted; comp_result[i]. */\n")
    write_list(w, "static const uint64_t comp_pairs[%d]" % len(pairs), pairs,
               lambda p: "0x%XULL" % (p[0] << 21 | p[1]))
    write_list(w, "static const uint32_t comp_result[%d]" % len(pairs), pairs,
               lambda p: "0x%X" % comp[p])
    w("/* clang-format on */\n\n#endif\n")
    sys.stderr.write("%d identifier characters checked; %d decompositions (%d code points), "
                     "%d ccc runs, %d compositions\n"
                     % (nids, len(keys), len(pool), len(ccc_ranges(ccc)), len(pairs)))


if __name__ == "__main__":
    main()
