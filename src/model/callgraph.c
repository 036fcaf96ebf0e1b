/* callgraph: call sites resolved across files into edges (see callgraph.h).
 *
 * Three passes after the symbol table: (1) attribute types seeded from the facts' self
 * attributes; (2) per function, its locals (parameters, assignments, with/for targets, nested
 * defs, function-level imports, `global` names) typed in source order, more self attributes, and
 * its return statements; (3) a walk of every module that classifies each call site and records
 * the edges. Types are values (SymVal): a class object, an instance, a module, a function, a
 * session, something external, or unknown. */
#include "callgraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"
#include "names.h"

#define EVAL_DEPTH 48
#define SV_SUPER   100 /* private value kind: `super()` in a method of class id */

static const SymVal unknown = {SV_UNKNOWN, -1};
static const SymVal external = {SV_EXTERNAL, -1};

typedef struct Binding {
    const char *name;
    SymVal v;
    bool is_global; /* declared `global`: look at module scope */
} Binding;

typedef struct CgEnv {
    Binding *items;
    uint32_t n;
    const Node **returns; /* values of the return statements */
    uint32_t nreturns;
} CgEnv;

struct CgPriv {
    CgEnv **envs;       /* per function id; NULL until pass 2 built it */
    SymVal *ret;        /* memoised return types */
    uint8_t *ret_state; /* 0 not computed, 1 computing, 2 done */
    SymVal *var;        /* module variable types */
    uint8_t *var_state;
    int32_t *fixtures; /* function ids of pytest fixtures */
    uint32_t nfixtures;
    bool envs_ready;
};

/* What evaluation sees: the file, the function (and, while its locals are being collected,
 * those collected so far), and names bound by enclosing comprehensions and lambdas. */
typedef struct Ctx {
    const CallGraph *cg;
    uint32_t file;
    int32_t func; /* function id, -1 at module level */
    const Binding *scratch;
    uint32_t nscratch;
    const char *const *shadow;
    uint32_t nshadow;
} Ctx;

static SymVal eval(const Ctx *c, const Node *e, int depth);

static SymVal val(uint8_t kind, int32_t id)
{
    return (SymVal){kind, id};
}

/* ---- pointer map (per file: AST node -> index) ---------------------------------------------- */

typedef struct PtrMap {
    const void **keys;
    int32_t *vals;
    uint32_t cap;
} PtrMap;

static void pm_init(PtrMap *m, uint32_t n)
{
    m->cap = 16;
    while (m->cap < n * 2 + 16)
        m->cap *= 2;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
}

static uint32_t pm_hash(const void *k)
{
    return (uint32_t)(((uintptr_t)k >> 4) * 2654435761u);
}

static void pm_put(PtrMap *m, const void *k, int32_t v)
{
    uint32_t i = pm_hash(k) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = k;
    m->vals[i] = v;
}

