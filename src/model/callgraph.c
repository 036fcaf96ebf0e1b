/* callgraph: call sites resolved across files into edges (see callgraph.h).
 *
 * Three passes after the symbol table: (1) attribute types seeded from the facts' self
 * attributes and (2) every function's locals (both in callgraph_types.c), then (3) a walk of
 * every module here that classifies each call site and records the edges, the database work
 * done directly in each function, and the edge index. */
#include "callgraph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"
#include "names.h"

/* ---- pass 3: call sites -------------------------------------------------------------------- */

typedef Vec(const char *) NameVec;

typedef struct Walk {
    CallGraph *cg;
    uint32_t file;
    const FileFacts *ff;
    Source *src;
    Ctx c;
    PtrMap funcs, offs;
    EdgeVec *edges;
    SiteVec *sites;
    NameVec shadow;     /* names bound by enclosing comprehensions and lambdas */
    uint8_t kind, via;  /* CG_CALL; OFFLOAD/SPAWN inside a lambda handed to a thread or task */
    bool star_external; /* the file star-imports a module outside the project */
} Walk;

#define OVERRIDES_MAX 8 /* edges to subclass overrides of one method call */

typedef struct Res {
    CgStatus status;
    CgReason reason;
    int32_t target;   /* function id (-1: a class without __init__, or not resolved) */
    int32_t virt_cls; /* a method called on an instance of this class: subclasses' overrides
                         of virt_name are targets too (-1: none) */
    const char *virt_name;
} Res;

static Res res(CgStatus s, CgReason r, int32_t t)
{
    return (Res){s, r, t, -1, NULL};
}

static bool is_dunder(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && name[0] == '_' && name[1] == '_' && name[n - 1] == '_' && name[n - 2] == '_';
}

/* A method looked up on an instance of cls: its definition through the MRO, plus overrides in
 * subclasses; only subclasses' definitions when the MRO has none. */
static Res method_res(const CallGraph *cg, int32_t cls, const char *name, Res found)
{
    if (cg->st->classes[cls].nsubs == 0) return found;
    int32_t over[1];
    if (sym_overrides(cg->st, cls, name, over, 1) == 0) return found;
    if (found.status != CG_RESOLVED) found = res(CG_RESOLVED, 0, -1);
    found.virt_cls = cls;
    found.virt_name = name;
    return found;
}

static Res from_val(const CallGraph *cg, SymVal v, CgReason if_unknown)
{
    switch (v.kind) {
        case SV_FUNC: return res(CG_RESOLVED, 0, v.id);
        case SV_CLASS: return res(CG_RESOLVED, 0, sym_method(cg->st, v.id, "__init__"));
        case SV_INSTANCE: {
            int32_t m = sym_method(cg->st, v.id, "__call__");
            if (m >= 0) return res(CG_RESOLVED, 0, m);
            if (cg->st->classes[v.id].external_base) return res(CG_EXTERNAL, 0, -1);
            return res(CG_UNRESOLVED, CG_R_MISSING_MEMBER, -1);
        }
        case SV_EXTERNAL:
        case SV_SESSION: return res(CG_EXTERNAL, 0, -1);
        case SV_UNKNOWN: return res(CG_UNRESOLVED, if_unknown, -1);
        default: return res(CG_UNRESOLVED, CG_R_NOT_CALLABLE, -1);
    }
}

static void sync_shadow(Walk *w)
{
    w->c.shadow = w->shadow.items;
    w->c.nshadow = w->shadow.n;
}

