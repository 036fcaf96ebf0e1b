/* json.c: a recursive-descent JSON reader and the JSON writer helpers.
 *
 * value -> object | array | string | number | literal. Errors exit non-locally once, through
 * fail_at(), which records the message and position and longjmps back to json_parse(); the
 * arena owns every node, so nothing leaks. Line and column are computed only for values and
 * errors, with a cache that makes the increasing queries linear overall. */
#include "json.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "xmalloc.h"

typedef struct JsonParser {
    const char *path;
    const char *s;
    size_t len, pos;
    size_t lc_pos, lc_start; /* line cache: offset reached, start of its line */
    uint32_t lc_line;
    Arena *a;
    JsonError *err;
    Buf buf; /* scratch for decoding strings; heap-owned, freed by json_parse */
    int depth;
    jmp_buf jb;
} JsonParser;

static JsonValue *value(JsonParser *p);

/* ---- positions and errors ------------------------------------------------------------------ */

static void linecol(JsonParser *p, size_t pos, uint32_t *line, uint32_t *col)
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

__attribute__((format(printf, 3, 4))) static _Noreturn void fail_at(JsonParser *p, size_t pos,
                                                                    const char *fmt, ...)
{
    JsonError *e = p->err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    linecol(p, pos, &e->line, &e->col);
    snprintf(e->text, sizeof e->text, "%s:%u:%u: %s", p->path, e->line, e->col, e->msg);
    longjmp(p->jb, 1);
}

