/* encoding: PEP 263 coding cookies (see encoding.h).
 *
 * CPython translates line breaks to "\n" before it looks for the cookie and decodes, so a line
 * ends at \n, \r\n or a lone \r here, and the "position N" of a decode error counts a CRLF as
 * one byte. The name tables come from codec_tables.h (tools/gen_codecs.py). */
#include "encoding.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "codec_tables.h"

enum { NAME_MAX_LEN = 63 };

__attribute__((format(printf, 4, 5))) static int fail(LexError *err, uint32_t start, uint32_t end,
                                                      const char *fmt, ...)
{
    err->span = (Span){start, end};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- finding the cookie --------------------------------------------------------------------- */

static uint32_t line_end(const char *s, uint32_t len, uint32_t p)
{
    while (p < len && s[p] != '\n' && s[p] != '\r')
        p++;
    return p;
}

static uint32_t next_line(const char *s, uint32_t len, uint32_t end)
{
    if (end < len && s[end] == '\r' && end + 1 < len && s[end + 1] == '\n') return end + 2;
    return end < len ? end + 1 : end;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

/* CPython get_coding_spec on the line s[p..end): a comment (only white space before '#') that
 * holds "coding", then ':' or '=', blanks, and a non-empty name. Sets *name. */
static bool find_cookie(const char *s, uint32_t p, uint32_t end, Span *name)
{
    while (p < end && is_space(s[p]))
        p++;
    if (p >= end || s[p] != '#') return false;
    for (; p + 7 <= end; p++) {
        if (memcmp(s + p, "coding", 6) != 0 || (s[p + 6] != ':' && s[p + 6] != '=')) continue;
        uint32_t q = p + 7;
        while (q < end && (s[q] == ' ' || s[q] == '\t'))
            q++;
        uint32_t b = q;
        while (q < end && is_name_char(s[q]))
            q++;
        if (q > b) {
            *name = (Span){b, q};
            return true;
        }
    }
    return false;
}

/* A blank or comment-only line: CPython goes on to look at line 2. */
static bool only_comment(const char *s, uint32_t p, uint32_t end)
{
    while (p < end && is_space(s[p]))
        p++;
    return p >= end || s[p] == '#';
}

/* The cookie's name span, looked for on line 1 and, after a blank or comment line, line 2. */
static bool cookie(const char *s, uint32_t len, uint32_t start, Span *name)
{
    uint32_t e1 = line_end(s, len, start);
    if (find_cookie(s, start, e1, name)) return true;
    if (!only_comment(s, start, e1)) return false;
    uint32_t l2 = next_line(s, len, e1);
    return l2 < len && find_cookie(s, l2, line_end(s, len, l2), name);
}

/* ---- names ---------------------------------------------------------------------------------- */

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* CPython get_normal_name: the first 12 characters lower-cased with '_' as '-' decide whether
 * the name is "utf-8" or "iso-8859-1"; otherwise the name stays as written. */
static const char *normal_name(const char *name)
{
    char b[13];
    size_t i = 0;
    for (; i < 12 && name[i]; i++)
        b[i] = name[i] == '_' ? '-'
                              : (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20 : name[i]);
    b[i] = '\0';
    if (strcmp(b, "utf-8") == 0 || has_prefix(b, "utf-8-")) return "utf-8";
    if (strcmp(b, "latin-1") == 0 || strcmp(b, "iso-8859-1") == 0 ||
        strcmp(b, "iso-latin-1") == 0 || has_prefix(b, "latin-1-") ||
        has_prefix(b, "iso-8859-1-") || has_prefix(b, "iso-latin-1-"))
        return "iso-8859-1";
    return name;
}

/* encodings.normalize_encoding() of the lower-cased name: runs of characters other than
 * letters, digits and '.' become one '_' between two kept characters. */
static void normalize(const char *name, char *out)
{
    size_t n = 0;
    bool punct = false;
    for (; *name; name++) {
        char c = *name >= 'A' && *name <= 'Z' ? (char)(*name | 0x20) : *name;
        if (c == '-' || c == '_') {
            punct = true;
            continue;
        }
        if (punct && n) out[n++] = '_';
        out[n++] = c;
        punct = false;
    }
    out[n] = '\0';
}

static const EncName *find_name(const char *key)
{
    size_t lo = 0, hi = sizeof enc_names / sizeof enc_names[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(enc_names[mid].name, key);
        if (c == 0) return &enc_names[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The codec codecs.lookup(name) finds, or -1 for an unknown encoding. */
static int codec_lookup(const char *name)
{
    char key[2 * NAME_MAX_LEN + 2];
    normalize(name, key);
    const EncName *e = find_name(key);
    if (e) return e->codec;
    for (char *p = key; *p; p++)
        if (*p == '.') *p = '_';
    e = find_name(key);
    return e && e->is_alias ? e->codec : -1;
}

/* ---- decoding ------------------------------------------------------------------------------- */

/* The code point of byte c (>= 0x80) in codec, or 0xFFFF if undefined. */
static uint32_t byte_cp(int codec, unsigned char c)
{
    switch (codec) {
        case ENC_LATIN1: return c;
        case ENC_CP1252: return enc_table_cp1252[c - 0x80];
        case ENC_ISO8859_15: return enc_table_iso8859_15[c - 0x80];
        case ENC_ISO8859_5: return enc_table_iso8859_5[c - 0x80];
        case ENC_KOI8_R: return enc_table_koi8_r[c - 0x80];
        default: return 0xFFFF; /* ENC_ASCII */
    }
}

/* Checks every byte and returns the UTF-8 length, or -1 with err filled. CPython's position is
 * the offset in its text, where a CRLF is one "\n". */
static int64_t decoded_size(const char *s, uint32_t len, int codec, LexError *err)
{
    int64_t size = 0;
    uint32_t crlf = 0;
    for (uint32_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        crlf += c == '\n' && i > 0 && s[i - 1] == '\r';
        if (c < 0x80) {
            size++;
            continue;
        }
        uint32_t cp = byte_cp(codec, c);
        if (cp == 0xFFFF) {
            if (codec == ENC_ASCII)
                return fail(err, i, i + 1,
                            "'ascii' codec can't decode byte 0x%02x in position %u: ordinal not "
                            "in range(128)",
                            c, i - crlf);
            return fail(err, i, i + 1,
                        "'charmap' codec can't decode byte 0x%02x in position %u: character maps "
                        "to <undefined>",
                        c, i - crlf);
        }
        size += cp < 0x800 ? 2 : 3;
    }
    return size;
}

static char *put_cp(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

static int transcode(const char *s, uint32_t len, int codec, char **out, uint32_t *outlen,
                     LexError *err)
{
    int64_t size = decoded_size(s, len, codec, err);
    if (size < 0) return -1;
    if (size > UINT32_MAX - 1) return fail(err, 0, 0, "file too large once decoded to utf-8");
    char *o = xmalloc((size_t)size + 1);
    *out = o;
    for (uint32_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        o = c < 0x80 ? (*o = (char)c, o + 1) : put_cp(o, byte_cp(codec, c));
    }
    *o = '\0';
    *outlen = (uint32_t)size;
    return 0;
}

int enc_decode(const char *text, uint32_t len, char **out, uint32_t *outlen, LexError *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    bool bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
    Span at;
    if (!cookie(text, len, bom ? 3 : 0, &at)) return 0;
    char name[NAME_MAX_LEN + 1];
    uint32_t n = at.end - at.start;
    snprintf(name, sizeof name, "%.*s", (int)n, text + at.start);
    const char *spec = normal_name(name);
    if (bom && strcmp(spec, "utf-8") != 0)
        return fail(err, at.start, at.end, "encoding problem: %s with BOM", spec);
    if (strcmp(spec, "utf-8") == 0) return 0;
    int codec = n > NAME_MAX_LEN ? -1 : codec_lookup(spec);
    if (codec < 0)
        return fail(err, at.start, at.end, "unknown encoding: %.*s", (int)n, text + at.start);
    if (codec == ENC_OTHER) return fail(err, at.start, at.end, "unsupported encoding: %s", spec);
    if (codec == ENC_UTF8) return 0;
    return transcode(text, len, codec, out, outlen, err);
}

int enc_decode_source(Source *src, LexError *err)
{
    char *text;
    uint32_t len;
    if (enc_decode(src->text, src->len, &text, &len, err) != 0) return -1;
    if (!text) return 0;
    source_replace_text(src, text, len);
    return 1;
}
