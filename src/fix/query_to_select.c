/* query_to_select: legacy Query chains to select() statements, as edits (see the header). */
#include "query_to_select.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/xmalloc.h"

/* ---- parent index ------------------------------------------------------------------------- */

struct QsParents {
    const Node **keys, **vals;
    uint32_t cap, n; /* cap: power of two */
};

static uint32_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

static void par_put(QsParents *pm, const Node *k, const Node *v);

static void par_grow(QsParents *pm)
{
    QsParents old = *pm;
    pm->cap = old.cap ? old.cap * 2 : 1024;
    pm->n = 0;
    pm->keys = xcalloc(pm->cap, sizeof(const Node *));
    pm->vals = xcalloc(pm->cap, sizeof(const Node *));
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.keys[i]) par_put(pm, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
}

static void par_put(QsParents *pm, const Node *k, const Node *v)
{
    if ((pm->n + 1) * 2 > pm->cap) par_grow(pm);
    uint32_t i = hash_ptr(k) & (pm->cap - 1);
    while (pm->keys[i] && pm->keys[i] != k)
        i = (i + 1) & (pm->cap - 1);
    if (!pm->keys[i]) pm->n++;
    pm->keys[i] = k;
    pm->vals[i] = v;
}

static const Node *parent(const QsContext *qc, const Node *k)
{
    const QsParents *pm = qc->parents;
    if (!k || !pm->cap) return NULL;
    uint32_t i = hash_ptr(k) & (pm->cap - 1);
    while (pm->keys[i]) {
        if (pm->keys[i] == k) return pm->vals[i];
        i = (i + 1) & (pm->cap - 1);
    }
    return NULL;
}

typedef struct ParWalk {
    QsParents *pm;
    const Node *up;
} ParWalk;

static void par_visit(Node *n, void *ud)
{
    ParWalk *w = ud;
    par_put(w->pm, n, w->up);
    ParWalk inner = {w->pm, n};
    ast_children(n, par_visit, &inner);
}

/* ---- context -------------------------------------------------------------------------------- */

typedef struct RootKey {
    uintptr_t root;
    uint32_t k;
} RootKey;

