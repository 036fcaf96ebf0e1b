/* toml.c: a recursive-descent reader for TOML 1.0 (the parts configuration files use).
 *
 * One function per construct: document -> header | keyval; keyval -> key '=' value; value ->
 * string | array | inline_table | scalar. Errors exit non-locally once, through fail_at(), which
 * records the message and position and longjmps back to toml_parse(); the arena owns every node,
 * so nothing leaks. Line and column are computed on demand from byte offsets, with a cache that
 * makes the mostly increasing queries linear overall. */
#include "toml.h"

#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "source.h"
#include "xmalloc.h"

enum {
    TF_HEADER = 1, /* table defined by a [header] */
    TF_SEALED = 2, /* inline table (or inside one): closed to additions */
    TF_DOTTED = 4, /* table created by a dotted key */
    TF_AOT = 8,    /* array created by [[header]] */
};

#define MAX_DEPTH     100
#define MAX_KEY_PARTS 64

typedef struct TomlParser {
    const char *path;
    const char *s;
    size_t len, pos;
    size_t lc_pos, lc_start; /* line cache: offset reached, start of its line */
    uint32_t lc_line;
    Arena *a;
    TomlValue *root, *cur; /* cur: the table key/value lines go into */
    TomlError *err;
    Buf buf; /* scratch for decoding strings; heap-owned, freed by toml_parse */
    int depth;
    jmp_buf jb;
} TomlParser;

typedef struct Key {
    const char *parts[MAX_KEY_PARTS];
    size_t pos[MAX_KEY_PARTS];
    int n;
} Key;

static TomlValue *value(TomlParser *p);
static void keyval(TomlParser *p, TomlValue *table);

/* ---- positions and errors ------------------------------------------------------------------ */

static void linecol(TomlParser *p, size_t pos, uint32_t *line, uint32_t *col)
{
    if (pos > p->len) pos = p->len;
    if (pos < p->lc_pos) {
        p->lc_pos = p->lc_start = 0;
        p->lc_line = 1;
    }
    for (size_t i = p->lc_pos; i < pos; i++) {
        if (p->s[i] == '\n') {
            p->lc_line++;
            p->lc_start = i + 1;
        }
    }
    p->lc_pos = pos;
    *line = p->lc_line;
    *col = (uint32_t)(pos - p->lc_start) + 1;
}

static uint32_t line_of(TomlParser *p, size_t pos)
{
    uint32_t line, col;
    linecol(p, pos, &line, &col);
    return line;
}

__attribute__((format(printf, 3, 4))) static _Noreturn void fail_at(TomlParser *p, size_t pos,
                                                                    const char *fmt, ...)
{
    TomlError *e = p->err;
    linecol(p, pos, &e->line, &e->col);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    snprintf(e->text, sizeof e->text, "%s:%u:%u: %s", p->path, e->line, e->col, e->msg);
    longjmp(p->jb, 1);
}

