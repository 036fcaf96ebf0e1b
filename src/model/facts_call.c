/* facts_call: classification of expressions and calls during the main walk: legacy Query
 * chains, session acquisitions and operations, 2.0 statements, raw SQL, engines,
 * sessionmakers, relationships, offloads and sleeps. */
#include <string.h>

#include "facts_int.h"
#include "names.h"

static const Node *kwarg(const Node *call, const char *name)
{
    for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
        const Node *k = call->Call.keywords.items[i];
        if (k->keyword.arg && strcmp(k->keyword.arg, name) == 0) return k->keyword.value;
    }
    return NULL;
}

static const Node *arg(const Node *call, uint32_t i)
{
    return i < call->Call.args.n ? call->Call.args.items[i] : NULL;
}

static const char *attr_of(const Node *call)
{
    const Node *fn = call->Call.func;
    return fn->kind == AST_ATTRIBUTE ? fn->Attribute.attr : NULL;
}

static int32_t open_block(Fx *fx)
{
    return fx->withs.n > fx->with_base ? VEC_LAST(fx->withs) : -1;
}

static bool multiline(Fx *fx, Span s)
{
    uint32_t end = s.end > s.start ? s.end - 1 : s.start;
    return source_linecol(fx->src, s.start).line != source_linecol(fx->src, end).line;
}

/* ---- engines and executors ---------------------------------------------------------------- */

bool fx_engine_expr(Fx *fx, const Node *e)
{
    if (e->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, e->Name.id);
        if (s) return s->kind == SYM_ENGINE;
    }
    const FxSelfAttr *sa = fx_self_attr_of(fx, e);
    if (sa && sa->is_engine) return true;
    const char *d = fx_dotted(fx, e);
    if (!d) return false;
    const char *last = nm_last(d);
    size_t n = strlen(last);
    return strcmp(last, "engine") == 0 || (n > 7 && strcmp(last + n - 7, "_engine") == 0);
}

bool fx_is_pool_call(Fx *fx, const Node *v)
{
    if (!v || v->kind != AST_CALL) return false;
    const char *r = fx_resolve_expr(fx, v->Call.func);
    return nm_is(r, "concurrent.futures", "ThreadPoolExecutor") ||
           nm_is(r, "concurrent.futures", "ProcessPoolExecutor");
}

/* ---- legacy Query chains ------------------------------------------------------------------- */

#define CHAIN_MAX 64

typedef struct Chain {
    const Node *calls[CHAIN_MAX]; /* outermost first */
    const char *meths[CHAIN_MAX];
    uint32_t n;
    const Node *recv; /* receiver of the innermost method */
} Chain;

static bool collect_chain(const Node *e, Chain *c)
{
    c->n = 0;
    while (e->kind == AST_CALL && e->Call.func->kind == AST_ATTRIBUTE) {
        if (c->n == CHAIN_MAX) return false;
        c->calls[c->n] = e;
        c->meths[c->n++] = e->Call.func->Attribute.attr;
        e = e->Call.func->Attribute.value;
    }
    c->recv = e;
    return c->n > 0;
}

static const char *const continuations[] = {"filter",
                                            "filter_by",
                                            "order_by",
                                            "limit",
                                            "offset",
                                            "join",
                                            "outerjoin",
                                            "options",
                                            "group_by",
                                            "having",
                                            "distinct",
                                            "with_entities",
                                            "add_columns",
                                            "add_column",
                                            "add_entity",
                                            "select_from",
                                            "correlate",
                                            "execution_options",
                                            "populate_existing",
                                            "with_for_update",
                                            "yield_per",
                                            "enable_eagerloads",
                                            "from_self",
                                            "select_entity_from",
                                            "union",
                                            "union_all",
                                            "params",
                                            "slice",
                                            "with_parent",
                                            "with_hint",
                                            "autoflush",
                                            "reset_joinpoint",
                                            "prefix_with",
                                            "suffix_with",
                                            "with_labels",
                                            "set_label_style",
                                            "where",
                                            "with_session",
                                            "enable_assertions",
                                            "intersect",
                                            "except_",
                                            "query",
                                            "order_by",
                                            "with_polymorphic",
                                            "filter_by",
                                            "only_return_tuples",
                                            "tuples",
                                            NULL};

static FxTerminal terminal_of(const char *m)
{
    static const struct {
        const char *name;
        FxTerminal t;
    } terms[] = {{"all", FX_TERM_ALL},       {"first", FX_TERM_FIRST},
                 {"one", FX_TERM_ONE},       {"one_or_none", FX_TERM_ONE_OR_NONE},
                 {"scalar", FX_TERM_SCALAR}, {"count", FX_TERM_COUNT},
                 {"get", FX_TERM_GET},       {"update", FX_TERM_UPDATE},
                 {"delete", FX_TERM_DELETE}, {"exists", FX_TERM_EXISTS}};
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
        if (strcmp(m, terms[i].name) == 0) return terms[i].t;
    return nm_in_set(m, continuations) ? FX_TERM_NONE : FX_TERM_OTHER;
}

bool fx_query_method(const char *m)
{
    return nm_in_set(m, continuations);
}