/* What calling (or handing over) expression f reaches. */
static Res resolve_callee(Walk *w, const Node *f)
{
    sync_shadow(w);
    if (f->kind == AST_NAME) {
        Where where;
        SymVal v = cgt_name_val(&w->c, f->Name.id, &where);
        if (where == WHERE_NONE)
            return w->star_external ? res(CG_EXTERNAL, 0, -1)
                                    : res(CG_UNRESOLVED, CG_R_UNDEFINED_NAME, -1);
        return from_val(w->cg, v, where == WHERE_LOCAL ? CG_R_LOCAL_CALLABLE : CG_R_MODULE_VALUE);
    }
    if (f->kind == AST_ATTRIBUTE) {
        const char *m = f->Attribute.attr;
        SymVal rv = cgt_eval(&w->c, f->Attribute.value, 0);
        SymVal v = cgt_attr_val(&w->c, rv, m);
        Res r;
        if (v.kind != SV_UNKNOWN)
            r = from_val(w->cg, v, CG_R_NOT_CALLABLE);
        else if (!sym_is_project_name(w->cg->st, m) || is_dunder(m))
            r = res(CG_EXTERNAL, 0, -1);
        else {
            bool typed = rv.kind == SV_INSTANCE || rv.kind == SV_CLASS || rv.kind == SV_MODULE ||
                         rv.kind == SV_SUPER;
            r = res(CG_UNRESOLVED, typed ? CG_R_MISSING_MEMBER : CG_R_UNKNOWN_RECEIVER, -1);
        }
        bool method = v.kind == SV_FUNC || v.kind == SV_UNKNOWN;
        return rv.kind == SV_INSTANCE && method ? method_res(w->cg, rv.id, m, r) : r;
    }
    return from_val(w->cg, cgt_eval(&w->c, f, 0), CG_R_DYNAMIC_CALLEE);
}

static const char *callee_text(Walk *w, const Node *callee)
{
    const char *d = nm_dotted(callee, w->cg->arena);
    if (d) return d;
    Span s = callee->span;
    if (s.end - s.start > 60) s.end = s.start + 60;
    const char *t = nm_text(w->src, s, w->cg->arena);
    char *nl = strchr(t, '\n');
    if (nl) *nl = '\0';
    return t;
}

typedef struct Site {
    const Node *node; /* the Call or the reference, or NULL */
    Span span;
    const Node *callee; /* for the text of an unresolved site */
    const char *text;   /* or this */
    uint8_t kind, via;
    bool awaited;
} Site;

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void record(Walk *w, const Site *s, Res r)
{
    CgCoverage *cov = &w->cg->cov;
    if (r.status == CG_EXTERNAL) {
        cov->external++;
        return;
    }
    LineCol lc = source_linecol(w->src, s->span.start);
    if (r.status == CG_UNRESOLVED) {
        cov->unresolved++;
        cov->by_reason[r.reason]++;
        CgSite u = {w->file,
                    w->c.func,
                    s->span,
                    lc.line,
                    lc.col_byte,
                    (uint8_t)r.reason,
                    s->text ? s->text : callee_text(w, s->callee)};
        VEC_PUSH(*w->sites, u);
        return;
    }
    cov->resolved++;
    cov->by_via[s->via]++;
    if (w->c.func < 0) return;
    int32_t targets[OVERRIDES_MAX + 1];
    uint32_t n = 0;
    if (r.target >= 0) targets[n++] = r.target;
    if (r.virt_cls >= 0)
        n += sym_overrides(w->cg->st, r.virt_cls, r.virt_name, targets + n, OVERRIDES_MAX);
    for (uint32_t i = 0; i < n; i++) {
        CgEdge e = {(uint32_t)w->c.func,
                    (uint32_t)targets[i],
                    s->kind,
                    s->via,
                    s->awaited,
                    w->file,
                    s->span,
                    lc.line,
                    lc.col_byte,
                    s->node};
        VEC_PUSH(*w->edges, e);
    }
}

static void walk(Walk *w, const Node *n);

static void walk_child(Node *n, void *ud)
{
    walk(ud, n);
}