static int root_cmp(const void *x, const void *y)
{
    const RootKey *a = x, *b = y;
    if (a->root != b->root) return a->root < b->root ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

/* Sorts the query indexes by (root, index), so that qs_group reads a run. */
static void index_roots(QsContext *qc)
{
    uint32_t n = qc->ff->nqueries;
    RootKey *keys = xcalloc(n + 1, sizeof *keys);
    for (uint32_t k = 0; k < n; k++)
        keys[k] = (RootKey){(uintptr_t)qc->ff->queries[k].root, k};
    qsort(keys, n, sizeof *keys, root_cmp);
    qc->by_root = xcalloc(n + 1, sizeof *qc->by_root);
    qc->rank = xcalloc(n + 1, sizeof *qc->rank);
    for (uint32_t i = 0; i < n; i++) {
        qc->by_root[i] = keys[i].k;
        qc->rank[keys[i].k] = i;
    }
    free(keys);
}

void qs_init(QsContext *qc, Source *src, const TokenArray *toks, const Node *module,
             const FileFacts *ff, Arena *a)
{
    memset(qc, 0, sizeof *qc);
    qc->src = src;
    qc->toks = toks;
    qc->module = module;
    qc->ff = ff;
    qc->a = a;
    qc->first_edit = UINT32_MAX;
    im_init(&qc->imports, module, src, toks, a);
    qc->parents = xcalloc(1, sizeof *qc->parents);
    ParWalk w = {qc->parents, NULL};
    ast_children(module, par_visit, &w);
    index_roots(qc);
}

void qs_free(QsContext *qc)
{
    free(qc->by_root);
    free(qc->rank);
    VEC_FREE(qc->done);
    if (qc->parents) {
        free(qc->parents->keys);
        free(qc->parents->vals);
        free(qc->parents);
    }
    qc->parents = NULL;
}

const char *qs_code(const FxQuery *q)
{
    if (q->terminal == FX_TERM_GET) return "SA102";
    if (q->terminal == FX_TERM_UPDATE || q->terminal == FX_TERM_DELETE) return "SA103";
    return "SA101";
}

/* The run of by_root around query k holds the queries with its root, in index order. */
uint32_t qs_group(const QsContext *qc, uint32_t k, uint32_t *group, uint32_t cap)
{
    const FxQuery *q = qc->ff->queries;
    if (!q[k].root) {
        group[0] = k;
        return cap ? 1 : 0;
    }
    uint32_t lo = qc->rank[k], hi = lo, n = 0;
    while (lo > 0 && q[qc->by_root[lo - 1]].root == q[k].root)
        lo--;
    while (hi + 1 < qc->ff->nqueries && q[qc->by_root[hi + 1]].root == q[k].root)
        hi++;
    for (uint32_t i = lo; i <= hi && n < cap; i++)
        group[n++] = qc->by_root[i];
    return n;
}

/* ---- one conversion ---------------------------------------------------------------------- */

#define MAX_STEPS  64
#define MAX_SCOPES 32

typedef struct Conv {
    QsContext *qc;
    EditList ed; /* this conversion's edits, committed only on success */
    const Node *scopes[MAX_SCOPES];
    uint32_t nscopes;
    bool need[IM__COUNT]; /* imports this conversion relies on */
    const char *why;      /* first reason to give up, or NULL */
} Conv;

static const char *fmt(Conv *cv, const char *f, ...) __attribute__((format(printf, 2, 3)));

static const char *fmt(Conv *cv, const char *f, ...)
{
    Buf b;
    buf_init(&b);
    va_list ap;
    va_start(ap, f);
    buf_vprintf(&b, f, ap);
    va_end(ap);
    const char *s = arena_strndup(cv->qc->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

/* Records the first reason only; returns false so callers can `return fail(...)`. */
static bool fail(Conv *cv, const char *why)
{
    if (!cv->why) cv->why = why;
    return false;
}

static const char *node_text(Conv *cv, const Node *n)
{
    return arena_strndup(cv->qc->a, cv->qc->src->text + n->span.start, n->span.end - n->span.start);
}

static uint32_t line_of(Conv *cv, uint32_t off)
{
    return source_linecol(cv->qc->src, off).line;
}

static void put(Conv *cv, Span s, const char *text)
{
    rw_add(&cv->ed, s, text);
}

static void ins(Conv *cv, uint32_t off, const char *text)
{
    rw_insert(&cv->ed, off, text);
}

/* The method name of call `x.name(...)`. */
static Span name_span(const Node *call)
{
    const Node *at = call->Call.func;
    uint32_t end = at->span.end;
    return (Span){end - (uint32_t)strlen(at->Attribute.attr), end};
}

static bool has_comment(Conv *cv, uint32_t from, uint32_t to)
{
    return rw_has_comment(cv->qc->src->text, cv->qc->toks, from, to);
}

/* How code here may name a sqlalchemy function; NULL (with a reason) when it cannot. */
static const char *spell(Conv *cv, ImName name)
{
    bool needs = false;
    const char *s = im_spell(&cv->qc->imports, name, cv->scopes, cv->nscopes, &needs);
    if (!s) {
        fail(cv, fmt(cv, "the name '%s' means something else here", im_name_text(name)));
        return NULL;
    }
    cv->need[name] |= needs;
    return s;
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0) return true;
    return false;
}

/* Dotted names only (a.b.c): safe to drop or repeat. */
static bool is_dotted(const Node *n)
{
    while (n->kind == AST_ATTRIBUTE)
        n = n->Attribute.value;
    return n->kind == AST_NAME;
}

static const Node *dotted_base(const Node *n)
{
    while (n->kind == AST_ATTRIBUTE)
        n = n->Attribute.value;
    return n;
}

/* ---- what query(...) selects ----------------------------------------------------------------- */

typedef enum { ARG_ENTITY, ARG_COLUMN, ARG_AGGREGATE, ARG_UNKNOWN } ArgKind;

static const char *const aggregates[] = {
    "count",     "sum",      "avg",      "min",      "max",       "group_concat",     "string_agg",
    "array_agg", "bool_and", "bool_or",  "every",    "stddev",    "stddev_pop",       "stddev_samp",
    "variance",  "var_pop",  "var_samp", "json_agg", "jsonb_agg", "json_group_array", "total",
    NULL};
static const char *const column_calls[] = {
    "distinct", "cast", "literal", "literal_column", "case", "type_coerce", "extract", "tuple_",
    "column",   "and_", "or_",     "not_",           "null", "true",        "false",   NULL};

static bool is_upper(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z';
}

static bool is_class_name(const QsContext *qc, const char *name)
{
    for (uint32_t i = 0; i < qc->ff->nclasses; i++)
        if (strcmp(qc->ff->classes[i].name, name) == 0) return true;
    return false;
}

/* `func.x` / `sa.func.x` / `sqlalchemy.func.x`: the function name x, else NULL. */
static const char *func_name(const Node *callee)
{
    if (callee->kind != AST_ATTRIBUTE) return NULL;
    const Node *v = callee->Attribute.value;
    if ((v->kind == AST_NAME && strcmp(v->Name.id, "func") == 0) ||
        (v->kind == AST_ATTRIBUTE && strcmp(v->Attribute.attr, "func") == 0 && is_dotted(v)))
        return callee->Attribute.attr;
    return NULL;
}

static ArgKind arg_kind(const QsContext *qc, const Node *e);

static ArgKind call_kind(const QsContext *qc, const Node *e)
{
    const Node *f = e->Call.func;
    const char *fn = func_name(f);
    if (fn) {
        if (in_list(fn, aggregates)) return ARG_AGGREGATE;
        for (uint32_t i = 0; i < e->Call.args.n; i++)
            if (arg_kind(qc, e->Call.args.items[i]) == ARG_AGGREGATE)
                return ARG_AGGREGATE; /* coalesce(sum(x), 0) */
        return ARG_COLUMN;
    }
    const char *name = f->kind == AST_NAME        ? f->Name.id
                       : f->kind == AST_ATTRIBUTE ? f->Attribute.attr
                                                  : NULL;
    if (!name) return ARG_UNKNOWN;
    if (strcmp(name, "aliased") == 0) return ARG_ENTITY;
    if (strcmp(name, "exists") == 0) return ARG_AGGREGATE; /* one row, always */
    if (f->kind == AST_ATTRIBUTE && strcmp(name, "label") == 0)
        return arg_kind(qc, f->Attribute.value);
    if (in_list(name, column_calls)) return ARG_COLUMN;
    if (f->kind == AST_ATTRIBUTE && arg_kind(qc, f->Attribute.value) == ARG_COLUMN)
        return ARG_COLUMN; /* Job.name.lower(), Job.id.desc() */
    return ARG_UNKNOWN;
}

static ArgKind arg_kind(const QsContext *qc, const Node *e)
{
    switch (e->kind) {
        case AST_NAME:
            return is_upper(e->Name.id) || is_class_name(qc, e->Name.id) ? ARG_ENTITY : ARG_UNKNOWN;
        case AST_ATTRIBUTE:
            if (!is_dotted(e)) return ARG_UNKNOWN;
            if (is_upper(e->Attribute.attr)) return ARG_ENTITY; /* models.Job */
            return is_upper(dotted_base(e)->Name.id) || e->Attribute.value->kind == AST_ATTRIBUTE
                       ? ARG_COLUMN
                       : ARG_UNKNOWN; /* Job.id, models.Job.id; not obj.attr */
        case AST_CALL: return call_kind(qc, e);
        case AST_BINOP:
        case AST_COMPARE:
        case AST_BOOLOP:
        case AST_UNARYOP:
        case AST_CONSTANT: return ARG_COLUMN;
        default: return ARG_UNKNOWN;
    }
}

typedef struct QInfo {
    bool single_entity; /* exactly one mapped entity: scalars() */
    bool any_entity;    /* rows hold entities: legacy Query de-duplicated them */
    bool all_aggregate; /* only aggregate functions: exactly one row without GROUP BY */
    const Node *entity; /* the single entity argument */
    const char *entity_name;
} QInfo;

static bool query_info(Conv *cv, const Node *root, QInfo *qi)
{
    memset(qi, 0, sizeof *qi);
    const NodeList *args = &root->Call.args;
    if (args->n == 0 || root->Call.keywords.n > 0)
        return fail(cv, "query() without entities or with keywords");
    qi->all_aggregate = true;
    for (uint32_t i = 0; i < args->n; i++) {
        ArgKind k = arg_kind(cv->qc, args->items[i]);
        if (k == ARG_UNKNOWN)
            return fail(cv, fmt(cv,
                                "cannot tell whether query() selects an entity or a column "
                                "('%s')",
                                node_text(cv, args->items[i])));
        qi->any_entity |= k == ARG_ENTITY;
        qi->all_aggregate &= k == ARG_AGGREGATE;
    }
    qi->single_entity = args->n == 1 && qi->any_entity;
    if (qi->single_entity) {
        qi->entity = args->items[0];
        const Node *e = qi->entity;
        qi->entity_name = e->kind == AST_NAME        ? e->Name.id
                          : e->kind == AST_ATTRIBUTE ? e->Attribute.attr
                                                     : NULL;
    }
    return true;
}

/* ---- chains ------------------------------------------------------------------------------ */

typedef struct Chain {
    const Node *base;             /* the query() Call, or the variable's Name */
    const Node *steps[MAX_STEPS]; /* builder calls after base, in source order */
    uint32_t nsteps;
    const Node *term;  /* terminal call, or NULL */
    const char *tmeth; /* its method */
    const Node *top;   /* outermost node of the chain */
} Chain;

static const char *const builders[] = {
    "filter",      "filter_by",   "where",           "order_by",    "limit",
    "offset",      "join",        "outerjoin",       "options",     "group_by",
    "having",      "distinct",    "with_for_update", "slice",       "execution_options",
    "prefix_with", "suffix_with", "correlate",       "select_from", "populate_existing",
    "yield_per",   NULL};
static const char *const terminals[] = {
    "all",    "first",    "one", "one_or_none",     "scalar",    "count",  "get", "update",
    "delete", "subquery", "cte", "scalar_subquery", "as_scalar", "exists", NULL};
static const char *const dml_builders[] = {"filter", "filter_by", "where", NULL};
static const char *const eager_joins[] = {"joinedload", "joinedload_all", "contains_eager", NULL};

static const char *meth_of(const Node *call)
{
    return call->Call.func->Attribute.attr;
}

static bool join_ok(Conv *cv, const Node *call)
{
    const NodeList *args = &call->Call.args;
    for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
        const char *kw = call->Call.keywords.items[i]->keyword.arg;
        if (!kw || (strcmp(kw, "isouter") != 0 && strcmp(kw, "full") != 0))
            return fail(cv, fmt(cv, "%s() with keyword '%s'", meth_of(call), kw ? kw : "**"));
    }
    if (args->n == 0 || args->n > 2)
        return fail(cv, fmt(cv, "%s() with %u arguments", meth_of(call), args->n));
    for (uint32_t i = 0; i < args->n; i++) {
        const Node *a = args->items[i];
        if (a->kind == AST_CONSTANT) return fail(cv, "string join");
        if (a->kind == AST_CALL && a->Call.func->kind == AST_NAME &&
            strcmp(a->Call.func->Name.id, "aliased") == 0)
            return fail(cv, "aliased join");
        if (a->kind == AST_STARRED) return fail(cv, fmt(cv, "%s() with *args", meth_of(call)));
    }
    const Node *target = args->items[0];
    if (target->kind == AST_NAME && arg_kind(cv->qc, target) != ARG_ENTITY)
        return fail(cv, fmt(cv, "join to '%s', which is not a class name (aliased entity?)",
                            target->Name.id));
    if (args->n == 2 && arg_kind(cv->qc, target) != ARG_ENTITY)
        return fail(cv, "join along a relationship path (1.x style)");
    return true;
}

/* Checks one builder call's arguments. */
static bool builder_ok(Conv *cv, const Node *call)
{
    const char *m = meth_of(call);
    if (strcmp(m, "join") == 0 || strcmp(m, "outerjoin") == 0) return join_ok(cv, call);
    if (strcmp(m, "populate_existing") == 0 && call->Call.args.n + call->Call.keywords.n)
        return fail(cv, "populate_existing() with arguments");
    if (strcmp(m, "yield_per") == 0 && (call->Call.args.n != 1 || call->Call.keywords.n))
        return fail(cv, "yield_per() without one argument");
    return true;
}

/* Follows method calls up from base; stops after a terminal method. */
static bool climb(Conv *cv, const Node *base, Chain *ch)
{
    memset(ch, 0, sizeof *ch);
    ch->base = base;
    const Node *cur = base;
    for (;;) {
        const Node *at = parent(cv->qc, cur);
        if (!at || at->kind != AST_ATTRIBUTE || at->Attribute.value != cur) break;
        const Node *call = parent(cv->qc, at);
        const char *m = at->Attribute.attr;
        if (!call || call->kind != AST_CALL || call->Call.func != at)
            return fail(cv, fmt(cv, "the Query attribute '%s' is read", m));
        cur = call;
        if (in_list(m, terminals)) {
            ch->term = call;
            ch->tmeth = m;
            break;
        }
        if (!in_list(m, builders))
            return fail(cv, fmt(cv, "%s() has no select() equivalent here", m));
        if (ch->nsteps == MAX_STEPS) return fail(cv, "chain too long");
        if (!builder_ok(cv, call)) return false;
        ch->steps[ch->nsteps++] = call;
    }
    ch->top = cur;
    return true;
}

static uint32_t inner_end(const Chain *ch)
{
    return ch->nsteps ? ch->steps[ch->nsteps - 1]->span.end : ch->base->span.end;
}

static bool has_step(const Chain *ch, const char *m)
{
    for (uint32_t i = 0; i < ch->nsteps; i++)
        if (strcmp(meth_of(ch->steps[i]), m) == 0) return true;
    return false;
}

typedef struct EagerWalk {
    bool found;
} EagerWalk;

static void eager_visit(Node *n, void *ud)
{
    EagerWalk *w = ud;
    if (w->found) return;
    if (n->kind == AST_CALL) {
        const Node *f = n->Call.func;
        const char *name = f->kind == AST_NAME        ? f->Name.id
                           : f->kind == AST_ATTRIBUTE ? f->Attribute.attr
                                                      : "";
        if (in_list(name, eager_joins)) {
            w->found = true;
            return;
        }
    }
    ast_children(n, eager_visit, w);
}

/* Joins or joined eager loading: rows may repeat an entity, which legacy Query removed. */
static bool may_repeat(const Chain *ch)
{
    for (uint32_t i = 0; i < ch->nsteps; i++) {
        const char *m = meth_of(ch->steps[i]);
        if (strcmp(m, "join") == 0 || strcmp(m, "outerjoin") == 0) return true;
        if (strcmp(m, "options") == 0) {
            EagerWalk w = {false};
            ast_children(ch->steps[i], eager_visit, &w);
            if (w.found) return true;
        }
    }
    return false;
}

static bool joined_class(const QsContext *qc, const char *name)
{
    for (uint32_t i = 0; name && i < qc->njoined; i++)
        if (strcmp(qc->joined_classes[i], name) == 0) return true;
    return false;
}

/* Renames builders to their select() spelling. dml: only filter/filter_by/where allowed. */
static bool rewrite_steps(Conv *cv, const Chain *ch, bool dml)
{
    for (uint32_t i = 0; i < ch->nsteps; i++) {
        const Node *call = ch->steps[i];
        const char *m = meth_of(call);
        Span name = name_span(call);
        if (dml && !in_list(m, dml_builders))
            return fail(cv, fmt(cv, "%s() before a bulk update or delete", m));
        if (strcmp(m, "filter") == 0) {
            put(cv, name, "where");
        } else if (strcmp(m, "populate_existing") == 0) {
            put(cv, (Span){name.start, call->span.end},
                "execution_options(populate_existing=True)");
        } else if (strcmp(m, "yield_per") == 0) {
            put(cv, name, "execution_options");
            ins(cv, call->Call.args.items[0]->span.start, "yield_per=");
        }
    }
    return true;
}

/* The whole line (with its line break) when span is alone on its line, else span. */
static Span own_line(Conv *cv, Span span)
{
    const char *t = cv->qc->src->text;
    uint32_t len = cv->qc->src->len, a = span.start, b = span.end;
    while (a > 0 && (t[a - 1] == ' ' || t[a - 1] == '\t'))
        a--;
    while (b < len && (t[b] == ' ' || t[b] == '\t'))
        b++;
    if ((a > 0 && t[a - 1] != '\n' && t[a - 1] != '\r') ||
        (b < len && t[b] != '\n' && t[b] != '\r'))
        return span;
    b += b < len && t[b] == '\r';
    b += b < len && t[b] == '\n';
    return (Span){a, b};
}

/* Removes `.term(...)` and puts text right after the last builder (or the base). */
static bool drop_term(Conv *cv, const Chain *ch, const char *text)
{
    Span name = name_span(ch->term);
    const TokenArray *toks = cv->qc->toks;
    uint32_t ti = rw_tok_from(toks, name.start);
    if (ti == 0 || ti >= toks->n || toks->items[ti - 1].kind != TK_DOT)
        return fail(cv, "unexpected tokens before the terminal method");
    uint32_t dot = toks->items[ti - 1].span.start, end = inner_end(ch);
    if (!has_comment(cv, end, dot)) {
        put(cv, (Span){end, ch->term->span.end}, text);
    } else {
        put(cv, own_line(cv, (Span){dot, ch->term->span.end}), "");
        ins(cv, end, text);
    }
    return true;
}

/* ---- terminals ----------------------------------------------------------------------------- */

/* How the statement is executed; the tail edits are made by plan_term. */
typedef struct Plan {
    const char *meth;   /* session method opening the call, or NULL: no session (subquery) */
    const char *prefix; /* text between "meth(" and the statement */
    ImName stmt;        /* IM_SELECT, IM_UPDATE or IM_DELETE */
    bool count_simple;  /* single chain: select(func.count()).select_from(Entity) */
    bool get;           /* single chain: s.get(Entity, ident) */
} Plan;

typedef struct Shape {
    QInfo qi;
    bool uniq;    /* add .unique() to the result */
    bool grouped; /* GROUP BY somewhere: aggregates may give several rows */
    bool single;  /* one expression (not a chain across statements) */
} Shape;

static bool no_args(Conv *cv, const Node *call)
{
    if (call->Call.args.n || call->Call.keywords.n)
        return fail(cv, fmt(cv, "%s() with arguments", meth_of(call)));
    return true;
}

static const char *close_result(const Shape *sh)
{
    return sh->uniq ? ").unique()" : ")";
}

static bool plan_scalar(Conv *cv, const Chain *ch, const Shape *sh, Plan *p)
{
    if (!no_args(cv, ch->term)) return false;
    if (sh->qi.all_aggregate && !sh->grouped) {
        p->meth = "scalar";
        return drop_term(cv, ch, ")");
    }
    p->meth = "execute"; /* legacy scalar() raised when several rows came back */
    ins(cv, inner_end(ch), close_result(sh));
    put(cv, name_span(ch->term), "scalar_one_or_none");
    return true;
}

static bool plan_count(Conv *cv, const Chain *ch, const Shape *sh, Plan *p)
{
    if (!no_args(cv, ch->term)) return false;
    const char *fn = spell(cv, IM_FUNC), *sel = spell(cv, IM_SELECT);
    if (!fn || !sel) return false;
    p->meth = "scalar";
    bool simple = sh->single && sh->qi.single_entity;
    for (uint32_t i = 0; simple && i < ch->nsteps; i++)
        simple = in_list(meth_of(ch->steps[i]), dml_builders);
    if (simple && !has_comment(cv, name_span(ch->base).start, ch->base->span.end)) {
        p->count_simple = true;
        p->prefix =
            fmt(cv, "%s(%s.count()).select_from(%s)", sel, fn, node_text(cv, sh->qi.entity));
        return drop_term(cv, ch, ")");
    }
    p->prefix = fmt(cv, "%s(%s.count()).select_from(", sel, fn);
    return drop_term(cv, ch, ".subquery()))");
}

static const Node *keyword(const Node *call, const char *name)
{
    for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
        const Node *kw = call->Call.keywords.items[i];
        if (!kw->keyword.arg || strcmp(kw->keyword.arg, name) == 0) return kw;
    }
    return NULL;
}

