/* facts_struct: the structure pass (classes, functions, parameters, decorators, self attributes,
 * module-level names) and the session-provider pass. Both run before the main walk so that
 * the walk can resolve names defined later in the file. */
#include <string.h>
#include <strings.h>

#include "../base/buf.h"
#include "facts_int.h"
#include "names.h"

/* ---- decorators ---------------------------------------------------------------------------- */

static const char *const http_verbs[] = {"get",    "post", "put",     "patch",
                                         "delete", "head", "options", NULL};

static const char *verb_upper(Fx *fx, const char *verb)
{
    char buf[16];
    size_t n = strlen(verb);
    if (n >= sizeof buf) n = sizeof buf - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(verb[i] >= 'a' && verb[i] <= 'z' ? verb[i] - 32 : verb[i]);
    return arena_strndup(fx->a, buf, n);
}

static const Node *keyword(const Node *call, const char *name)
{
    for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
        const Node *k = call->Call.keywords.items[i];
        if (k->keyword.arg && strcmp(k->keyword.arg, name) == 0) return k->keyword.value;
    }
    return NULL;
}

static const char *methods_list(Fx *fx, const Node *list)
{
    if (!list || (list->kind != AST_LIST && list->kind != AST_TUPLE)) return NULL;
    Buf b;
    buf_init(&b);
    for (uint32_t i = 0; i < list->List.elts.n; i++) {
        const char *m = nm_str(list->List.elts.items[i], fx->a);
        if (!m) continue;
        if (b.len) buf_putc(&b, ',');
        buf_puts(&b, verb_upper(fx, m));
    }
    const char *s = b.len ? arena_strndup(fx->a, b.data, b.len) : NULL;
    buf_free(&b);
    return s;
}

static bool is_verb(const char *attr)
{
    for (int i = 0; http_verbs[i]; i++)
        if (strcmp(attr, http_verbs[i]) == 0) return true;
    return false;
}

/* `@router.get("/x")`, `@app.api_route(...)`, `@bp.route(...)`. */
static void route_decorator(Fx *fx, FxFunc *f, const Node *d)
{
    if (d->kind != AST_CALL || d->Call.func->kind != AST_ATTRIBUTE) return;
    const Node *recv = d->Call.func->Attribute.value;
    const char *attr = d->Call.func->Attribute.attr;
    const char *rname = fx_dotted(fx, recv);
    const Sym *s = rname ? fx_lookup(fx, rname) : NULL;
    bool known = s && s->kind == SYM_ROUTER;
    bool flask = known ? s->flask : (fx->ff->imports_flask && !fx->ff->imports_fastapi);
    if (!known && !fx->ff->imports_fastapi && !fx->ff->imports_flask) return;
    bool verb = is_verb(attr);
    if (!verb && strcmp(attr, "api_route") != 0 && strcmp(attr, "route") != 0) return;
    const char *path = d->Call.args.n ? nm_str(d->Call.args.items[0], fx->a) : NULL;
    if (!known && !path && !keyword(d, "path")) return;
    f->route = flask ? FX_ROUTE_FLASK : FX_ROUTE_FASTAPI;
    f->route_path = path ? path : nm_str(keyword(d, "path"), fx->a);
    f->route_router = rname ? rname : fx_text(fx, recv);
    f->route_method = verb ? verb_upper(fx, attr) : methods_list(fx, keyword(d, "methods"));
    if (!f->route_method) f->route_method = "GET";
}

static void fixture_decorator(Fx *fx, FxFunc *f, const Node *d, const char *res)
{
    bool plain = nm_is(res, "pytest", "fixture");
    bool aio = nm_is(res, "pytest_asyncio", "fixture");
    if (!plain && !aio) return;
    f->is_fixture = true;
    f->fixture_async_plugin = aio;
    f->fixture_scope = "function";
    if (d->kind != AST_CALL) return;
    const char *scope = nm_str(keyword(d, "scope"), fx->a);
    if (scope) f->fixture_scope = scope;
    const Node *au = keyword(d, "autouse");
    f->fixture_autouse = au && au->kind == AST_CONSTANT && au->Constant.value.kind == CONST_TRUE;
}