static const char *join_reason(Fx *fx, const Node *call)
{
    for (uint32_t i = 0; i < call->Call.args.n; i++) {
        const Node *a = call->Call.args.items[i];
        if (a->kind == AST_CONSTANT && a->Constant.value.kind == CONST_STR) return "string join";
        if (a->kind == AST_CALL && nm_is_sa(fx_resolve_expr(fx, a->Call.func), "aliased"))
            return "aliased join";
    }
    return NULL;
}

/* Why the methods calls[0..n) cannot be converted mechanically, or NULL. */
static const char *manual_reason(Fx *fx, const Chain *c, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *m = c->meths[i];
        if (strcmp(m, "from_self") == 0 || strcmp(m, "select_entity_from") == 0 ||
            strcmp(m, "with_entities") == 0 || strcmp(m, "values") == 0 ||
            strcmp(m, "value") == 0 || strcmp(m, "with_polymorphic") == 0)
            return m;
        if (strcmp(m, "join") == 0 || strcmp(m, "outerjoin") == 0) {
            const char *r = join_reason(fx, c->calls[i]);
            if (r) return r;
        }
    }
    return NULL;
}

static bool entity_like(Fx *fx, const Node *e)
{
    const char *d = fx_dotted(fx, e);
    if (!d) return false;
    const char *last = nm_last(d);
    if (last[0] >= 'A' && last[0] <= 'Z') return true;
    for (uint32_t i = 0; i < fx->classes.n; i++)
        if (strcmp(fx->classes.items[i].name, d) == 0) return true;
    return false;
}

static void push_step(Fx *fx, QMeta *m)
{
    const Node *s = fx->cur_stmt;
    if (s && (m->steps.n == 0 || VEC_LAST(m->steps) != s)) fx_push_node(&m->steps, s);
}

/* Appends calls[0..n) (outermost first) as methods in source order; sets the terminal. */
static void append_methods(Fx *fx, int32_t k, const Chain *c, uint32_t n, const Node *e)
{
    FxQuery *q = &fx->queries.items[k];
    QMeta *m = &fx->qmeta.items[k];
    m->methods.n = m->nbase;
    for (uint32_t i = n; i-- > 0;)
        VEC_PUSH(m->methods, c->meths[i]);
    FxTerminal t =
        m->methods.n > 1 || q->across_statements ? terminal_of(c->meths[0]) : FX_TERM_NONE;
    if (t == FX_TERM_NONE && e == fx->iter_node) t = FX_TERM_ITER;
    q->terminal = t;
    m->nbase = m->methods.n - (t != FX_TERM_NONE && t != FX_TERM_ITER ? 1 : 0);
    q->multiline |= multiline(fx, e->span);
    q->call = e;
    if (!q->manual) q->manual = manual_reason(fx, c, n);
    push_step(fx, m);
    m->nbase_steps = m->steps.n - (m->nbase < m->methods.n ? 1 : 0);
}

static int32_t new_query(Fx *fx, const Node *e, const Chain *c, int32_t sess)
{
    const Node *root = c->calls[c->n - 1];
    FxQuery q = {0};
    q.loc = fx_loc(fx, e->span);
    q.session = sess;
    q.receiver = fx_text(fx, c->recv);
    q.root = root;
    q.nentities = root->Call.args.n;
    if (q.nentities) {
        const Node *a0 = root->Call.args.items[0];
        q.entity = fx_dotted(fx, a0);
        if (!q.entity) q.entity = fx_text(fx, a0);
        q.is_entity = q.nentities == 1 && entity_like(fx, a0);
    }
    VEC_PUSH(fx->queries, q);
    QMeta m = {{0}, {0}, 0, 0};
    VEC_PUSH(fx->qmeta, m);
    int32_t k = (int32_t)fx->queries.n - 1;
    append_methods(fx, k, c, c->n, e);
    return k;
}

/* The session a query helper call is given: a context in a transaction, a session, or
 * `context.session`; or -1. */
static int32_t helper_session(Fx *fx, const Node *call)
{
    for (uint32_t i = 0; i < call->Call.args.n; i++) {
        const Node *a = call->Call.args.items[i];
        const Sym *s = a->kind == AST_NAME ? fx_lookup(fx, a->Name.id) : NULL;
        if (s && (s->kind == SYM_TXCTX || s->kind == SYM_SESSION)) return s->idx;
        int32_t k = fx_context_session(fx, a);
        if (k >= 0) return k;
    }
    return -1;
}

/* A chain starting at a query helper call src (`model_query(context, Model)`): the methods
 * of c after it, none when e is src. */
static int32_t new_helper_query(Fx *fx, const Node *e, const Chain *c, const Node *src)
{
    FxQuery q = {0};
    q.loc = fx_loc(fx, e->span);
    q.session = helper_session(fx, src);
    q.helper = fx_dotted(fx, src->Call.func);
    q.receiver = q.helper;
    q.root = src;
    for (uint32_t i = 0; i < src->Call.args.n && !q.entity; i++)
        if (entity_like(fx, src->Call.args.items[i]))
            q.entity = fx_dotted(fx, src->Call.args.items[i]);
    q.nentities = q.entity ? 1 : 0;
    q.manual = "built by a query helper, not session.query()";
    VEC_PUSH(fx->queries, q);
    QMeta m = {{0}, {0}, 1, 0};
    VEC_PUSH(m.methods, nm_last(q.helper));
    VEC_PUSH(fx->qmeta, m);
    int32_t k = (int32_t)fx->queries.n - 1;
    append_methods(fx, k, c, c->n, e);
    return k;
}