static int32_t pm_get(const PtrMap *m, const void *k)
{
    for (uint32_t i = pm_hash(k) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (m->keys[i] == k) return m->vals[i];
    return -1;
}

static void pm_free(PtrMap *m)
{
    free(m->keys);
    free(m->vals);
}

/* ---- types of names, attributes, calls ------------------------------------------------------ */

static bool is_session_type(const char *name)
{
    return strcmp(name, "Session") == 0 || strcmp(name, "AsyncSession") == 0 ||
           strcmp(name, "scoped_session") == 0 || strcmp(name, "async_scoped_session") == 0;
}

/* A type written at module scope of file (an annotation's core type). */
static SymVal type_val(const CallGraph *cg, uint32_t file, const char *text)
{
    if (!text) return unknown;
    SymRef r = sym_resolve_text(cg->st, file, text);
    if (r.kind == SR_CLASS) return val(SV_INSTANCE, r.id);
    if (r.kind == SR_EXTERNAL)
        return is_session_type(nm_last(text)) ? val(SV_SESSION, FX_UNKNOWN) : external;
    return unknown;
}

/* A normalised annotation: its core type, else a builtin or library generic (`dict[str, int]`,
 * `list[Job]`) as something external. */
static SymVal ann_val(const CallGraph *cg, uint32_t file, const char *ann)
{
    if (!ann) return unknown;
    SymVal v = type_val(cg, file, nm_core_type(ann, cg->arena, NULL));
    const char *open = strchr(ann, '[');
    if (v.kind != SV_UNKNOWN || !open || strncmp(ann, "Optional[", 9) == 0 ||
        strncmp(ann, "Union[", 6) == 0)
        return v;
    v = type_val(cg, file, arena_strndup(cg->arena, ann, (size_t)(open - ann)));
    return v.kind == SV_EXTERNAL ? v : unknown;
}

static SymVal var_type(const CallGraph *cg, int32_t id);

static SymVal ref_val(const CallGraph *cg, SymRef r)
{
    switch ((SymRefKind)r.kind) {
        case SR_MODULE: return val(SV_MODULE, r.id);
        case SR_FUNC: return val(SV_FUNC, r.id);
        case SR_CLASS: return val(SV_CLASS, r.id);
        case SR_VAR: return var_type(cg, r.id);
        case SR_EXTERNAL: return external;
        default: return unknown;
    }
}

static SymVal var_type(const CallGraph *cg, int32_t id)
{
    CgPriv *p = cg->priv;
    if (p->var_state[id]) return p->var_state[id] == 2 ? p->var[id] : unknown;
    p->var_state[id] = 1;
    const SymVar *v = &cg->st->vars[id];
    SymVal t = unknown;
    if (v->annotation) t = ann_val(cg, v->file, nm_annotation(v->annotation, cg->arena));
    if (t.kind == SV_UNKNOWN && v->value) {
        Ctx c = {cg, v->file, -1, NULL, 0, NULL, 0};
        t = eval(&c, v->value, 0);
    }
    p->var[id] = t;
    p->var_state[id] = 2;
    return t;
}

/* What the return statements of an unannotated function build (the first known type). */
static SymVal inferred_return(const CallGraph *cg, int32_t id)
{
    const CgEnv *env = cg->priv->envs[id];
    Ctx c = {cg, cg->st->func_file[id], id, NULL, 0, NULL, 0};
    for (uint32_t i = 0; env && i < env->nreturns; i++) {
        const Node *r = env->returns[i];
        if (r->kind == AST_CONSTANT && r->Constant.value.kind == CONST_NONE) continue;
        SymVal v = eval(&c, r, 0);
        if (v.kind != SV_UNKNOWN) return v;
    }
    return unknown;
}

static SymVal ret_type(const CallGraph *cg, int32_t id)
{
    CgPriv *p = cg->priv;
    if (p->ret_state[id] == 2) return p->ret[id];
    if (p->ret_state[id] == 1) return unknown;
    const FxFunc *f = sym_func(cg->st, id);
    uint32_t file = cg->st->func_file[id];
    SymVal v = unknown;
    bool final = true;
    if (f->is_session_provider)
        v = val(SV_SESSION, f->provider_mode);
    else if (f->returns_type)
        v = type_val(cg, file, f->returns_type);
    else if (f->returns)
        v = ann_val(cg, file, f->returns);
    else if (!f->returns && p->envs[id]) {
        p->ret_state[id] = 1;
        v = inferred_return(cg, id);
    } else
        final = f->returns != NULL;
    p->ret_state[id] = final ? 2 : 0;
    p->ret[id] = v;
    return v;
}

static const Binding *find_binding(const Binding *b, uint32_t n, const char *name)
{
    for (uint32_t i = n; i-- > 0;)
        if (strcmp(b[i].name, name) == 0) return &b[i];
    return NULL;
}

static int32_t parent_of(const CallGraph *cg, int32_t f)
{
    const FxFunc *fn = sym_func(cg->st, f);
    return sym_func_id(cg->st, cg->st->func_file[f], fn->loc.func);
}

/* 1: bound in a function scope (*v set); 0: not; -1: declared global. */
static int local_lookup(const Ctx *c, const char *name, SymVal *v)
{
    for (uint32_t i = c->nshadow; i-- > 0;)
        if (strcmp(c->shadow[i], name) == 0) {
            *v = unknown;
            return 1;
        }
    const Binding *b = c->scratch ? find_binding(c->scratch, c->nscratch, name) : NULL;
    int32_t f = c->scratch ? parent_of(c->cg, c->func) : c->func;
    for (int guard = 0; !b && f >= 0 && guard < 64; guard++) {
        const CgEnv *e = c->cg->priv->envs[f];
        b = e ? find_binding(e->items, e->n, name) : NULL;
        f = parent_of(c->cg, f);
    }
    if (!b) return 0;
    if (b->is_global) return -1;
    *v = b->v;
    return 1;
}

typedef enum { WHERE_NONE, WHERE_LOCAL, WHERE_MODULE, WHERE_BUILTIN } Where;

static SymVal name_val(const Ctx *c, const char *name, Where *where)
{
    SymVal v;
    if (local_lookup(c, name, &v) == 1) {
        *where = WHERE_LOCAL;
        return v;
    }
    SymRef r = sym_scope(c->cg->st, c->file, name);
    if (r.kind != SR_NONE) {
        *where = WHERE_MODULE;
        return ref_val(c->cg, r);
    }
    *where = sym_is_builtin(name) ? WHERE_BUILTIN : WHERE_NONE;
    return *where == WHERE_BUILTIN ? external : unknown;
}

static int32_t class_of(const Ctx *c)
{
    return c->func >= 0 ? c->cg->st->func_class[c->func] : -1;
}

static SymVal method_val(const CallGraph *cg, int32_t m)
{
    return sym_func(cg->st, m)->is_property ? ret_type(cg, m) : val(SV_FUNC, m);
}

static SymVal instance_member(const CallGraph *cg, int32_t cls, const char *attr, bool skip_self)
{
    const SymClass *k = &cg->st->classes[cls];
    for (uint32_t i = skip_self ? 1 : 0; i < k->nmro; i++) {
        SymRef r = sym_member(cg->st, (SymRef){SR_CLASS, k->mro[i]}, attr);
        if (r.kind == SR_FUNC) return method_val(cg, r.id);
        if (r.kind == SR_CLASS) return val(SV_CLASS, r.id);
    }
    SymVal a = sym_attr(cg->st, cls, attr);
    if (a.kind != SV_UNKNOWN) return a;
    return k->external_base ? external : unknown;
}

static SymVal attr_val(const Ctx *c, SymVal v, const char *attr)
{
    const CallGraph *cg = c->cg;
    switch (v.kind) {
        case SV_MODULE: return ref_val(cg, sym_member(cg->st, (SymRef){SR_MODULE, v.id}, attr));
        case SV_CLASS: return ref_val(cg, sym_member(cg->st, (SymRef){SR_CLASS, v.id}, attr));
        case SV_INSTANCE: return instance_member(cg, v.id, attr, false);
        case SV_SUPER: return instance_member(cg, v.id, attr, true);
        case SV_EXTERNAL:
        case SV_SESSION: return external;
        default: return unknown;
    }
}

static SymVal call_val(const Ctx *c, SymVal f)
{
    switch (f.kind) {
        case SV_CLASS: return val(SV_INSTANCE, f.id);
        case SV_FUNC: return ret_type(c->cg, f.id);
        case SV_EXTERNAL:
        case SV_SESSION: return external;
        default: return unknown;
    }
}

static bool is_super_call(const Ctx *c, const Node *call)
{
    const Node *f = call->Call.func;
    SymVal v;
    return f->kind == AST_NAME && strcmp(f->Name.id, "super") == 0 && class_of(c) >= 0 &&
           local_lookup(c, "super", &v) == 0;
}

static SymVal eval_first_known(const Ctx *c, const NodeList *l, int depth)
{
    for (uint32_t i = 0; i < l->n; i++) {
        SymVal v = eval(c, l->items[i], depth + 1);
        if (v.kind != SV_UNKNOWN) return v;
    }
    return unknown;
}

// NOLINTNEXTLINE(readability-function-size): a flat dispatch over expression kinds
static SymVal eval(const Ctx *c, const Node *e, int depth)
{
    if (!e || depth > EVAL_DEPTH) return unknown;
    Where w;
    switch ((AstKind)e->kind) {
        case AST_NAME: return name_val(c, e->Name.id, &w);
        case AST_ATTRIBUTE:
            return attr_val(c, eval(c, e->Attribute.value, depth + 1), e->Attribute.attr);
        case AST_CALL:
            if (is_super_call(c, e)) return val(SV_SUPER, class_of(c));
            return call_val(c, eval(c, e->Call.func, depth + 1));
        case AST_AWAIT: return eval(c, e->Await.value, depth + 1);
        case AST_NAMEDEXPR: return eval(c, e->NamedExpr.value, depth + 1);
        case AST_BOOLOP: return eval_first_known(c, &e->BoolOp.values, depth);
        case AST_IFEXP: {
            SymVal v = eval(c, e->IfExp.body, depth + 1);
            return v.kind != SV_UNKNOWN ? v : eval(c, e->IfExp.orelse, depth + 1);
        }
        case AST_CONSTANT:
        case AST_JOINEDSTR:
        case AST_LIST:
        case AST_TUPLE:
        case AST_DICT:
        case AST_SET:
        case AST_LISTCOMP:
        case AST_SETCOMP:
        case AST_DICTCOMP:
        case AST_GENERATOREXP:
        case AST_COMPARE: return external;
        default: return unknown;
    }
}

/* ---- element types ------------------------------------------------------------------------- */

static bool container_name(const char *s, size_t n)
{
    static const char *const names[] = {
        "list",          "List",        "Sequence",   "Iterable",      "Iterator", "set",
        "Set",           "frozenset",   "FrozenSet",  "Collection",    "Generator",
        "AsyncIterator", "AsyncIterable", "AsyncGenerator", "MutableSequence", "Deque", NULL};
    const char *last = s;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.') last = s + i + 1;
    size_t ln = n - (size_t)(last - s);
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == ln && memcmp(names[i], last, ln) == 0) return true;
    return false;
}