/* ").rowcount" where the count legacy update()/delete() returned is used, else ")". */
static const char *close_count(Conv *cv, const Chain *ch)
{
    const Node *up = parent(cv->qc, ch->top);
    return up && up->kind == AST_EXPR ? ")" : ").rowcount";
}

/* A positional argument that cannot be written as `name=arg` as it stands. */
static bool bare_only(const Node *arg)
{
    switch (arg->kind) {
        case AST_STARRED: return true;
        case AST_NAMEDEXPR:
        case AST_GENERATOREXP:
        case AST_YIELD:
        case AST_YIELDFROM: return !(arg->flags & NODE_PARENTHESIZED);
        default: return false;
    }
}

/* Query.update(values[, synchronize_session]) -> .values(values)[.execution_options(...)]. */
static bool plan_update(Conv *cv, const Chain *ch, const Shape *sh, Plan *p)
{
    const Node *t = ch->term;
    const Node *kw = keyword(t, "synchronize_session");
    uint32_t nargs = t->Call.args.n, nkw = t->Call.keywords.n;
    if (!sh->qi.single_entity || nargs < 1 || nargs + nkw > 2 || (kw && nargs != 1) ||
        (nkw && !kw) || (kw && !kw->keyword.arg))
        return fail(cv, "update() with arguments other than values and synchronize_session");
    const Node *values = t->Call.args.items[0];
    if (values->kind == AST_LIST || values->kind == AST_TUPLE || values->kind == AST_STARRED)
        return fail(cv, "update() with ordered values");
    const Node *sync = kw ? kw : nargs == 2 ? t->Call.args.items[1] : NULL;
    if (sync && !kw && bare_only(sync))
        return fail(cv, "update() with an unusual synchronize_session argument");
    p->meth = "execute";
    p->stmt = IM_UPDATE;
    put(cv, name_span(t), "values");
    if (!sync) {
        ins(cv, t->span.end, close_count(cv, ch));
        return true;
    }
    if (has_comment(cv, values->span.end, sync->span.end))
        return fail(cv, "comment inside update() arguments");
    const Node *val = kw ? kw->keyword.value : sync;
    put(cv, (Span){values->span.end, sync->span.end}, "");
    ins(cv, t->span.end,
        fmt(cv, ".execution_options(synchronize_session=%s)%s", node_text(cv, val),
            close_count(cv, ch)));
    return true;
}