/* The Query methods of e down to a query helper call: fills c (calls before the helper) and
 * returns the helper call, or NULL. */
static const Node *helper_chain(Fx *fx, const Node *e, Chain *c)
{
    c->n = 0;
    while (e->kind == AST_CALL) {
        if (fx_query_source(fx, e)) return c->recv = e;
        const Node *fn = e->Call.func;
        if (fn->kind != AST_ATTRIBUTE || c->n == CHAIN_MAX) return NULL;
        c->calls[c->n] = e;
        c->meths[c->n++] = fn->Attribute.attr;
        e = fn->Attribute.value;
    }
    return NULL;
}

/* A query variable consumed a second time gets its own FxQuery (same root, same steps). */
static int32_t clone_query(Fx *fx, int32_t k)
{
    FxQuery q = fx->queries.items[k];
    QMeta *old = &fx->qmeta.items[k];
    QMeta m = {{0}, {0}, old->nbase, old->nbase_steps};
    for (uint32_t i = 0; i < old->nbase; i++)
        VEC_PUSH(m.methods, old->methods.items[i]);
    for (uint32_t i = 0; i < old->nbase_steps; i++)
        fx_push_node(&m.steps, old->steps.items[i]);
    q.terminal = FX_TERM_NONE;
    VEC_PUSH(fx->queries, q);
    VEC_PUSH(fx->qmeta, m);
    return (int32_t)fx->queries.n - 1;
}

static int32_t continue_query(Fx *fx, int32_t k, const Node *e, const Chain *c)
{
    if (fx->queries.items[k].terminal != FX_TERM_NONE) k = clone_query(fx, k);
    FxQuery *q = &fx->queries.items[k];
    q->across_statements = true;
    q->var = c->recv->Name.id;
    append_methods(fx, k, c, c->n, e);
    return k;
}

void fx_iterate_query(Fx *fx, int32_t k)
{
    if (fx->queries.items[k].terminal != FX_TERM_NONE) k = clone_query(fx, k);
    FxQuery *q = &fx->queries.items[k];
    q->across_statements = true;
    q->terminal = FX_TERM_ITER;
    QMeta *m = &fx->qmeta.items[k];
    push_step(fx, m);
    m->nbase_steps = m->steps.n - 1;
}

static void visit_args(Fx *fx, const Node *call)
{
    for (uint32_t i = 0; i < call->Call.args.n; i++)
        fx_visit_expr(fx, call->Call.args.items[i], false);
    for (uint32_t i = 0; i < call->Call.keywords.n; i++)
        fx_visit_expr(fx, call->Call.keywords.items[i]->keyword.value, false);
}

/* A chain from a query helper (files importing oslo_db.sqlalchemy only). */
static bool record_helper_chain(Fx *fx, const Node *e)
{
    Chain c;
    const Node *src = fx->ff->imports_enginefacade ? helper_chain(fx, e, &c) : NULL;
    if (!src) return false;
    new_helper_query(fx, e, &c, src);
    for (uint32_t i = c.n; i-- > 0;)
        visit_args(fx, c.calls[i]);
    visit_args(fx, src);
    return true;
}

bool fx_record_chain(Fx *fx, const Node *e, bool awaited)
{
    (void)awaited;
    Chain c;
    if (!collect_chain(e, &c)) return record_helper_chain(fx, e);
    if (strcmp(c.meths[c.n - 1], "query") == 0 && c.recv->kind != AST_CALL) {
        int32_t sess = fx_session_of(fx, c.recv);
        if (sess < 0) return false;
        new_query(fx, e, &c, sess);
    } else if (c.recv->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, c.recv->Name.id);
        if (!s || s->kind != SYM_QUERY) return record_helper_chain(fx, e);
        continue_query(fx, s->idx, e, &c);
    } else {
        return record_helper_chain(fx, e);
    }
    for (uint32_t i = c.n; i-- > 0;)
        visit_args(fx, c.calls[i]);
    return true;
}

/* ---- sessions ------------------------------------------------------------------------------ */

static bool is_with_name(Fx *fx, const char *last)
{
    for (uint32_t i = 0; i < fx->with_names.n; i++)
        if (strcmp(fx->with_names.items[i], last) == 0) return true;
    return false;
}

/* `Session`/`AsyncSession` not from sqlalchemy or sqlmodel (fx_session_call_mode knows those):
 * the project's own class of that name (an HTTP session, say), never a database session. */
static bool is_session_class_name(const char *last)
{
    return strcmp(last, "Session") == 0 || strcmp(last, "AsyncSession") == 0;
}