static void walk_list(Walk *w, const NodeList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        walk(w, l->items[i]);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void push_names(Walk *w, const Node *t)
{
    if (!t) return;
    if (t->kind == AST_NAME) {
        VEC_PUSH(w->shadow, t->Name.id);
    } else if (t->kind == AST_STARRED) {
        push_names(w, t->Starred.value);
    } else if (t->kind == AST_TUPLE || t->kind == AST_LIST) {
        const NodeList *l = t->kind == AST_TUPLE ? &t->Tuple.elts : &t->List.elts;
        for (uint32_t i = 0; i < l->n; i++)
            push_names(w, l->items[i]);
    }
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void push_arg_list(Walk *w, const NodeList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->items[i]) VEC_PUSH(w->shadow, l->items[i]->arg.arg);
}

static void walk_lambda(Walk *w, const Node *e)
{
    uint32_t saved = w->shadow.n;
    const Node *a = e->Lambda.args;
    push_arg_list(w, &a->arguments.posonlyargs);
    push_arg_list(w, &a->arguments.args);
    push_arg_list(w, &a->arguments.kwonlyargs);
    if (a->arguments.vararg) VEC_PUSH(w->shadow, a->arguments.vararg->arg.arg);
    if (a->arguments.kwarg) VEC_PUSH(w->shadow, a->arguments.kwarg->arg.arg);
    walk(w, e->Lambda.body);
    w->shadow.n = saved;
}

static void walk_comp(Walk *w, const NodeList *gens, const Node *elt, const Node *elt2)
{
    uint32_t saved = w->shadow.n;
    for (uint32_t i = 0; i < gens->n; i++) {
        const Node *g = gens->items[i];
        walk(w, g->comprehension.iter);
        push_names(w, g->comprehension.target);
        walk_list(w, &g->comprehension.ifs);
    }
    walk(w, elt);
    walk(w, elt2);
    w->shadow.n = saved;
}

static void walk_def(Walk *w, const Node *s)
{
    bool is_async = s->kind == AST_ASYNCFUNCTIONDEF;
    walk_list(w, is_async ? &s->AsyncFunctionDef.decorator_list : &s->FunctionDef.decorator_list);
    walk(w, is_async ? s->AsyncFunctionDef.args : s->FunctionDef.args);
    int32_t fi = cgt_pm_get(&w->funcs, s);
    int32_t saved = w->c.func;
    uint32_t nshadow = w->shadow.n;
    uint8_t kind = w->kind, via = w->via;
    if (fi >= 0) w->c.func = sym_func_id(w->cg->st, w->file, fi);
    w->kind = CG_CALL, w->via = CG_VIA_CALL, w->shadow.n = 0;
    walk_list(w, is_async ? &s->AsyncFunctionDef.body : &s->FunctionDef.body);
    w->c.func = saved;
    w->kind = kind, w->via = via, w->shadow.n = nshadow;
}

static void walk_class(Walk *w, const Node *s)
{
    walk_list(w, &s->ClassDef.decorator_list);
    walk_list(w, &s->ClassDef.bases);
    walk_list(w, &s->ClassDef.keywords);
    walk_list(w, &s->ClassDef.body);
}

/* The function (reference, call or lambda) an offload call hands over, as facts found it. */
static const Node *offload_target(const FxOffload *o)
{
    const Node *call = o->call;
    const NodeList *args = &call->Call.args;
    switch (o->kind) {
        case FX_OFF_RUN_IN_EXECUTOR: return args->n > 1 ? args->items[1] : NULL;
        case FX_OFF_THREAD:
            for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
                const Node *k = call->Call.keywords.items[i];
                if (k->keyword.arg && strcmp(k->keyword.arg, "target") == 0)
                    return k->keyword.value;
            }
            return NULL;
        case FX_OFF_POOL: return NULL;
        default: return args->n > 0 ? args->items[0] : NULL;
    }
}

static CgVia via_of(FxOffloadKind k)
{
    switch (k) {
        case FX_OFF_RUN_IN_EXECUTOR: return CG_VIA_EXECUTOR;
        case FX_OFF_TO_THREAD: return CG_VIA_TO_THREAD;
        case FX_OFF_THREAD: return CG_VIA_THREAD;
        case FX_OFF_SUBMIT: return CG_VIA_SUBMIT;
        case FX_OFF_CREATE_TASK: return CG_VIA_CREATE_TASK;
        case FX_OFF_BACKGROUND_TASK: return CG_VIA_BACKGROUND;
        default: return CG_VIA_CALL;
    }
}

static bool is_partial(Walk *w, const Node *call)
{
    const char *d = nm_dotted(call->Call.func, w->cg->arena);
    const char *r = d ? nm_resolve(w->ff->imports, w->ff->nimports, d, w->cg->arena) : NULL;
    return r && strcmp(r, "functools.partial") == 0;
}

static void walk_call(Walk *w, const Node *call, bool awaited);

