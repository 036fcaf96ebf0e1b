/* facts_walk: the main walk over statements. It keeps the walk state (current function and
 * class, open sync session blocks, loops, the assignment or with item being visited), binds
 * local names to what they hold, and hands every expression to facts_call.c. */
#include <string.h>

#include "facts_int.h"
#include "names.h"

static void walk_body(Fx *fx, const NodeList *body);

/* ---- receivers ----------------------------------------------------------------------------- */

static int32_t lazy_session(Fx *fx, const Node *recv, FxAcqForm form, FxMode mode)
{
    const char *var = fx_dotted(fx, recv);
    for (uint32_t i = 0; i < fx->sessions.n; i++) {
        const FxSession *s = &fx->sessions.items[i];
        if (s->form == form && s->loc.func == fx->func && s->var && strcmp(s->var, var) == 0)
            return (int32_t)i;
    }
    FxSession s = {0};
    s.loc = fx_loc(fx, recv->span);
    s.form = form;
    s.mode = mode;
    s.conf = FX_CONF_KNOWN;
    s.provider = var;
    s.provider_func = -1;
    s.var = var;
    s.block = fx->cur_stmt ? fx->cur_stmt->span : recv->span;
    s.node = recv;
    VEC_PUSH(fx->sessions, s);
    return (int32_t)fx->sessions.n - 1;
}

/* The acquisition a receiver expression is a session from, or -1: a name bound to a session,
 * a scoped_session registry, self.<session attribute>, Flask-SQLAlchemy's db.session, the
 * `context.session` of an oslo.db enginefacade transaction. */
int32_t fx_session_of(Fx *fx, const Node *recv)
{
    if (recv->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, recv->Name.id);
        if (!s) return -1;
        if (s->kind == SYM_SESSION) return s->idx;
        if (s->kind == SYM_FACTORY && s->scoped)
            return lazy_session(fx, recv, FX_ACQ_FACTORY_CALL, s->mode);
        return -1;
    }
    if (recv->kind != AST_ATTRIBUTE) return -1;
    const FxSelfAttr *sa = fx_self_attr_of(fx, recv);
    if (sa && sa->is_session) return lazy_session(fx, recv, FX_ACQ_SELF_ATTR, sa->mode);
    const Node *base = recv->Attribute.value;
    if (strcmp(recv->Attribute.attr, "session") == 0 && base->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, base->Name.id);
        if (s && s->kind == SYM_FLASKDB)
            return lazy_session(fx, recv, FX_ACQ_FACTORY_CALL, FX_SYNC);
        if (s && s->kind == SYM_TXCTX) return s->idx; /* oslo.db: context.session */
    }
    return -1;
}

/* ---- functions ----------------------------------------------------------------------------- */

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void param_sessions(Fx *fx, int32_t idx)
{
    const FxFunc *f = &fx->funcs.items[idx];
    for (uint32_t i = 0; i < f->nparams; i++) {
        const FxParam *p = &f->params[i];
        if (i == 0 && f->is_method && !f->is_staticmethod) continue;
        FxSession s = {0};
        s.loc = fx_loc(fx, p->span);
        s.mode = p->is_session ? p->session_mode : FX_SYNC;
        s.conf = FX_CONF_KNOWN;
        s.provider = p->annotation;
        s.provider_func = -1;
        s.var = p->name;
        s.block = f->node->span;
        s.form = FX_ACQ_PARAM;
        if (p->depends) {
            int32_t pf = fx_find_func(fx, p->depends);
            FxDepends d = {s.loc, (int32_t)i, p->depends, fx_resolve(fx, p->depends), pf};
            VEC_PUSH(fx->deps, d);
            int pm = -1;
            if (pf >= 0 && fx->funcs.items[pf].is_session_provider)
                pm = (int)fx->funcs.items[pf].provider_mode;
            const FxHint *h = pf < 0 ? fx_hint(fx, d.provider_resolved, FX_HINT_PROVIDER) : NULL;
            if (h) pm = (int)h->mode;
            if (!p->is_session && pm < 0) continue;
            if (!p->is_session) s.mode = (FxMode)pm;
            s.form = FX_ACQ_DEPENDS;
            s.provider = p->depends;
            s.provider_resolved = d.provider_resolved;
            s.provider_func = pf;
        } else if (!p->is_session) {
            continue;
        }
        VEC_PUSH(fx->sessions, s);
        fx_push_sym(fx, p->name, SYM_SESSION, (int32_t)fx->sessions.n - 1, s.mode);
    }
}

