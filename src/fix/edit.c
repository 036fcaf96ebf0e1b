/* edit: sort, check and apply a file's edits in one pass, then re-parse the result. */
#include "edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../syntax/parser.h"

void rw_add_n(EditList *l, Span span, const char *text, uint32_t len)
{
    Edit e = {span, text, len, l->n};
    VEC_PUSH(*l, e);
}

void rw_add(EditList *l, Span span, const char *text)
{
    rw_add_n(l, span, text, (uint32_t)strlen(text));
}

void rw_insert(EditList *l, uint32_t offset, const char *text)
{
    rw_add(l, (Span){offset, offset}, text);
}

void rw_list_free(EditList *l)
{
    VEC_FREE(*l);
}

/* By start; at one start, inserts before replacements; then in order of addition. */
static int cmp_edit(const void *pa, const void *pb)
{
    const Edit *a = pa, *b = pb;
    if (a->span.start != b->span.start) return a->span.start < b->span.start ? -1 : 1;
    bool ai = a->span.start == a->span.end, bi = b->span.start == b->span.end;
    if (ai != bi) return ai ? -1 : 1;
    if (a->span.end != b->span.end) return a->span.end < b->span.end ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Returns the index of the first edit that overlaps its predecessor or lies outside the text,
 * or -1. Edits must be sorted. */
static int32_t find_conflict(const EditList *l, uint32_t len)
{
    uint32_t reach = 0; /* end of the furthest replacement so far */
    for (uint32_t i = 0; i < l->n; i++) {
        Span s = l->items[i].span;
        if (s.start > s.end || s.end > len || s.start < reach) return (int32_t)i;
        if (s.end > reach) reach = s.end;
    }
    return -1;
}

int rw_build(const char *text, uint32_t len, EditList *l, Buf *out, DiagList *diags)
{
    buf_clear(out);
    if (l->n > 1) qsort(l->items, l->n, sizeof *l->items, cmp_edit);
    int32_t bad = find_conflict(l, len);
    if (bad >= 0) {
        Edit *e = &l->items[bad];
        diag_add(diags, DIAG_ERROR, RW_E_OVERLAP, e->span,
                 "overlapping edits at bytes %u-%u: file left unchanged", e->span.start,
                 e->span.end);
        return -1;
    }
    uint32_t pos = 0;
    buf_reserve(out, len + 64);
    for (uint32_t i = 0; i < l->n; i++) {
        const Edit *e = &l->items[i];
        buf_put(out, text + pos, e->span.start - pos);
        buf_put(out, e->text, e->len);
        pos = e->span.end;
    }
    buf_put(out, text + pos, len - pos);
    return 0;
}

bool rw_parses(const char *path, const char *text, uint32_t len, char *msg, uint32_t msglen)
{
    Source src;
    source_from_mem(&src, path, text, len);
    Arena a;
    arena_init(&a);
    DiagList d = {0};
    ParseOutput po;
    bool ok = parse_source(&src, &a, &po, &d) == 0;
    if (!ok && msg && msglen) {
        LineCol lc = d.n ? source_linecol(&src, d.items[0].span.start) : (LineCol){1, 0};
        snprintf(msg, msglen, "%u:%u: %s", lc.line, lc.col_byte + 1,
                 d.n ? d.items[0].message : "syntax error");
    }
    diag_list_free(&d);
    arena_free(&a);
    source_free(&src);
    return ok;
}

int rw_apply(Source *src, EditList *l, Buf *out, DiagList *diags)
{
    if (rw_build(src->text, src->len, l, out, diags) != 0) return -1;
    char msg[300];
    if (rw_parses(src->path, out->data ? out->data : "", (uint32_t)out->len, msg, sizeof msg))
        return 0;
    Span first = l->n ? l->items[0].span : (Span){0, 0};
    diag_add(diags, DIAG_ERROR, RW_E_REPARSE, first,
             "rewritten text does not parse (%s): file left unchanged", msg);
    buf_clear(out);
    return -1;
}

/* ---- token helpers --------------------------------------------------------------------------- */

uint32_t rw_tok_from(const TokenArray *toks, uint32_t offset)
{
    uint32_t lo = 0, hi = toks->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (toks->items[mid].span.start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint32_t rw_tok_before(const TokenArray *toks, uint32_t offset)
{
    uint32_t i = rw_tok_from(toks, offset);
    while (i > 0) {
        i--;
        if (toks->items[i].span.end <= offset &&
            toks->items[i].span.end > toks->items[i].span.start)
            return i;
    }
    return UINT32_MAX;
}

static bool gap_has_hash(const char *text, uint32_t from, uint32_t to)
{
    return from < to && memchr(text + from, '#', to - from) != NULL;
}

bool rw_has_comment(const char *text, const TokenArray *toks, uint32_t from, uint32_t to)
{
    uint32_t pos = from;
    for (uint32_t i = rw_tok_from(toks, from); i < toks->n; i++) {
        Span s = toks->items[i].span;
        if (s.start >= to) break;
        if (gap_has_hash(text, pos, s.start)) return true;
        if (s.end > pos) pos = s.end;
    }
    return gap_has_hash(text, pos, to);
}

static const char *eol_of(const char *p, const char *end)
{
    if (*p == '\r') return p + 1 < end && p[1] == '\n' ? "\r\n" : "\r";
    return "\n";
}

const char *rw_eol_at(const char *text, uint32_t len, uint32_t offset)
{
    const char *end = text + len;
    for (const char *p = text + (offset < len ? offset : len); p < end; p++)
        if (*p == '\n' || *p == '\r') return eol_of(p, end);
    for (const char *p = text; p < end; p++)
        if (*p == '\n' || *p == '\r') return eol_of(p, end);
    return "\n";
}