/* "asyncio" for pytest.mark.asyncio (resolved through imports); NULL otherwise. */
static const char *marker_of(Fx *fx, const Node *d)
{
    const char *res = fx_resolve(fx, nm_callee_dotted(d, fx->a));
    if (!res || strncmp(res, "pytest.mark.", 12) != 0) return NULL;
    return res + 12;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void add_markers(Fx *fx, StrVec *out, const NodeList *decos)
{
    for (uint32_t i = 0; i < decos->n; i++) {
        const char *m = marker_of(fx, decos->items[i]);
        if (m) VEC_PUSH(*out, m);
    }
}

/* pytestmark = pytest.mark.x  /  [pytest.mark.x, pytest.mark.y(...)] */
static void pytestmark(Fx *fx, const Node *value)
{
    if (value->kind == AST_LIST || value->kind == AST_TUPLE) {
        add_markers(fx, &fx->file_markers, &value->List.elts);
        return;
    }
    const char *m = marker_of(fx, value);
    if (m) VEC_PUSH(fx->file_markers, m);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void decorators(Fx *fx, FxFunc *f, const NodeList *decos)
{
    StrVec names = {0};
    StrVec marks = {0};
    for (uint32_t i = 0; i < decos->n; i++) {
        const Node *d = decos->items[i];
        const char *dn = nm_callee_dotted(d, fx->a);
        if (!dn) dn = fx_text(fx, d);
        VEC_PUSH(names, dn);
        const char *res = fx_resolve(fx, dn);
        const char *last = nm_last(dn);
        if (nm_is(res, "contextlib", "contextmanager") || strcmp(dn, "contextmanager") == 0)
            f->is_contextmanager = true;
        if (nm_is(res, "contextlib", "asynccontextmanager") ||
            strcmp(dn, "asynccontextmanager") == 0)
            f->is_asynccontextmanager = true;
        f->is_staticmethod |= strcmp(dn, "staticmethod") == 0;
        f->is_classmethod |= strcmp(dn, "classmethod") == 0;
        f->is_property |= strcmp(dn, "property") == 0 || strcmp(last, "cached_property") == 0 ||
                          strcmp(last, "setter") == 0;
        route_decorator(fx, f, d);
        fixture_decorator(fx, f, d, res);
        const char *m = marker_of(fx, d);
        if (m) VEC_PUSH(marks, m);
    }
    f->decorators = VEC_FREEZE(fx->a, names);
    f->ndecorators = names.n;
    if (f->cls >= 0)
        add_markers(fx, &marks, &fx->classes.items[f->cls].node->ClassDef.decorator_list);
    for (uint32_t i = 0; i < fx->file_markers.n; i++)
        VEC_PUSH(marks, fx->file_markers.items[i]);
    f->markers = VEC_FREEZE(fx->a, marks);
    f->nmarkers = marks.n;
    VEC_FREE(names);
    VEC_FREE(marks);
}

/* ---- parameters ---------------------------------------------------------------------------- */

static const Node *depends_call(Fx *fx, const Node *e)
{
    if (!e) return NULL;
    if (e->kind == AST_CALL) {
        const char *d = fx_dotted(fx, e->Call.func);
        const char *r = fx_resolve(fx, d);
        if ((r && strncmp(r, "fastapi", 7) == 0 && strcmp(nm_last(r), "Depends") == 0) ||
            (d && strcmp(d, "Depends") == 0))
            return e;
        return NULL;
    }
    if (e->kind == AST_SUBSCRIPT && e->Subscript.slice->kind == AST_TUPLE) {
        const NodeList *l = &e->Subscript.slice->Tuple.elts;
        for (uint32_t i = 1; i < l->n; i++)
            if (depends_call(fx, l->items[i])) return l->items[i];
    }
    return NULL;
}

static const char *depends_provider(Fx *fx, const Node *call)
{
    const Node *p = call->Call.args.n ? call->Call.args.items[0] : keyword(call, "dependency");
    return p ? fx_dotted(fx, p) : NULL;
}

static void session_type(FxParam *p)
{
    p->session_mode = FX_UNKNOWN;
    if (!p->type_resolved) return;
    if (nm_is_sa(p->type_resolved, "Session") || nm_is_sa(p->type_resolved, "scoped_session")) {
        p->is_session = true;
        p->session_mode = FX_SYNC;
    } else if (nm_is_sa(p->type_resolved, "AsyncSession") ||
               nm_is_sa(p->type_resolved, "async_scoped_session")) {
        p->is_session = true;
        p->session_mode = FX_ASYNC;
    }
}

static FxParam make_param(Fx *fx, const Node *arg, const Node *def, FxParamKind kind)
{
    FxParam p = {0};
    p.span = arg->span;
    p.name = arg->arg.arg;
    p.kind = kind;
    p.annotation = nm_annotation(arg->arg.annotation, fx->a);
    p.type = nm_core_type(p.annotation, fx->a, &p.nullable);
    p.type_resolved = fx_resolve(fx, p.type);
    if (def) {
        p.default_text = fx_text(fx, def);
        p.nullable |= def->kind == AST_CONSTANT && def->Constant.value.kind == CONST_NONE;
    }
    const Node *dep = depends_call(fx, def);
    if (!dep) dep = depends_call(fx, arg->arg.annotation);
    if (dep) p.depends = depends_provider(fx, dep);
    session_type(&p);
    return p;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void params(Fx *fx, FxFunc *f, const Node *args)
{
    Vec(FxParam) ps = {0};
    const NodeList *po = &args->arguments.posonlyargs, *pa = &args->arguments.args;
    const NodeList *defs = &args->arguments.defaults;
    uint32_t npos = po->n + pa->n, first_def = npos - defs->n;
    for (uint32_t i = 0; i < npos; i++) {
        const Node *arg = i < po->n ? po->items[i] : pa->items[i - po->n];
        const Node *def = i >= first_def ? defs->items[i - first_def] : NULL;
        FxParam p = make_param(fx, arg, def, i < po->n ? FX_PARAM_POSONLY : FX_PARAM_POS);
        VEC_PUSH(ps, p);
    }
    if (args->arguments.vararg) {
        FxParam p = make_param(fx, args->arguments.vararg, NULL, FX_PARAM_VARARG);
        VEC_PUSH(ps, p);
    }
    const NodeList *kw = &args->arguments.kwonlyargs, *kwd = &args->arguments.kw_defaults;
    for (uint32_t i = 0; i < kw->n; i++) {
        const Node *def = i < kwd->n ? kwd->items[i] : NULL;
        FxParam p = make_param(fx, kw->items[i], def, FX_PARAM_KWONLY);
        VEC_PUSH(ps, p);
    }
    if (args->arguments.kwarg) {
        FxParam p = make_param(fx, args->arguments.kwarg, NULL, FX_PARAM_KWARG);
        VEC_PUSH(ps, p);
    }
    f->params = VEC_FREEZE(fx->a, ps);
    f->nparams = ps.n;
    VEC_FREE(ps);
}

/* ---- classes and functions ----------------------------------------------------------------- */

static void collect_body(Fx *fx, const NodeList *body, const char *prefix);

static const char *qualify(Fx *fx, const char *prefix, const char *name)
{
    return prefix ? nm_join(prefix, name, fx->a) : name;
}

static bool in_test_class(Fx *fx, int32_t cls)
{
    return cls >= 0 && strncmp(fx->classes.items[cls].name, "Test", 4) == 0;
}

/* The name after `def` ("async def" spans start at `async`). */
static Span name_span(Fx *fx, const Node *s)
{
    const char *t = fx->src->text;
    uint32_t at = s->span.start, end = s->span.end;
    if (end - at > 6 && strncmp(t + at, "async", 5) == 0) {
        at += 5;
        while (at < end && (t[at] == ' ' || t[at] == '\t' || t[at] == '\\' || t[at] == '\n'))
            at++;
    }
    if (end - at > 4 && strncmp(t + at, "def", 3) == 0) at += 3;
    while (at < end && (t[at] == ' ' || t[at] == '\t'))
        at++;
    uint32_t n = (uint32_t)strlen(s->FunctionDef.name);
    if (at + n > end || strncmp(t + at, s->FunctionDef.name, n) != 0) return s->span;
    return (Span){at, at + n};
}

static void add_func(Fx *fx, const Node *s, const char *prefix)
{
    FxFunc f = {0};
    f.loc = fx_loc(fx, s->span);
    f.end_line = source_linecol(fx->src, s->span.end ? s->span.end - 1 : 0).line;
    f.name = s->FunctionDef.name;
    f.qualname = qualify(fx, prefix, f.name);
    f.is_async = s->kind == AST_ASYNCFUNCTIONDEF;
    f.cls = (fx->cls >= 0 && fx->classes.items[fx->cls].loc.func == fx->func) ? fx->cls : -1;
    f.is_method = f.cls >= 0;
    f.node = s;
    f.name_span = name_span(fx, s);
    params(fx, &f, s->FunctionDef.args);
    f.returns = nm_annotation(s->FunctionDef.returns, fx->a);
    f.returns_type = nm_yield_type(f.returns, fx->a);
    VEC_PUSH(fx->funcs, f);
    int32_t idx = (int32_t)fx->funcs.n - 1;
    fx_index_func(fx, (uint32_t)idx);
    FxFunc *fp = &fx->funcs.items[idx];
    decorators(fx, fp, &s->FunctionDef.decorator_list);
    bool top = fp->loc.func == -1 && (fp->cls < 0 || in_test_class(fx, fp->cls));
    fp->is_test = fx->ff->is_test_file && top && strncmp(fp->name, "test", 4) == 0;
    int32_t saved = fx->func;
    fx->func = idx;
    uint32_t gsaved = fx_enter_globals(fx, &s->FunctionDef.body);
    const char *inner = nm_join(fp->qualname, "<locals>", fx->a);
    collect_body(fx, &s->FunctionDef.body, inner);
    fx_leave_globals(fx, gsaved);
    fx->func = saved;
}

static bool body_assigns(const NodeList *body, const char *name)
{
    for (uint32_t i = 0; i < body->n; i++) {
        const Node *s = body->items[i];
        const Node *t = NULL;
        if (s->kind == AST_ASSIGN && s->Assign.targets.n == 1)
            t = s->Assign.targets.items[0];
        else if (s->kind == AST_ANNASSIGN)
            t = s->AnnAssign.target;
        if (t && t->kind == AST_NAME && strcmp(t->Name.id, name) == 0) return true;
    }
    return false;
}

static void class_bases(Fx *fx, FxClass *c, const NodeList *bases)
{
    c->bases = ARENA_ARRAY(fx->a, const char *, bases->n);
    c->bases_resolved = ARENA_ARRAY(fx->a, const char *, bases->n);
    for (uint32_t i = 0; i < bases->n; i++) {
        const Node *b = bases->items[i];
        if (b->kind == AST_SUBSCRIPT) b = b->Subscript.value;
        const char *d = fx_dotted(fx, b);
        if (!d) d = fx_text(fx, b);
        const char *r = fx_resolve(fx, d);
        c->bases[c->nbases] = d;
        c->bases_resolved[c->nbases++] = r ? r : d;
        if (nm_is_sa(r, "DeclarativeBase") || nm_is_sa(r, "DeclarativeBaseNoMeta"))
            c->base_form = FX_BASE_CLASS;
        if (nm_is_sa(r, "AsyncAttrs")) c->has_async_attrs = true;
    }
}

static void add_class(Fx *fx, const Node *s, const char *prefix)
{
    FxClass c = {0};
    c.loc = fx_loc(fx, s->span);
    c.name = s->ClassDef.name;
    c.qualname = qualify(fx, prefix, c.name);
    c.node = s;
    class_bases(fx, &c, &s->ClassDef.bases);
    const NodeList *decos = &s->ClassDef.decorator_list;
    c.decorators = ARENA_ARRAY(fx->a, const char *, decos->n);
    for (uint32_t i = 0; i < decos->n; i++) {
        const char *d = nm_callee_dotted(decos->items[i], fx->a);
        c.decorators[c.ndecorators++] = d ? d : fx_text(fx, decos->items[i]);
    }
    c.has_tablename = body_assigns(&s->ClassDef.body, "__tablename__") ||
                      body_assigns(&s->ClassDef.body, "__table__");
    VEC_PUSH(fx->classes, c);
    int32_t saved = fx->cls;
    fx->cls = (int32_t)fx->classes.n - 1;
    collect_body(fx, &s->ClassDef.body, fx->classes.items[fx->cls].qualname);
    fx->cls = saved;
}

/* ---- module-level names and self attributes ------------------------------------------------ */

static int32_t self_attr_index(Fx *fx, int32_t cls, const char *attr)
{
    for (uint32_t i = fx->attrs.n; i-- > 0;) {
        const FxSelfAttr *s = &fx->attrs.items[i];
        if (s->cls == cls && strcmp(s->attr, attr) == 0) return (int32_t)i;
    }
    return -1;
}

/* Classifies a value call as a session factory, an engine or a session; fills mode. */
static void classify_value(Fx *fx, const Node *v, FxSelfAttr *sa)
{
    if (v->kind != AST_CALL) return;
    const char *r = fx_resolve_expr(fx, v->Call.func);
    if (nm_is_sa(r, "sessionmaker") || nm_is_sa(r, "scoped_session")) {
        sa->is_sessionmaker = true;
        sa->mode = keyword(v, "class_") &&
                           nm_is_sa(fx_resolve_expr(fx, keyword(v, "class_")), "AsyncSession")
                       ? FX_ASYNC
                       : FX_SYNC;
    } else if (nm_is_sa(r, "async_sessionmaker") || nm_is_sa(r, "async_scoped_session")) {
        sa->is_sessionmaker = true;
        sa->mode = FX_ASYNC;
    } else if (nm_is_sa(r, "create_engine") || nm_is_sa(r, "engine_from_config")) {
        sa->is_engine = true;
        sa->mode = FX_SYNC;
    } else if (nm_is_sa(r, "create_async_engine") || nm_is_sa(r, "async_engine_from_config")) {
        sa->is_engine = true;
        sa->mode = FX_ASYNC;
    } else {
        FxAcqForm form;
        int32_t pf;
        FxConf conf;
        int m = fx_session_call_mode(fx, v, &form, &pf, &conf);
        if (m >= 0 && conf == FX_CONF_KNOWN && form != FX_ACQ_WITH) {
            sa->is_session = true;
            sa->mode = (FxMode)m;
        }
    }
}

static const FxParam *param_named(const FxFunc *f, const char *name)
{
    for (uint32_t i = 0; i < f->nparams; i++)
        if (strcmp(f->params[i].name, name) == 0) return &f->params[i];
    return NULL;
}

static void self_attr(Fx *fx, const Node *target, const Node *value, const Node *ann)
{
    FxFunc *f = &fx->funcs.items[fx->func];
    if (f->cls < 0 || f->nparams == 0 || f->is_staticmethod) return;
    const Node *recv = target->Attribute.value;
    if (recv->kind != AST_NAME || strcmp(recv->Name.id, f->params[0].name) != 0) return;
    FxSelfAttr sa = {0};
    sa.loc = fx_loc(fx, target->span);
    sa.cls = f->cls;
    sa.attr = target->Attribute.attr;
    sa.in_init = strcmp(f->name, "__init__") == 0;
    sa.value = value ? fx_text(fx, value) : "";
    sa.origin = FX_ATTR_OTHER;
    sa.mode = FX_UNKNOWN;
    const FxParam *p = value && value->kind == AST_NAME ? param_named(f, value->Name.id) : NULL;
    if (ann) {
        sa.origin = FX_ATTR_ANNOTATION;
        sa.type = nm_core_type(nm_annotation(ann, fx->a), fx->a, NULL);
    } else if (p) {
        sa.origin = FX_ATTR_PARAM;
        sa.type = p->type;
        sa.is_session = p->is_session;
        sa.mode = p->session_mode;
    } else if (value && value->kind == AST_CALL) {
        sa.origin = FX_ATTR_CTOR;
        sa.type = fx_dotted(fx, value->Call.func);
        classify_value(fx, value, &sa);
    }
    sa.type_resolved = fx_resolve(fx, sa.type);
    if (!sa.is_session && sa.type_resolved) {
        if (nm_is_sa(sa.type_resolved, "Session"))
            sa.is_session = true, sa.mode = FX_SYNC;
        else if (nm_is_sa(sa.type_resolved, "AsyncSession"))
            sa.is_session = true, sa.mode = FX_ASYNC;
    }
    /* a later plain re-assignment (self.x = None) must not hide what __init__ set */
    int32_t prev = self_attr_index(fx, sa.cls, sa.attr);
    if (prev >= 0 && sa.origin == FX_ATTR_OTHER && !sa.in_init) return;
    VEC_PUSH(fx->attrs, sa);
}

static bool is_call_to(Fx *fx, const Node *v, const char *module, const char *name)
{
    return v && v->kind == AST_CALL && nm_is(fx_resolve_expr(fx, v->Call.func), module, name);
}

static void module_router(Fx *fx, const char *name, const Node *v)
{
    bool fast =
        is_call_to(fx, v, "fastapi", "APIRouter") || is_call_to(fx, v, "fastapi", "FastAPI");
    bool flask = is_call_to(fx, v, "flask", "Flask") || is_call_to(fx, v, "flask", "Blueprint");
    if (!fast && !flask) return;
    fx_push_sym(fx, name, SYM_ROUTER, -1, FX_SYNC);
    VEC_LAST(fx->syms).flask = flask;
}

static void base_assign(Fx *fx, const char *name, const Node *v)
{
    if (v->kind != AST_CALL) return;
    const char *r = fx_resolve_expr(fx, v->Call.func);
    FxBaseAssign b = {fx_loc(fx, v->span), name, FX_BASE_NONE, false, v};
    if (nm_is_sa(r, "declarative_base")) {
        b.form = FX_BASE_FUNCTION;
        b.legacy_import = strncmp(r, "sqlalchemy.ext.declarative", 26) == 0;
    } else if (v->Call.func->kind == AST_ATTRIBUTE &&
               strcmp(v->Call.func->Attribute.attr, "generate_base") == 0) {
        const Node *recv = v->Call.func->Attribute.value;
        const Sym *s = recv->kind == AST_NAME ? fx_lookup(fx, recv->Name.id) : NULL;
        if ((s && s->kind == SYM_REGISTRY) || fx_is_sa_call(fx, recv, "registry"))
            b.form = FX_BASE_REGISTRY;
    }
    if (b.form != FX_BASE_NONE) VEC_PUSH(fx->bases, b);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void module_facade(Fx *fx, const char *name, const Node *v)
{
    if (fx_facade_ctx(fx, v)) {
        fx_push_sym(fx, name, SYM_FACADE, -1, FX_SYNC);
        VEC_PUSH(fx->facades, name);
    } else if (fx_facade_mode(fx, v)) {
        fx_push_sym(fx, name, SYM_TXMODE, -1, FX_SYNC);
    }
}

/* Module-level `name = value`: factories, engines, routers, registries, declarative bases,
 * enginefacade transaction contexts. */
static void module_assign(Fx *fx, const char *name, const Node *v)
{
    if (strcmp(name, "pytestmark") == 0)
        return; /* read before the structure pass (fx_collect_structure) */
    if (v->kind == AST_CONSTANT && v->Constant.value.kind == CONST_STR) {
        fx_push_sym(fx, name, SYM_SQLSTR, -1, FX_UNKNOWN);
        return;
    }
    FxSelfAttr probe = {0};
    probe.mode = FX_UNKNOWN;
    classify_value(fx, v, &probe);
    if (probe.is_sessionmaker) {
        fx_push_sym(fx, name, SYM_FACTORY, -1, probe.mode);
        VEC_LAST(fx->syms).scoped =
            fx_is_sa_call(fx, v, "scoped_session") || fx_is_sa_call(fx, v, "async_scoped_session");
    } else if (probe.is_engine) {
        fx_push_sym(fx, name, SYM_ENGINE, -1, probe.mode);
    } else if (fx_is_sa_call(fx, v, "registry")) {
        fx_push_sym(fx, name, SYM_REGISTRY, -1, FX_UNKNOWN);
    } else if (is_call_to(fx, v, "flask_sqlalchemy", "SQLAlchemy")) {
        fx_push_sym(fx, name, SYM_FLASKDB, -1, FX_SYNC);
    }
    module_router(fx, name, v);
    base_assign(fx, name, v);
    module_facade(fx, name, v);
}

static void assign_stmt(Fx *fx, const Node *target, const Node *value, const Node *ann)
{
    if (fx->func >= 0 && target->kind == AST_ATTRIBUTE) {
        self_attr(fx, target, value, ann);
        return;
    }
    bool module_level = fx->func < 0 && fx->cls < 0;
    bool global = fx->func >= 0 && target->kind == AST_NAME && fx_is_global(fx, target->Name.id);
    if ((module_level || global) && target->kind == AST_NAME && value)
        module_assign(fx, target->Name.id, value); /* a global gets module scope (fx_push_sym) */
}

// NOLINTNEXTLINE(readability-function-size): flat dispatch over statement kinds
static void collect_stmt(Fx *fx, const Node *s, const char *prefix)
{
    switch ((AstKind)s->kind) {
        case AST_FUNCTIONDEF:
        case AST_ASYNCFUNCTIONDEF: add_func(fx, s, prefix); break;
        case AST_CLASSDEF: add_class(fx, s, prefix); break;
        case AST_ASSIGN:
            if (s->Assign.targets.n == 1)
                assign_stmt(fx, s->Assign.targets.items[0], s->Assign.value, NULL);
            break;
        case AST_ANNASSIGN:
            assign_stmt(fx, s->AnnAssign.target, s->AnnAssign.value, s->AnnAssign.annotation);
            break;
        case AST_IF:
            collect_body(fx, &s->If.body, prefix);
            collect_body(fx, &s->If.orelse, prefix);
            break;
        case AST_FOR:
        case AST_ASYNCFOR:
            collect_body(fx, &s->For.body, prefix);
            collect_body(fx, &s->For.orelse, prefix);
            break;
        case AST_WHILE:
            collect_body(fx, &s->While.body, prefix);
            collect_body(fx, &s->While.orelse, prefix);
            break;
        case AST_WITH:
        case AST_ASYNCWITH: collect_body(fx, &s->With.body, prefix); break;
        case AST_TRY:
        case AST_TRYSTAR:
            collect_body(fx, &s->Try.body, prefix);
            for (uint32_t i = 0; i < s->Try.handlers.n; i++)
                collect_body(fx, &s->Try.handlers.items[i]->ExceptHandler.body, prefix);
            collect_body(fx, &s->Try.orelse, prefix);
            collect_body(fx, &s->Try.finalbody, prefix);
            break;
        case AST_MATCH:
            for (uint32_t i = 0; i < s->Match.cases.n; i++)
                collect_body(fx, &s->Match.cases.items[i]->match_case.body, prefix);
            break;
        default: break;
    }
}

static void collect_body(Fx *fx, const NodeList *body, const char *prefix)
{
    for (uint32_t i = 0; i < body->n; i++)
        collect_stmt(fx, body->items[i], prefix);
}

void fx_collect_structure(Fx *fx, const Node *module)
{
    /* module-level pytestmark first, so tests defined above it still get its markers */
    const NodeList *body = &module->Module.body;
    for (uint32_t i = 0; i < body->n; i++) {
        const Node *s = body->items[i];
        if (s->kind == AST_ASSIGN && s->Assign.targets.n == 1 &&
            s->Assign.targets.items[0]->kind == AST_NAME &&
            strcmp(s->Assign.targets.items[0]->Name.id, "pytestmark") == 0)
            pytestmark(fx, s->Assign.value);
    }
    collect_body(fx, body, NULL);
}

/* ---- session-producing calls --------------------------------------------------------------- */

/* A sessionmaker instance: a module/local SYM_FACTORY name, self.<sessionmaker attr>, or a
 * direct sessionmaker(...) call. Returns its mode or -1. */
static int factory_mode(Fx *fx, const Node *e)
{
    if (e->kind == AST_NAME) {
        const Sym *s = fx_lookup(fx, e->Name.id);
        if (s) return s->kind == SYM_FACTORY ? (int)s->mode : -1;
        const FxHint *h = fx_hint(fx, fx_resolve(fx, e->Name.id), FX_HINT_FACTORY);
        return h ? (int)h->mode : -1;
    }
    if (e->kind == AST_CALL) {
        FxSelfAttr probe = {0};
        classify_value(fx, e, &probe);
        return probe.is_sessionmaker ? (int)probe.mode : -1;
    }
    const FxSelfAttr *sa = fx_self_attr_of(fx, e);
    if (sa) return sa->is_sessionmaker ? (int)sa->mode : -1;
    if (e->kind != AST_ATTRIBUTE) return -1;
    const FxHint *h = fx_hint(fx, fx_resolve_expr(fx, e), FX_HINT_FACTORY);
    if (!h) {
        const char *owner = fx_value_type(fx, e->Attribute.value);
        h = owner ? fx_hint(fx, nm_join(owner, e->Attribute.attr, fx->a), FX_HINT_FACTORY) : NULL;
    }
    return h ? (int)h->mode : -1;
}

static int provider_func(Fx *fx, int32_t f, FxAcqForm *form, int32_t *pf)
{
    const FxFunc *p = &fx->funcs.items[f];
    if (!p->is_session_provider) return -1;
    *pf = f;
    *form = (p->is_contextmanager || p->is_asynccontextmanager) ? FX_ACQ_WITH : FX_ACQ_FACTORY_CALL;
    return (int)p->provider_mode;
}

static int provider_hint(const FxHint *h, FxAcqForm *form)
{
    if (!h) return -1;
    *form = h->is_cm ? FX_ACQ_WITH : FX_ACQ_FACTORY_CALL;
    return (int)h->mode;
}

/* A provider called as fn: in this file (function, self method, method of a local class held
 * by an attribute or parameter) or, through hints, in another file. */
static int provider_call(Fx *fx, const Node *fn, FxAcqForm *form, int32_t *pf)
{
    const char *callee = fx_dotted(fx, fn);
    int32_t f = fx_find_func(fx, callee);
    if (f >= 0) return provider_func(fx, f, form, pf);
    if (fn->kind == AST_NAME || (callee && fx_resolve(fx, callee))) {
        const char *r = fx_resolve(fx, callee);
        return r ? provider_hint(fx_hint(fx, r, FX_HINT_PROVIDER), form) : -1;
    }
    if (fn->kind != AST_ATTRIBUTE) return -1;
    const char *owner = fx_value_type(fx, fn->Attribute.value);
    if (!owner) return -1;
    int32_t c = fx_local_class(fx, owner);
    if (c >= 0) {
        f = fx_method_of(fx, c, fn->Attribute.attr);
        return f >= 0 ? provider_func(fx, f, form, pf) : -1;
    }
    return provider_hint(fx_hint(fx, nm_join(owner, fn->Attribute.attr, fx->a), FX_HINT_PROVIDER),
                         form);
}

/* Does `call` produce a session or a session context manager? Returns the mode (FX_SYNC or
 * FX_ASYNC) or -1; fills the acquisition form as if it were not a with item (FX_ACQ_WITH for a
 * context-manager provider), the in-file provider function and the confidence. Only KNOWN
 * answers come from here; LIKELY ones need the use of the bound name (facts_walk.c). */
int fx_session_call_mode(Fx *fx, const Node *call, FxAcqForm *form, int32_t *pf, FxConf *conf)
{
    *pf = -1;
    *conf = FX_CONF_KNOWN;
    if (!call || call->kind != AST_CALL) return -1;
    const Node *fn = call->Call.func;
    const char *r = fx_resolve_expr(fx, fn);
    if (nm_is_sa(r, "Session") || nm_is_sa(r, "AsyncSession")) {
        *form = FX_ACQ_SESSION_CTOR;
        return nm_is_sa(r, "AsyncSession") ? FX_ASYNC : FX_SYNC;
    }
    int m = factory_mode(fx, fn);
    if (m >= 0) {
        *form = FX_ACQ_FACTORY_CALL;
        return m;
    }
    if (fx_facade_using(fx, call)) { /* oslo.db: cm.writer.using(context) */
        *form = FX_ACQ_WITH;
        return FX_SYNC;
    }
    /* SessionLocal.begin() / self.SessionLocal.begin(): a session context manager */
    if (fn->kind == AST_ATTRIBUTE && strcmp(fn->Attribute.attr, "begin") == 0) {
        m = factory_mode(fx, fn->Attribute.value);
        if (m >= 0) {
            *form = FX_ACQ_WITH;
            return m;
        }
    }
    return provider_call(fx, fn, form, pf);
}

/* ---- providers ----------------------------------------------------------------------------- */

typedef struct ProvScan {
    Fx *fx;
    StrVec vars; /* locals bound to a session */
    int mode;    /* provider mode found, or -1 */
    const char *expr;
} ProvScan;

static bool in_vars(ProvScan *ps, const char *name)
{
    for (uint32_t i = 0; i < ps->vars.n; i++)
        if (strcmp(ps->vars.items[i], name) == 0) return true;
    return false;
}

static int value_session_mode(ProvScan *ps, const Node *v)
{
    if (!v) return -1;
    if (v->kind == AST_NAME) return in_vars(ps, v->Name.id) ? 0 : -1;
    FxAcqForm form;
    int32_t pf;
    FxConf conf;
    int m = fx_session_call_mode(ps->fx, v, &form, &pf, &conf);
    return form == FX_ACQ_WITH ? -1 : m;
}

static void prov_node(Node *n, void *ud);

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void prov_bind(ProvScan *ps, const Node *target, const Node *value, bool with)
{
    if (!target || target->kind != AST_NAME || !value) return;
    FxAcqForm form;
    int32_t pf;
    FxConf conf;
    int m = fx_session_call_mode(ps->fx, value, &form, &pf, &conf);
    bool ok = with ? m >= 0 : (m >= 0 && form != FX_ACQ_WITH);
    if (ok) {
        VEC_PUSH(ps->vars, target->Name.id);
        if (ps->mode < 0) ps->mode = m; /* remembered in case the variable is yielded */
    }
}

static void prov_yield(ProvScan *ps, const Node *v)
{
    int m = value_session_mode(ps, v);
    if (m < 0) return;
    if (v->kind != AST_NAME) ps->mode = m;
    ps->expr = fx_text(ps->fx, v);
}

static void prov_node(Node *n, void *ud)
{
    ProvScan *ps = ud;
    switch ((AstKind)n->kind) {
        case AST_FUNCTIONDEF:
        case AST_ASYNCFUNCTIONDEF:
        case AST_CLASSDEF:
        case AST_LAMBDA: return;
        case AST_ASSIGN:
            if (n->Assign.targets.n == 1)
                prov_bind(ps, n->Assign.targets.items[0], n->Assign.value, false);
            break;
        case AST_WITHITEM:
            prov_bind(ps, n->withitem.optional_vars, n->withitem.context_expr, true);
            break;
        case AST_YIELD: prov_yield(ps, n->Yield.value); break;
        case AST_RETURN: prov_yield(ps, n->Return.value); break;
        default: break;
    }
    ast_children(n, prov_node, ud);
}

static bool find_provider(Fx *fx, int32_t idx)
{
    FxFunc *f = &fx->funcs.items[idx];
    if (f->is_session_provider) return false;
    const char *rt = f->returns_type ? fx_resolve(fx, f->returns_type) : NULL;
    if (nm_is_sa(rt, "Session") || nm_is_sa(rt, "AsyncSession")) {
        f->is_session_provider = true;
        f->provider_mode = nm_is_sa(rt, "AsyncSession") ? FX_ASYNC : FX_SYNC;
    }
    ProvScan ps = {fx, {0}, -1, NULL};
    int32_t saved = fx->func;
    fx->func = idx;
    for (uint32_t i = 0; i < f->node->FunctionDef.body.n; i++)
        prov_node(f->node->FunctionDef.body.items[i], &ps);
    fx->func = saved;
    VEC_FREE(ps.vars);
    f = &fx->funcs.items[idx];
    if (ps.expr) {
        if (!f->is_session_provider) f->provider_mode = ps.mode >= 0 ? (FxMode)ps.mode : FX_SYNC;
        f->is_session_provider = true;
        f->provider_expr = ps.expr;
    }
    return f->is_session_provider;
}

void fx_find_providers(Fx *fx)
{
    bool changed = true;
    for (int round = 0; changed && round < 4; round++) {
        changed = false;
        for (uint32_t i = 0; i < fx->funcs.n; i++)
            changed |= find_provider(fx, (int32_t)i);
    }
}