static void walk_func(Fx *fx, const Node *s)
{
    if (fx->light) return; /* a sessionmaker in a decorator or default has no target */
    for (uint32_t i = 0; i < s->FunctionDef.decorator_list.n; i++)
        fx_visit_expr(fx, s->FunctionDef.decorator_list.items[i], false);
    const Node *args = s->FunctionDef.args;
    for (uint32_t i = 0; i < args->arguments.defaults.n; i++)
        fx_visit_expr(fx, args->arguments.defaults.items[i], false);
    for (uint32_t i = 0; i < args->arguments.kw_defaults.n; i++)
        if (args->arguments.kw_defaults.items[i])
            fx_visit_expr(fx, args->arguments.kw_defaults.items[i], false);
    int32_t idx = fx_func_of_node(fx, s);
    if (idx < 0) return;
    int32_t saved_func = fx->func, saved_cls = fx->cls;
    uint32_t saved_base = fx->with_base, saved_loops = fx->loops;
    bool saved_wt = fx->while_true;
    const NodeList *saved_body = fx->func_body;
    fx->func = idx;
    fx->with_base = fx->withs.n;
    fx->loops = 0;
    fx->while_true = false;
    fx->func_body = &s->FunctionDef.body;
    uint32_t gsaved = fx_enter_globals(fx, &s->FunctionDef.body), nsyms = fx->syms.n;
    param_sessions(fx, idx);
    fx_transaction_session(fx, idx);
    walk_body(fx, &s->FunctionDef.body);
    fx_drop_local_syms(fx, nsyms);
    fx_leave_globals(fx, gsaved);
    fx->func = saved_func;
    fx->cls = saved_cls;
    fx->withs.n = fx->with_base;
    fx->with_base = saved_base;
    fx->loops = saved_loops;
    fx->while_true = saved_wt;
    fx->func_body = saved_body;
}

static void walk_class(Fx *fx, const Node *s)
{
    for (uint32_t i = 0; i < s->ClassDef.bases.n; i++)
        fx_visit_expr(fx, s->ClassDef.bases.items[i], false);
    for (uint32_t i = 0; i < s->ClassDef.decorator_list.n; i++)
        fx_visit_expr(fx, s->ClassDef.decorator_list.items[i], false);
    int32_t idx = fx_class_of_node(fx, s), saved = fx->cls;
    if (idx < 0) return;
    fx->cls = idx;
    walk_body(fx, &s->ClassDef.body);
    fx->cls = saved;
}

/* ---- assignments --------------------------------------------------------------------------- */

const Node *fx_chain_root(const Node *e)
{
    const Node *root = e;
    while (e) {
        if (e->kind == AST_CALL) {
            root = e;
            e = e->Call.func;
        } else if (e->kind == AST_ATTRIBUTE) {
            e = e->Attribute.value;
        } else {
            break;
        }
    }
    return root;
}

static bool is_attr_call(const Node *v, const char *a1, const char *a2)
{
    if (!v || v->kind != AST_CALL || v->Call.func->kind != AST_ATTRIBUTE) return false;
    const char *at = v->Call.func->Attribute.attr;
    return strcmp(at, a1) == 0 || (a2 && strcmp(at, a2) == 0);
}

/* The lengths of the lists a visit of a value appends to, taken before it: what the value made
 * is after them, so binding its name looks at nothing older (linear in the file). */
typedef struct Marks {
    uint32_t sessions, queries, stmts;
} Marks;