static int peek(const TomlParser *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int peek_at(const TomlParser *p, size_t k)
{
    return p->pos + k < p->len ? (unsigned char)p->s[p->pos + k] : -1;
}

/* Describes the character at pos for messages: "'x'", "end of file", "a newline". */
static const char *found(TomlParser *p, char *out, size_t n)
{
    int c = peek(p);
    if (c < 0)
        snprintf(out, n, "end of file");
    else if (c == '\n' || c == '\r')
        snprintf(out, n, "end of line");
    else if (c < 0x20 || c == 0x7f)
        snprintf(out, n, "byte 0x%02x", (unsigned)c);
    else
        snprintf(out, n, "'%c'", c);
    return out;
}

static void enter(TomlParser *p, size_t pos)
{
    if (++p->depth > MAX_DEPTH) fail_at(p, pos, "too deeply nested");
}

/* ---- whitespace and comments ------------------------------------------------------------------
 */

static void skip_ws(TomlParser *p)
{
    while (peek(p) == ' ' || peek(p) == '\t')
        p->pos++;
}

static void skip_comment(TomlParser *p)
{
    while (peek(p) >= 0 && peek(p) != '\n')
        p->pos++;
}

static bool at_newline(const TomlParser *p)
{
    return peek(p) == '\n' || (peek(p) == '\r' && peek_at(p, 1) == '\n');
}

static void skip_newline(TomlParser *p)
{
    p->pos += peek(p) == '\r' ? 2 : 1;
}

/* Skips whitespace, comments and newlines (between lines, and inside arrays). */
static void skip_blank(TomlParser *p)
{
    for (;;) {
        skip_ws(p);
        if (peek(p) == '#') skip_comment(p);
        if (!at_newline(p)) return;
        skip_newline(p);
    }
}

static void expect_eol(TomlParser *p, const char *after)
{
    skip_ws(p);
    if (peek(p) == '#') skip_comment(p);
    if (peek(p) < 0) return;
    if (at_newline(p)) {
        skip_newline(p);
        return;
    }
    char f[32];
    fail_at(p, p->pos, "expected a newline after %s, found %s", after, found(p, f, sizeof f));
}

/* ---- tree building ------------------------------------------------------------------------- */

static TomlValue *new_value(TomlParser *p, TomlKind kind, size_t pos)
{
    TomlValue *v = ARENA_NEW(p->a, TomlValue);
    v->kind = (uint8_t)kind;
    linecol(p, pos, &v->line, &v->col);
    return v;
}

/* Makes room for one more element of size elem in an arena-owned array. */
static void *grow(Arena *a, void *items, uint32_t *cap, uint32_t n, size_t elem)
{
    if (n < *cap) return items;
    uint32_t c = *cap ? *cap * 2 : 4;
    void *fresh = arena_alloc(a, elem * c);
    if (n) memcpy(fresh, items, elem * n);
    *cap = c;
    return fresh;
}

static TomlValue *find(const TomlValue *t, const char *key)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (strcmp(t->u.entries[i].key, key) == 0) return t->u.entries[i].value;
    return NULL;
}

static void add_entry(TomlParser *p, TomlValue *t, const char *key, TomlValue *v)
{
    t->u.entries = grow(p->a, t->u.entries, &t->cap, t->n, sizeof(TomlEntry));
    t->u.entries[t->n].key = key;
    t->u.entries[t->n].value = v;
    t->n++;
}

static void push_item(TomlParser *p, TomlValue *arr, TomlValue *v)
{
    arr->u.items = grow(p->a, arr->u.items, &arr->cap, arr->n, sizeof(TomlValue *));
    arr->u.items[arr->n++] = v;
}

/* Seals an inline table and the tables its dotted keys created. */
static void seal(TomlValue *t)
{
    t->flags |= TF_SEALED;
    for (uint32_t i = 0; i < t->n; i++)
        if (t->u.entries[i].value->kind == TOML_TABLE) seal(t->u.entries[i].value);
}

/* The first n parts of a key, joined with dots, for messages. */
static const char *key_text(const Key *k, int n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "." : "", k->parts[i]);
    return out;
}

static _Noreturn void not_a_table(TomlParser *p, const Key *k, int i, const TomlValue *v)
{
    char name[200];
    const char *what = toml_kind_name(v->kind);
    if (v->kind == TOML_TABLE && (v->flags & TF_SEALED))
        what = "an inline table";
    else if (v->flags & TF_AOT)
        what = "an array of tables";
    fail_at(p, k->pos[i], "key '%s' is already defined as %s",
            key_text(k, i + 1, name, sizeof name), what);
}

/* ---- strings ----------------------------------------------------------------------------- */

static bool is_control(int c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

static void put_utf8(Buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | cp >> 6), s[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | cp >> 12), s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        s[0] = (char)(0xF0 | cp >> 18), s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), s[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    buf_put(b, s, n);
}

