/* pyrepr: Python's repr() of str, bytes, int, float and complex constants.
 *
 * Mirrors CPython's unicode_repr (Objects/unicodeobject.c), bytes_repr, long_to_decimal_string
 * and float_repr ('r' mode of PyOS_double_to_string). Floats use the shortest digit string that
 * strtod() reads back to the same double, found by trying 1..17 significant digits. */
#include "pyrepr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "unicode_print.h"

static const char hexdig[] = "0123456789abcdef";

bool repr_isprintable(uint32_t cp)
{
    if (cp > 0x10FFFF) return false;
    size_t lo = 0, hi = NONPRINT_NRANGES; /* first range whose end >= cp */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nonprint_ranges[mid][1] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return !(lo < NONPRINT_NRANGES && nonprint_ranges[lo][0] <= cp);
}

/* ---- str ---------------------------------------------------------------------------------- */

/* Decodes one WTF-8 sequence at s[*i]; returns the code point, or -1 for a malformed byte
 * (then *i advances by one). Surrogates (ED A0..BF xx) are accepted. */
static int32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    int n = c < 0x80 ? 1 : c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || *i + (size_t)n > len) {
        (*i)++;
        return c < 0x80 ? c : -1;
    }
    uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (int k = 1; k < n; k++) {
        if ((s[*i + (size_t)k] & 0xC0) != 0x80) {
            (*i)++;
            return -1;
        }
        cp = (cp << 6) | (s[*i + (size_t)k] & 0x3Fu);
    }
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[n] || cp > 0x10FFFF) {
        (*i)++;
        return -1;
    }
    *i += (size_t)n;
    return (int32_t)cp;
}

static void put_hex(Buf *out, char tag, uint32_t v, int ndigits)
{
    buf_putc(out, '\\');
    buf_putc(out, tag);
    for (int k = ndigits - 1; k >= 0; k--)
        buf_putc(out, hexdig[(v >> (4 * k)) & 0xF]);
}

/* Appends an escape for c if repr() escapes it (ASCII rules shared by str and bytes); returns
 * false if c is printed as itself. */
static bool put_ascii_escape(Buf *out, unsigned c, unsigned quote)
{
    if (c == quote || c == '\\') {
        buf_putc(out, '\\');
        buf_putc(out, (char)c);
    } else if (c == '\t') {
        buf_puts(out, "\\t");
    } else if (c == '\n') {
        buf_puts(out, "\\n");
    } else if (c == '\r') {
        buf_puts(out, "\\r");
    } else if (c < ' ' || c == 0x7F) {
        put_hex(out, 'x', c, 2);
    } else {
        return false;
    }
    return true;
}

/* ' unless the text holds ' and no " (CPython's unicode_repr and bytes_repr rule). */
static unsigned pick_quote(const char *s, size_t len)
{
    bool squote = len && memchr(s, '\'', len), dquote = len && memchr(s, '"', len);
    return squote && !dquote ? '"' : '\'';
}

static void put_cp(Buf *out, uint32_t cp, const unsigned char *raw, size_t rawlen)
{
    if (repr_isprintable(cp))
        buf_put(out, raw, rawlen);
    else if (cp <= 0xFF)
        put_hex(out, 'x', cp, 2);
    else if (cp <= 0xFFFF)
        put_hex(out, 'u', cp, 4);
    else
        put_hex(out, 'U', cp, 8);
}

void repr_str(Buf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned quote = pick_quote(s, len);
    buf_putc(out, (char)quote);
    for (size_t i = 0; i < len;) {
        size_t at = i;
        int32_t cp = next_cp(u, len, &i);
        if (cp < 0)
            put_hex(out, 'x', u[at], 2);
        else if (cp < 0x80 && !put_ascii_escape(out, (unsigned)cp, quote))
            buf_putc(out, (char)cp);
        else if (cp >= 0x80)
            put_cp(out, (uint32_t)cp, u + at, i - at);
    }
    buf_putc(out, (char)quote);
}

void repr_bytes(Buf *out, const char *s, size_t len)
{
    unsigned quote = pick_quote(s, len);
    buf_putc(out, 'b');
    buf_putc(out, (char)quote);
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 0x80)
            put_hex(out, 'x', c, 2);
        else if (!put_ascii_escape(out, c, quote))
            buf_putc(out, (char)c);
    }
    buf_putc(out, (char)quote);
}

/* ---- int ---------------------------------------------------------------------------------- */

#define LIMB_BASE 1000000000u /* little-endian base-10^9 limbs */

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* limbs = limbs * base + d; returns the new limb count. */
static size_t mul_add(uint32_t *limbs, size_t n, unsigned base, unsigned d)
{
    uint64_t carry = d;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = (uint64_t)limbs[i] * base + carry;
        limbs[i] = (uint32_t)(v % LIMB_BASE);
        carry = v / LIMB_BASE;
    }
    while (carry) {
        limbs[n++] = (uint32_t)(carry % LIMB_BASE);
        carry /= LIMB_BASE;
    }
    return n;
}

static void put_limbs(Buf *out, const uint32_t *limbs, size_t n)
{
    if (n == 0) {
        buf_putc(out, '0');
        return;
    }
    buf_printf(out, "%u", limbs[n - 1]);
    for (size_t i = n - 1; i-- > 0;)
        buf_printf(out, "%09u", limbs[i]);
}