/* A call to a provider this file cannot see, judged by how its result is used. */
static int likely_session(Fx *fx, const Node *call, bool is_with, const char *var, FxAcqForm *form)
{
    if (!var || strchr(var, '.') || (!is_with && fx->func < 0)) return -1;
    const char *d = fx_dotted(fx, call->Call.func);
    const char *r = fx_resolve(fx, d);
    if (r && (strncmp(r, "sqlalchemy", 10) == 0 || strncmp(r, "concurrent", 10) == 0)) return -1;
    if (d && is_session_class_name(nm_last(d))) return -1;
    const char *at = attr_of(call);
    if (at && (strcmp(at, "connect") == 0 || strcmp(at, "begin") == 0)) return -1;
    bool hint = (d && fx_name_says_session(nm_last(d))) || fx_name_says_session(var);
    if (!fx_used_as_session(fx, is_with ? fx->with_body : fx->func_body, var, hint)) return -1;
    *form = is_with || (d && is_with_name(fx, nm_last(d))) ? FX_ACQ_WITH : FX_ACQ_FACTORY_CALL;
    return is_with && fx->with_async ? FX_ASYNC : FX_SYNC;
}

static void classify_session(Fx *fx, const Node *call)
{
    FxAcqForm form = FX_ACQ_FACTORY_CALL;
    int32_t pf;
    FxConf conf;
    bool is_with = call == fx->with_item;
    bool is_assign = call == fx->assign_value && fx->assign_target;
    const char *var = is_with ? fx->with_var : is_assign ? fx->assign_target : NULL;
    int m = fx_session_call_mode(fx, call, &form, &pf, &conf);
    if (m < 0) {
        m = likely_session(fx, call, is_with, var, &form);
        if (m < 0) return;
        conf = FX_CONF_LIKELY;
    }
    if (is_with && fx->with_async)
        form = FX_ACQ_ASYNC_WITH;
    else if (!is_with && form == FX_ACQ_WITH) {
        if (!is_assign) return; /* a context manager handed on: returned, entered by an ExitStack */
        form = FX_ACQ_NO_WITH;
    }
    FxSession s = {0};
    s.loc = fx_loc(fx, call->span);
    s.form = form;
    s.mode = (FxMode)m;
    s.conf = conf;
    s.provider = fx_dotted(fx, call->Call.func);
    if (!s.provider) s.provider = fx_text(fx, call->Call.func);
    s.provider_resolved = fx_resolve(fx, s.provider);
    s.provider_func = pf;
    s.var = var;
    s.in_with = is_with;
    s.is_async_with = is_with && fx->with_async;
    s.block = fx->cur_stmt ? fx->cur_stmt->span : call->span;
    s.node = call;
    VEC_PUSH(fx->sessions, s);
}

/* ---- session operations, statements, SQL -------------------------------------------------- */

static bool is_sql_string(Fx *fx, const Node *e)
{
    if (!e) return false;
    switch ((AstKind)e->kind) {
        case AST_CONSTANT: return e->Constant.value.kind == CONST_STR;
        case AST_JOINEDSTR: return true;
        case AST_BINOP:
            return (e->BinOp.op == BINOP_ADD || e->BinOp.op == BINOP_MOD) &&
                   (is_sql_string(fx, e->BinOp.left) || is_sql_string(fx, e->BinOp.right));
        case AST_CALL: {
            const Node *fn = e->Call.func;
            return fn->kind == AST_ATTRIBUTE && strcmp(fn->Attribute.attr, "format") == 0 &&
                   is_sql_string(fx, fn->Attribute.value);
        }
        case AST_NAME: {
            const Sym *s = fx_lookup(fx, e->Name.id);
            return s && s->kind == SYM_SQLSTR;
        }
        default: return false;
    }
}

static void add_sql(Fx *fx, const Node *call, FxSqlKind kind, const Node *recv, const Node *a0)
{
    FxSql q = {fx_loc(fx, call->span),          kind, recv ? fx_text(fx, recv) : NULL,
               a0 && a0->kind == AST_JOINEDSTR, call, a0};
    VEC_PUSH(fx->sqls, q);
}

static void add_stmt(Fx *fx, const Node *call, FxStmtKind kind, const Node *recv, int32_t sess,
                     bool awaited)
{
    FxStmt st = {0};
    st.loc = fx_loc(fx, call->span);
    st.kind = kind;
    st.receiver = recv ? fx_text(fx, recv) : NULL;
    st.session = sess;
    st.is_awaited = awaited;
    st.call = call;
    if (kind <= FX_STMT_DELETE && fx->assign_value && fx_chain_root(fx->assign_value) == call)
        st.var = fx->assign_target;
    const Node *a0 = arg(call, 0);
    st.list_form = kind == FX_STMT_SELECT && call->Call.args.n >= 1 && a0->kind == AST_LIST;
    VEC_PUSH(fx->stmts, st);
}