static void unicode_escape(TomlParser *p, int ndigits, size_t at)
{
    uint32_t cp = 0;
    for (int i = 0; i < ndigits; i++) {
        int c = peek(p);
        if (c < 0 || !isxdigit(c))
            fail_at(p, at, "invalid unicode escape (expected %d hex digits)", ndigits);
        cp = cp * 16 + (uint32_t)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
        p->pos++;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        fail_at(p, at, "invalid unicode escape (not a unicode scalar value)");
    put_utf8(&p->buf, cp);
}

/* Decodes one escape; the backslash is already consumed. */
static void escape(TomlParser *p)
{
    size_t at = p->pos - 1;
    int c = peek(p);
    static const char from[] = "btnfre\"\\", to[] = "\b\t\n\f\r\x1b\"\\";
    const char *hit = c > 0 ? strchr(from, c) : NULL;
    p->pos++;
    if (hit) {
        buf_putc(&p->buf, to[hit - from]);
    } else if (c == 'u' || c == 'U') {
        unicode_escape(p, c == 'u' ? 4 : 8, at);
    } else {
        p->pos--;
        char f[32];
        fail_at(p, at, "invalid escape sequence: backslash followed by %s", found(p, f, sizeof f));
    }
}

static void line_body(TomlParser *p, int quote, size_t open)
{
    for (;;) {
        int c = peek(p);
        if (c < 0 || c == '\n' || c == '\r') fail_at(p, open, "unterminated string");
        p->pos++;
        if (c == quote) return;
        if (c == '\\' && quote == '"')
            escape(p);
        else if (is_control(c))
            fail_at(p, p->pos - 1, "control character 0x%02x in string", (unsigned)c);
        else
            buf_putc(&p->buf, (char)c);
    }
}

/* After a backslash in a multi-line basic string: if only whitespace follows on the line, skips
 * it and every whitespace and newline after it ("line ending backslash"). */
static bool line_ending_backslash(TomlParser *p)
{
    size_t save = p->pos;
    skip_ws(p);
    if (!at_newline(p)) {
        p->pos = save;
        return false;
    }
    while (peek(p) == ' ' || peek(p) == '\t' || at_newline(p))
        p->pos += peek(p) == '\r' ? 2 : 1;
    return true;
}

static size_t count_quotes(const TomlParser *p, int quote)
{
    size_t n = 0;
    while (p->pos + n < p->len && p->s[p->pos + n] == quote)
        n++;
    return n;
}

static void multi_body(TomlParser *p, int quote, size_t open)
{
    for (;;) {
        int c = peek(p);
        if (c < 0) fail_at(p, open, "unterminated string");
        size_t nq = c == quote ? count_quotes(p, quote) : 0;
        if (nq >= 3) {
            if (nq > 5) fail_at(p, p->pos + 5, "too many quotes at the end of a multi-line string");
            buf_put(&p->buf, p->s + p->pos, nq - 3); /* up to two quotes belong to the text */
            p->pos += nq;
            return;
        }
        p->pos++;
        if (c == '\\' && quote == '"') {
            if (!line_ending_backslash(p)) escape(p);
        } else if (c == '\r' && peek(p) == '\n') {
            continue; /* CRLF is kept as LF */
        } else if (is_control(c) && c != '\n') {
            fail_at(p, p->pos - 1, "control character 0x%02x in string", (unsigned)c);
        } else {
            buf_putc(&p->buf, (char)c);
        }
    }
}

/* Reads a string at the current quote into the arena. */
static const char *read_string(TomlParser *p, uint32_t *len, bool is_key)
{
    size_t open = p->pos;
    int quote = peek(p);
    bool multi = peek_at(p, 1) == quote && peek_at(p, 2) == quote;
    buf_clear(&p->buf);
    if (multi && is_key) fail_at(p, open, "a multi-line string cannot be a key");
    if (multi) {
        p->pos += 3;
        if (at_newline(p))
            skip_newline(p); /* a newline right after the opening quotes is trimmed */
        multi_body(p, quote, open);
    } else {
        p->pos++;
        line_body(p, quote, open);
    }
    *len = (uint32_t)p->buf.len;
    return arena_strndup(p->a, p->buf.data ? p->buf.data : "", p->buf.len);
}

/* ---- keys -------------------------------------------------------------------------------- */

static bool is_bare(int c)
{
    return c >= 0 && (isalnum(c) || c == '_' || c == '-');
}

static const char *simple_key(TomlParser *p)
{
    int c = peek(p);
    uint32_t len;
    if (c == '"' || c == '\'') return read_string(p, &len, true);
    size_t start = p->pos;
    while (is_bare(peek(p)))
        p->pos++;
    if (p->pos == start) {
        char f[32];
        fail_at(p, start, "expected a key, found %s", found(p, f, sizeof f));
    }
    return arena_strndup(p->a, p->s + start, p->pos - start);
}

/* key: simple_key ('.' simple_key)* */
static void read_key(TomlParser *p, Key *k)
{
    k->n = 0;
    for (;;) {
        skip_ws(p);
        if (k->n == MAX_KEY_PARTS) fail_at(p, p->pos, "key has too many parts");
        k->pos[k->n] = p->pos;
        k->parts[k->n++] = simple_key(p);
        skip_ws(p);
        if (peek(p) != '.') return;
        p->pos++;
    }
}

/* ---- scalars ------------------------------------------------------------------------------- */

static int digit_value(int c, int base)
{
    int d = isdigit(c) ? c - '0' : isalpha(c) ? tolower(c) - 'a' + 10 : 99;
    return d < base ? d : -1;
}

/* Digits of the base with single underscores between them. */
static bool digits_ok(const char *t, size_t n, int base)
{
    if (n == 0 || t[0] == '_' || t[n - 1] == '_') return false;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '_' ? t[i + 1] == '_' : digit_value((unsigned char)t[i], base) < 0)
            return false;
    }
    return true;
}

