/* json: a small JSON reader (RFC 8259) and the one JSON escaping function.
 *
 * json_parse() reads a whole document into a tree of JsonValue nodes allocated in the caller's
 * arena: objects (members in document order), arrays, strings (escapes decoded, `\u` surrogate
 * pairs joined into UTF-8), numbers (JSON grammar only, kept as double), true, false and null.
 * Nesting deeper than JSON_MAX_DEPTH, duplicate keys in one object, a lone surrogate, invalid
 * UTF-8, control characters in strings and anything after the top-level value are errors. Every
 * value records the 1-based line and byte column where it starts.
 *
 * Errors are data: json_parse() returns -1 and fills a JsonError whose text reads
 * "path:line:col: message" (lowercase, no trailing period), e.g. "expected ':' after key". The
 * reader never prints and keeps no global state. Nothing is freed on its own: free the arena.
 *
 * Writing: json_escape() is the only function that turns bytes into a JSON string literal; the
 * JsonWriter helpers build pretty-printed documents (2-space indent, one member per line) into
 * a Buf, so every writer emits the same layout. */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

#define JSON_MAX_DEPTH 200

typedef enum {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} JsonKind;

typedef struct JsonValue JsonValue;

typedef struct JsonMember {
    const char *key; /* decoded UTF-8, NUL-terminated, arena-owned */
    uint32_t keylen;
    JsonValue *value;
} JsonMember;

struct JsonValue {
    uint8_t kind;  /* JsonKind */
    uint32_t line; /* 1-based line where the value starts */
    uint32_t col;  /* 1-based byte column */
    uint32_t n;    /* array items or object members */
    union {
        bool b;
        double num;
        struct {
            const char *s; /* decoded UTF-8, NUL-terminated (may hold NULs: use len) */
            uint32_t len;
        } str;
        JsonValue **items;   /* JSON_ARRAY */
        JsonMember *members; /* JSON_OBJECT, in document order */
    } u;
};

typedef struct JsonError {
    uint32_t line, col; /* 1-based; 0 when the file could not be read */
    char msg[160];      /* the message alone */
    char text[512];     /* "path:line:col: message" (or "path: message") */
} JsonError;

/* Parses len bytes of text; path is used in error messages only. Returns 0 with *root set, or
 * -1 with err filled. */
int json_parse(JsonValue **root, const char *path, const char *text, size_t len, Arena *a,
               JsonError *err);
/* Reads and parses the file at path. */
int json_load(JsonValue **root, const char *path, Arena *a, JsonError *err);

/* Lookups: a member of an object (NULL when absent or v is not an object), the number of items
 * or members (0 for other kinds), an array item or member value, a member key. */
const JsonValue *json_get(const JsonValue *obj, const char *key);
uint32_t json_len(const JsonValue *v);
const JsonValue *json_at(const JsonValue *v, uint32_t i);
const char *json_key_at(const JsonValue *obj, uint32_t i);

/* Typed reads: each returns NULL/false when v is NULL or of another kind. */
bool json_is(const JsonValue *v, JsonKind kind);
const char *json_str(const JsonValue *v);
bool json_number(const JsonValue *v, double *out);
/* A number that is a whole value in [0, 2^53]: sets *out. */
bool json_uint(const JsonValue *v, uint64_t *out);
const char *json_kind_name(JsonKind kind); /* "an object", "a string", ... */

/* ---- writing ---------------------------------------------------------------------------- */

/* Appends s[0..n) as a quoted JSON string: '"', '\\' and control characters escaped (\n, \t,
 * \r, \b, \f, else \u00XX), valid UTF-8 copied as is, each invalid byte written as \ufffd. */
void json_escape(Buf *b, const char *s, size_t n);

/* A pretty-printing writer. Begin/end calls nest; json_w_key() names the next value inside an
 * object. Values in arrays and members in objects go one per line, indented by two spaces;
 * empty containers print as {} and []. The Buf is not owned. */
#define JSON_W_MAX_DEPTH 64

typedef struct JsonWriter {
    Buf *b;
    int depth;
    bool has_items[JSON_W_MAX_DEPTH]; /* something written at this level already */
    bool after_key;                   /* a key was written; its value comes next */
} JsonWriter;

void json_w_init(JsonWriter *w, Buf *b);
void json_w_begin_object(JsonWriter *w);
void json_w_end_object(JsonWriter *w);
void json_w_begin_array(JsonWriter *w);
void json_w_end_array(JsonWriter *w);
void json_w_key(JsonWriter *w, const char *key);
void json_w_str(JsonWriter *w, const char *s); /* NULL writes null */
void json_w_strn(JsonWriter *w, const char *s, size_t n);
void json_w_uint(JsonWriter *w, uint64_t v);
void json_w_int(JsonWriter *w, int64_t v);
void json_w_double(JsonWriter *w, double v); /* %.17g, finite values only (else null) */
void json_w_bool(JsonWriter *w, bool v);
void json_w_null(JsonWriter *w);
/* A member of the object being written: json_w_key then the value. */
void json_w_kv_str(JsonWriter *w, const char *key, const char *s);
void json_w_kv_uint(JsonWriter *w, const char *key, uint64_t v);
void json_w_kv_bool(JsonWriter *w, const char *key, bool v);
/* Ends the document with a newline. */
void json_w_finish(JsonWriter *w);

#endif
