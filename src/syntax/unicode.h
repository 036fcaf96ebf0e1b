/* unicode: the parts of the Unicode database that Python's compiler needs (Unicode 14.0, as
 * CPython 3.11 and 3.12 have it): character names for \N{NAME} and NFKC normalization of
 * identifiers.
 *
 * The tables are generated into unicode_names.h (tools/gen_unicode_names.py) and
 * unicode_nfkc.h (tools/gen_unicode_nfkc.py) and are read-only: every function here is pure and
 * thread-safe. Output goes to a caller-owned Buf; nothing is allocated otherwise. */
#ifndef UNICODE_H
#define UNICODE_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"

/* Looks up a character name as \N{name} does in CPython 3.11 (unicodedata's _getcode without
 * named sequences): names and aliases ignore ASCII case; "CJK UNIFIED IDEOGRAPH-XXXX" and
 * "HANGUL SYLLABLE ..." are matched case-sensitively. Returns false for an unknown name. */
bool uni_lookup(const char *name, uint32_t len, uint32_t *cp);

/* Appends the NFKC normalization of the valid UTF-8 text s[0..len) to out (CPython normalizes
 * every non-ASCII identifier so: unicodedata.normalize('NFKC', name)). */
void uni_nfkc(Buf *out, const char *s, uint32_t len);

/* Appends cp to b as UTF-8 (a surrogate as its 3-byte sequence, WTF-8). */
void uni_put_utf8(Buf *b, uint32_t cp);

#endif
