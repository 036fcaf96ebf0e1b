/* source: the bytes of one input file and its line table.
 *
 * The text is NUL-terminated and never modified after loading; every token and node refers to it
 * by byte offsets (Span). Lines and columns are derived here and only here: line numbers are
 * 1-based, columns are 0-based byte offsets (col_byte, as Python's ast counts them) or 0-based
 * code points (col_cp). A Source owns its text and line table until source_free(). */
#ifndef SOURCE_H
#define SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Span {
    uint32_t start, end; /* byte offsets, end exclusive */
} Span;

typedef struct Source {
    const char *path; /* owned copy of the display path */
    char *text;       /* owned, NUL-terminated */
    uint32_t len;
    uint32_t *lines; /* byte offset where each line starts; built lazily */
    uint32_t nlines;
} Source;

typedef struct LineCol {
    uint32_t line;     /* 1-based */
    uint32_t col_byte; /* 0-based byte offset in the line */
} LineCol;

/* Files larger than this are refused with a clear error rather than parsed. */
#define SOURCE_MAX_BYTES ((size_t)1024 * 1024 * 1024)

/* Loads path; on failure returns -1 and writes a message (without the path) into err. */
int source_load(Source *src, const char *path, char *err, size_t errlen);
/* Takes a copy of n bytes of text. */
void source_from_mem(Source *src, const char *path, const char *text, size_t n);
void source_free(Source *src);
/* Replaces the text with text[0..len) (heap, NUL-terminated; the Source takes ownership) and
 * forgets the line table: for a file decoded from another encoding before parsing. */
void source_replace_text(Source *src, char *text, uint32_t len);

LineCol source_linecol(Source *src, uint32_t offset);
/* source_linecol for offsets met mostly in order: *cursor (a line index, 0 to start) is tried
 * first, then the line after it, before a binary search; it is left on the line found. */
LineCol source_linecol_near(Source *src, uint32_t offset, uint32_t *cursor);
uint32_t source_col_cp(Source *src, uint32_t offset);
/* Start and end (exclusive, without the line break) of 1-based line. */
Span source_line_span(Source *src, uint32_t line);

#endif
