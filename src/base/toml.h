/* toml: a small TOML 1.0 reader for the subset configuration files use.
 *
 * toml_parse() reads a whole document into a tree of TomlValue nodes allocated in the caller's
 * arena: tables ([a.b]), arrays of tables ([[a]]), dotted and quoted keys, basic and literal
 * strings (single- and multi-line, with escapes), integers (decimal, 0x, 0o, 0b), floats (with
 * inf and nan), booleans, dates and times (kept as text), arrays (multi-line, nested, trailing
 * comma) and inline tables. Keys keep document order, so iteration is deterministic. Every value
 * records the 1-based line and column where it starts, for evidence in reports.
 *
 * Errors are data: toml_parse() returns -1 and fills a TomlError whose text reads
 * "path:line:col: message" (lowercase, no trailing period), e.g. "expected '=' after key",
 * "unterminated string", "duplicate key 'x'". The reader never prints and keeps no global state.
 * Nothing is freed on its own: free the arena. */
#ifndef TOML_H
#define TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum {
    TOML_STRING,
    TOML_INT,
    TOML_FLOAT,
    TOML_BOOL,
    TOML_DATETIME, /* str holds the text as written */
    TOML_ARRAY,
    TOML_TABLE,
} TomlKind;

typedef struct TomlValue TomlValue;

typedef struct TomlEntry {
    const char *key; /* arena-owned, NUL-terminated */
    TomlValue *value;
} TomlEntry;

struct TomlValue {
    uint8_t kind;    /* TomlKind */
    uint8_t flags;   /* private to toml.c (how a table was defined) */
    uint32_t line;   /* 1-based line where the value (or table header) starts */
    uint32_t col;    /* 1-based byte column */
    uint32_t n, cap; /* array items or table entries */
    union {
        struct {
            const char *s; /* decoded UTF-8, NUL-terminated, arena-owned */
            uint32_t len;
        } str;
        int64_t i;
        double f;
        bool b;
        TomlValue **items;  /* TOML_ARRAY */
        TomlEntry *entries; /* TOML_TABLE, in document order */
    } u;
};

typedef struct TomlError {
    uint32_t line, col; /* 1-based; 0 when the file could not be read */
    char msg[160];      /* the message alone */
    char text[512];     /* "path:line:col: message" (or "path: message") */
} TomlError;

/* Parses len bytes of text; path is used in error messages only. On success *root is the
 * top-level table. Returns 0, or -1 with err filled. */
int toml_parse(TomlValue **root, const char *path, const char *text, size_t len, Arena *a,
               TomlError *err);
/* Reads and parses the file at path. */
int toml_load(TomlValue **root, const char *path, Arena *a, TomlError *err);

/* Looks a value up by dotted path from a table: "tool.sqlasync.exclude". A segment may be
 * quoted to hold dots: "tool.\"my.key\"". Returns NULL when absent or when a segment on the
 * way is not a table. */
const TomlValue *toml_get(const TomlValue *table, const char *dotted);
/* Looks up one key (no dot splitting) in a table; NULL when absent or not a table. */
const TomlValue *toml_table_get(const TomlValue *table, const char *key);

/* Iteration: the number of items (array) or entries (table), 0 for other kinds. */
uint32_t toml_len(const TomlValue *v);
const TomlValue *toml_at(const TomlValue *v, uint32_t i); /* array item or table entry value */
const char *toml_key_at(const TomlValue *table, uint32_t i);

/* Typed reads: each returns NULL/false when v is NULL or of another kind. */
const char *toml_str(const TomlValue *v);
bool toml_number(const TomlValue *v, double *out); /* TOML_INT or TOML_FLOAT */
bool toml_is(const TomlValue *v, TomlKind kind);
const char *toml_kind_name(TomlKind kind); /* "a string", "an integer", "an array", ... */

#endif