static void classify_session_op(Fx *fx, const Node *call, bool awaited)
{
    static const char *const ops[] = {
        "get",     "add",         "add_all", "commit",  "flush",        "refresh",
        "expunge", "expunge_all", "delete",  "execute", "merge",        "rollback",
        "close",   "scalars",     "scalar",  "begin",   "begin_nested", NULL};
    const char *op = attr_of(call);
    if (!op || !nm_in_set(op, ops)) return;
    const Node *recv = call->Call.func->Attribute.value;
    int32_t si = fx_session_of(fx, recv);
    if (si < 0) return;
    FxSessionOp o = {fx_loc(fx, call->span),
                     op,
                     fx_text(fx, recv),
                     si,
                     fx->sessions.items[si].mode,
                     awaited,
                     call};
    VEC_PUSH(fx->ops, o);
    if (strcmp(op, "execute") == 0)
        add_stmt(fx, call, FX_STMT_EXECUTE, recv, si, awaited);
    else if (strcmp(op, "scalars") == 0)
        add_stmt(fx, call, FX_STMT_SCALARS, recv, si, awaited);
    else if (strcmp(op, "scalar") == 0)
        add_stmt(fx, call, FX_STMT_SCALAR, recv, si, awaited);
    else if (strcmp(op, "get") == 0)
        add_stmt(fx, call, FX_STMT_GET, recv, si, awaited);
    if (strcmp(op, "execute") == 0 && is_sql_string(fx, arg(call, 0)))
        add_sql(fx, call, FX_SQL_STRING, recv, arg(call, 0));
}

/* A 2.0 statement (variable, construct call chain) or a Table's select()/insert()... */
static bool stmt_expr(Fx *fx, const Node *e)
{
    if (e->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, e->Name.id);
        return s && s->kind == SYM_STMT;
    }
    if (e->kind != AST_CALL) return false;
    const Node *root = fx_chain_root(e);
    static const char *const cons[] = {"select", "insert", "update", "delete", NULL};
    const char *r = fx_resolve_expr(fx, root->Call.func);
    if (r && (strncmp(r, "sqlalchemy", 10) == 0) && nm_in_set(nm_last(r), cons)) return true;
    const char *at = attr_of(root);
    return at && nm_in_set(at, cons) && root->Call.args.n == 0;
}

static void classify_sql(Fx *fx, const Node *call, const char *res, bool awaited)
{
    static const struct {
        const char *name;
        FxStmtKind kind;
    } cons[] = {{"select", FX_STMT_SELECT},
                {"insert", FX_STMT_INSERT},
                {"update", FX_STMT_UPDATE},
                {"delete", FX_STMT_DELETE}};
    for (size_t i = 0; i < sizeof cons / sizeof cons[0]; i++)
        if (nm_is_sa(res, cons[i].name)) add_stmt(fx, call, cons[i].kind, NULL, -1, awaited);
    if (nm_is_sa(res, "text")) {
        add_sql(fx, call, FX_SQL_TEXT, NULL, arg(call, 0));
        return;
    }
    const char *at = attr_of(call);
    if (!at || strcmp(at, "execute") != 0) return;
    const Node *recv = call->Call.func->Attribute.value;
    if (fx_session_of(fx, recv) >= 0) return;
    const Sym *s = recv->kind == AST_NAME ? fx_lookup(fx, recv->Name.id) : NULL;
    bool conn_str = s && s->kind == SYM_CONN && is_sql_string(fx, arg(call, 0));
    bool implicit = call->Call.args.n == 0 && stmt_expr(fx, recv);
    if (fx_engine_expr(fx, recv) || conn_str || implicit)
        add_sql(fx, call, FX_SQL_ENGINE_EXECUTE, recv, arg(call, 0));
}

/* ---- engine and connection IO --------------------------------------------------------------- */

/* An engine (fx_engine_expr) that is not known to be async: not from create_async_engine, not
 * named async. One known only by its name (`db.engine`) counts when by_name allows. */
static bool sync_engine(Fx *fx, const Node *e, bool by_name)
{
    if (!e || !fx_engine_expr(fx, e)) return false;
    const Sym *s = e->kind == AST_NAME ? fx_lookup(fx, e->Name.id) : NULL;
    if (s && s->kind == SYM_ENGINE) return s->mode != FX_ASYNC;
    const FxSelfAttr *sa = fx_self_attr_of(fx, e);
    if (sa && sa->is_engine) return sa->mode != FX_ASYNC;
    const char *d = fx_dotted(fx, e);
    return by_name && (!d || !strstr(d, "async"));
}

/* A connection opened from a sync engine (`with engine.connect() as conn`). */
static bool sync_conn(Fx *fx, const Node *e)
{
    const Sym *s = e && e->kind == AST_NAME ? fx_lookup(fx, e->Name.id) : NULL;
    return s && s->kind == SYM_CONN && s->mode != FX_ASYNC;
}

/* `Base.metadata`, `metadata`, `target_metadata`, `meta`. */
static bool metadata_expr(Fx *fx, const Node *e)
{
    const char *d = fx_dotted(fx, e);
    if (!d) return false;
    const char *last = nm_last(d);
    size_t n = strlen(last);
    return strcmp(last, "meta") == 0 || (n >= 8 && strcmp(last + n - 8, "metadata") == 0);
}

/* The engine or connection a MetaData operation is given: the first argument or bind=. */
static const Node *bind_of(const Node *call)
{
    const NodeList *kw = &call->Call.keywords;
    for (uint32_t i = 0; i < kw->n; i++)
        if (kw->items[i]->keyword.arg && strcmp(kw->items[i]->keyword.arg, "bind") == 0)
            return kw->items[i]->keyword.value;
    return arg(call, 0);
}