/* Query.delete([synchronize_session]) -> .execution_options(synchronize_session=...). */
static bool plan_delete(Conv *cv, const Chain *ch, const Shape *sh, Plan *p)
{
    const Node *t = ch->term;
    const Node *kw = keyword(t, "synchronize_session");
    uint32_t nargs = t->Call.args.n, nkw = t->Call.keywords.n;
    if (!sh->qi.single_entity || nargs + nkw > 1 || (nkw && (!kw || !kw->keyword.arg)))
        return fail(cv, "delete() with arguments other than synchronize_session");
    p->meth = "execute";
    p->stmt = IM_DELETE;
    if (nargs + nkw == 0) return drop_term(cv, ch, close_count(cv, ch));
    if (nargs && bare_only(t->Call.args.items[0]))
        return fail(cv, "delete() with an unusual synchronize_session argument");
    put(cv, name_span(t), "execution_options");
    if (nargs) ins(cv, t->Call.args.items[0]->span.start, "synchronize_session=");
    ins(cv, t->span.end, close_count(cv, ch));
    return true;
}

static bool plan_get(Conv *cv, const Chain *ch, const Shape *sh, Plan *p)
{
    const Node *t = ch->term, *root = ch->base;
    if (!sh->single || ch->nsteps || !sh->qi.single_entity)
        return fail(cv, "get() on a filtered query");
    if (t->Call.args.n != 1 || t->Call.keywords.n || t->Call.args.items[0]->kind == AST_STARRED)
        return fail(cv, "get() without one identity argument");
    Span qn = name_span(root);
    uint32_t ent_start = sh->qi.entity->span.start, ent_end = sh->qi.entity->span.end;
    uint32_t arg = t->Call.args.items[0]->span.start;
    if (has_comment(cv, qn.start, ent_start) || has_comment(cv, ent_end, arg))
        return fail(cv, "comment inside the get() chain");
    p->get = true;
    put(cv, (Span){qn.start, ent_start}, "get(");
    put(cv, (Span){ent_end, arg}, ", ");
    return true;
}