static void walk_args(Walk *w, const Node *call, const FxOffload *o, const Node *t);

static void handoff(Walk *w, const FxOffload *o, const Node *t);

/* `create_task(coro(...))`: the inner call spawns a task. */
static void spawn_call(Walk *w, const FxOffload *o, const Node *t)
{
    if (cgt_pm_get(&w->offs, t) >= 0) {
        walk_call(w, t, false);
        return;
    }
    Site s = {t, t->span, t->Call.func, NULL, CG_SPAWN, (uint8_t)via_of(o->kind), false};
    record(w, &s, resolve_callee(w, t->Call.func));
    walk(w, t->Call.func);
    walk_args(w, t, NULL, NULL);
}

static void handoff(Walk *w, const FxOffload *o, const Node *t)
{
    uint8_t via = (uint8_t)via_of(o->kind);
    uint8_t kind = o->kind == FX_OFF_CREATE_TASK ? CG_SPAWN : CG_OFFLOAD;
    if (t->kind == AST_LAMBDA) {
        uint8_t sk = w->kind, sv = w->via;
        w->kind = kind, w->via = via;
        walk_lambda(w, t);
        w->kind = sk, w->via = sv;
        return;
    }
    if (t->kind == AST_CALL && o->kind == FX_OFF_CREATE_TASK) {
        spawn_call(w, o, t);
        return;
    }
    if (t->kind == AST_CALL && t->Call.args.n && is_partial(w, t)) {
        Site s = {t, t->span, t->Call.func, NULL, w->kind, w->via, false};
        record(w, &s, resolve_callee(w, t->Call.func));
        walk_args(w, t, o, t->Call.args.items[0]);
        return;
    }
    if (t->kind == AST_CALL || o->kind == FX_OFF_CREATE_TASK) {
        walk(w, t); /* a call made here (its result handed over), or a coroutine object */
        return;
    }
    Res r = resolve_callee(w, t);
    if (o->kind == FX_OFF_BACKGROUND_TASK && r.status == CG_RESOLVED && r.target >= 0 &&
        sym_func(w->cg->st, r.target)->is_async)
        kind = CG_SPAWN;
    Site s = {t, t->span, t, NULL, kind, via, false};
    record(w, &s, r);
    walk(w, t);
}

static void walk_args(Walk *w, const Node *call, const FxOffload *o, const Node *t)
{
    for (uint32_t i = 0; i < call->Call.args.n; i++) {
        const Node *a = call->Call.args.items[i];
        if (o && a == t)
            handoff(w, o, t);
        else
            walk(w, a);
    }
    for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
        const Node *k = call->Call.keywords.items[i];
        if (o && k->keyword.value == t)
            handoff(w, o, t);
        else
            walk(w, k->keyword.value);
    }
}

static void walk_call(Walk *w, const Node *call, bool awaited)
{
    Site s = {call, call->span, call->Call.func, NULL, w->kind, w->via, awaited};
    record(w, &s, resolve_callee(w, call->Call.func));
    int32_t oi = cgt_pm_get(&w->offs, call);
    const FxOffload *o = oi >= 0 ? &w->ff->offloads[oi] : NULL;
    const Node *t = o ? offload_target(o) : NULL;
    walk(w, call->Call.func);
    walk_args(w, call, t ? o : NULL, t);
}

// NOLINTNEXTLINE(readability-function-size): a flat dispatch over node kinds
static void walk(Walk *w, const Node *n)
{
    if (!n || w->cg->priv->missed) return; /* a frozen view's walk of this file is dropped */
    switch ((AstKind)n->kind) {
        case AST_FUNCTIONDEF:
        case AST_ASYNCFUNCTIONDEF: walk_def(w, n); return;
        case AST_CLASSDEF: walk_class(w, n); return;
        case AST_LAMBDA: walk_lambda(w, n); return;
        case AST_LISTCOMP: walk_comp(w, &n->ListComp.generators, n->ListComp.elt, NULL); return;
        case AST_SETCOMP: walk_comp(w, &n->SetComp.generators, n->SetComp.elt, NULL); return;
        case AST_GENERATOREXP:
            walk_comp(w, &n->GeneratorExp.generators, n->GeneratorExp.elt, NULL);
            return;
        case AST_DICTCOMP:
            walk_comp(w, &n->DictComp.generators, n->DictComp.key, n->DictComp.value);
            return;
        case AST_CALL: walk_call(w, n, false); return;
        case AST_AWAIT:
            if (n->Await.value->kind == AST_CALL)
                walk_call(w, n->Await.value, true);
            else
                walk(w, n->Await.value);
            return;
        default: ast_children(n, walk_child, w); return;
    }
}

