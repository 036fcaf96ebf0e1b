/* edit: edits as data, applied to a file's text in one pass.
 *
 * An Edit replaces the bytes of span (end exclusive; start == end inserts) with len bytes of
 * text. rw_apply() sorts a file's edits by position, rejects any two that overlap (a Diag with
 * code RW_E_OVERLAP; touching edits and several inserts at one point are fine, inserts keep the
 * order they were added in), copies every byte outside the edits verbatim (line endings, tabs,
 * comments, quoting, a BOM), then re-parses the result with parse_source() and drops all the
 * file's edits when it no longer parses (a Diag with code RW_E_REPARSE). It never writes files
 * and never prints.
 *
 * Memory: an Edit's text is borrowed (usually from the file's arena) and must outlive the call;
 * the EditList owns only its array (rw_list_free). The output Buf belongs to the caller. */
#ifndef EDIT_H
#define EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/source.h"
#include "../base/vec.h"
#include "../syntax/lexer.h"

#define RW_E_OVERLAP "F001" /* two edits overlap: the file is left unchanged */
#define RW_E_REPARSE "F002" /* the rewritten text does not parse: the file is left unchanged */

typedef struct Edit {
    Span span;        /* bytes of the original text to replace */
    const char *text; /* replacement, borrowed; need not be NUL-terminated */
    uint32_t len;
    uint32_t seq; /* order of addition; set by rw_add, breaks ties between inserts */
} Edit;

typedef Vec(Edit) EditList;

/* Appends an edit replacing span with text (NUL-terminated, borrowed). */
void rw_add(EditList *l, Span span, const char *text);
/* The same with an explicit length. */
void rw_add_n(EditList *l, Span span, const char *text, uint32_t len);
/* Appends an insertion of text at offset. */
void rw_insert(EditList *l, uint32_t offset, const char *text);
void rw_list_free(EditList *l);

/* Sorts the edits and builds the new text into out (cleared first). Returns 0, or -1 with one
 * RW_E_OVERLAP Diag (span: the second edit) when two edits overlap or one lies outside the
 * text; out is then empty. Does not parse. */
int rw_build(const char *text, uint32_t len, EditList *l, Buf *out, DiagList *diags);

/* rw_build, then re-parses the result (in a scratch arena). Returns 0 when the new text in out
 * parses, -1 with one Diag (RW_E_OVERLAP or RW_E_REPARSE, the parser's message quoted) when
 * not; out is then empty and nothing of the file should be changed. */
int rw_apply(Source *src, EditList *l, Buf *out, DiagList *diags);

/* Does the new text parse? A convenience for callers that built text by other means. */
bool rw_parses(const char *path, const char *text, uint32_t len, char *msg, uint32_t msglen);

/* Token helpers for edit producers (tokens in source order, as the lexer made them). */
/* Index of the first token starting at or after offset (toks->n when none). */
uint32_t rw_tok_from(const TokenArray *toks, uint32_t offset);
/* Index of the last token ending at or before offset, or UINT32_MAX when none. */
uint32_t rw_tok_before(const TokenArray *toks, uint32_t offset);
/* Whether text[from, to) holds a comment: a '#' outside every token. */
bool rw_has_comment(const char *text, const TokenArray *toks, uint32_t from, uint32_t to);
/* The line ending used by the line that contains offset ("\r\n", "\r" or "\n"; the first
 * line ending of the text when that line has none; "\n" when the text has none). */
const char *rw_eol_at(const char *text, uint32_t len, uint32_t offset);

#endif