static bool match_template(const char *t, const char *tpl)
{
    for (; *tpl; t++, tpl++)
        if (*tpl == 'd' ? !isdigit((unsigned char)*t) : *t != *tpl) return false;
    return true;
}

static bool datetime_ok(const char *t, size_t n)
{
    size_t i = 0;
    if (n >= 10 && match_template(t, "dddd-dd-dd")) {
        i = 10;
        if (i == n) return true;
        if (t[i] != 'T' && t[i] != 't' && t[i] != ' ') return false;
        i++;
    }
    if (n - i < 8 || !match_template(t + i, "dd:dd:dd")) return false;
    i += 8;
    if (i < n && t[i] == '.') {
        size_t d = ++i;
        while (i < n && isdigit((unsigned char)t[i]))
            i++;
        if (i == d) return false;
    }
    if (i == n || ((t[i] == 'Z' || t[i] == 'z') && i + 1 == n)) return true;
    return (t[i] == '+' || t[i] == '-') && n - i == 6 && match_template(t + i + 1, "dd:dd");
}

static bool is_scalar_char(int c)
{
    return c >= 0 && (isalnum(c) || c == '_' || c == '+' || c == '-' || c == '.' || c == ':');
}

/* The end of a scalar token; a date followed by ' ' and a time is one token. */
static size_t scalar_end(const TomlParser *p)
{
    size_t i = p->pos;
    while (i < p->len && is_scalar_char((unsigned char)p->s[i]))
        i++;
    const char *t = p->s + p->pos;
    if (i - p->pos == 10 && match_template(t, "dddd-dd-dd") && i + 3 < p->len && p->s[i] == ' ' &&
        match_template(p->s + i + 1, "dd:")) {
        i++;
        while (i < p->len && is_scalar_char((unsigned char)p->s[i]))
            i++;
    }
    return i;
}

static bool int_part_ok(const char *t, size_t n)
{
    return digits_ok(t, n, 10) && !(n > 1 && t[0] == '0');
}