/* A chain without terminal method: iterated, or used as a subquery. */
static bool plan_open(Conv *cv, const Chain *ch, const Shape *sh, Plan *p)
{
    const Node *up = parent(cv->qc, ch->top);
    bool iter = false;
    if (up && ((up->kind == AST_FOR && up->For.iter == ch->top) ||
               (up->kind == AST_COMPREHENSION && up->comprehension.iter == ch->top)))
        iter = true;
    else if (up && up->kind == AST_CALL && up->Call.func->kind == AST_NAME &&
             up->Call.args.n == 1 && up->Call.args.items[0] == ch->top) {
        static const char *const iters[] = {"list",      "tuple",     "set", "sorted",
                                            "frozenset", "enumerate", NULL};
        iter = in_list(up->Call.func->Name.id, iters);
    }
    if (iter) {
        p->meth = sh->qi.single_entity ? "scalars" : "execute";
        ins(cv, ch->top->span.end, close_result(sh));
        return true;
    }
    if (sh->single && up && up->kind == AST_CALL && up->Call.func->kind == AST_ATTRIBUTE) {
        static const char *const in_ops[] = {"in_", "notin_", "not_in", NULL};
        if (in_list(up->Call.func->Attribute.attr, in_ops) && up->Call.args.n == 1 &&
            up->Call.args.items[0] == ch->top)
            return true; /* session-free select() */
    }
    return fail(cv, "the Query object is returned or passed on, not consumed here");
}

static bool plan_term(Conv *cv, const Chain *ch, const Shape *sh, Plan *p)
{
    memset(p, 0, sizeof *p);
    p->prefix = "";
    p->stmt = IM_SELECT;
    const char *m = ch->tmeth;
    if (!m) return plan_open(cv, ch, sh, p);
    const char *res = sh->qi.single_entity ? "scalars" : "execute";
    if (strcmp(m, "all") == 0 || strcmp(m, "one") == 0 || strcmp(m, "one_or_none") == 0 ||
        strcmp(m, "first") == 0) {
        if (!no_args(cv, ch->term)) return false;
        p->meth = res;
        const char *lim = strcmp(m, "first") == 0 ? ".limit(1)" : "";
        ins(cv, inner_end(ch), fmt(cv, "%s%s", lim, close_result(sh)));
        return true;
    }
    if (strcmp(m, "scalar") == 0) return plan_scalar(cv, ch, sh, p);
    if (strcmp(m, "count") == 0) return plan_count(cv, ch, sh, p);
    if (strcmp(m, "update") == 0) return plan_update(cv, ch, sh, p);
    if (strcmp(m, "delete") == 0) return plan_delete(cv, ch, sh, p);
    if (strcmp(m, "get") == 0) return plan_get(cv, ch, sh, p);
    if (strcmp(m, "as_scalar") == 0) put(cv, name_span(ch->term), "scalar_subquery");
    return true; /* subquery(), cte(), scalar_subquery(), exists(): no session */
}

/* ---- one expression ---------------------------------------------------------------------- */

static bool head_single(Conv *cv, const Chain *ch, const Plan *p)
{
    const Node *root = ch->base;
    Span qn = name_span(root);
    if (p->get) return true;
    const char *stmt = spell(cv, p->stmt);
    if (!stmt) return false;
    if (!p->meth) {
        const Node *recv = root->Call.func->Attribute.value;
        if (!is_dotted(recv) || has_comment(cv, recv->span.start, qn.end))
            return fail(cv, "the session expression cannot be dropped");
        put(cv, (Span){recv->span.start, qn.end}, stmt);
        return true;
    }
    if (p->count_simple) {
        const char *pre = p->prefix; /* "select(func.count()).select_from(X)" */
        put(cv, (Span){qn.start, root->span.end}, fmt(cv, "%s(%s", p->meth, pre));
        return true;
    }
    put(cv, qn, fmt(cv, "%s(%s%s", p->meth, p->prefix, stmt));
    return true;
}