/* FastAPI `Depends(provider)` parameters: the provider runs before the handler. */
static void depends_edges(Walk *w)
{
    const SymTable *st = w->cg->st;
    for (uint32_t i = 0; i < w->ff->ndepends; i++) {
        const FxDepends *d = &w->ff->depends[i];
        if (!d->provider || d->loc.func < 0) continue;
        w->c.func = sym_func_id(st, w->file, d->loc.func);
        SymRef r = sym_resolve_text(st, w->file, d->provider);
        Res rs = r.kind == SR_FUNC       ? res(CG_RESOLVED, 0, r.id)
                 : r.kind == SR_CLASS    ? res(CG_RESOLVED, 0, sym_method(st, r.id, "__init__"))
                 : r.kind == SR_EXTERNAL ? res(CG_EXTERNAL, 0, -1)
                                         : res(CG_UNRESOLVED, CG_R_UNDEFINED_NAME, -1);
        bool async = rs.target >= 0 && sym_func(st, rs.target)->is_async;
        Site s = {NULL,           d->loc.span, NULL, d->provider, async ? CG_CALL : CG_OFFLOAD,
                  CG_VIA_DEPENDS, false};
        record(w, &s, rs);
    }
    w->c.func = -1;
}

static bool star_external(const SymTable *st, const FileFacts *ff)
{
    for (uint32_t i = 0; i < ff->nimports; i++) {
        const FxImport *im = &ff->imports[i];
        if (im->name && strcmp(im->name, "*") == 0 &&
            sym_lookup(st, im->module).kind == SR_EXTERNAL)
            return true;
    }
    return false;
}

void cg_walk_file(CallGraph *cg, uint32_t f, EdgeVec *edges, SiteVec *sites)
{
    const Program *prog = cg->st->prog;
    const FileFacts *ff = cg->st->facts[f];
    const Node *m = prog->files[f].parse.module;
    if (!ff || !m) return;
    Walk w = {0};
    w.cg = cg, w.file = f, w.ff = ff, w.src = &prog->files[f].src;
    w.c = (Ctx){cg, f, -1, NULL, 0, NULL, 0};
    w.edges = edges, w.sites = sites;
    w.kind = CG_CALL, w.via = CG_VIA_CALL;
    w.star_external = star_external(cg->st, ff);
    PtrMap classes;
    cgt_file_maps(ff, &w.funcs, &classes);
    cgt_pm_free(&classes);
    cgt_pm_init(&w.offs, ff->noffloads);
    for (uint32_t i = 0; i < ff->noffloads; i++)
        if (ff->offloads[i].kind != FX_OFF_POOL)
            cgt_pm_put(&w.offs, ff->offloads[i].call, (int32_t)i);
    walk_list(&w, &m->Module.body);
    depends_edges(&w);
    cgt_pm_free(&w.funcs);
    cgt_pm_free(&w.offs);
    VEC_FREE(w.shadow);
}

/* ---- database work per function ------------------------------------------------------------ */

/* Inside a call that hands work to a thread (a lambda argument), not the call itself. */
static bool in_offload(const FileFacts *ff, const FxLoc *loc)
{
    for (uint32_t i = 0; i < ff->noffloads; i++) {
        const FxOffload *o = &ff->offloads[i];
        if (o->loc.func == loc->func && o->in_thread && o->kind != FX_OFF_POOL &&
            loc->span.start >= o->loc.span.start && loc->span.end <= o->loc.span.end &&
            loc->span.start != o->loc.span.start)
            return true;
    }
    return false;
}

