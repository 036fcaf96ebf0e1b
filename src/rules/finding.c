#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/xmalloc.h"

/* The message as a heap string (the Buf's data, which the list then owns). */
static char *vformat(const char *fmt, va_list ap)
{
    Buf b;
    buf_init(&b);
    buf_vprintf(&b, fmt, ap);
    return b.data ? b.data : xstrndup("", 0);
}

static Finding *push(FindingList *l, const FindingSite *site, const char *code, char *msg)
{
    Finding f;
    memset(&f, 0, sizeof f);
    f.code = code;
    f.file = site->file;
    f.path = site->path;
    f.message = msg;
    f.fix = FIX_MANUAL;
    f.qualname = "";
    VEC_PUSH(*l, f);
    return &VEC_LAST(*l);
}

Finding *finding_add(FindingList *l, const FindingSite *site, const char *code, Span span,
                     const char *qualname, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Finding *f = push(l, site, code, vformat(fmt, ap));
    va_end(ap);
    f->span = span;
    f->qualname = qualname ? qualname : "";
    if (site->src) {
        LineCol lc = source_linecol(site->src, span.start);
        f->line = lc.line;
        f->col = source_col_cp(site->src, span.start) + 1;
        f->end_line =
            source_linecol(site->src, span.end > span.start ? span.end - 1 : span.start).line;
    } else {
        f->line = f->end_line = 1;
        f->col = 1;
    }
    finding_fingerprint(code, site->path, f->qualname, site->src, f->line, f->fingerprint);
    return f;
}

Finding *finding_add_line(FindingList *l, const FindingSite *site, const char *code, uint32_t line,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Finding *f = push(l, site, code, vformat(fmt, ap));
    va_end(ap);
    f->line = f->end_line = line ? line : 1;
    f->col = 1;
    finding_fingerprint(code, site->path, "", NULL, 0, f->fingerprint);
    return f;
}

static int cmp(const void *pa, const void *pb)
{
    const Finding *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    c = strcmp(a->code, b->code);
    return c ? c : strcmp(a->message, b->message);
}

void finding_sort(FindingList *l)
{
    if (l->n < 2) return;
    qsort(l->items, l->n, sizeof *l->items, cmp);
    uint32_t w = 1;
    for (uint32_t r = 1; r < l->n; r++) {
        if (cmp(&l->items[w - 1], &l->items[r]) == 0) {
            free(l->items[r].message);
            continue;
        }
        l->items[w++] = l->items[r];
    }
    l->n = w;
}

void finding_filter(FindingList *l, const bool *keep)
{
    uint32_t w = 0;
    for (uint32_t r = 0; r < l->n; r++) {
        if (keep[r])
            l->items[w++] = l->items[r];
        else
            free(l->items[r].message);
    }
    l->n = w;
}

void finding_list_free(FindingList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        free(l->items[i].message);
    VEC_FREE(*l);
}

const char *finding_fix_name(FixApplicability fix)
{
    return fix == FIX_SAFE ? "safe" : fix == FIX_UNSAFE ? "unsafe" : "manual";
}
