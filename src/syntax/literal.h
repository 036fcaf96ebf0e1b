/* literal: decoding of Python string and number literals.
 *
 * Pure functions over byte slices of the source: they never modify their input. Decoded text is
 * appended to a caller-owned Buf. Strings are decoded to UTF-8; a lone surrogate (from \ud800)
 * is encoded as its 3-byte sequence (WTF-8), as CPython keeps it in a str. */
#ifndef LITERAL_H
#define LITERAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"

typedef struct LitError {
    uint32_t offset; /* byte offset of the error inside the given slice */
    char msg[120];   /* lowercase, no trailing period */
} LitError;

/* Prefix letters of a string token, parsed case-insensitively from its start. */
typedef struct StrPrefix {
    bool raw, bytes, fstring, unicode;
    uint8_t len;   /* prefix length in bytes */
    uint8_t quote; /* quote length: 1 or 3 */
} StrPrefix;

/* Reads the prefix and quote of a STRING or FSTRING_START token text. */
StrPrefix lit_prefix(const char *tok, uint32_t len);

/* Decodes the body (text between the quotes, or an FSTRING_MIDDLE piece) of a literal.
 * For bytes, non-ASCII characters are an error. In an f-string piece (in_fstring) "{{" and
 * "}}" decode to one brace. Returns 0, or -1 with err filled. */
int lit_decode(Buf *out, const char *body, uint32_t len, StrPrefix pre, bool in_fstring,
               LitError *err);

typedef enum { NUM_INT, NUM_FLOAT, NUM_IMAG } NumKind;

/* Classifies a NUMBER token and, for floats and imaginaries, computes the value. */
NumKind lit_number(const char *tok, uint32_t len, double *value);

#endif
