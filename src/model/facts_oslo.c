/* facts_oslo: oslo.db's enginefacade, the session source of OpenStack projects (nova, cinder,
 * neutron, keystone). A transaction context (`enginefacade.transaction_context()`) has a reader
 * and a writer; `@cm.reader` on a function makes the `.session` of its context parameter a sync
 * session, and `cm.writer.using(context)` is a sync session context manager. Everything is
 * found through the names imports resolve to (oslo_db.sqlalchemy.enginefacade), the names this
 * file binds to them and, through hints, the ones other modules bind; never by variable name. */
#include <string.h>

#include "facts_int.h"
#include "names.h"

#define EF "oslo_db.sqlalchemy.enginefacade"

static bool is_mode(const char *attr)
{
    return strcmp(attr, "reader") == 0 || strcmp(attr, "writer") == 0;
}

/* Properties of a reader/writer that give another one. */
static bool is_modifier(const char *attr)
{
    return strcmp(attr, "independent") == 0 || strcmp(attr, "allow_async") == 0 ||
           strcmp(attr, "async_") == 0 || strcmp(attr, "savepoint") == 0;
}

/* The value of the first (or else the last) `name = value` of body, its if/else branches
 * too; NULL when there is none. */
static const Node *assigned(const NodeList *body, const char *name, bool first)
{
    const Node *v = NULL;
    for (uint32_t i = 0; body && i < body->n; i++) {
        const Node *s = body->items[i], *in = NULL;
        if (s->kind == AST_IF) {
            in = assigned(first ? &s->If.body : &s->If.orelse, name, first);
            if (!in) in = assigned(first ? &s->If.orelse : &s->If.body, name, first);
        } else if (s->kind == AST_ASSIGN && s->Assign.targets.n == 1) {
            const Node *t = s->Assign.targets.items[0];
            if (t->kind == AST_NAME && strcmp(t->Name.id, name) == 0) in = s->Assign.value;
        }
        if (in && first) return in;
        if (in) v = in;
    }
    return v;
}

/* What a local name holds last: the value of its last assignment, or NULL. */
static const Node *local_value(const NodeList *body, const char *name)
{
    return assigned(body, name, false);
}

/* A hint of that kind for a resolved name; called: for a function (FxHint.is_cm) rather than
 * a module-level object. */
static bool hinted(Fx *fx, const char *resolved, FxHintKind kind, bool called)
{
    const FxHint *h = resolved ? fx_hint(fx, resolved, kind) : NULL;
    return h && h->is_cm == called;
}

static bool ctx_in(Fx *fx, const Node *e, const NodeList *body, int depth);

static bool ctx_call(Fx *fx, const Node *call)
{
    const char *d = fx_dotted(fx, call->Call.func);
    if (nm_is(fx_resolve(fx, d), EF, "transaction_context")) return true;
    int32_t f = d ? fx_find_func(fx, d) : -1;
    if (f >= 0) return fx->funcs.items[f].returns_facade;
    return hinted(fx, fx_resolve(fx, d), FX_HINT_FACADE, true);
}

/* A transaction context; body: where to look for a local name's value when no symbol binds
 * it (the scans before the main walk). */
static bool ctx_in(Fx *fx, const Node *e, const NodeList *body, int depth)
{
    if (!e || depth > 4) return false;
    switch ((AstKind)e->kind) {
        case AST_CALL: return ctx_call(fx, e);
        case AST_BOOLOP:
            for (uint32_t i = 0; i < e->BoolOp.values.n; i++)
                if (ctx_in(fx, e->BoolOp.values.items[i], body, depth + 1)) return true;
            return false;
        case AST_NAME: {
            const Sym *s = fx_lookup(fx, e->Name.id);
            if (s) return s->kind == SYM_FACADE;
            const Node *v = local_value(body, e->Name.id);
            if (v) return ctx_in(fx, v, NULL, depth + 1);
            return hinted(fx, fx_resolve(fx, e->Name.id), FX_HINT_FACADE, false);
        }
        case AST_ATTRIBUTE: return hinted(fx, fx_resolve_expr(fx, e), FX_HINT_FACADE, false);
        default: return false;
    }
}

static bool mode_in(Fx *fx, const Node *e, const NodeList *body, int depth)
{
    if (!e || depth > 4) return false;
    if (e->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, e->Name.id);
        if (s) return s->kind == SYM_TXMODE;
        const Node *v = local_value(body, e->Name.id);
        if (v) return mode_in(fx, v, NULL, depth + 1);
    }
    if (e->kind != AST_ATTRIBUTE) return false;
    const char *attr = e->Attribute.attr;
    const Node *base = e->Attribute.value;
    if (is_modifier(attr)) return mode_in(fx, base, body, depth + 1);
    if (!is_mode(attr)) return false;
    return nm_is(fx_resolve_expr(fx, base), "oslo_db.sqlalchemy", "enginefacade") ||
           ctx_in(fx, base, body, depth + 1);
}