/* float: [+-] int ('.' digits)? ([eE] [+-] digits)?, with a fraction or an exponent */
static bool float_ok(const char *t, size_t n)
{
    size_t i = (t[0] == '+' || t[0] == '-');
    if (n - i == 3 && (memcmp(t + i, "inf", 3) == 0 || memcmp(t + i, "nan", 3) == 0)) return true;
    size_t a = i;
    while (i < n && t[i] != '.' && t[i] != 'e' && t[i] != 'E')
        i++;
    if (!int_part_ok(t + a, i - a)) return false;
    bool frac = i < n && t[i] == '.';
    if (frac) {
        size_t b = ++i;
        while (i < n && t[i] != 'e' && t[i] != 'E')
            i++;
        if (!digits_ok(t + b, i - b, 10)) return false;
    }
    if (i == n) return frac;
    i++;
    i += i < n && (t[i] == '+' || t[i] == '-');
    return digits_ok(t + i, n - i, 10);
}

static double float_value(const char *t, size_t n)
{
    char tmp[128];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof tmp - 1; i++)
        if (t[i] != '_') tmp[k++] = t[i];
    tmp[k] = '\0';
    const char *s = tmp + (tmp[0] == '+' || tmp[0] == '-');
    if (strcmp(s, "nan") == 0) return NAN;
    if (strcmp(s, "inf") == 0) return tmp[0] == '-' ? -INFINITY : INFINITY;
    return strtod(tmp, NULL);
}

static int int_base(const char *t, size_t n, size_t *skip)
{
    *skip = 0;
    if (n > 2 && t[0] == '0' && strchr("xob", t[1])) {
        *skip = 2;
        return t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
    }
    *skip = (t[0] == '+' || t[0] == '-');
    return 10;
}

static void read_int(TomlParser *p, TomlValue *v, const char *t, size_t n)
{
    size_t i;
    int base = int_base(t, n, &i);
    bool neg = t[0] == '-';
    if (base == 10 && n - i > 1 && t[i] == '0')
        fail_at(p, p->pos - n, "leading zeros are not allowed in '%.*s'", (int)n, t);
    if (!digits_ok(t + i, n - i, base)) fail_at(p, p->pos - n, "invalid number '%.*s'", (int)n, t);
    uint64_t acc = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (t[i] == '_') continue;
        uint64_t d = (uint64_t)digit_value((unsigned char)t[i], base);
        if (acc > (limit - d) / (uint64_t)base)
            fail_at(p, p->pos - n, "integer '%.*s' is out of range", (int)n, t);
        acc = acc * (uint64_t)base + d;
    }
    v->u.i = neg ? (int64_t)(0 - acc) : (int64_t)acc;
}

static bool is_floatish(const char *t, size_t n)
{
    if (n > 1 && t[0] == '0' && strchr("xob", t[1])) return false;
    return memchr(t, '.', n) || memchr(t, 'e', n) || memchr(t, 'E', n) || memchr(t, 'i', n) ||
           memchr(t, 'n', n);
}

static TomlValue *scalar(TomlParser *p)
{
    size_t start = p->pos, end = scalar_end(p);
    const char *t = p->s + start;
    size_t n = end - start;
    char f[32];
    if (n == 0) fail_at(p, start, "expected a value, found %s", found(p, f, sizeof f));
    p->pos = end;
    if ((n == 4 && memcmp(t, "true", 4) == 0) || (n == 5 && memcmp(t, "false", 5) == 0)) {
        TomlValue *v = new_value(p, TOML_BOOL, start);
        v->u.b = n == 4;
        return v;
    }
    if (!isdigit((unsigned char)t[0]) && !(strchr("+-", t[0]) && n > 1) && !float_ok(t, n))
        fail_at(p, start, "invalid value '%.*s' (strings must be quoted)", (int)n, t);
    if (n >= 8 && (match_template(t, "dddd-") || match_template(t, "dd:"))) {
        if (!datetime_ok(t, n)) fail_at(p, start, "invalid date or time '%.*s'", (int)n, t);
        TomlValue *v = new_value(p, TOML_DATETIME, start);
        v->u.str.s = arena_strndup(p->a, t, n);
        v->u.str.len = (uint32_t)n;
        return v;
    }
    TomlValue *v = new_value(p, is_floatish(t, n) ? TOML_FLOAT : TOML_INT, start);
    if (v->kind == TOML_INT)
        read_int(p, v, t, n);
    else if (float_ok(t, n))
        v->u.f = float_value(t, n);
    else
        fail_at(p, start, "invalid number '%.*s'", (int)n, t);
    return v;
}