static void db_item(CallGraph *cg, uint32_t file, const FileFacts *ff, const FxLoc *loc)
{
    if (loc->func < 0 || in_offload(ff, loc)) return;
    int32_t id = sym_func_id(cg->st, file, loc->func);
    cg->db_direct[id]++;
    if (!cg->db_line[id] || loc->line < cg->db_line[id]) cg->db_line[id] = loc->line;
}

static bool blocking(const FxSession *s)
{
    return s->mode == FX_SYNC && !s->is_async_with &&
           (s->form == FX_ACQ_WITH || s->form == FX_ACQ_NO_WITH || s->form == FX_ACQ_SESSION_CTOR ||
            s->form == FX_ACQ_FACTORY_CALL || s->form == FX_ACQ_DECORATOR);
}

/* Session methods that do no IO: they stay sync on an AsyncSession too. */
static bool io_op(const char *op)
{
    return strcmp(op, "add") != 0 && strcmp(op, "add_all") != 0 && strcmp(op, "expunge") != 0 &&
           strcmp(op, "expunge_all") != 0;
}

/* Not a database session after all: an instance of a project class (one that happens to be
 * called Session), built directly or by a factory that is a project class. */
static bool not_a_session(const CallGraph *cg, uint32_t f, const FxSession *s)
{
    if (s->form != FX_ACQ_SESSION_CTOR && s->form != FX_ACQ_FACTORY_CALL) return false;
    if (!s->node || s->node->kind != AST_CALL) return false;
    int32_t fid = sym_func_id(cg->st, f, s->loc.func);
    SymVal v = cg_eval(cg, f, fid, s->node->Call.func);
    return v.kind == SV_CLASS;
}

/* Per session of the file: false when not_a_session(). Heap; the caller frees. */
static bool *real_sessions(const CallGraph *cg, uint32_t f)
{
    const FileFacts *ff = cg->st->facts[f];
    bool *real = xcalloc(ff->nsessions + 1, sizeof *real);
    for (uint32_t i = 0; i < ff->nsessions; i++)
        real[i] = !not_a_session(cg, f, &ff->sessions[i]);
    return real;
}

/* Work on session s counts unless s is async or not a database session. */
static bool counts(const FileFacts *ff, const bool *real, int32_t s)
{
    return s < 0 || (real[s] && ff->sessions[s].mode != FX_ASYNC);
}

static void db_file(CallGraph *cg, uint32_t f)
{
    const FileFacts *ff = cg->st->facts[f];
    bool *real = real_sessions(cg, f);
    for (uint32_t i = 0; i < ff->nsessions; i++)
        if (real[i] && blocking(&ff->sessions[i])) db_item(cg, f, ff, &ff->sessions[i].loc);
    for (uint32_t i = 0; i < ff->nqueries; i++)
        if (counts(ff, real, ff->queries[i].session)) db_item(cg, f, ff, &ff->queries[i].loc);
    for (uint32_t i = 0; i < ff->nsession_ops; i++) {
        const FxSessionOp *o = &ff->session_ops[i];
        if (!o->is_awaited && o->mode != FX_ASYNC && io_op(o->op) && counts(ff, real, o->session))
            db_item(cg, f, ff, &o->loc);
    }
    for (uint32_t i = 0; i < ff->nstmts; i++) {
        const FxStmt *s = &ff->stmts[i];
        if (s->kind >= FX_STMT_EXECUTE && !s->is_awaited && counts(ff, real, s->session))
            db_item(cg, f, ff, &s->loc);
    }
    free(real);
    for (uint32_t i = 0; i < ff->nsqls; i++)
        if (ff->sqls[i].kind == FX_SQL_ENGINE_EXECUTE) db_item(cg, f, ff, &ff->sqls[i].loc);
    for (uint32_t i = 0; i < ff->nengine_ios; i++)
        db_item(cg, f, ff, &ff->engine_ios[i].loc);
}

/* ---- the graph ----------------------------------------------------------------------------- */