static bool convert_single(Conv *cv, const Chain *ch)
{
    Shape sh = {0};
    if (!query_info(cv, ch->base, &sh.qi)) return false;
    sh.single = true;
    sh.grouped = has_step(ch, "group_by");
    sh.uniq = sh.qi.any_entity && (may_repeat(ch) || joined_class(cv->qc, sh.qi.entity_name));
    bool dml = ch->tmeth && (strcmp(ch->tmeth, "update") == 0 || strcmp(ch->tmeth, "delete") == 0);
    Plan p;
    if (!plan_term(cv, ch, &sh, &p) || !rewrite_steps(cv, ch, dml)) return false;
    return head_single(cv, ch, &p);
}

/* ---- a chain across statements ----------------------------------------------------------- */

typedef enum { USE_CONT, USE_TERM } UseKind;

typedef struct Use {
    UseKind kind;
    Chain ch; /* base: the variable's Name (Load) */
} Use;

typedef Vec(const Node *) NameList;

typedef struct NameWalk {
    const char *id;
    Vec(const Node *) names;
    Vec(bool) nested;
    uint32_t depth; /* nested def/lambda/class levels */
} NameWalk;

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void name_visit(Node *n, void *ud)
{
    NameWalk *w = ud;
    if (n->kind == AST_NAME && strcmp(n->Name.id, w->id) == 0) {
        VEC_PUSH(w->names, n); // NOLINT(bugprone-sizeof-expression): a vector of pointers
        VEC_PUSH(w->nested, w->depth > 0);
    }
    bool scope = n->kind == AST_FUNCTIONDEF || n->kind == AST_ASYNCFUNCTIONDEF ||
                 n->kind == AST_LAMBDA || n->kind == AST_CLASSDEF;
    w->depth += scope;
    ast_children(n, name_visit, w);
    w->depth -= scope;
}

static const Node *func_body_owner(const QsContext *qc, int32_t f)
{
    return f >= 0 && (uint32_t)f < qc->ff->nfuncs ? qc->ff->funcs[f].node : NULL;
}

/* `v = <chain>` with one Name target: the Name, else NULL. */
static const Node *assigned_name(const Node *stmt, const Node *value)
{
    if (!stmt || stmt->kind != AST_ASSIGN || stmt->Assign.value != value ||
        stmt->Assign.targets.n != 1)
        return NULL;
    const Node *t = stmt->Assign.targets.items[0];
    return t->kind == AST_NAME ? t : NULL;
}

/* The innermost receiver of a call chain: `v` in v.a().b(). */
static const Node *chain_base(const Node *e)
{
    while (e->kind == AST_CALL && e->Call.func->kind == AST_ATTRIBUTE)
        e = e->Call.func->Attribute.value;
    return e;
}

typedef struct Group {
    const char *var;
    const Node *root_stmt;
    const Node *target; /* the Name assigned by the root statement */
    Vec(Use) uses;
    uint32_t nterms;
    bool dml;          /* the one terminal is update() or delete() */
    ImName dml_stmt;   /* IM_UPDATE or IM_DELETE */
    bool repeat;       /* some chain joins or eager-joins */
    bool grouped;      /* some chain groups */
    uint32_t last_use; /* end of the last use of the variable that sees this query */
} Group;

static bool dominated(Conv *cv, const Node *root, const Node *n);

static bool classify_store(Conv *cv, Group *g, const Node *name)
{
    if (name == g->target) return true;
    const Node *stmt = parent(cv->qc, name);
    uint32_t line = line_of(cv, name->span.start);
    if (!stmt || stmt->kind != AST_ASSIGN || assigned_name(stmt, stmt->Assign.value) != name)
        return fail(cv, fmt(cv, "'%s' is rebound at line %u", g->var, line));
    const Node *base = chain_base(stmt->Assign.value);
    if (base->kind != AST_NAME || strcmp(base->Name.id, g->var) != 0 || base == stmt->Assign.value)
        return fail(cv, fmt(cv, "'%s' is reassigned at line %u", g->var, line));
    return true; /* its Load side is classified on its own */
}

static bool classify_load(Conv *cv, Group *g, const Node *name)
{
    Use u = {USE_TERM, {0}};
    if (!climb(cv, name, &u.ch)) return false;
    const Node *up = parent(cv->qc, u.ch.top);
    if (!u.ch.term && assigned_name(up, u.ch.top) &&
        strcmp(assigned_name(up, u.ch.top)->Name.id, g->var) == 0) {
        if (u.ch.nsteps == 0)
            return fail(
                cv, fmt(cv, "'%s' is copied at line %u", g->var, line_of(cv, name->span.start)));
        u.kind = USE_CONT;
    } else {
        g->nterms++;
        if (u.ch.tmeth &&
            (strcmp(u.ch.tmeth, "update") == 0 || strcmp(u.ch.tmeth, "delete") == 0)) {
            g->dml = true;
            g->dml_stmt = u.ch.tmeth[0] == 'u' ? IM_UPDATE : IM_DELETE;
        }
    }
    g->repeat |= may_repeat(&u.ch);
    g->grouped |= has_step(&u.ch, "group_by");
    VEC_PUSH(g->uses, u);
    return true;
}

static bool receiver_stable(Conv *cv, const Group *g, const Node *fn, const Node *recv)
{
    NameWalk w = {dotted_base(recv)->Name.id, {0}, {0}, 0};
    ast_children(fn, name_visit, &w);
    bool ok = true;
    for (uint32_t i = 0; i < w.names.n && ok; i++) {
        const Node *n = w.names.items[i];
        if (n->Name.ctx != CTX_LOAD && n->span.start > g->root_stmt->span.start &&
            n->span.start < g->last_use)
            ok = fail(cv, fmt(cv, "the session '%s' is rebound at line %u", n->Name.id,
                              line_of(cv, n->span.start)));
    }
    VEC_FREE(w.names);
    VEC_FREE(w.nested);
    return ok;
}

/* The statement list of up that holds stmt, or NULL. */
static const NodeList *block_of(const Node *up, const Node *stmt)
{
    const NodeList *lists[3] = {NULL, NULL, NULL};
    switch (up->kind) {
        case AST_MODULE: lists[0] = &up->Module.body; break;
        case AST_FUNCTIONDEF: lists[0] = &up->FunctionDef.body; break;
        case AST_ASYNCFUNCTIONDEF: lists[0] = &up->AsyncFunctionDef.body; break;
        case AST_IF: lists[0] = &up->If.body, lists[1] = &up->If.orelse; break;
        case AST_WITH: lists[0] = &up->With.body; break;
        case AST_ASYNCWITH: lists[0] = &up->AsyncWith.body; break;
        case AST_EXCEPTHANDLER: lists[0] = &up->ExceptHandler.body; break;
        case AST_TRY:
            lists[0] = &up->Try.body, lists[1] = &up->Try.orelse, lists[2] = &up->Try.finalbody;
            break;
        default: return NULL;
    }
    for (int k = 0; k < 3 && lists[k]; k++)
        for (uint32_t i = 0; i < lists[k]->n; i++)
            if (lists[k]->items[i] == stmt) return lists[k];
    return NULL;
}