SymVal cg_elem_type(const CallGraph *cg, uint32_t file, const char *ann)
{
    const char *open = ann ? strchr(ann, '[') : NULL;
    size_t n = ann ? strlen(ann) : 0;
    if (!open || ann[n - 1] != ']') return unknown;
    const char *in = open + 1;
    size_t inn = (size_t)(ann + n - 1 - in);
    size_t outer = (size_t)(open - ann);
    if (outer == 8 && memcmp(ann, "Optional", 8) == 0) {
        char *t = arena_strndup(cg->arena, in, inn);
        return cg_elem_type(cg, file, t);
    }
    if (!container_name(ann, outer)) return unknown;
    size_t k = 0;
    int nest = 0;
    for (; k < inn && !(nest == 0 && in[k] == ','); k++)
        nest += in[k] == '[' ? 1 : in[k] == ']' ? -1 : 0;
    const char *inner = arena_strndup(cg->arena, in, k);
    return type_val(cg, file, nm_core_type(inner, cg->arena, NULL));
}

/* The element type of what a for loop iterates: a call whose callee returns list[X] and the
 * like. */
static SymVal iter_elem(const Ctx *c, const Node *iter)
{
    if (!iter || iter->kind != AST_CALL) return unknown;
    SymVal f = eval(c, iter->Call.func, 0);
    if (f.kind != SV_FUNC) return unknown;
    const FxFunc *fn = sym_func(c->cg->st, f.id);
    return cg_elem_type(c->cg, c->cg->st->func_file[f.id], fn->returns);
}