/* The engine IO op of call, or NULL (see FxEngineIo). */
static const char *engine_io_op(Fx *fx, const Node *call, const char *at, const Node *recv)
{
    static const char *const opens[] = {"connect", "begin", "raw_connection", NULL};
    static const char *const meta_ops[] = {"create_all", "drop_all", "reflect", NULL};
    static const char *const conn_ops[] = {"execute", "exec_driver_sql", "scalar", "scalars",
                                           "commit",  "rollback",        NULL};
    if (nm_in_set(at, opens)) { /* `x.engine.connect()` by name only where SQLAlchemy is used */
        bool by_name = fx->ff->imports_sqlalchemy || fx->ff->imports_enginefacade;
        return sync_engine(fx, recv, by_name) && !(fx->with_async && fx->with_item == call) ? at
                                                                                            : NULL;
    }
    if (nm_in_set(at, meta_ops)) {
        const Node *b = bind_of(call);
        return metadata_expr(fx, recv) && (sync_engine(fx, b, true) || sync_conn(fx, b)) ? at
                                                                                         : NULL;
    }
    if (!nm_in_set(at, conn_ops) || !sync_conn(fx, recv)) return NULL;
    return strcmp(at, "execute") == 0 && is_sql_string(fx, arg(call, 0)) ? NULL : at;
}

static void classify_engine_io(Fx *fx, const Node *call, bool awaited)
{
    const char *at = attr_of(call);
    if (!at || awaited) return;
    const Node *recv = call->Call.func->Attribute.value;
    const char *op = engine_io_op(fx, call, at, recv);
    if (!op) return;
    FxEngineIo io = {fx_loc(fx, call->span), op, fx_text(fx, recv), call};
    VEC_PUSH(fx->eios, io);
}

/* ---- engines, sessionmakers, relationships ------------------------------------------------- */

static const char *const pool_args[] = {"pool_size",     "max_overflow",         "pool_timeout",
                                        "pool_recycle",  "pool_pre_ping",        "poolclass",
                                        "pool_use_lifo", "pool_reset_on_return", NULL};

static void kwargs(Fx *fx, const Node *call, FxKwarg **out, uint32_t *n)
{
    const NodeList *kw = &call->Call.keywords;
    *out = ARENA_ARRAY(fx->a, FxKwarg, kw->n);
    *n = 0;
    for (uint32_t i = 0; i < kw->n; i++) {
        const Node *k = kw->items[i];
        (*out)[(*n)++] =
            (FxKwarg){k->keyword.arg ? k->keyword.arg : "**", fx_text(fx, k->keyword.value)};
    }
}

/* The assignment target when call is the assigned value or a direct argument of it. */
static const char *target_of(Fx *fx, const Node *call)
{
    const Node *v = fx->assign_value;
    if (!v) return NULL;
    if (v == call) return fx->assign_target;
    if (v->kind == AST_CALL)
        for (uint32_t i = 0; i < v->Call.args.n; i++)
            if (v->Call.args.items[i] == call) return fx->assign_target;
    return NULL;
}

static void classify_engine(Fx *fx, const Node *call, const char *res)
{
    bool sync = nm_is_sa(res, "create_engine") || nm_is_sa(res, "engine_from_config");
    bool async = nm_is_sa(res, "create_async_engine") || nm_is_sa(res, "async_engine_from_config");
    if (!sync && !async) return;
    FxEngine e = {0};
    e.loc = fx_loc(fx, call->span);
    e.form = strstr(nm_last(res), "from_config") ? FX_ENGINE_FROM_CONFIG : FX_ENGINE_CREATE;
    e.mode = async ? FX_ASYNC : FX_SYNC;
    e.target = call == fx->assign_value ? fx->assign_target : NULL;
    e.url = arg(call, 0) ? fx_text(fx, arg(call, 0)) : NULL;
    kwargs(fx, call, &e.kwargs, &e.nkwargs);
    for (uint32_t i = 0; i < e.nkwargs; i++)
        e.has_pool_args |= nm_in_set(e.kwargs[i].name, pool_args);
    e.call = call;
    VEC_PUSH(fx->engines, e);
}

static int bool_value(const Node *v)
{
    if (!v) return -1;
    if (v->kind == AST_CONSTANT && v->Constant.value.kind == CONST_FALSE) return 0;
    if (v->kind == AST_CONSTANT && v->Constant.value.kind == CONST_TRUE) return 1;
    return 2;
}

static void classify_maker(Fx *fx, const Node *call, const char *res)
{
    bool sync = nm_is_sa(res, "sessionmaker");
    bool async = nm_is_sa(res, "async_sessionmaker");
    if (!sync && !async) return;
    FxSessionmaker m = {0};
    m.loc = fx_loc(fx, call->span);
    const Node *cls = kwarg(call, "class_");
    m.mode =
        async || (cls && nm_is_sa(fx_resolve_expr(fx, cls), "AsyncSession")) ? FX_ASYNC : FX_SYNC;
    m.factory = async ? "async_sessionmaker" : "sessionmaker";
    m.target = target_of(fx, call);
    const Node *bind = kwarg(call, "bind");
    if (!bind) bind = arg(call, 0);
    m.bind = bind ? fx_text(fx, bind) : NULL;
    m.expire_on_commit = bool_value(kwarg(call, "expire_on_commit"));
    kwargs(fx, call, &m.kwargs, &m.nkwargs);
    m.call = call;
    VEC_PUSH(fx->makers, m);
}