/* ---- arrays and inline tables ------------------------------------------------------------- */

/* array: '[' (value (',' value)* ','?)? ']', newlines and comments allowed anywhere inside */
static TomlValue *array(TomlParser *p)
{
    size_t open = p->pos;
    TomlValue *arr = new_value(p, TOML_ARRAY, open);
    enter(p, open);
    p->pos++;
    for (;;) {
        skip_blank(p);
        if (peek(p) == ']') break;
        if (peek(p) < 0)
            fail_at(p, p->pos, "expected ']' to close '[' at line %u", line_of(p, open));
        push_item(p, arr, value(p));
        skip_blank(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) < 0)
            fail_at(p, p->pos, "expected ']' to close '[' at line %u", line_of(p, open));
        if (peek(p) != ']') {
            char f[32];
            fail_at(p, p->pos, "expected ',' or ']' after an array item, found %s",
                    found(p, f, sizeof f));
        }
    }
    p->pos++;
    p->depth--;
    return arr;
}

static void no_newline(TomlParser *p, size_t open)
{
    if (at_newline(p) || peek(p) == '\r')
        fail_at(p, p->pos, "newline inside an inline table (opened at line %u)", line_of(p, open));
    if (peek(p) < 0) fail_at(p, p->pos, "expected '}' to close '{' at line %u", line_of(p, open));
}

/* inline_table: '{' (keyval (',' keyval)*)? '}' on one line, no trailing comma */
static TomlValue *inline_table(TomlParser *p)
{
    size_t open = p->pos;
    TomlValue *t = new_value(p, TOML_TABLE, open);
    enter(p, open);
    p->pos++;
    skip_ws(p);
    bool first = true;
    while (peek(p) != '}' || !first) {
        no_newline(p, open);
        keyval(p, t);
        skip_ws(p);
        no_newline(p, open);
        if (peek(p) == '}') break;
        if (peek(p) != ',') {
            char f[32];
            fail_at(p, p->pos, "expected ',' or '}' in inline table, found %s",
                    found(p, f, sizeof f));
        }
        p->pos++;
        skip_ws(p);
        if (peek(p) == '}') fail_at(p, p->pos, "trailing comma is not allowed in an inline table");
        first = false;
    }
    p->pos++;
    p->depth--;
    seal(t);
    return t;
}

static TomlValue *value(TomlParser *p)
{
    int c = peek(p);
    if (c == '"' || c == '\'') {
        TomlValue *v = new_value(p, TOML_STRING, p->pos);
        v->u.str.s = read_string(p, &v->u.str.len, false);
        return v;
    }
    if (c == '[') return array(p);
    if (c == '{') return inline_table(p);
    return scalar(p);
}

/* ---- key/value lines and headers ----------------------------------------------------------- */

/* Walks the first parts of a dotted key from t, creating tables as needed. */
static TomlValue *descend_dotted(TomlParser *p, TomlValue *t, const Key *k)
{
    for (int i = 0; i < k->n - 1; i++) {
        TomlValue *v = find(t, k->parts[i]);
        if (!v) {
            v = new_value(p, TOML_TABLE, k->pos[i]);
            v->flags = TF_DOTTED;
            add_entry(p, t, k->parts[i], v);
        } else if (v->kind != TOML_TABLE || (v->flags & TF_SEALED)) {
            not_a_table(p, k, i, v);
        } else if (v->flags & TF_HEADER) {
            char name[200];
            fail_at(p, k->pos[i], "table '%s' is defined by a header; add keys under it there",
                    key_text(k, i + 1, name, sizeof name));
        }
        t = v;
    }
    return t;
}