static Marks marks(const Fx *fx)
{
    return (Marks){fx->sessions.n, fx->queries.n, fx->stmts.n};
}

/* `name = value` binding an enginefacade object: a transaction context, its reader/writer,
 * the session of a context in a transaction. */
static bool bind_facade(Fx *fx, const char *name, const Node *value)
{
    if (!fx->enginefacade) return false;
    int32_t k = fx_context_session(fx, value);
    if (k >= 0)
        fx_push_sym(fx, name, SYM_SESSION, k, FX_SYNC);
    else if (fx_facade_ctx(fx, value))
        fx_push_sym(fx, name, SYM_FACADE, -1, FX_SYNC);
    else if (fx_facade_mode(fx, value))
        fx_push_sym(fx, name, SYM_TXMODE, -1, FX_SYNC);
    else
        return false;
    return true;
}

/* What `name = value` (or `with value as name`) binds, after value was visited. */
static void bind_name(Fx *fx, const char *name, const Node *value, Marks m)
{
    if (bind_facade(fx, name, value)) return;
    for (uint32_t i = m.sessions; i < fx->sessions.n; i++) {
        if (fx->sessions.items[i].node == value) {
            fx_push_sym(fx, name, SYM_SESSION, (int32_t)i, fx->sessions.items[i].mode);
            return;
        }
    }
    for (uint32_t i = fx->queries.n; i-- > m.queries;) {
        if (fx->queries.items[i].call == value) {
            if (fx->queries.items[i].terminal == FX_TERM_NONE)
                fx_push_sym(fx, name, SYM_QUERY, (int32_t)i, FX_UNKNOWN);
            return;
        }
    }
    const Node *root = fx_chain_root(value);
    for (uint32_t i = fx->stmts.n; i-- > m.stmts;) {
        const FxStmt *st = &fx->stmts.items[i];
        if (st->call == root && st->kind <= FX_STMT_DELETE) {
            fx_push_sym(fx, name, SYM_STMT, (int32_t)i, FX_UNKNOWN);
            return;
        }
    }
    if (root->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, root->Name.id);
        if (s && s->kind == SYM_STMT && value->kind == AST_CALL) {
            fx_push_sym(fx, name, SYM_STMT, s->idx, FX_UNKNOWN);
            return;
        }
    }
    for (uint32_t i = fx->makers.n; i-- > 0;) {
        if (fx->makers.items[i].target &&
            fx->makers.items[i].call->span.start >= value->span.start &&
            fx->makers.items[i].call->span.end <= value->span.end) {
            bool scoped = fx_is_sa_call(fx, value, "scoped_session");
            fx_push_sym(fx, name, SYM_FACTORY, (int32_t)i, fx->makers.items[i].mode);
            VEC_LAST(fx->syms).scoped = scoped;
            return;
        }
    }
    for (uint32_t i = fx->engines.n; i-- > 0;) {
        if (fx->engines.items[i].call == value) {
            fx_push_sym(fx, name, SYM_ENGINE, (int32_t)i, fx->engines.items[i].mode);
            return;
        }
    }
    if (is_attr_call(value, "connect", "begin") &&
        fx_engine_expr(fx, value->Call.func->Attribute.value))
        fx_push_sym(fx, name, SYM_CONN, -1, FX_SYNC);
    else if (fx_is_pool_call(fx, value))
        fx_push_sym(fx, name, SYM_EXECUTOR, -1, FX_SYNC);
    else if (value->kind == AST_JOINEDSTR ||
             (value->kind == AST_CONSTANT && value->Constant.value.kind == CONST_STR))
        fx_push_sym(fx, name, SYM_SQLSTR, -1, FX_UNKNOWN);
}

static void walk_assign(Fx *fx, const Node *target, const Node *value, const Node *ann)
{
    if (!value) return;
    const Node *sv = fx->assign_value, *sa = fx->assign_ann;
    const char *st = fx->assign_target;
    fx->assign_value = value;
    fx->assign_target = target ? fx_dotted(fx, target) : NULL;
    fx->assign_ann = ann;
    Marks m = marks(fx);
    fx_visit_expr(fx, value, false);
    if (target && target->kind == AST_NAME) bind_name(fx, target->Name.id, value, m);
    fx->assign_value = sv;
    fx->assign_target = st;
    fx->assign_ann = sa;
}