static bool in_loop(const QsContext *qc, const Node *n, const Node *fn)
{
    for (const Node *p = parent(qc, n); p && p != fn; p = parent(qc, p))
        if (p->kind == AST_FOR || p->kind == AST_ASYNCFOR || p->kind == AST_WHILE ||
            p->kind == AST_COMPREHENSION)
            return true;
    return false;
}

static bool uses_var_within(const NameWalk *w, Span s)
{
    for (uint32_t i = 0; i < w->names.n; i++)
        if (w->names.items[i]->span.start >= s.start && w->names.items[i]->span.end <= s.end)
            return true;
    return false;
}

/* Fresh bindings `v = <value not using v>` after the root statement (statements). */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void fresh_bindings(Conv *cv, const Group *g, const NameWalk *w, NameList *out)
{
    for (uint32_t i = 0; i < w->names.n; i++) {
        const Node *n = w->names.items[i], *st = parent(cv->qc, n);
        if (n->Name.ctx != CTX_STORE || n->span.start <= g->root_stmt->span.end || !st ||
            assigned_name(st, st->Assign.value) != n || uses_var_within(w, st->Assign.value->span))
            continue;
        VEC_PUSH(*out, st); // NOLINT(bugprone-sizeof-expression): a vector of pointers
    }
}

/* Whether n lies in a statement that follows root in root's own statement list, so that every
 * path to n passes through root (loops aside, which the caller handles). */
static bool dominated(Conv *cv, const Node *root, const Node *n)
{
    const Node *up = parent(cv->qc, root), *a = n;
    while (a && parent(cv->qc, a) != up)
        a = parent(cv->qc, a);
    return a && a != root && a->span.start > root->span.start &&
           block_of(up, a) == block_of(up, root);
}

static bool classify_use(Conv *cv, Group *g, const Node *n, bool nested)
{
    uint32_t line = line_of(cv, n->span.start);
    if (nested) return fail(cv, fmt(cv, "'%s' is used in a nested scope at line %u", g->var, line));
    if (n->span.start < g->root_stmt->span.end)
        return fail(cv, fmt(cv, "'%s' is used before the query is built (line %u)", g->var, line));
    if (!dominated(cv, g->root_stmt, n))
        return fail(cv, fmt(cv, "'%s' at line %u may hold another value", g->var, line));
    if (n->span.end > g->last_use) g->last_use = n->span.end;
    if (n->Name.ctx == CTX_STORE) return classify_store(cv, g, n);
    if (n->Name.ctx == CTX_DEL)
        return fail(cv, fmt(cv, "'%s' is deleted at line %u", g->var, line));
    return classify_load(cv, g, n);
}

/* Without loops, a use of v sees another value (so is not ours) when it comes before the root
 * statement, or after a fresh binding of v in a statement list that leads to it; the target of
 * a fresh binding in the root's own statement list is that other value's too. */
static bool not_ours(Conv *cv, const Group *g, const NameList *fresh, const Node *n)
{
    if (n->span.start < g->root_stmt->span.start) return true;
    const Node *up = parent(cv->qc, g->root_stmt);
    for (uint32_t i = 0; i < fresh->n; i++) {
        const Node *b = fresh->items[i];
        if (dominated(cv, b, n)) return true;
        if (assigned_name(b, b->Assign.value) != n) continue;
        const NodeList *blk = block_of(up, g->root_stmt);
        if (!blk) continue;
        /* our uses all lie in the root's statement list (see dominated): a binding in that list
         * or after its end cannot come before any of them */
        if ((parent(cv->qc, b) == up && block_of(up, b) == blk) ||
            b->span.start >= blk->items[blk->n - 1]->span.end)
            return true;
    }
    return false;
}

static bool collect_uses(Conv *cv, Group *g, const Node *fn)
{
    NameWalk w = {g->var, {0}, {0}, 0};
    ast_children(fn, name_visit, &w);
    NameList fresh = {0};
    bool loop = in_loop(cv->qc, g->root_stmt, fn);
    if (!loop) fresh_bindings(cv, g, &w, &fresh);
    bool ok = true;
    for (uint32_t i = 0; i < w.names.n && ok; i++) {
        const Node *n = w.names.items[i];
        bool nested = w.nested.items[i];
        if (n == g->target || (!nested && !loop && not_ours(cv, g, &fresh, n))) continue;
        ok = classify_use(cv, g, n, nested);
    }
    VEC_FREE(w.names);
    VEC_FREE(w.nested);
    VEC_FREE(fresh);
    if (ok && g->nterms == 0)
        return fail(cv, fmt(cv, "the query in '%s' is not consumed in this function", g->var));
    if (ok && g->dml && g->nterms != 1)
        return fail(
            cv, fmt(cv, "'%s' ends in a bulk update or delete and is also used otherwise", g->var));
    return ok;
}

static bool rewrite_use(Conv *cv, const Use *u, const Shape *sh, const char *recv, bool dml)
{
    if (!rewrite_steps(cv, &u->ch, dml)) return false;
    if (u->kind == USE_CONT) return true;
    Plan p;
    if (!plan_term(cv, &u->ch, sh, &p)) return false;
    if (p.meth) ins(cv, u->ch.base->span.start, fmt(cv, "%s.%s(%s", recv, p.meth, p.prefix));
    return true;
}

static bool convert_group_uses(Conv *cv, Group *g, const Chain *root, const Node *fn)
{
    const Node *call = root->base;
    const Node *recv = call->Call.func->Attribute.value;
    if (!is_dotted(recv)) return fail(cv, "the session expression is not a plain name");
    if (!collect_uses(cv, g, fn) || !receiver_stable(cv, g, fn, recv)) return false;
    Shape sh = {0};
    if (!query_info(cv, call, &sh.qi)) return false;
    g->repeat |= may_repeat(root);
    g->grouped |= has_step(root, "group_by");
    sh.grouped = g->grouped;
    sh.uniq = sh.qi.any_entity && (g->repeat || joined_class(cv->qc, sh.qi.entity_name));
    const char *stmt = spell(cv, g->dml ? g->dml_stmt : IM_SELECT);
    if (!stmt || !rewrite_steps(cv, root, g->dml)) return false;
    Span qn = name_span(call);
    if (has_comment(cv, recv->span.start, qn.end))
        return fail(cv, "comment inside the session expression");
    put(cv, (Span){recv->span.start, qn.end}, stmt);
    const char *rtext = node_text(cv, recv);
    for (uint32_t i = 0; i < g->uses.n; i++)
        if (!rewrite_use(cv, &g->uses.items[i], &sh, rtext, g->dml)) return false;
    return true;
}