/* Mapped[list["Job"]] -> "Job", uselist 1; Mapped[Optional["Team"]] -> "Team", uselist 0. */
static const char *mapped_target(Fx *fx, int *uselist)
{
    static const char *const colls[] = {
        "list[",          "List[", "set[", "Set[", "Sequence[", "typing.List[", "WriteOnlyMapped[",
        "DynamicMapped[", NULL};
    const char *ann = nm_annotation(fx->assign_ann, fx->a);
    if (!ann || strncmp(ann, "Mapped[", 7) != 0) return ann ? nm_core_type(ann, fx->a, NULL) : NULL;
    size_t n = strlen(ann);
    const char *in = arena_strndup(fx->a, ann + 7, n - 8);
    for (int i = 0; colls[i]; i++) {
        size_t k = strlen(colls[i]);
        if (strncmp(in, colls[i], k) == 0) {
            *uselist = 1;
            return nm_core_type(arena_strndup(fx->a, in + k, strlen(in) - k - 1), fx->a, NULL);
        }
    }
    *uselist = 0;
    return nm_core_type(in, fx->a, NULL);
}

static const char *lazy_value(Fx *fx, const Node *v)
{
    if (!v) return NULL;
    const char *s = nm_str(v, fx->a);
    if (s) return s;
    int b = bool_value(v);
    if (b == 0) return "joined";
    if (b == 1) return "select";
    if (v->kind == AST_CONSTANT && v->Constant.value.kind == CONST_NONE) return "noload";
    return fx_text(fx, v);
}

static void classify_relationship(Fx *fx, const Node *call, const char *res)
{
    if (!nm_is_sa(res, "relationship") && !nm_is_sa(res, "relation")) return;
    FxRelationship r = {0};
    r.loc = fx_loc(fx, call->span);
    bool body = fx->cls >= 0 && fx->classes.items[fx->cls].loc.func == fx->func;
    r.cls = body ? fx->cls : -1;
    r.attr = call == fx->assign_value ? fx->assign_target : NULL;
    r.uselist = -1;
    const Node *a0 = arg(call, 0);
    r.target = a0 ? nm_str(a0, fx->a) : NULL;
    if (!r.target && a0) r.target = fx_dotted(fx, a0);
    if (call == fx->assign_value && fx->assign_ann) {
        const char *t = mapped_target(fx, &r.uselist);
        if (!r.target) r.target = t;
    }
    r.lazy = lazy_value(fx, kwarg(call, "lazy"));
    int ul = bool_value(kwarg(call, "uselist"));
    if (ul == 0 || ul == 1) r.uselist = ul;
    r.back_populates = nm_str(kwarg(call, "back_populates"), fx->a);
    r.is_backref = kwarg(call, "backref") != NULL;
    r.call = call;
    VEC_PUSH(fx->rels, r);
}

/* ---- threads, executors, tasks, sleeps ----------------------------------------------------- */

static bool executor_expr(Fx *fx, const Node *e)
{
    if (e->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, e->Name.id);
        return s && s->kind == SYM_EXECUTOR;
    }
    const FxSelfAttr *sa = fx_self_attr_of(fx, e);
    return sa && sa->type_resolved &&
           (nm_is(sa->type_resolved, "concurrent.futures", "ThreadPoolExecutor") ||
            nm_is(sa->type_resolved, "concurrent.futures", "ProcessPoolExecutor"));
}

static bool background_tasks(Fx *fx, const Node *e)
{
    if (e->kind != AST_NAME || fx->func < 0) return false;
    const FxFunc *f = &fx->funcs.items[fx->func];
    for (uint32_t i = 0; i < f->nparams; i++)
        if (strcmp(f->params[i].name, e->Name.id) == 0 && f->params[i].type)
            return strcmp(nm_last(f->params[i].type), "BackgroundTasks") == 0;
    return false;
}

static const Node *spawn_target(Fx *fx, const Node *call, const char *res, FxOffload *o)
{
    const char *at = attr_of(call);
    const Node *recv = at ? call->Call.func->Attribute.value : NULL;
    if (at && strcmp(at, "run_in_executor") == 0 && call->Call.args.n >= 2) {
        o->kind = FX_OFF_RUN_IN_EXECUTOR;
        o->executor = fx_text(fx, arg(call, 0));
        return arg(call, 1);
    }
    if (nm_is(res, "asyncio", "to_thread")) {
        o->kind = FX_OFF_TO_THREAD;
        return arg(call, 0);
    }
    if (nm_is(res, "threading", "Thread")) {
        o->kind = FX_OFF_THREAD;
        return kwarg(call, "target");
    }
    if (at && (strcmp(at, "submit") == 0 || strcmp(at, "map") == 0) && executor_expr(fx, recv)) {
        o->kind = FX_OFF_SUBMIT;
        o->executor = fx_text(fx, recv);
        return arg(call, 0);
    }
    if (nm_is(res, "asyncio", "create_task") || nm_is(res, "asyncio", "ensure_future") ||
        (at && !res && strcmp(at, "create_task") == 0)) {
        o->kind = FX_OFF_CREATE_TASK;
        const Node *c = arg(call, 0);
        return c && c->kind == AST_CALL ? c->Call.func : c;
    }
    if (at && strcmp(at, "add_task") == 0 && background_tasks(fx, recv)) {
        o->kind = FX_OFF_BACKGROUND_TASK;
        return arg(call, 0);
    }
    return NULL;
}