static bool using_in(Fx *fx, const Node *call, const NodeList *body)
{
    if (!call || call->kind != AST_CALL || call->Call.func->kind != AST_ATTRIBUTE) return false;
    const Node *fn = call->Call.func;
    return strcmp(fn->Attribute.attr, "using") == 0 && mode_in(fx, fn->Attribute.value, body, 0);
}

bool fx_facade_ctx(Fx *fx, const Node *e)
{
    return fx->enginefacade && ctx_in(fx, e, NULL, 0);
}

bool fx_facade_mode(Fx *fx, const Node *e)
{
    return fx->enginefacade && mode_in(fx, e, NULL, 0);
}

bool fx_facade_using(Fx *fx, const Node *call)
{
    return fx->enginefacade && using_in(fx, call, NULL);
}

int32_t fx_context_session(Fx *fx, const Node *e)
{
    if (!fx->enginefacade || e->kind != AST_ATTRIBUTE || strcmp(e->Attribute.attr, "session") != 0)
        return -1;
    const Node *base = e->Attribute.value;
    const Sym *s = base->kind == AST_NAME ? fx_lookup(fx, base->Name.id) : NULL;
    return s && s->kind == SYM_TXCTX ? s->idx : -1;
}

bool fx_query_source(Fx *fx, const Node *call)
{
    if (!fx->ff->imports_enginefacade || call->kind != AST_CALL) return false;
    const char *d = fx_dotted(fx, call->Call.func);
    if (!d) return false;
    if (nm_is(fx_resolve(fx, d), "oslo_db.sqlalchemy.utils", "model_query")) return true;
    int32_t f = fx_find_func(fx, d);
    return f >= 0 && fx->funcs.items[f].returns_query;
}

/* A Query: a query source call, Query methods on one, a local first bound to one. */
static bool query_expr(Fx *fx, const Node *e, const NodeList *body, int depth)
{
    if (!e || depth > 8) return false;
    if (e->kind == AST_NAME) /* the first value: later ones refine it (q = q.filter(...)) */
        return query_expr(fx, assigned(body, e->Name.id, true), body, depth + 1);
    if (e->kind != AST_CALL) return false;
    if (fx_query_source(fx, e)) return true;
    const Node *fn = e->Call.func;
    return fn->kind == AST_ATTRIBUTE && fx_query_method(fn->Attribute.attr) &&
           query_expr(fx, fn->Attribute.value, body, depth + 1);
}

/* ---- functions ------------------------------------------------------------------------------ */

/* A scan of one function body (nested defs too, each with its own body for local names). */
typedef struct TxScan {
    Fx *fx;
    const char *param;    /* the decorated function a decorator takes */
    const NodeList *body; /* of the innermost def being scanned */
    bool returns, wraps;  /* returns a facade; runs param in a transaction */
    bool query;           /* returns a Query */
    bool nested;          /* inside a nested def */
} TxScan;

static void calls_param(Node *n, void *ud)
{
    TxScan *ts = ud;
    if (n->kind == AST_CALL && n->Call.func->kind == AST_NAME &&
        strcmp(n->Call.func->Name.id, ts->param) == 0)
        ts->wraps = true;
    if (!ts->wraps) ast_children(n, calls_param, ud);
}

static bool passes_param(const Node *call, const char *param)
{
    for (uint32_t i = 0; i < call->Call.args.n; i++) {
        const Node *a = call->Call.args.items[i];
        if (a->kind == AST_NAME && strcmp(a->Name.id, param) == 0) return true;
    }
    return false;
}

/* `with <facade using>: ... param(...)` or `return <reader/writer>(param)`. */
static void wrap_stmt(TxScan *ts, const Node *n)
{
    if (n->kind == AST_WITH) {
        bool tx = false;
        for (uint32_t i = 0; i < n->With.items.n && !tx; i++)
            tx = using_in(ts->fx, n->With.items.items[i]->withitem.context_expr, ts->body);
        for (uint32_t i = 0; tx && i < n->With.body.n; i++)
            calls_param(n->With.body.items[i], ts);
    } else if (n->kind == AST_RETURN && n->Return.value && n->Return.value->kind == AST_CALL) {
        const Node *v = n->Return.value;
        if (passes_param(v, ts->param) && mode_in(ts->fx, v->Call.func, ts->body, 0))
            ts->wraps = true;
    }
}

