/* literal: decoding of Python string and number literals (see literal.h).
 *
 * lit_decode() follows CPython's decode_unicode_with_escapes() / _PyBytes_DecodeEscape():
 * recognised escapes are decoded, unknown escapes are kept verbatim with their backslash, and
 * a backslash before a line break removes both. Line breaks in the body (CRLF, lone CR) become
 * "\n", because CPython translates them before tokenizing. Error messages copy CPython's,
 * including the "position a-b" of the escape, counted as CPython counts it (each non-ASCII
 * character of a str body counts 10, the length of the \UXXXXXXXX it is rewritten to).
 * \N{NAME} looks the name up in the Unicode 14.0 name table of unicode.c. */
#include "literal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "unicode.h"

StrPrefix lit_prefix(const char *tok, uint32_t len)
{
    StrPrefix p;
    memset(&p, 0, sizeof p);
    uint32_t i = 0;
    for (; i < len && tok[i] != '"' && tok[i] != '\''; i++) {
        switch (tok[i] | 0x20) {
            case 'r': p.raw = true; break;
            case 'b': p.bytes = true; break;
            case 'f': p.fstring = true; break;
            case 'u': p.unicode = true; break;
        }
    }
    p.len = (uint8_t)i;
    const char *q = tok + i;
    uint32_t rest = len - i;
    /* rest == 3 is an FSTRING_START; a STRING with three quotes is at least six bytes */
    bool triple = rest >= 3 && q[0] == q[1] && q[1] == q[2] && (rest == 3 || rest >= 6);
    p.quote = rest == 0 ? 0 : triple ? 3 : 1;
    return p;
}

typedef struct Decoder {
    Buf *out;
    const char *s;
    uint32_t len, i; /* next byte to read */
    uint32_t vpos;   /* CPython's position of byte i, for messages */
    StrPrefix pre;
    LitError *err;
} Decoder;

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Records an error for the escape starting at byte at (CPython position vat) whose last byte
 * read is at vend; returns -1. */
static int escape_error(Decoder *d, uint32_t at, uint32_t vat, uint32_t vend, const char *why)
{
    d->err->offset = at;
    if (d->pre.bytes)
        snprintf(d->err->msg, sizeof d->err->msg, "(value error) %s at position %u", why, vat);
    else
        snprintf(d->err->msg, sizeof d->err->msg,
                 "(unicode error) 'unicodeescape' codec can't decode bytes in position %u-%u: %s",
                 vat, vend, why);
    return -1;
}

/* \xhh, \uXXXX, \UXXXXXXXX: d->i is after the letter. */
static int hex_escape(Decoder *d, uint32_t at, uint32_t vat, int ndigits)
{
    uint32_t cp = 0;
    int k = 0;
    for (; k < ndigits && d->i + (uint32_t)k < d->len; k++) {
        int v = hexval(d->s[d->i + (uint32_t)k]);
        if (v < 0) break;
        cp = cp << 4 | (uint32_t)v;
    }
    if (k < ndigits) {
        if (d->pre.bytes) return escape_error(d, at, vat, vat, "invalid \\x escape");
        const char *why = ndigits == 2   ? "truncated \\xXX escape"
                          : ndigits == 4 ? "truncated \\uXXXX escape"
                                         : "truncated \\UXXXXXXXX escape";
        return escape_error(d, at, vat, vat + 1 + (uint32_t)k, why);
    }
    d->i += (uint32_t)k;
    d->vpos += (uint32_t)k;
    if (cp > 0x10FFFF)
        return escape_error(d, at, vat, vat + 1 + (uint32_t)k, "illegal Unicode character");
    if (d->pre.bytes)
        buf_putc(d->out, (char)cp);
    else
        uni_put_utf8(d->out, cp);
    return 0;
}

/* \N{NAME}: d->i is after the N. CPython looks for the first '}' and reports a malformed
 * escape up to the byte before it (or to the end), an unknown name up to the '}'. */
static int named_escape(Decoder *d, uint32_t at, uint32_t vat)
{
    uint32_t j = d->i, vend = vat + 2; /* vend: CPython's position of byte k */
    if (j >= d->len || d->s[j] != '{')
        return escape_error(d, at, vat, vat + 1, "malformed \\N character escape");
    uint32_t k = j + 1;
    for (; k < d->len && d->s[k] != '}'; k++)
        if (((unsigned char)d->s[k] & 0xC0) != 0x80) vend += (unsigned char)d->s[k] < 0x80 ? 1 : 10;
    vend++;
    if (k >= d->len || k == j + 1)
        return escape_error(d, at, vat, vend - 1, "malformed \\N character escape");
    uint32_t cp;
    if (!uni_lookup(d->s + j + 1, k - j - 1, &cp))
        return escape_error(d, at, vat, vend, "unknown Unicode character name");
    d->vpos = vend + 1;
    d->i = k + 1;
    uni_put_utf8(d->out, cp);
    return 0;
}