static void classify_offload(Fx *fx, const Node *call, const char *res, bool awaited)
{
    FxOffload o = {0};
    o.loc = fx_loc(fx, call->span);
    o.target_func = -1;
    o.is_awaited = awaited;
    o.call = call;
    o.kind = (FxOffloadKind)-1;
    const Node *t = spawn_target(fx, call, res, &o);
    if (fx_is_pool_call(fx, call)) {
        o.kind = FX_OFF_POOL;
        o.executor = call == fx->with_item ? fx->with_var : target_of(fx, call);
        const Node *mw = kwarg(call, "max_workers");
        o.max_workers = mw ? fx_text(fx, mw) : arg(call, 0) ? fx_text(fx, arg(call, 0)) : NULL;
    } else if ((int)o.kind < 0) {
        return;
    }
    if (t && t->kind == AST_CALL &&
        nm_is(fx_resolve_expr(fx, t->Call.func), "functools", "partial"))
        t = arg(t, 0);
    if (t) {
        o.target = fx_dotted(fx, t);
        o.target_resolved = fx_resolve(fx, o.target);
        o.target_func = fx_find_func(fx, o.target);
    }
    o.in_thread = o.kind != FX_OFF_CREATE_TASK && o.kind != FX_OFF_BACKGROUND_TASK;
    if (o.kind == FX_OFF_BACKGROUND_TASK && o.target_func >= 0)
        o.in_thread = !fx->funcs.items[o.target_func].is_async;
    VEC_PUSH(fx->offs, o);
}

static void classify_sleep(Fx *fx, const Node *call, const char *res)
{
    if (!nm_is(res, "asyncio", "sleep") || fx->loops == 0) return;
    FxSleep s = {fx_loc(fx, call->span), fx->while_true, open_block(fx)};
    VEC_PUSH(fx->sleeps, s);
}

/* ---- visitors ------------------------------------------------------------------------------ */

static void record_call(Fx *fx, const Node *call, const char *callee, const char *res, bool awaited)
{
    FxCall c = {0};
    c.loc = fx_loc(fx, call->span);
    c.callee = callee;
    const char *dot = strrchr(callee, '.');
    c.receiver = dot ? arena_strndup(fx->a, callee, (size_t)(dot - callee)) : NULL;
    c.method = nm_last(callee);
    c.resolved = res;
    c.is_awaited = awaited;
    c.session_block = open_block(fx);
    c.in_loop = fx->loops > 0;
    c.nargs = call->Call.args.n + call->Call.keywords.n;
    c.node = call;
    VEC_PUSH(fx->calls, c);
}

void fx_visit_call(Fx *fx, const Node *call, bool awaited)
{
    if (fx_record_chain(fx, call, awaited)) return;
    const char *callee = fx_dotted(fx, call->Call.func);
    const char *res = fx_resolve(fx, callee);
    if (callee) record_call(fx, call, callee, res, awaited);
    classify_session(fx, call);
    classify_session_op(fx, call, awaited);
    classify_sql(fx, call, res, awaited);
    classify_engine_io(fx, call, awaited);
    classify_engine(fx, call, res);
    classify_maker(fx, call, res);
    classify_relationship(fx, call, res);
    classify_offload(fx, call, res, awaited);
    classify_sleep(fx, call, res);
    if (!callee) fx_visit_expr(fx, call->Call.func, false);
    visit_args(fx, call);
}

static void visit_child(Node *n, void *ud)
{
    fx_visit_expr(ud, n, false);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void visit_await(Fx *fx, const Node *e)
{
    if (fx->func >= 0) fx->funcs.items[fx->func].has_await = true;
    int32_t blk = open_block(fx);
    if (blk >= 0) {
        FxAwaitInSession w = {fx_loc(fx, e->span), blk};
        VEC_PUSH(fx->ais, w);
    }
    fx_visit_expr(fx, e->Await.value, true);
}

void fx_visit_expr(Fx *fx, const Node *e, bool awaited)
{
    if (!e) return;
    switch ((AstKind)e->kind) {
        case AST_CALL: fx_visit_call(fx, e, awaited); return;
        case AST_AWAIT: visit_await(fx, e); return;
        case AST_COMPREHENSION: {
            const Node *saved = fx->iter_node;
            fx->iter_node = e->comprehension.iter;
            fx_visit_expr(fx, e->comprehension.iter, false);
            fx->iter_node = saved;
            for (uint32_t i = 0; i < e->comprehension.ifs.n; i++)
                fx_visit_expr(fx, e->comprehension.ifs.items[i], false);
            if (e->comprehension.is_async && fx->func >= 0)
                fx->funcs.items[fx->func].has_await = true;
            return;
        }
        default: ast_children(e, visit_child, fx); return;
    }
}