/* ---- pass 1: attribute types from the facts ------------------------------------------------- */

static SymVal ctor_val(const CallGraph *cg, uint32_t file, const char *callee)
{
    SymRef r = sym_resolve_text(cg->st, file, callee);
    if (r.kind == SR_CLASS) return val(SV_INSTANCE, r.id);
    if (r.kind == SR_FUNC) return ret_type(cg, r.id);
    return r.kind == SR_EXTERNAL ? external : unknown;
}

static SymVal self_attr_val(const CallGraph *cg, uint32_t file, const FxSelfAttr *s)
{
    if (s->is_session) return val(SV_SESSION, s->mode);
    if (s->is_engine || s->is_sessionmaker) return external;
    if (s->origin == FX_ATTR_CTOR) return ctor_val(cg, file, s->type);
    if (s->origin == FX_ATTR_PARAM || s->origin == FX_ATTR_ANNOTATION)
        return type_val(cg, file, s->type);
    return unknown;
}

static void seed_attrs(CallGraph *cg)
{
    for (int in_init = 1; in_init >= 0; in_init--)
        for (uint32_t f = 0; f < cg->st->nfiles; f++) {
            const FileFacts *ff = cg->st->facts[f];
            for (uint32_t i = 0; ff && i < ff->nself_attrs; i++) {
                const FxSelfAttr *s = &ff->self_attrs[i];
                if (s->in_init != (in_init == 1) || !s->type) continue;
                int32_t cls = sym_class_id(cg->st, f, s->cls);
                sym_attr_set(cg->st, cls, s->attr, self_attr_val(cg, f, s));
            }
        }
}

/* ---- pass 2: locals ------------------------------------------------------------------------ */

typedef Vec(Binding) BindVec;
typedef Vec(const Node *) NodeVec;

/* Pushes a node pointer (out of line: the macro's sizeof of a pointer trips a lint). */
static void push_node(NodeVec *v, const Node *n)
{
    VEC_PUSH(*v, n); // NOLINT(bugprone-sizeof-expression): a vector of pointers
}