void repr_int_text(Buf *out, const char *text, size_t len)
{
    unsigned base = 10;
    size_t i = 0;
    if (len >= 2 && text[0] == '0') {
        char p = (char)(text[1] | 0x20);
        base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
        i = base == 10 ? 0 : 2;
    }
    uint32_t small[8];
    uint32_t *limbs = len + 2 <= 8 ? small : xmalloc(sizeof(uint32_t) * (len + 2));
    size_t n = 0;
    for (; i < len; i++) {
        int d = digit_value(text[i]);
        if (d >= 0 && (unsigned)d < base) n = mul_add(limbs, n, base, (unsigned)d);
    }
    put_limbs(out, limbs, n);
    if (limbs != small) free(limbs);
}

/* ---- float -------------------------------------------------------------------------------- */

/* A decimal approximation: value = 0.d1d2d3... scaled so that d1 is at 10^exp. */
typedef struct Decimal {
    char digits[24]; /* significant digits, no trailing zeros, NUL-terminated */
    int exp;         /* exponent of the first digit */
} Decimal;

/* Parses snprintf's "%.*e" output ("d.ddde+XX") into d, dropping trailing zeros. */
static void parse_e(const char *s, Decimal *d)
{
    size_t n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9') d->digits[n++] = *s;
    while (n > 1 && d->digits[n - 1] == '0')
        n--;
    d->digits[n] = '\0';
    d->exp = *s == 'e' ? atoi(s + 1) : 0;
}

static bool reads_back(const Decimal *d, double v)
{
    char s[48];
    snprintf(s, sizeof s, "%c.%se%d", d->digits[0], d->digits + 1, d->exp);
    return strtod(s, NULL) == v;
}

/* Adds delta (+1 or -1) to the last of prec digits in d (digits padded with zeros). */
static bool nudge(Decimal *d, int prec, int delta)
{
    char s[24];
    size_t n = strlen(d->digits);
    memset(s, '0', (size_t)prec);
    memcpy(s, d->digits, n < (size_t)prec ? n : (size_t)prec);
    int i = prec - 1;
    for (; i >= 0; i--) {
        int v = s[i] - '0' + delta;
        s[i] = (char)('0' + (v + 10) % 10);
        if (v >= 0 && v <= 9) break;
    }
    if (i < 0 || s[0] == '0') /* carried out of or borrowed into the first digit: skip */
        return false;
    while (prec > 1 && s[prec - 1] == '0')
        prec--;
    memcpy(d->digits, s, (size_t)prec);
    d->digits[prec] = '\0';
    return true;
}

/* Shortest digits that read back as v (finite, > 0); ties go to the nearest, as David Gay's
 * dtoa mode 0 does. */
static void shortest(double v, Decimal *out)
{
    char s[48];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*e", prec - 1, v);
        parse_e(s, out);
        if (reads_back(out, v)) return;
        /* The rounded string may fall outside v's rounding interval while its neighbour on the
         * other side is inside (at powers of two the interval is lopsided). */
        Decimal alt = *out;
        if (nudge(&alt, prec, strtod(s, NULL) > v ? -1 : 1) && reads_back(&alt, v)) {
            *out = alt;
            return;
        }
    }
    snprintf(s, sizeof s, "%.16e", v);
    parse_e(s, out);
}

static void put_exp_form(Buf *out, const Decimal *d)
{
    buf_putc(out, d->digits[0]);
    if (d->digits[1]) {
        buf_putc(out, '.');
        buf_puts(out, d->digits + 1);
    }
    buf_printf(out, "e%c%02d", d->exp < 0 ? '-' : '+', abs(d->exp));
}

static void put_fixed_form(Buf *out, const Decimal *d, bool add_dot0)
{
    int n = (int)strlen(d->digits);
    if (d->exp < 0) {
        buf_puts(out, "0.");
        for (int k = -1; k > d->exp; k--)
            buf_putc(out, '0');
        buf_puts(out, d->digits);
        return;
    }
    for (int k = 0; k <= d->exp; k++)
        buf_putc(out, k < n ? d->digits[k] : '0');
    if (n > d->exp + 1) {
        buf_putc(out, '.');
        buf_puts(out, d->digits + d->exp + 1);
    } else if (add_dot0) {
        buf_puts(out, ".0");
    }
}

/* PyOS_double_to_string(v, 'r', 0, add_dot0 ? Py_DTSF_ADD_DOT_0 : 0). */
static void format_r(Buf *out, double v, bool add_dot0)
{
    if (isnan(v)) {
        buf_puts(out, "nan");
        return;
    }
    if (signbit(v)) buf_putc(out, '-');
    v = fabs(v);
    if (isinf(v)) {
        buf_puts(out, "inf");
        return;
    }
    Decimal d = {"0", 0};
    if (v != 0) shortest(v, &d);
    if (d.exp < -4 || d.exp >= 16)
        put_exp_form(out, &d);
    else
        put_fixed_form(out, &d, add_dot0);
}

void repr_float(Buf *out, double v)
{
    format_r(out, v, true);
}

void repr_imag(Buf *out, double imag)
{
    format_r(out, imag, false);
    buf_putc(out, 'j');
}

void repr_const(Buf *out, const Const *c)
{
    switch ((ConstKind)c->kind) {
        case CONST_NONE: buf_puts(out, "None"); break;
        case CONST_TRUE: buf_puts(out, "True"); break;
        case CONST_FALSE: buf_puts(out, "False"); break;
        case CONST_ELLIPSIS: buf_puts(out, "Ellipsis"); break;
        case CONST_INT: repr_int_text(out, c->text, c->len); break;
        case CONST_FLOAT: repr_float(out, c->f); break;
        case CONST_COMPLEX: repr_imag(out, c->f); break;
        case CONST_STR: repr_str(out, c->text, c->len); break;
        case CONST_BYTES: repr_bytes(out, c->text, c->len); break;
        default: buf_puts(out, "?"); break;
    }
}