static bool convert_group(Conv *cv, const Chain *root, const Node *target, int32_t func)
{
    const Node *fn = func_body_owner(cv->qc, func);
    if (!fn) return fail(cv, "query variable outside a function");
    Group g = {target->Name.id,
               parent(cv->qc, root->top),
               target,
               {0},
               0,
               false,
               IM_SELECT,
               false,
               false,
               0};
    bool ok = convert_group_uses(cv, &g, root, fn);
    VEC_FREE(g.uses);
    return ok;
}

/* ---- driver ------------------------------------------------------------------------------- */

static bool is_query_call(const Node *n)
{
    return n && n->kind == AST_CALL && n->Call.func->kind == AST_ATTRIBUTE &&
           strcmp(n->Call.func->Attribute.attr, "query") == 0;
}

static bool convert_query(Conv *cv, const uint32_t *group, uint32_t n)
{
    const FileFacts *ff = cv->qc->ff;
    if (n == 0) return fail(cv, "not understood"); /* qs_group gives at least k itself */
    const FxQuery *q = &ff->queries[group[0]];
    for (uint32_t i = 0; i < n; i++)
        if (ff->queries[group[i]].manual) return fail(cv, ff->queries[group[i]].manual);
    if (!is_query_call(q->root)) return fail(cv, "the chain does not start with query()");
    if (q->session >= 0 && (uint32_t)q->session < ff->nsessions &&
        ff->sessions[q->session].mode == FX_ASYNC)
        return fail(cv, "an AsyncSession has no query()");
    Chain ch;
    if (!climb(cv, q->root, &ch)) return false;
    const Node *target = ch.term ? NULL : assigned_name(parent(cv->qc, ch.top), ch.top);
    if (target) return convert_group(cv, &ch, target, q->loc.func);
    return convert_single(cv, &ch);
}

static bool edits_overlap(const Edit *a, const Edit *b)
{
    Span x = a->span, y = b->span;
    bool xi = x.start == x.end, yi = y.start == y.end;
    if (xi && yi) return false;
    if (xi) return y.start < x.start && x.start < y.end;
    if (yi) return x.start < y.start && y.start < x.end;
    return x.start < y.end && y.start < x.end;
}

/* The first committed span starting at or after pos. */
static uint32_t first_from(const QsContext *qc, uint32_t pos)
{
    uint32_t lo = 0, hi = qc->done.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (qc->done.items[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Does an edit of mine overlap a committed one? Only spans starting within max_len before the
 * edit's end can reach it, so each check reads a short window of the sorted spans. */
static bool overlaps(const QsContext *qc, const EditList *mine)
{
    for (uint32_t i = 0; i < mine->n; i++) {
        const Edit *e = &mine->items[i];
        uint32_t from = e->span.start > qc->max_len ? e->span.start - qc->max_len : 0;
        for (uint32_t j = first_from(qc, from); j < qc->done.n; j++) {
            Edit d = {.span = qc->done.items[j]};
            if (d.span.start > e->span.end) break;
            if (edits_overlap(e, &d)) return true;
        }
    }
    return false;
}

static void add_done(QsContext *qc, Span s)
{
    uint32_t at = first_from(qc, s.start + 1); /* after equal starts: stable */
    VEC_PUSH(qc->done, s);
    memmove(&qc->done.items[at + 1], &qc->done.items[at], (qc->done.n - 1 - at) * sizeof s);
    qc->done.items[at] = s;
    if (s.end - s.start > qc->max_len) qc->max_len = s.end - s.start;
}

uint32_t qs_scopes(const FileFacts *ff, int32_t f, const Node **scopes, uint32_t cap)
{
    uint32_t n = 0;
    while (f >= 0 && (uint32_t)f < ff->nfuncs && n < cap) {
        scopes[n++] = ff->funcs[f].node;
        f = ff->funcs[f].loc.func;
    }
    return n;
}

static bool ident_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 0x80 || u == '_' || (u >= '0' && u <= '9') ||
           ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

/* The edit's text with a space added where it would otherwise fuse with a neighbouring name
 * (`q.delete()or x` -> `...).rowcount or x`). */
static Edit padded(Conv *cv, Edit e)
{
    const Source *src = cv->qc->src;
    bool before = e.len && e.span.start > 0 && ident_byte(e.text[0]) &&
                  ident_byte(src->text[e.span.start - 1]);
    bool after = e.len && e.span.end < src->len && ident_byte(e.text[e.len - 1]) &&
                 ident_byte(src->text[e.span.end]);
    if (!before && !after) return e;
    char *t = arena_alloc(cv->qc->a, e.len + 3);
    sprintf(t, "%s%.*s%s", before ? " " : "", (int)e.len, e.text, after ? " " : "");
    e.text = t;
    e.len = (uint32_t)strlen(t);
    return e;
}

static void commit(Conv *cv, EditList *l)
{
    QsContext *qc = cv->qc;
    for (uint32_t i = 0; i < cv->ed.n; i++) {
        const Edit *e = &cv->ed.items[i];
        Edit p = padded(cv, *e);
        rw_add_n(l, p.span, p.text, p.len);
        add_done(qc, p.span);
        if (e->span.start < qc->first_edit) qc->first_edit = e->span.start;
    }
    for (int k = 0; k < IM__COUNT; k++)
        if (cv->need[k]) im_require(&qc->imports, (ImName)k);
}

void qs_convert(QsContext *qc, uint32_t k, EditList *l, QsOutcome *out)
{
    uint32_t group[256];
    uint32_t n = qs_group(qc, k, group, 256);
    Conv cv;
    memset(&cv, 0, sizeof cv);
    cv.qc = qc;
    cv.nscopes = qs_scopes(qc->ff, qc->ff->queries[k].loc.func, cv.scopes, MAX_SCOPES);
    bool ok = convert_query(&cv, group, n);
    if (ok && overlaps(qc, &cv.ed)) ok = fail(&cv, "overlaps the rewrite of another chain");
    if (ok) commit(&cv, l);
    for (uint32_t i = 0; i < n; i++) {
        QsOutcome *o = &out[group[i]];
        o->code = qs_code(&qc->ff->queries[group[i]]);
        o->done = true;
        o->converted = ok;
        o->manual = ok ? NULL : cv.why ? cv.why : "not understood";
    }
    rw_list_free(&cv.ed);
}

void qs_finish(QsContext *qc, EditList *l)
{
    im_edits(&qc->imports, l, qc->first_edit == UINT32_MAX ? 0 : qc->first_edit);
}