/* keyval: key '=' value */
static void keyval(TomlParser *p, TomlValue *table)
{
    Key k;
    read_key(p, &k);
    if (peek(p) != '=') {
        char f[32];
        fail_at(p, p->pos, "expected '=' after key, found %s", found(p, f, sizeof f));
    }
    p->pos++;
    skip_ws(p);
    TomlValue *t = descend_dotted(p, table, &k);
    const char *name = k.parts[k.n - 1];
    if (find(t, name)) {
        char full[200];
        fail_at(p, k.pos[0], "duplicate key '%s'", key_text(&k, k.n, full, sizeof full));
    }
    if (at_newline(p) || peek(p) < 0 || peek(p) == '#')
        fail_at(p, p->pos, "expected a value after '='");
    add_entry(p, t, name, value(p));
}

/* One step of a header path: into a table, or into the last table of an array of tables. */
static TomlValue *header_step(TomlParser *p, TomlValue *t, const Key *k, int i)
{
    TomlValue *v = find(t, k->parts[i]);
    if (!v) {
        v = new_value(p, TOML_TABLE, k->pos[i]);
        add_entry(p, t, k->parts[i], v);
        return v;
    }
    if (v->kind == TOML_ARRAY && (v->flags & TF_AOT)) return v->u.items[v->n - 1];
    if (v->kind != TOML_TABLE || (v->flags & TF_SEALED)) not_a_table(p, k, i, v);
    return v;
}

static TomlValue *define_table(TomlParser *p, TomlValue *t, const Key *k, size_t start)
{
    const char *name = k->parts[k->n - 1];
    TomlValue *v = find(t, name);
    if (!v) {
        v = new_value(p, TOML_TABLE, start);
        v->flags = TF_HEADER;
        add_entry(p, t, name, v);
        return v;
    }
    if (v->kind != TOML_TABLE || (v->flags & TF_SEALED)) not_a_table(p, k, k->n - 1, v);
    if (v->flags & (TF_HEADER | TF_DOTTED)) {
        char full[200];
        fail_at(p, start, "duplicate table '%s'", key_text(k, k->n, full, sizeof full));
    }
    v->flags |= TF_HEADER;
    linecol(p, start, &v->line, &v->col);
    return v;
}

static TomlValue *append_table(TomlParser *p, TomlValue *t, const Key *k, size_t start)
{
    const char *name = k->parts[k->n - 1];
    TomlValue *arr = find(t, name);
    if (!arr) {
        arr = new_value(p, TOML_ARRAY, start);
        arr->flags = TF_AOT;
        add_entry(p, t, name, arr);
    } else if (arr->kind != TOML_ARRAY || !(arr->flags & TF_AOT)) {
        not_a_table(p, k, k->n - 1, arr);
    }
    TomlValue *tab = new_value(p, TOML_TABLE, start);
    tab->flags = TF_HEADER;
    push_item(p, arr, tab);
    return tab;
}

/* header: '[' key ']' | '[[' key ']]' */
static void header(TomlParser *p)
{
    size_t start = p->pos;
    p->pos++;
    bool aot = peek(p) == '[';
    p->pos += aot;
    Key k;
    read_key(p, &k);
    const char *close = aot ? "]]" : "]";
    if (peek(p) != ']' || (aot && peek_at(p, 1) != ']')) {
        char f[32];
        fail_at(p, p->pos, "expected '%s' to close the table header, found %s", close,
                found(p, f, sizeof f));
    }
    p->pos += aot ? 2 : 1;
    TomlValue *t = p->root;
    for (int i = 0; i < k.n - 1; i++)
        t = header_step(p, t, &k, i);
    p->cur = aot ? append_table(p, t, &k, start) : define_table(p, t, &k, start);
}