typedef struct EnvBuild {
    Ctx c;
    BindVec b;
    NodeVec returns;
    const char *self_name; /* first parameter of a method, or NULL */
    int32_t cls;
    const PtrMap *funcs, *classes; /* file's def nodes -> index */
} EnvBuild;

static SymVal eb_eval(EnvBuild *eb, const Node *e)
{
    eb->c.scratch = eb->b.items;
    eb->c.nscratch = eb->b.n;
    return eval(&eb->c, e, 0);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void bind(EnvBuild *eb, const char *name, SymVal v, bool is_global)
{
    for (uint32_t i = eb->b.n; i-- > 0;) {
        Binding *b = &eb->b.items[i];
        if (strcmp(b->name, name) != 0) continue;
        if (!b->is_global && b->v.kind == SV_UNKNOWN) b->v = v;
        return;
    }
    Binding nb = {name, v, is_global};
    VEC_PUSH(eb->b, nb);
}

static void bind_target(EnvBuild *eb, const Node *t, SymVal v)
{
    if (!t) return;
    switch ((AstKind)t->kind) {
        case AST_NAME: bind(eb, t->Name.id, v, false); return;
        case AST_STARRED: bind_target(eb, t->Starred.value, unknown); return;
        case AST_TUPLE:
        case AST_LIST: {
            const NodeList *l = t->kind == AST_TUPLE ? &t->Tuple.elts : &t->List.elts;
            for (uint32_t i = 0; i < l->n; i++)
                bind_target(eb, l->items[i], unknown);
            return;
        }
        case AST_ATTRIBUTE: {
            const Node *o = t->Attribute.value;
            if (eb->self_name && eb->cls >= 0 && o->kind == AST_NAME &&
                strcmp(o->Name.id, eb->self_name) == 0)
                sym_attr_set(eb->c.cg->st, eb->cls, t->Attribute.attr, v);
            return;
        }
        default: return;
    }
}

static void env_body(EnvBuild *eb, const NodeList *body);

static void env_with(EnvBuild *eb, const NodeList *items, const NodeList *body)
{
    for (uint32_t i = 0; i < items->n; i++) {
        const Node *it = items->items[i];
        if (it->withitem.optional_vars)
            bind_target(eb, it->withitem.optional_vars, eb_eval(eb, it->withitem.context_expr));
    }
    env_body(eb, body);
}

static void env_try(EnvBuild *eb, const Node *s)
{
    env_body(eb, &s->Try.body);
    for (uint32_t i = 0; i < s->Try.handlers.n; i++) {
        const Node *h = s->Try.handlers.items[i];
        if (h->ExceptHandler.name) bind(eb, h->ExceptHandler.name, unknown, false);
        env_body(eb, &h->ExceptHandler.body);
    }
    env_body(eb, &s->Try.orelse);
    env_body(eb, &s->Try.finalbody);
}

static void env_def(EnvBuild *eb, const Node *s)
{
    const CallGraph *cg = eb->c.cg;
    uint32_t file = eb->c.file;
    if (s->kind == AST_CLASSDEF) {
        int32_t k = pm_get(eb->classes, s);
        bind(eb, s->ClassDef.name, k >= 0 ? val(SV_CLASS, sym_class_id(cg->st, file, k)) : unknown,
             false);
        return;
    }
    int32_t f = pm_get(eb->funcs, s);
    const char *name = s->kind == AST_FUNCTIONDEF ? s->FunctionDef.name : s->AsyncFunctionDef.name;
    bind(eb, name, f >= 0 ? val(SV_FUNC, sym_func_id(cg->st, file, f)) : unknown, false);
}

static void env_assign(EnvBuild *eb, const Node *s)
{
    if (s->kind == AST_ASSIGN) {
        SymVal v = eb_eval(eb, s->Assign.value);
        for (uint32_t i = 0; i < s->Assign.targets.n; i++)
            bind_target(eb, s->Assign.targets.items[i], v);
        return;
    }
    if (s->kind == AST_AUGASSIGN) {
        bind_target(eb, s->AugAssign.target, unknown);
        return;
    }
    const char *ann = nm_annotation(s->AnnAssign.annotation, eb->c.cg->arena);
    SymVal v = ann_val(eb->c.cg, eb->c.file, ann);
    if (v.kind == SV_UNKNOWN && s->AnnAssign.value) v = eb_eval(eb, s->AnnAssign.value);
    bind_target(eb, s->AnnAssign.target, v);
}

// NOLINTNEXTLINE(readability-function-size): a flat dispatch over statement kinds
static void env_stmt(EnvBuild *eb, const Node *s)
{
    switch ((AstKind)s->kind) {
        case AST_FUNCTIONDEF:
        case AST_ASYNCFUNCTIONDEF:
        case AST_CLASSDEF: env_def(eb, s); return;
        case AST_ASSIGN:
        case AST_AUGASSIGN:
        case AST_ANNASSIGN: env_assign(eb, s); return;
        case AST_FOR:
        case AST_ASYNCFOR: {
            eb->c.scratch = eb->b.items, eb->c.nscratch = eb->b.n;
            bind_target(eb, s->For.target, iter_elem(&eb->c, s->For.iter));
            env_body(eb, &s->For.body);
            env_body(eb, &s->For.orelse);
            return;
        }
        case AST_WHILE: env_body(eb, &s->While.body); env_body(eb, &s->While.orelse); return;
        case AST_IF: env_body(eb, &s->If.body); env_body(eb, &s->If.orelse); return;
        case AST_WITH:
        case AST_ASYNCWITH: env_with(eb, &s->With.items, &s->With.body); return;
        case AST_TRY:
        case AST_TRYSTAR: env_try(eb, s); return;
        case AST_MATCH:
            for (uint32_t i = 0; i < s->Match.cases.n; i++)
                env_body(eb, &s->Match.cases.items[i]->match_case.body);
            return;
        case AST_GLOBAL:
            for (uint32_t i = 0; i < s->Global.names.n; i++)
                bind(eb, s->Global.names.items[i], unknown, true);
            return;
        case AST_RETURN:
            if (s->Return.value) push_node(&eb->returns, s->Return.value);
            return;
        case AST_EXPR: /* a generator's (or fixture's) `yield value` */
            if (s->Expr.value->kind == AST_YIELD && s->Expr.value->Yield.value)
                push_node(&eb->returns, s->Expr.value->Yield.value);
            return;
        default: return;
    }
}

static void env_body(EnvBuild *eb, const NodeList *body)
{
    for (uint32_t i = 0; i < body->n; i++)
        env_stmt(eb, body->items[i]);
}

/* The fixture a test or fixture parameter names: in the same file, else in a conftest.py of
 * an enclosing folder (the nearest), else any conftest.py. -1 when none. */
static int32_t fixture_for(const CallGraph *cg, uint32_t file, const char *name)
{
    const SymTable *st = cg->st;
    const char *path = st->prog->files[file].path;
    int32_t best = -1;
    size_t best_len = 0;
    for (uint32_t i = 0; i < cg->priv->nfixtures; i++) {
        int32_t id = cg->priv->fixtures[i];
        if (strcmp(sym_func(st, id)->name, name) != 0) continue;
        uint32_t ff = st->func_file[id];
        if (ff == file) return id;
        const char *fp = st->prog->files[ff].path;
        const char *slash = strrchr(fp, '/');
        size_t dir = slash ? (size_t)(slash - fp) + 1 : 0;
        bool encloses = strncmp(fp, path, dir) == 0;
        if (best < 0 || (encloses && dir + 1 > best_len)) {
            best = id;
            best_len = encloses ? dir + 1 : 0;
        }
    }
    return best;
}

static SymVal param_val(EnvBuild *eb, const FxFunc *f, uint32_t i)
{
    const FxParam *p = &f->params[i];
    const CallGraph *cg = eb->c.cg;
    if (i == 0 && f->is_method && !f->is_staticmethod && eb->cls >= 0)
        return val(f->is_classmethod ? SV_CLASS : SV_INSTANCE, eb->cls);
    if (p->is_session) return val(SV_SESSION, p->session_mode);
    if (p->annotation) return ann_val(cg, eb->c.file, p->annotation);
    if (p->depends) {
        SymRef r = sym_resolve_text(cg->st, eb->c.file, p->depends);
        if (r.kind == SR_FUNC) return ret_type(cg, r.id);
    }
    if (f->is_test || f->is_fixture) {
        int32_t fx = fixture_for(cg, eb->c.file, p->name);
        if (fx >= 0 && fx != eb->c.func) return ret_type(cg, fx);
    }
    return unknown;
}

/* Variables that the facts know hold a session (`with provider() as s`, `s = Factory()`). */
static void env_sessions(EnvBuild *eb, const FileFacts *ff, int32_t fi)
{
    for (uint32_t i = 0; i < ff->nsessions; i++) {
        const FxSession *s = &ff->sessions[i];
        if (s->loc.func == fi && s->var && !strchr(s->var, '.') && s->form != FX_ACQ_NO_WITH)
            bind(eb, s->var, val(SV_SESSION, s->mode), false);
    }
}

static void env_params(EnvBuild *eb, const FxFunc *f)
{
    for (uint32_t i = 0; i < f->nparams; i++)
        bind(eb, f->params[i].name, param_val(eb, f, i), false);
    if (f->is_method && !f->is_staticmethod && !f->is_classmethod && f->nparams > 0)
        eb->self_name = f->params[0].name;
}

static void env_imports(EnvBuild *eb, const FileFacts *ff, int32_t fi)
{
    for (uint32_t i = 0; i < ff->nimports; i++) {
        const FxImport *im = &ff->imports[i];
        if (im->loc.func != fi || strcmp(im->bound, "*") == 0) continue;
        bind(eb, im->bound, ref_val(eb->c.cg, sym_lookup(eb->c.cg->st, im->target)), false);
    }
}

static void build_env(CallGraph *cg, uint32_t file, int32_t fi, const PtrMap *funcs,
                      const PtrMap *classes)
{
    const FileFacts *ff = cg->st->facts[file];
    const FxFunc *f = &ff->funcs[fi];
    int32_t id = sym_func_id(cg->st, file, fi);
    EnvBuild eb = {{cg, file, id, NULL, 0, NULL, 0}, {0}, {0}, NULL, cg->st->func_class[id],
                   funcs, classes};
    env_params(&eb, f);
    env_imports(&eb, ff, fi);
    env_sessions(&eb, ff, fi);
    const Node *def = f->node;
    env_body(&eb, def->kind == AST_FUNCTIONDEF ? &def->FunctionDef.body
                                               : &def->AsyncFunctionDef.body);
    CgEnv *env = ARENA_NEW(cg->arena, CgEnv);
    env->items = VEC_FREEZE(cg->arena, eb.b);
    env->n = eb.b.n;
    env->returns = VEC_FREEZE(cg->arena, eb.returns);
    env->nreturns = eb.returns.n;
    cg->priv->envs[id] = env;
    VEC_FREE(eb.b);
    VEC_FREE(eb.returns);
}

static void file_maps(const FileFacts *ff, PtrMap *funcs, PtrMap *classes)
{
    pm_init(funcs, ff->nfuncs);
    pm_init(classes, ff->nclasses);
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        pm_put(funcs, ff->funcs[i].node, (int32_t)i);
    for (uint32_t i = 0; i < ff->nclasses; i++)
        pm_put(classes, ff->classes[i].node, (int32_t)i);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void collect_fixtures(CallGraph *cg)
{
    Vec(int32_t) v = {0};
    for (uint32_t id = 0; id < cg->nnodes; id++)
        if (sym_func(cg->st, (int32_t)id)->is_fixture) VEC_PUSH(v, (int32_t)id);
    cg->priv->fixtures = VEC_FREEZE(cg->arena, v);
    cg->priv->nfixtures = v.n;
    VEC_FREE(v);
}

/* Fixtures first (tests' parameters take their types), then every other function. */
static void build_envs(CallGraph *cg)
{
    collect_fixtures(cg);
    for (int fixtures = 1; fixtures >= 0; fixtures--)
        for (uint32_t f = 0; f < cg->st->nfiles; f++) {
            const FileFacts *ff = cg->st->facts[f];
            if (!ff || !ff->nfuncs) continue;
            PtrMap funcs, classes;
            file_maps(ff, &funcs, &classes);
            for (uint32_t i = 0; i < ff->nfuncs; i++)
                if (ff->funcs[i].is_fixture == (fixtures == 1))
                    build_env(cg, f, (int32_t)i, &funcs, &classes);
            pm_free(&funcs);
            pm_free(&classes);
        }
    cg->priv->envs_ready = true;
}

/* ---- pass 3: call sites -------------------------------------------------------------------- */

typedef Vec(CgEdge) EdgeVec;
typedef Vec(CgSite) SiteVec;
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
    int32_t target;    /* function id (-1: a class without __init__, or not resolved) */
    int32_t virt_cls;  /* a method called on an instance of this class: subclasses' overrides
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
        SymVal v = name_val(&w->c, f->Name.id, &where);
        if (where == WHERE_NONE)
            return w->star_external ? res(CG_EXTERNAL, 0, -1)
                                    : res(CG_UNRESOLVED, CG_R_UNDEFINED_NAME, -1);
        return from_val(w->cg, v, where == WHERE_LOCAL ? CG_R_LOCAL_CALLABLE : CG_R_MODULE_VALUE);
    }
    if (f->kind == AST_ATTRIBUTE) {
        const char *m = f->Attribute.attr;
        SymVal rv = eval(&w->c, f->Attribute.value, 0);
        SymVal v = attr_val(&w->c, rv, m);
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
    return from_val(w->cg, eval(&w->c, f, 0), CG_R_DYNAMIC_CALLEE);
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
        CgSite u = {w->file,   w->c.func, s->span,
                    lc.line,   lc.col_byte, (uint8_t)r.reason,
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
        CgEdge e = {(uint32_t)w->c.func, (uint32_t)targets[i], s->kind,     s->via, s->awaited,
                    w->file,             s->span,              lc.line,     lc.col_byte, s->node};
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
    int32_t fi = pm_get(&w->funcs, s);
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
                if (k->keyword.arg && strcmp(k->keyword.arg, "target") == 0) return k->keyword.value;
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
    if (pm_get(&w->offs, t) >= 0) {
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
    int32_t oi = pm_get(&w->offs, call);
    const FxOffload *o = oi >= 0 ? &w->ff->offloads[oi] : NULL;
    const Node *t = o ? offload_target(o) : NULL;
    walk(w, call->Call.func);
    walk_args(w, call, t ? o : NULL, t);
}

// NOLINTNEXTLINE(readability-function-size): a flat dispatch over node kinds
static void walk(Walk *w, const Node *n)
{
    if (!n) return;
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
        Res rs = r.kind == SR_FUNC    ? res(CG_RESOLVED, 0, r.id)
                 : r.kind == SR_CLASS ? res(CG_RESOLVED, 0, sym_method(st, r.id, "__init__"))
                 : r.kind == SR_EXTERNAL ? res(CG_EXTERNAL, 0, -1)
                                         : res(CG_UNRESOLVED, CG_R_UNDEFINED_NAME, -1);
        bool async = rs.target >= 0 && sym_func(st, rs.target)->is_async;
        Site s = {NULL,  d->loc.span, NULL, d->provider, async ? CG_CALL : CG_OFFLOAD,
                  CG_VIA_DEPENDS, false};
        record(w, &s, rs);
    }
    w->c.func = -1;
}

static bool star_external(const SymTable *st, const FileFacts *ff)
{
    for (uint32_t i = 0; i < ff->nimports; i++) {
        const FxImport *im = &ff->imports[i];
        if (im->name && strcmp(im->name, "*") == 0 && sym_lookup(st, im->module).kind == SR_EXTERNAL)
            return true;
    }
    return false;
}

static void walk_file(CallGraph *cg, uint32_t f, EdgeVec *edges, SiteVec *sites)
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
    file_maps(ff, &w.funcs, &classes);
    pm_free(&classes);
    pm_init(&w.offs, ff->noffloads);
    for (uint32_t i = 0; i < ff->noffloads; i++)
        if (ff->offloads[i].kind != FX_OFF_POOL) pm_put(&w.offs, ff->offloads[i].call, (int32_t)i);
    walk_list(&w, &m->Module.body);
    depends_edges(&w);
    pm_free(&w.funcs);
    pm_free(&w.offs);
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
            s->form == FX_ACQ_FACTORY_CALL);
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

CallGraph *cg_build(const Program *prog, FileFacts *const *facts, Arena *a)
{
    CallGraph *cg = ARENA_NEW(a, CallGraph);
    cg->arena = a;
    cg->st = sym_build(prog, facts, a);
    cg->nnodes = cg->st->nfuncs;
    alloc_priv(cg);
    seed_attrs(cg);
    build_envs(cg);
    EdgeVec edges = {0};
    SiteVec sites = {0};
    for (uint32_t f = 0; f < prog->nfiles; f++)
        walk_file(cg, f, &edges, &sites);
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

SymVal cg_eval(const CallGraph *cg, uint32_t file, int32_t func, const Node *e)
{
    Ctx c = {cg, file, func, NULL, 0, NULL, 0};
    return eval(&c, e, 0);
}
