/* fixer: select the fixable findings of a file (SA101-SA103 Query chains, and the one-edit fixes
 * of simple_fix), convert them, apply. */
#include "fixer.h"

#include <stdlib.h>
#include <string.h>

#include "../rules/rules.h"
#include "edit.h"
#include "query_to_select.h"
#include "simple_fix.h"

void fix_result_init(FixResult *r)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->text);
    arena_init(&r->arena);
}

void fix_result_free(FixResult *r)
{
    buf_free(&r->text);
    VEC_FREE(r->chains);
    diag_list_free(&r->diags);
    arena_free(&r->arena);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
void fix_joined_classes(const FileFacts *ff, FixNames *out)
{
    for (uint32_t i = 0; i < ff->nrelationships; i++) {
        const FxRelationship *rel = &ff->relationships[i];
        if (!rel->lazy || strcmp(rel->lazy, "joined") != 0 || rel->uselist == 0 || rel->cls < 0)
            continue;
        VEC_PUSH(*out, ff->classes[rel->cls].name);
    }
}

bool fix_handles(const char *code)
{
    return rule_is_query_code(code) || sf_handles(code);
}

/* The findings of the file that fix_file rewrites, selected and not suppressed. */
static void query_findings(const FixInput *in, const FixOptions *o, FindingList *out)
{
    FindingSite site = {in->src, in->src->path, 0};
    rule_run_file(in->ff, &site, out);
    bool *keep = xcalloc(out->n + 1, sizeof *keep);
    for (uint32_t i = 0; i < out->n; i++)
        keep[i] = fix_handles(out->items[i].code) &&
                  rule_selected(out->items[i].code, o->select, o->nselect, o->ignore, o->nignore);
    finding_filter(out, keep);
    free(keep);
    SupFile sf = {in->src, &in->po->tokens};
    sup_filter(out, &sf, 1);
    /* An unsafe fix left out must not be announced as one --unsafe-fixes would apply when the
     * conversion cannot be done at all: such findings become manual, with the reason. */
    bool unsafe = false;
    for (uint32_t i = 0; i < out->n && !o->unsafe_fixes; i++)
        unsafe |= out->items[i].fix == FIX_UNSAFE;
    if (unsafe) fix_annotate(in, out, 0);
}

static const Finding *finding_for(const FindingList *l, const FxQuery *q, const char *code)
{
    for (uint32_t i = 0; i < l->n; i++) {
        const Finding *f = &l->items[i];
        if (strcmp(f->code, code) == 0 && f->span.start == q->loc.span.start &&
            f->span.end == q->loc.span.end)
            return f;
    }
    return NULL;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void push_chain(FixResult *r, const char *code, uint32_t line, uint32_t col, FixStatus st,
                       const char *reason)
{
    FixChain c = {code, line, col, st,
                  reason ? arena_strndup(&r->arena, reason, strlen(reason)) : NULL};
    VEC_PUSH(r->chains, c);
    r->nfixed += st == FIX_ST_FIXED;
    r->nmanual += st == FIX_ST_MANUAL;
    r->nunsafe += st == FIX_ST_UNSAFE;
}

static void add_chain(FixResult *r, const FxQuery *q, const char *code, FixStatus st,
                      const char *reason)
{
    push_chain(r, code, q->loc.line, q->loc.col + 1, st, reason);
}

/* A query context over the file, knowing the project's joined classes. */
static void open_context(QsContext *qc, const FixInput *in)
{
    qs_init(qc, in->src, &in->po->tokens, in->po->module, in->ff, in->a);
    if (in->fp) {
        qc->joined_classes = in->fp->joined_classes;
        qc->njoined = in->fp->njoined;
    }
}

/* One file's fix in progress. */
typedef struct FileFix {
    QsContext qc;
    FindingList findings; /* selected and not suppressed: query_findings() */
    const FixOptions *o;
    EditList edits;
    QsOutcome *out; /* one per query */
    FixResult *r;
} FileFix;

/* Converts the chain of query k (with its group) when its finding allows. */
static void fix_query(FileFix *fx, uint32_t k)
{
    QsContext *qc = &fx->qc;
    QsOutcome *out = fx->out;
    const FxQuery *q = &qc->ff->queries[k];
    const char *code = qs_code(q);
    const Finding *f = finding_for(&fx->findings, q, code);
    uint32_t group[256];
    uint32_t n = qs_group(qc, k, group, 256);
    for (uint32_t i = 0; i < n; i++)
        out[group[i]].done = true;
    if (!f) return; /* not selected, or suppressed */
    if (f->fix == FIX_UNSAFE && !fx->o->unsafe_fixes) {
        add_chain(fx->r, q, code, FIX_ST_UNSAFE, "unsafe fix: use --unsafe-fixes to apply it");
        return;
    }
    qs_convert(qc, k, &fx->edits, out);
    if (out[k].converted)
        add_chain(fx->r, q, code, FIX_ST_FIXED, NULL);
    else
        add_chain(fx->r, q, code, FIX_ST_MANUAL, out[k].manual);
}

/* A one-edit fix (simple_fix) tried on scratch edits: its reason for staying manual, or NULL.
 * The context's import plan is restored, so a fix not applied imports nothing. */
static const char *simple_dry_run(QsContext *qc, const Finding *f)
{
    ImportPlan saved = qc->imports;
    uint32_t first = qc->first_edit;
    EditList scratch = {0};
    const char *why = sf_fix(qc, f, &scratch);
    rw_list_free(&scratch);
    qc->imports = saved;
    qc->first_edit = first;
    return why;
}

static void add_simple(FileFix *fx, const Finding *f, FixStatus st, const char *reason)
{
    LineCol lc = source_linecol(fx->qc.src, f->span.start);
    push_chain(fx->r, f->code, lc.line, lc.col_byte + 1, st, reason);
}

/* query_findings annotated the findings when unsafe ones stay out: an unsafe finding is one the
 * fix converts, and a manual one gets its reason from a dry run. */
static void fix_simple(FileFix *fx, const Finding *f)
{
    if (f->fix == FIX_UNSAFE && !fx->o->unsafe_fixes) {
        add_simple(fx, f, FIX_ST_UNSAFE, "unsafe fix: use --unsafe-fixes to apply it");
        return;
    }
    const char *why =
        f->fix == FIX_MANUAL ? simple_dry_run(&fx->qc, f) : sf_fix(&fx->qc, f, &fx->edits);
    if (f->fix == FIX_MANUAL && !why) why = "no automatic fix for this case"; /* nothing applied */
    add_simple(fx, f, why ? FIX_ST_MANUAL : FIX_ST_FIXED, why);
}

static int chain_cmp(const void *pa, const void *pb)
{
    const FixChain *a = pa, *b = pb;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    return strcmp(a->code, b->code);
}

static void drop_all(FixResult *r)
{
    for (uint32_t i = 0; i < r->chains.n; i++)
        if (r->chains.items[i].status == FIX_ST_FIXED) r->chains.items[i].status = FIX_ST_DROPPED;
    r->nfixed = 0;
}

int fix_file(const FixInput *in, const FixOptions *o, FixResult *r)
{
    const FileFacts *ff = in->ff;
    Source *src = in->src;
    /* A transcoded file's text is not its bytes: writing it back would change its encoding. */
    if (in->po->transcoded) return 0;
    FileFix fx = {.o = o, .r = r};
    query_findings(in, o, &fx.findings);
    if (fx.findings.n == 0) {
        finding_list_free(&fx.findings);
        return 0;
    }
    open_context(&fx.qc, in);
    fx.out = xcalloc(ff->nqueries + 1, sizeof *fx.out);
    for (uint32_t k = 0; k < ff->nqueries; k++)
        if (!fx.out[k].done) fix_query(&fx, k);
    for (uint32_t i = 0; i < fx.findings.n; i++)
        if (sf_handles(fx.findings.items[i].code)) fix_simple(&fx, &fx.findings.items[i]);
    if (r->chains.n > 1) qsort(r->chains.items, r->chains.n, sizeof *r->chains.items, chain_cmp);
    qs_finish(&fx.qc, &fx.edits);
    int rc = 0;
    if (fx.edits.n) {
        rc = rw_apply(src, &fx.edits, &r->text, &r->diags);
        r->changed =
            rc == 0 && (r->text.len != src->len || memcmp(r->text.data, src->text, src->len) != 0);
        if (rc != 0) drop_all(r);
    }
    rw_list_free(&fx.edits);
    free(fx.out);
    qs_free(&fx.qc);
    finding_list_free(&fx.findings);
    return rc;
}

static void mark_manual(Finding *f, const char *reason)
{
    Buf b;
    buf_init(&b);
    buf_printf(&b, "%s (manual: %s)", f->message, reason);
    free(f->message);
    f->message = b.data;
    f->fix = FIX_MANUAL;
}

typedef struct QueryAt {
    Span span;
    uint32_t k;
} QueryAt;

static int query_at_cmp(const void *x, const void *y)
{
    const QueryAt *a = x, *b = y;
    if (a->span.start != b->span.start) return a->span.start < b->span.start ? -1 : 1;
    if (a->span.end != b->span.end) return a->span.end < b->span.end ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

/* The first query (by index) whose chain has exactly span s, or -1: a binary search of the
 * queries sorted by (span, index). */
static int32_t query_with_span(const QueryAt *at, uint32_t n, Span s)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        Span m = at[mid].span;
        if (m.start < s.start || (m.start == s.start && m.end < s.end))
            lo = mid + 1;
        else
            hi = mid;
    }
    bool hit = lo < n && at[lo].span.start == s.start && at[lo].span.end == s.end;
    return hit ? (int32_t)at[lo].k : -1;
}

static void mark_findings(const FileFacts *ff, const QsOutcome *out, FindingList *l, uint32_t file)
{
    QueryAt *at = xcalloc(ff->nqueries + 1, sizeof *at);
    for (uint32_t k = 0; k < ff->nqueries; k++)
        at[k] = (QueryAt){ff->queries[k].loc.span, k};
    qsort(at, ff->nqueries, sizeof *at, query_at_cmp);
    for (uint32_t i = 0; i < l->n; i++) {
        Finding *f = &l->items[i];
        if (f->file != file || f->fix == FIX_MANUAL || !rule_is_query_code(f->code)) continue;
        int32_t k = query_with_span(at, ff->nqueries, f->span);
        if (k >= 0 && out[k].manual) mark_manual(f, out[k].manual);
    }
    free(at);
}

void fix_annotate(const FixInput *in, FindingList *l, uint32_t file)
{
    const FileFacts *ff = in->ff;
    QsContext qc;
    open_context(&qc, in);
    QsOutcome *out = xcalloc(ff->nqueries + 1, sizeof *out);
    EditList scratch = {0};
    for (uint32_t k = 0; k < ff->nqueries; k++)
        if (!out[k].done) qs_convert(&qc, k, &scratch, out);
    mark_findings(ff, out, l, file);
    for (uint32_t i = 0; i < l->n; i++) {
        Finding *f = &l->items[i];
        if (f->file != file || f->fix == FIX_MANUAL || !sf_handles(f->code)) continue;
        const char *why = simple_dry_run(&qc, f);
        if (why) mark_manual(f, why);
    }
    rw_list_free(&scratch);
    free(out);
    qs_free(&qc);
}

int fix_text(const char *path, const char *text, uint32_t len, const FixOptions *o, FixResult *r)
{
    Source src;
    source_from_mem(&src, path, text, len);
    Arena a;
    arena_init(&a);
    DiagList d = {0};
    ParseOutput po;
    int rc = 1;
    if (parse_source(&src, &a, &po, &d) == 0) {
        FileFacts *ff = facts_extract(po.module, &src, &a);
        FixNames joined = {0};
        fix_joined_classes(ff, &joined);
        FixProject fp = {joined.items, joined.n};
        FixInput in = {&src, &po, ff, &fp, &a};
        rc = fix_file(&in, o, r);
        VEC_FREE(joined);
    }
    diag_list_free(&d);
    arena_free(&a);
    source_free(&src);
    return rc;
}