static void document(TomlParser *p)
{
    if (p->len >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0) p->pos = 3;
    for (;;) {
        skip_blank(p);
        if (peek(p) < 0) return;
        if (peek(p) == '[') {
            header(p);
            expect_eol(p, "the table header");
        } else {
            keyval(p, p->cur);
            expect_eol(p, "the value");
        }
    }
}

/* ---- public API ----------------------------------------------------------------------------- */

int toml_parse(TomlValue **root, const char *path, const char *text, size_t len, Arena *a,
               TomlError *err)
{
    memset(err, 0, sizeof *err);
    TomlParser *p = xcalloc(1, sizeof *p); /* on the heap: longjmp keeps its fields valid */
    p->path = path;
    p->s = text;
    p->len = len;
    p->lc_line = 1;
    p->a = a;
    p->err = err;
    p->root = p->cur = new_value(p, TOML_TABLE, 0);
    int rc = 0;
    if (setjmp(p->jb) == 0)
        document(p);
    else
        rc = -1;
    *root = rc == 0 ? p->root : NULL;
    buf_free(&p->buf);
    free(p);
    return rc;
}

int toml_load(TomlValue **root, const char *path, Arena *a, TomlError *err)
{
    Source src;
    char msg[sizeof err->msg];
    if (source_load(&src, path, msg, sizeof msg) != 0) {
        memset(err, 0, sizeof *err);
        snprintf(err->msg, sizeof err->msg, "%s", msg);
        snprintf(err->text, sizeof err->text, "%s: %s", path, msg);
        *root = NULL;
        return -1;
    }
    int rc = toml_parse(root, path, src.text, src.len, a, err);
    source_free(&src);
    return rc;
}

const TomlValue *toml_table_get(const TomlValue *table, const char *key)
{
    if (!table || table->kind != TOML_TABLE) return NULL;
    return find(table, key);
}

const TomlValue *toml_get(const TomlValue *table, const char *dotted)
{
    const char *s = dotted;
    char seg[256];
    while (table) {
        size_t n = 0;
        bool quoted = *s == '"';
        s += quoted;
        while (*s && (quoted ? *s != '"' : *s != '.') && n < sizeof seg - 1)
            seg[n++] = *s++;
        s += quoted && *s == '"';
        seg[n] = '\0';
        table = toml_table_get(table, seg);
        if (*s != '.') return *s ? NULL : table;
        s++;
    }
    return NULL;
}

uint32_t toml_len(const TomlValue *v)
{
    return v && (v->kind == TOML_ARRAY || v->kind == TOML_TABLE) ? v->n : 0;
}

const TomlValue *toml_at(const TomlValue *v, uint32_t i)
{
    if (i >= toml_len(v)) return NULL;
    return v->kind == TOML_ARRAY ? v->u.items[i] : v->u.entries[i].value;
}

const char *toml_key_at(const TomlValue *table, uint32_t i)
{
    if (!table || table->kind != TOML_TABLE || i >= table->n) return NULL;
    return table->u.entries[i].key;
}

const char *toml_str(const TomlValue *v)
{
    return v && v->kind == TOML_STRING ? v->u.str.s : NULL;
}

bool toml_number(const TomlValue *v, double *out)
{
    if (v && v->kind == TOML_INT)
        *out = (double)v->u.i;
    else if (v && v->kind == TOML_FLOAT)
        *out = v->u.f;
    else
        return false;
    return true;
}

bool toml_is(const TomlValue *v, TomlKind kind)
{
    return v && v->kind == kind;
}

const char *toml_kind_name(TomlKind kind)
{
    static const char *const names[] = {"a string", "an integer", "a float", "a boolean",
                                        "a date",   "an array",   "a table"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "a value";
}