/* \ooo with one to three octal digits; c is the first digit (already consumed). */
static void octal_escape(Decoder *d, char c)
{
    uint32_t v = (uint32_t)(c - '0');
    for (int k = 0; k < 2 && d->i < d->len && d->s[d->i] >= '0' && d->s[d->i] <= '7'; k++) {
        v = v * 8 + (uint32_t)(d->s[d->i++] - '0');
        d->vpos++;
    }
    if (d->pre.bytes)
        buf_putc(d->out, (char)(v & 0xFF));
    else
        uni_put_utf8(d->out, v);
}

/* One escape; d->i is at the backslash. */
static int escape(Decoder *d)
{
    uint32_t at = d->i, vat = d->vpos;
    if (d->i + 1 >= d->len) { /* lone trailing backslash (an f-string piece before '{') */
        buf_putc(d->out, '\\');
        d->i++;
        d->vpos++;
        return 0;
    }
    char c = d->s[d->i + 1];
    d->i += 2;
    d->vpos += 2;
    static const char simple[] = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";
    for (const char *p = simple; *p; p += 2) {
        if (c == p[0]) {
            buf_putc(d->out, p[1]);
            return 0;
        }
    }
    if (c == '\n') return 0;
    if (c == '\r') {
        if (d->i < d->len && d->s[d->i] == '\n') d->i++;
        return 0;
    }
    if (c >= '0' && c <= '7') {
        octal_escape(d, c);
        return 0;
    }
    if (c == 'x') return hex_escape(d, at, vat, 2);
    if (!d->pre.bytes && c == 'u') return hex_escape(d, at, vat, 4);
    if (!d->pre.bytes && c == 'U') return hex_escape(d, at, vat, 8);
    if (!d->pre.bytes && c == 'N') return named_escape(d, at, vat);
    d->i -= 1; /* unknown escape: keep the backslash, copy the character normally */
    d->vpos -= 1;
    buf_putc(d->out, '\\');
    return 0;
}

/* Copies a run of plain bytes starting at d->i; stops at a backslash (unless raw), a line
 * break, a brace (in an f-string piece) or the end. */
static int plain_run(Decoder *d, bool in_fstring)
{
    uint32_t start = d->i;
    while (d->i < d->len) {
        unsigned char c = (unsigned char)d->s[d->i];
        if ((c == '\\' && !d->pre.raw) || c == '\r' || (in_fstring && (c == '{' || c == '}')))
            break;
        if (c >= 0x80) {
            if (d->pre.bytes) {
                d->err->offset = d->i;
                snprintf(d->err->msg, sizeof d->err->msg,
                         "bytes can only contain ASCII literal characters");
                return -1;
            }
            if ((c & 0xC0) != 0x80)
                d->vpos += 10; /* one \UXXXXXXXX per code point in CPython's buffer */
        } else {
            d->vpos++;
        }
        d->i++;
    }
    buf_put(d->out, d->s + start, d->i - start);
    return 0;
}

int lit_decode(Buf *out, const char *body, uint32_t len, StrPrefix pre, bool in_fstring,
               LitError *err)
{
    Decoder d = {out, body, len, 0, 0, pre, err};
    buf_reserve(out, len);
    while (d.i < len) {
        if (plain_run(&d, in_fstring) != 0) return -1;
        if (d.i >= len) break;
        char c = body[d.i];
        if (c == '\r') { /* CRLF or lone CR in the source: "\n" */
            buf_putc(out, '\n');
            d.i += d.i + 1 < len && body[d.i + 1] == '\n' ? 2 : 1;
            d.vpos++;
        } else if (c == '{' || c == '}') {
            buf_putc(out, c);
            d.i += d.i + 1 < len && body[d.i + 1] == c ? 2 : 1;
            d.vpos++;
        } else if (escape(&d) != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- numbers -------------------------------------------------------------------------------- */

static double radix_value(const char *s, uint32_t len, int radix)
{
    double v = 0;
    for (uint32_t i = 2; i < len; i++) {
        if (s[i] == '_') continue;
        v = v * radix + hexval(s[i]);
    }
    return v;
}

NumKind lit_number(const char *tok, uint32_t len, double *value)
{
    if (len > 2 && tok[0] == '0') {
        char r = (char)(tok[1] | 0x20);
        if (r == 'x' || r == 'o' || r == 'b') {
            *value = radix_value(tok, len, r == 'x' ? 16 : r == 'o' ? 8 : 2);
            return NUM_INT;
        }
    }
    char small[128];
    char *clean = len < sizeof small ? small : xmalloc(len + 1);
    uint32_t n = 0;
    NumKind kind = NUM_INT;
    for (uint32_t i = 0; i < len; i++) {
        char c = tok[i];
        if (c == '_') continue;
        if (c == 'j' || c == 'J') {
            kind = NUM_IMAG;
            continue;
        }
        if (kind == NUM_INT && (c == '.' || c == 'e' || c == 'E')) kind = NUM_FLOAT;
        clean[n++] = c;
    }
    clean[n] = '\0';
    *value = strtod(clean, NULL); /* correctly rounded; the C locale's '.' is assumed */
    if (clean != small) free(clean);
    return kind;
}