static int peek(const JsonParser *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

/* A short description of what is at pos, for messages: "'x'", "end of input", "byte 0x01". */
static const char *found(JsonParser *p, char *out, size_t n)
{
    int c = peek(p);
    if (c < 0)
        snprintf(out, n, "end of input");
    else if (c >= 0x21 && c < 0x7f)
        snprintf(out, n, "'%c'", c);
    else if (c == '\n' || c == '\r')
        snprintf(out, n, "end of line");
    else
        snprintf(out, n, "byte 0x%02x", (unsigned)c);
    return out;
}

static _Noreturn void unexpected(JsonParser *p, const char *what)
{
    char f[32];
    fail_at(p, p->pos, "expected %s, found %s", what, found(p, f, sizeof f));
}

static void skip_ws(JsonParser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

static void expect(JsonParser *p, char c, const char *what)
{
    skip_ws(p);
    if (peek(p) != (unsigned char)c) unexpected(p, what);
    p->pos++;
}

static JsonValue *new_value(JsonParser *p, JsonKind kind, size_t pos)
{
    JsonValue *v = ARENA_NEW(p->a, JsonValue);
    v->kind = (uint8_t)kind;
    linecol(p, pos, &v->line, &v->col);
    return v;
}

/* ---- strings ----------------------------------------------------------------------------- */

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

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits after "\u"; `at` is the backslash. */
static uint32_t hex4(JsonParser *p, size_t at)
{
    uint32_t cp = 0;
    for (int i = 0; i < 4; i++) {
        int d = hexval(peek(p));
        if (d < 0) fail_at(p, at, "invalid \\u escape (expected 4 hex digits)");
        cp = cp * 16 + (uint32_t)d;
        p->pos++;
    }
    return cp;
}

/* "\uXXXX", joining a high and a low surrogate; the "\u" is consumed, `at` is the backslash. */
static void unicode_escape(JsonParser *p, size_t at)
{
    uint32_t cp = hex4(p, at);
    if (cp >= 0xDC00 && cp <= 0xDFFF) fail_at(p, at, "invalid \\u escape (lone low surrogate)");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (p->pos + 1 >= p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
            fail_at(p, at, "invalid \\u escape (high surrogate not followed by a low one)");
        size_t at2 = p->pos;
        p->pos += 2;
        uint32_t lo = hex4(p, at2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            fail_at(p, at, "invalid \\u escape (high surrogate not followed by a low one)");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    put_utf8(&p->buf, cp);
}

/* Decodes one escape; the backslash is at p->pos. */
static void escape(JsonParser *p)
{
    size_t at = p->pos++;
    int c = peek(p);
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = c > 0 ? strchr(from, c) : NULL;
    if (hit) {
        p->pos++;
        buf_putc(&p->buf, to[hit - from]);
    } else if (c == 'u') {
        p->pos++;
        unicode_escape(p, at);
    } else {
        char f[32];
        fail_at(p, at, "invalid escape: backslash followed by %s", found(p, f, sizeof f));
    }
}

/* The length of the valid UTF-8 sequence at s[0..n) (1 to 4), or 0 when it is not valid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (k == 0 || k > n || s[0] > 0xF4) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (k == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong, or a surrogate */
    if (k == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0; /* overlong, or above U+10FFFF */
    return k;
}

/* A string; the opening quote is at p->pos. Returns the decoded text (arena copy). */
static const char *read_string(JsonParser *p, uint32_t *len)
{
    size_t open = p->pos++;
    buf_clear(&p->buf);
    for (;;) {
        int c = peek(p);
        if (c < 0) fail_at(p, open, "unterminated string");
        if (c == '"') break;
        if (c == '\\') {
            escape(p);
            continue;
        }
        if (c < 0x20) fail_at(p, p->pos, "control character (byte 0x%02x) in string", (unsigned)c);
        size_t k = utf8_len((const unsigned char *)p->s + p->pos, p->len - p->pos);
        if (k == 0) fail_at(p, p->pos, "invalid UTF-8 in string");
        buf_put(&p->buf, p->s + p->pos, k);
        p->pos += k;
    }
    p->pos++;
    *len = (uint32_t)p->buf.len;
    return arena_strndup(p->a, p->buf.data ? p->buf.data : "", p->buf.len);
}

/* ---- numbers and literals ---------------------------------------------------------------- */

static size_t digits(JsonParser *p)
{
    size_t n = 0;
    while (peek(p) >= '0' && peek(p) <= '9')
        p->pos++, n++;
    return n;
}

/* number: '-'? ('0' | [1-9][0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? */
static JsonValue *number(JsonParser *p)
{
    size_t start = p->pos;
    if (peek(p) == '-') p->pos++;
    if (peek(p) == '0') {
        p->pos++;
        if (peek(p) >= '0' && peek(p) <= '9') fail_at(p, start, "invalid number (leading zero)");
    } else if (digits(p) == 0) {
        fail_at(p, start, "invalid number");
    }
    if (peek(p) == '.') {
        p->pos++;
        if (digits(p) == 0) fail_at(p, start, "invalid number (expected digits after '.')");
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') p->pos++;
        if (digits(p) == 0) fail_at(p, start, "invalid number (expected digits in the exponent)");
    }
    JsonValue *v = new_value(p, JSON_NUMBER, start);
    char tmp[64];
    size_t n = p->pos - start;
    const char *t = n < sizeof tmp ? memcpy(tmp, p->s + start, n) : xstrndup(p->s + start, n);
    if (n < sizeof tmp) tmp[n] = '\0';
    v->u.num = strtod(t, NULL);
    if (t != tmp) free((void *)t);
    return v;
}

static JsonValue *literal(JsonParser *p)
{
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (p->len - p->pos >= n && memcmp(p->s + p->pos, words[i], n) == 0) {
            JsonValue *v = new_value(p, i == 2 ? JSON_NULL : JSON_BOOL, p->pos);
            v->u.b = i == 0;
            p->pos += n;
            return v;
        }
    }
    unexpected(p, "a value");
}

/* ---- containers -------------------------------------------------------------------------- */

static void enter(JsonParser *p, size_t pos)
{
    if (++p->depth > JSON_MAX_DEPTH)
        fail_at(p, pos, "too deeply nested (more than %d levels)", JSON_MAX_DEPTH);
}

static void *grow(Arena *a, void *items, uint32_t *cap, uint32_t n, size_t elem)
{
    if (n < *cap) return items;
    uint32_t c = *cap ? *cap * 2 : 4;
    void *fresh = arena_alloc(a, elem * c);
    if (n) memcpy(fresh, items, elem * n);
    *cap = c;
    return fresh;
}

/* array: '[' (value (',' value)*)? ']' */
static JsonValue *array(JsonParser *p)
{
    JsonValue *v = new_value(p, JSON_ARRAY, p->pos);
    enter(p, p->pos++);
    uint32_t cap = 0;
    skip_ws(p);
    if (peek(p) == ']') {
        p->pos++;
        p->depth--;
        return v;
    }
    for (;;) {
        JsonValue *item = value(p);
        v->u.items = grow(p->a, v->u.items, &cap, v->n, sizeof(JsonValue *));
        v->u.items[v->n++] = item;
        skip_ws(p);
        if (peek(p) == ']') break;
        expect(p, ',', "',' or ']' in array");
    }
    p->pos++;
    p->depth--;
    return v;
}

static int member_cmp(const void *x, const void *y)
{
    const JsonMember *a = x, *b = y;
    uint32_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

static bool is_later(const JsonValue *x, const JsonValue *y)
{
    return x->line > y->line || (x->line == y->line && x->col > y->col);
}

/* Duplicate keys are an error, reported at the later value: sorting a copy finds them in
 * n log n. */
static void check_duplicates(JsonParser *p, const JsonValue *obj)
{
    if (obj->n < 2) return;
    JsonMember *copy = xmalloc(sizeof *copy * obj->n);
    memcpy(copy, obj->u.members, sizeof *copy * obj->n);
    if (obj->n > 1) qsort(copy, obj->n, sizeof *copy, member_cmp);
    const JsonMember *dup = NULL;
    for (uint32_t i = 1; i < obj->n && !dup; i++)
        if (member_cmp(&copy[i - 1], &copy[i]) == 0)
            dup = is_later(copy[i - 1].value, copy[i].value) ? &copy[i - 1] : &copy[i];
    if (!dup) {
        free(copy);
        return;
    }
    JsonError *e = p->err;
    snprintf(e->msg, sizeof e->msg, "duplicate key '%.60s'", dup->key);
    e->line = dup->value->line, e->col = dup->value->col;
    snprintf(e->text, sizeof e->text, "%s:%u:%u: %s", p->path, e->line, e->col, e->msg);
    free(copy);
    longjmp(p->jb, 1);
}

static void member(JsonParser *p, JsonValue *obj, uint32_t *cap)
{
    skip_ws(p);
    if (peek(p) != '"') unexpected(p, "a string key");
    JsonMember m;
    m.key = read_string(p, &m.keylen);
    expect(p, ':', "':' after key");
    m.value = value(p);
    obj->u.members = grow(p->a, obj->u.members, cap, obj->n, sizeof m);
    obj->u.members[obj->n++] = m;
}

/* object: '{' (string ':' value (',' string ':' value)*)? '}' */
static JsonValue *object(JsonParser *p)
{
    JsonValue *v = new_value(p, JSON_OBJECT, p->pos);
    enter(p, p->pos++);
    uint32_t cap = 0;
    skip_ws(p);
    if (peek(p) == '}') {
        p->pos++;
        p->depth--;
        return v;
    }
    for (;;) {
        member(p, v, &cap);
        skip_ws(p);
        if (peek(p) == '}') break;
        expect(p, ',', "',' or '}' in object");
    }
    p->pos++;
    p->depth--;
    check_duplicates(p, v);
    return v;
}

static JsonValue *value(JsonParser *p)
{
    skip_ws(p);
    int c = peek(p);
    if (c == '{') return object(p);
    if (c == '[') return array(p);
    if (c == '"') {
        JsonValue *v = new_value(p, JSON_STRING, p->pos);
        v->u.str.s = read_string(p, &v->u.str.len);
        return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(p);
    return literal(p);
}

static JsonValue *document(JsonParser *p)
{
    if (p->len >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0) p->pos = 3; /* a byte order mark */
    skip_ws(p);
    if (peek(p) < 0) fail_at(p, p->pos, "empty document (expected a JSON value)");
    JsonValue *v = value(p);
    skip_ws(p);
    if (peek(p) >= 0) unexpected(p, "end of input after the value");
    return v;
}

/* ---- public API: reading ------------------------------------------------------------------- */

int json_parse(JsonValue **root, const char *path, const char *text, size_t len, Arena *a,
               JsonError *err)
{
    memset(err, 0, sizeof *err);
    JsonParser *p = xcalloc(1, sizeof *p); /* on the heap: longjmp keeps its fields valid */
    p->path = path;
    p->s = text;
    p->len = len;
    p->lc_line = 1;
    p->a = a;
    p->err = err;
    JsonValue *volatile v = NULL;
    int rc = 0;
    if (setjmp(p->jb) == 0)
        v = document(p);
    else
        rc = -1;
    *root = rc == 0 ? v : NULL;
    buf_free(&p->buf);
    free(p);
    return rc;
}

int json_load(JsonValue **root, const char *path, Arena *a, JsonError *err)
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
    int rc = json_parse(root, path, src.text, src.len, a, err);
    source_free(&src);
    return rc;
}

const JsonValue *json_get(const JsonValue *obj, const char *key)
{
    if (!obj || obj->kind != JSON_OBJECT) return NULL;
    size_t n = strlen(key);
    for (uint32_t i = 0; i < obj->n; i++) {
        const JsonMember *m = &obj->u.members[i];
        if (m->keylen == n && memcmp(m->key, key, n) == 0) return m->value;
    }
    return NULL;
}

uint32_t json_len(const JsonValue *v)
{
    return v && (v->kind == JSON_ARRAY || v->kind == JSON_OBJECT) ? v->n : 0;
}

const JsonValue *json_at(const JsonValue *v, uint32_t i)
{
    if (i >= json_len(v)) return NULL;
    return v->kind == JSON_ARRAY ? v->u.items[i] : v->u.members[i].value;
}

const char *json_key_at(const JsonValue *obj, uint32_t i)
{
    if (!obj || obj->kind != JSON_OBJECT || i >= obj->n) return NULL;
    return obj->u.members[i].key;
}

bool json_is(const JsonValue *v, JsonKind kind)
{
    return v && v->kind == kind;
}

const char *json_str(const JsonValue *v)
{
    return v && v->kind == JSON_STRING ? v->u.str.s : NULL;
}

bool json_number(const JsonValue *v, double *out)
{
    if (!v || v->kind != JSON_NUMBER) return false;
    *out = v->u.num;
    return true;
}

bool json_uint(const JsonValue *v, uint64_t *out)
{
    double d;
    if (!json_number(v, &d) || d < 0 || d > 9007199254740992.0 || d != floor(d)) return false;
    *out = (uint64_t)d;
    return true;
}

const char *json_kind_name(JsonKind kind)
{
    static const char *const names[] = {"null",     "a boolean", "a number",
                                        "a string", "an array",  "an object"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "a value";
}

/* ---- writing ------------------------------------------------------------------------------ */

void json_escape(Buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        unsigned char c = u[i];
        size_t run = i;
        while (run < n && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\')
            run++;
        if (run > i) {
            buf_put(b, s + i, run - i);
            i = run;
            continue;
        }
        static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
        const char *hit = c ? memchr(from, c, sizeof from - 1) : NULL;
        size_t k = c >= 0x80 ? utf8_len(u + i, n - i) : 0;
        if (hit)
            buf_putc(b, '\\'), buf_putc(b, to[hit - from]);
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", (unsigned)c);
        else if (k)
            buf_put(b, s + i, k);
        else
            buf_puts(b, "\\ufffd");
        i += k ? k : 1;
    }
    buf_putc(b, '"');
}

void json_w_init(JsonWriter *w, Buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
}

static void indent(JsonWriter *w)
{
    buf_putc(w->b, '\n');
    for (int i = 0; i < w->depth; i++)
        buf_puts(w->b, "  ");
}

/* Before any value: a comma and a new line inside containers, nothing after a key. */
static void before_value(JsonWriter *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) return;
    if (w->has_items[w->depth]) buf_putc(w->b, ',');
    w->has_items[w->depth] = true;
    indent(w);
}

static void begin(JsonWriter *w, char open)
{
    before_value(w);
    buf_putc(w->b, open);
    if (w->depth + 1 >= JSON_W_MAX_DEPTH) die("json writer nested too deeply");
    w->has_items[++w->depth] = false;
}

static void end(JsonWriter *w, char close)
{
    bool had = w->has_items[w->depth];
    w->depth--;
    if (had) indent(w);
    buf_putc(w->b, close);
}

void json_w_begin_object(JsonWriter *w)
{
    begin(w, '{');
}

void json_w_end_object(JsonWriter *w)
{
    end(w, '}');
}

void json_w_begin_array(JsonWriter *w)
{
    begin(w, '[');
}

void json_w_end_array(JsonWriter *w)
{
    end(w, ']');
}

void json_w_key(JsonWriter *w, const char *key)
{
    before_value(w);
    json_escape(w->b, key, strlen(key));
    buf_puts(w->b, ": ");
    w->after_key = true;
}

void json_w_str(JsonWriter *w, const char *s)
{
    if (!s) {
        json_w_null(w);
        return;
    }
    json_w_strn(w, s, strlen(s));
}

void json_w_strn(JsonWriter *w, const char *s, size_t n)
{
    before_value(w);
    json_escape(w->b, s, n);
}

void json_w_uint(JsonWriter *w, uint64_t v)
{
    before_value(w);
    buf_printf(w->b, "%llu", (unsigned long long)v);
}

void json_w_int(JsonWriter *w, int64_t v)
{
    before_value(w);
    buf_printf(w->b, "%lld", (long long)v);
}

void json_w_double(JsonWriter *w, double v)
{
    before_value(w);
    if (isfinite(v))
        buf_printf(w->b, "%.15g", v);
    else
        buf_puts(w->b, "null");
}

void json_w_bool(JsonWriter *w, bool v)
{
    before_value(w);
    buf_puts(w->b, v ? "true" : "false");
}

void json_w_kv_str(JsonWriter *w, const char *key, const char *s)
{
    json_w_key(w, key);
    json_w_str(w, s);
}

void json_w_kv_uint(JsonWriter *w, const char *key, uint64_t v)
{
    json_w_key(w, key);
    json_w_uint(w, v);
}

void json_w_kv_bool(JsonWriter *w, const char *key, bool v)
{
    json_w_key(w, key);
    json_w_bool(w, v);
}

void json_w_null(JsonWriter *w)
{
    before_value(w);
    buf_puts(w->b, "null");
}

void json_w_finish(JsonWriter *w)
{
    buf_putc(w->b, '\n');
}