static int edge_cmp(const void *pa, const void *pb)
{
    const CgEdge *a = pa, *b = pb;
    if (a->from != b->from) return a->from < b->from ? -1 : 1;
    if (a->span.start != b->span.start) return a->span.start < b->span.start ? -1 : 1;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

static void index_edges(CallGraph *cg)
{
    uint32_t n = cg->nnodes;
    if (cg->nedges) qsort(cg->edges, cg->nedges, sizeof *cg->edges, edge_cmp);
    cg->out = ARENA_ARRAY(cg->arena, uint32_t, n + 1);
    cg->in = ARENA_ARRAY(cg->arena, uint32_t, n + 1);
    cg->in_edges = ARENA_ARRAY(cg->arena, uint32_t, cg->nedges + 1);
    for (uint32_t i = 0; i < cg->nedges; i++) {
        cg->out[cg->edges[i].from + 1]++;
        cg->in[cg->edges[i].to + 1]++;
    }
    for (uint32_t i = 0; i < n; i++) {
        cg->out[i + 1] += cg->out[i];
        cg->in[i + 1] += cg->in[i];
    }
    uint32_t *fill = xcalloc(n + 1, sizeof *fill);
    for (uint32_t i = 0; i < cg->nedges; i++) {
        uint32_t to = cg->edges[i].to;
        cg->in_edges[cg->in[to] + fill[to]++] = i;
    }
    free(fill);
}

static void alloc_priv(CallGraph *cg)
{
    Arena *a = cg->arena;
    uint32_t n = cg->nnodes + 1, nv = cg->st->nvars + 1;
    CgPriv *p = ARENA_NEW(a, CgPriv);
    p->envs = ARENA_ARRAY(a, CgEnv *, n);
    p->ret = ARENA_ARRAY(a, SymVal, n);
    p->ret_state = ARENA_ARRAY(a, uint8_t, n);
    p->var = ARENA_ARRAY(a, SymVal, nv);
    p->var_state = ARENA_ARRAY(a, uint8_t, nv);
    cg->priv = p;
    cg->db_direct = ARENA_ARRAY(a, uint32_t, n);
    cg->db_line = ARENA_ARRAY(a, uint32_t, n);
}

CallGraph *cg_build(const Program *prog, FileFacts *const *facts, int jobs, Arena *a)
{
    CallGraph *cg = ARENA_NEW(a, CallGraph);
    cg->arena = a;
    cg->st = sym_build(prog, facts, a);
    cg->nnodes = cg->st->nfuncs;
    alloc_priv(cg);
    cgt_seed_attrs(cg);
    cgt_build_envs(cg);
    EdgeVec edges = {0};
    SiteVec sites = {0};
    cgp_walk_files(cg, jobs, &edges, &sites);
    cg->edges = VEC_FREEZE(a, edges);
    cg->nedges = edges.n;
    cg->unresolved = VEC_FREEZE(a, sites);
    cg->nunresolved = sites.n;
    VEC_FREE(edges);
    VEC_FREE(sites);
    for (uint32_t f = 0; f < prog->nfiles; f++)
        if (facts[f]) db_file(cg, f);
    index_edges(cg);
    return cg;
}

/* ---- accessors ----------------------------------------------------------------------------- */

double cg_coverage(const CallGraph *cg)
{
    uint32_t d = cg->cov.resolved + cg->cov.unresolved;
    return d ? (double)cg->cov.resolved / d : 1.0;
}

const char *cg_reason_text(CgReason r)
{
    static const char *const text[] = {
#define X(id, k, t) t,
        CG_REASONS(X)
#undef X
    };
    return (unsigned)r < CG_R__COUNT ? text[r] : "?";
}

const char *cg_reason_key(CgReason r)
{
    static const char *const keys[] = {
#define X(id, k, t) k,
        CG_REASONS(X)
#undef X
    };
    return (unsigned)r < CG_R__COUNT ? keys[r] : "?";
}

const char *cg_via_name(CgVia v)
{
    static const char *const names[] = {
#define X(id, n) n,
        CG_VIAS(X)
#undef X
    };
    return (unsigned)v < CG_VIA__COUNT ? names[v] : "?";
}

const FxFunc *cg_func(const CallGraph *cg, uint32_t n)
{
    return sym_func(cg->st, (int32_t)n);
}

uint32_t cg_file(const CallGraph *cg, uint32_t n)
{
    return cg->st->func_file[n];
}

const char *cg_path(const CallGraph *cg, uint32_t n)
{
    return cg->st->prog->files[cg->st->func_file[n]].path;
}