static void scan_node(Node *n, void *ud)
{
    TxScan *ts = ud;
    if (n->kind == AST_LAMBDA || n->kind == AST_CLASSDEF) return;
    if (n->kind == AST_FUNCTIONDEF || n->kind == AST_ASYNCFUNCTIONDEF) {
        const NodeList *saved = ts->body;
        bool was = ts->nested;
        ts->body = &n->FunctionDef.body;
        ts->nested = true;
        for (uint32_t i = 0; i < n->FunctionDef.body.n; i++)
            scan_node(n->FunctionDef.body.items[i], ud);
        ts->body = saved;
        ts->nested = was;
        return;
    }
    if (ts->param) wrap_stmt(ts, n);
    if (n->kind == AST_RETURN && !ts->nested) {
        ts->returns |= ctx_in(ts->fx, n->Return.value, ts->body, 0);
        ts->query |= query_expr(ts->fx, n->Return.value, ts->body, 0);
    }
    ast_children(n, scan_node, ud);
}

/* Did the scan learn something new about funcs[idx]? */
static bool scan_func(Fx *fx, int32_t idx)
{
    FxFunc *f = &fx->funcs.items[idx];
    bool plain = f->nparams >= 1 && f->params[0].kind <= FX_PARAM_POS && !f->is_method;
    TxScan ts = {
        fx,   plain ? f->params[0].name : NULL, &f->node->FunctionDef.body, false, false, false,
        false};
    int32_t saved = fx->func;
    fx->func = idx;
    for (uint32_t i = 0; i < f->node->FunctionDef.body.n; i++)
        scan_node(f->node->FunctionDef.body.items[i], &ts);
    fx->func = saved;
    f = &fx->funcs.items[idx];
    bool changed = f->returns_facade != ts.returns || f->is_tx_decorator != ts.wraps ||
                   f->returns_query != ts.query;
    f->returns_facade = ts.returns;
    f->is_tx_decorator = ts.wraps;
    f->returns_query = ts.query;
    return changed;
}

/* The first decorator of f that opens an enginefacade transaction, or NULL. */
static const Node *tx_decorator(Fx *fx, const FxFunc *f)
{
    const NodeList *decos = &f->node->FunctionDef.decorator_list;
    for (uint32_t i = 0; i < decos->n; i++) {
        const Node *d = decos->items[i];
        if (d->kind == AST_CALL) continue;
        if (mode_in(fx, d, NULL, 0)) return d;
        const char *dn = fx_dotted(fx, d);
        int32_t k = dn ? fx_find_func(fx, dn) : -1;
        if (k >= 0 ? fx->funcs.items[k].is_tx_decorator
                   : hinted(fx, fx_resolve(fx, dn), FX_HINT_TXDECO, false))
            return d;
    }
    return NULL;
}

void fx_find_transactions(Fx *fx)
{
    if (!fx->enginefacade) return;
    bool changed = fx->ff->imports_enginefacade;
    for (int round = 0; changed && round < 4; round++) { /* functions returning another's */
        changed = false;
        for (uint32_t i = 0; i < fx->funcs.n; i++)
            changed |= scan_func(fx, (int32_t)i);
    }
    for (uint32_t i = 0; i < fx->funcs.n; i++) {
        FxFunc *f = &fx->funcs.items[i];
        if (f->node->FunctionDef.decorator_list.n) f->in_transaction = tx_decorator(fx, f) != NULL;
    }
}

/* The context parameter: the first, or the second after self/cls. */
static const FxParam *context_param(const FxFunc *f)
{
    uint32_t k = 0;
    if (f->nparams &&
        (strcmp(f->params[0].name, "self") == 0 || strcmp(f->params[0].name, "cls") == 0))
        k = 1;
    if (k >= f->nparams || f->params[k].kind > FX_PARAM_POS) return NULL;
    return &f->params[k];
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
void fx_transaction_session(Fx *fx, int32_t idx)
{
    const FxFunc *f = &fx->funcs.items[idx];
    const FxParam *p = f->in_transaction ? context_param(f) : NULL;
    const Node *d = p ? tx_decorator(fx, f) : NULL;
    if (!d) return;
    FxSession s = {0};
    s.loc = fx_loc(fx, d->span);
    s.form = FX_ACQ_DECORATOR;
    s.mode = FX_SYNC;
    s.conf = FX_CONF_KNOWN;
    s.provider = fx_dotted(fx, d);
    s.provider_resolved = fx_resolve(fx, s.provider);
    s.provider_func = -1;
    s.var = nm_join(p->name, "session", fx->a);
    s.block = f->node->span;
    s.node = d;
    VEC_PUSH(fx->sessions, s);
    fx_push_sym(fx, p->name, SYM_TXCTX, (int32_t)fx->sessions.n - 1, FX_SYNC);
}
