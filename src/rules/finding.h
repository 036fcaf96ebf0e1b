/* finding: one rule violation as data, and the list the rules append to.
 *
 * A Finding names its file (index into the Program and display path), a byte span, the 1-based
 * line and 1-based column (code points, as ruff prints them), a stable rule code ("SA201"), a
 * message (lowercase, no trailing period), how a fix applies (safe, unsafe, manual) and the
 * fingerprint data: the enclosing function's qualified name and the fingerprint hex (rule, path,
 * qualname, normalised line: see fingerprint.h). A finding on a non-Python file (a dependency
 * declaration) has no Source: its span is empty and line/col come from the producer.
 *
 * Memory: a FindingList owns each message (heap) until finding_list_free(); path, qualname and
 * code are borrowed (static strings, the Program's paths, the file's arena) and must outlive
 * the list. Nothing is printed here: src/cli and the report writers print. */
#ifndef FINDING_H
#define FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/source.h"
#include "../base/vec.h"
#include "fingerprint.h"

typedef enum {
    FIX_SAFE,   /* `sqlasync fix` applies it */
    FIX_UNSAFE, /* applied only with --unsafe-fixes: it may change behaviour */
    FIX_MANUAL, /* no automatic fix: a person decides */
} FixApplicability;

typedef struct Finding {
    const char *code;  /* static: "SA201" */
    uint32_t file;     /* index of the file in the Program (or the caller's file list) */
    const char *path;  /* display path, borrowed */
    Span span;         /* bytes in the file; {0,0} for a non-Python file */
    uint32_t line;     /* 1-based */
    uint32_t col;      /* 1-based, in code points */
    uint32_t end_line; /* 1-based line of span.end */
    char *message;     /* owned by the list */
    FixApplicability fix;
    const char *qualname; /* enclosing function ("JobService.submit"), "" at module level */
    char fingerprint[FP_HEX_LEN + 1];
} Finding;

typedef Vec(Finding) FindingList;

/* Where findings of one file go: its Source (NULL for a non-Python file), display path and index.
 */
typedef struct FindingSite {
    Source *src;
    const char *path;
    uint32_t file;
} FindingSite;

/* Appends a finding at span of the site's file; line/col/fingerprint are computed from the
 * Source. Returns the new finding (valid until the next append). */
Finding *finding_add(FindingList *l, const FindingSite *site, const char *code, Span span,
                     const char *qualname, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Appends a finding at a line of a file without a Source (col 1). */
Finding *finding_add_line(FindingList *l, const FindingSite *site, const char *code, uint32_t line,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sorts by (path, line, col, code, message) and drops exact duplicates (same code, position
 * and message). */
void finding_sort(FindingList *l);
/* Removes findings[i] for which keep[i] is false, preserving order; frees their messages. */
void finding_filter(FindingList *l, const bool *keep);
void finding_list_free(FindingList *l);
const char *finding_fix_name(FixApplicability fix); /* "safe", "unsafe", "manual" */

#endif