/* ---- with ---------------------------------------------------------------------------------- */

/* `with cm.writer.using(context):` makes `context.session` the session of the block. */
static void using_context(Fx *fx, const Node *ce, Marks m)
{
    const Node *a0 = ce->kind == AST_CALL && ce->Call.args.n ? ce->Call.args.items[0] : NULL;
    if (!a0 || a0->kind != AST_NAME) return;
    for (uint32_t k = m.sessions; k < fx->sessions.n; k++)
        if (fx->sessions.items[k].node == ce && fx_facade_using(fx, ce))
            fx_push_sym(fx, a0->Name.id, SYM_TXCTX, (int32_t)k, FX_SYNC);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void walk_with(Fx *fx, const Node *s)
{
    bool is_async = s->kind == AST_ASYNCWITH;
    uint32_t nwith = fx->withs.n, pre = fx->syms.n;
    if (is_async && fx->func >= 0) fx->funcs.items[fx->func].has_await = true;
    for (uint32_t i = 0; i < s->With.items.n; i++) {
        const Node *item = s->With.items.items[i];
        const Node *ce = item->withitem.context_expr, *ov = item->withitem.optional_vars;
        const char *var = ov ? fx_dotted(fx, ov) : NULL;
        const Node *si = fx->with_item;
        const NodeList *sb = fx->with_body;
        fx->with_item = ce;
        fx->with_var = var;
        fx->with_async = is_async;
        fx->with_body = &s->With.body;
        Marks m = marks(fx);
        fx_visit_expr(fx, ce, false);
        fx->with_item = si;
        fx->with_body = sb;
        for (uint32_t k = m.sessions; k < fx->sessions.n; k++) {
            FxSession *ses = &fx->sessions.items[k];
            if (ses->node != ce) continue;
            ses->block = s->span;
            if (!is_async) VEC_PUSH(fx->withs, (int32_t)k);
        }
        uint32_t nsym = fx->syms.n;
        if (var && ov->kind == AST_NAME) bind_name(fx, var, ce, m);
        for (uint32_t k = nsym; is_async && k < fx->syms.n; k++) /* async with engine.begin() */
            if (fx->syms.items[k].kind == SYM_CONN) fx->syms.items[k].mode = FX_ASYNC;
        using_context(fx, ce, m);
    }
    uint32_t post = fx->syms.n;
    walk_body(fx, &s->With.body);
    fx->withs.n = nwith;
    for (uint32_t i = pre; i < post && i < fx->syms.n; i++)
        if (fx->syms.items[i].kind == SYM_TXCTX) fx->syms.items[i].name = ""; /* block ends */
}

/* ---- loops --------------------------------------------------------------------------------- */

static void walk_for(Fx *fx, const Node *s)
{
    const Node *it = s->For.iter;
    if (s->kind == AST_ASYNCFOR && fx->func >= 0) fx->funcs.items[fx->func].has_await = true;
    const Sym *sym = it->kind == AST_NAME ? fx_lookup(fx, it->Name.id) : NULL;
    if (sym && sym->kind == SYM_QUERY) {
        fx_iterate_query(fx, sym->idx);
    } else {
        const Node *saved = fx->iter_node;
        fx->iter_node = it;
        fx_visit_expr(fx, it, false);
        fx->iter_node = saved;
    }
    fx->loops++;
    walk_body(fx, &s->For.body);
    fx->loops--;
    walk_body(fx, &s->For.orelse);
}

static bool is_true(const Node *e)
{
    if (e->kind != AST_CONSTANT) return false;
    const Const *c = &e->Constant.value;
    return c->kind == CONST_TRUE || (c->kind == CONST_INT && c->len == 1 && c->text[0] == '1');
}

static void walk_while(Fx *fx, const Node *s)
{
    fx_visit_expr(fx, s->While.test, false);
    bool saved = fx->while_true;
    if (is_true(s->While.test)) {
        fx->while_true = true;
        FxFunc *f = fx->func >= 0 ? &fx->funcs.items[fx->func] : NULL;
        if (f && f->is_async && !f->is_background_loop) {
            f->is_background_loop = true;
            f->loop_line = fx_loc(fx, s->span).line;
        }
    }
    fx->loops++;
    walk_body(fx, &s->While.body);
    fx->loops--;
    fx->while_true = saved;
    walk_body(fx, &s->While.orelse);
}

/* ---- statements ---------------------------------------------------------------------------- */

static void visit_child(Node *n, void *ud)
{
    fx_visit_expr(ud, n, false);
}

static void walk_try(Fx *fx, const Node *s)
{
    walk_body(fx, &s->Try.body);
    for (uint32_t i = 0; i < s->Try.handlers.n; i++) {
        const Node *h = s->Try.handlers.items[i];
        if (h->ExceptHandler.type) fx_visit_expr(fx, h->ExceptHandler.type, false);
        walk_body(fx, &h->ExceptHandler.body);
    }
    walk_body(fx, &s->Try.orelse);
    walk_body(fx, &s->Try.finalbody);
}

// NOLINTNEXTLINE(readability-function-size): flat dispatch over statement kinds
static void walk_stmt(Fx *fx, const Node *s)
{
    fx->cur_stmt = s;
    switch ((AstKind)s->kind) {
        case AST_FUNCTIONDEF:
        case AST_ASYNCFUNCTIONDEF: walk_func(fx, s); break;
        case AST_CLASSDEF: walk_class(fx, s); break;
        case AST_ASSIGN:
            walk_assign(fx, s->Assign.targets.n == 1 ? s->Assign.targets.items[0] : NULL,
                        s->Assign.value, NULL);
            break;
        case AST_ANNASSIGN:
            walk_assign(fx, s->AnnAssign.target, s->AnnAssign.value, s->AnnAssign.annotation);
            break;
        case AST_AUGASSIGN: fx_visit_expr(fx, s->AugAssign.value, false); break;
        case AST_FOR:
        case AST_ASYNCFOR: walk_for(fx, s); break;
        case AST_WHILE: walk_while(fx, s); break;
        case AST_IF:
            fx_visit_expr(fx, s->If.test, false);
            walk_body(fx, &s->If.body);
            walk_body(fx, &s->If.orelse);
            break;
        case AST_WITH:
        case AST_ASYNCWITH: walk_with(fx, s); break;
        case AST_TRY:
        case AST_TRYSTAR: walk_try(fx, s); break;
        case AST_MATCH:
            fx_visit_expr(fx, s->Match.subject, false);
            for (uint32_t i = 0; i < s->Match.cases.n; i++)
                walk_body(fx, &s->Match.cases.items[i]->match_case.body);
            break;
        case AST_RETURN:
        case AST_EXPR:
        case AST_RAISE:
        case AST_ASSERT:
        case AST_DELETE: ast_children(s, visit_child, fx); break;
        default: break;
    }
}

static void walk_body(Fx *fx, const NodeList *body)
{
    for (uint32_t i = 0; i < body->n; i++)
        walk_stmt(fx, body->items[i]);
}

/* Last parts of callees used as with items anywhere in the file ("get_session"). */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void with_names(Node *n, void *ud)
{
    Fx *fx = ud;
    if (n->kind == AST_WITHITEM && n->withitem.context_expr->kind == AST_CALL) {
        const char *d = fx_dotted(fx, n->withitem.context_expr->Call.func);
        if (d) VEC_PUSH(fx->with_names, nm_last(d));
    }
    ast_children(n, with_names, ud);
}

void fx_walk_module(Fx *fx, const Node *module)
{
    if (!fx->light) with_names((Node *)module, fx);
    fx->func = fx->cls = -1;
    fx->func_body = &module->Module.body;
    walk_body(fx, &module->Module.body);
}
