/* callgraph_types: what names, attributes and calls hold, for the call graph (callgraph.h).
 *
 * Values (SymVal) are a class object, an instance, a module, a function, a session, something
 * external, or unknown. Pass 1 seeds attribute types from the facts' self attributes; pass 2
 * collects each function's locals in source order (parameters, assignments, with/for targets,
 * nested defs, function-level imports, `global` names, the facts' session variables) and its
 * return statements, and records more attribute types from `self.x = ...`. Evaluation then
 * follows names through locals, enclosing functions and module scope, attributes through the
 * MRO and the attribute table, and calls through return annotations or what `return` builds.
 * Module variables and return types are memoised; cycles give unknown. */
#include "callgraph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"
#include "names.h"

#define EVAL_DEPTH  48 /* nested expressions evaluated for one type */
#define NESTING_MAX 32 /* variable and return types computed one inside the other */

static const SymVal unknown = {SV_UNKNOWN, -1};
static const SymVal external = {SV_EXTERNAL, -1};

static SymVal val(uint8_t kind, int32_t id)
{
    return (SymVal){kind, id};
}

/* ---- pointer map (per file: AST node -> index) ---------------------------------------------- */

void cgt_pm_init(PtrMap *m, uint32_t n)
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

void cgt_pm_put(PtrMap *m, const void *k, int32_t v)
{
    uint32_t i = pm_hash(k) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = k;
    m->vals[i] = v;
}

int32_t cgt_pm_get(const PtrMap *m, const void *k)
{
    for (uint32_t i = pm_hash(k) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (m->keys[i] == k) return m->vals[i];
    return -1;
}

void cgt_pm_free(PtrMap *m)
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

/* A frozen view computes nothing (see callgraph_par.c): it records the miss. */
static SymVal miss(CgPriv *p)
{
    p->missed = true;
    return unknown;
}

/* A FORCED type v as the single-threaded build sees it. There it is computed on first use,
 * unless the nesting limit stops that (limited: var_type's check, or ret_type's for an inferred
 * return), with the same value: it depends on DONE types only. A walk thread notes the first
 * file that reads it; the calling thread walks a file after the files before it, so a FORCED
 * type was computed on first use if a file before this one, or this thread, read it. */
static SymVal forced_val(CgPriv *p, SymVal v, ForcedUse *u, bool limited)
{
    if (p->trial) return miss(p);
    if (p->frozen) {
        unsigned first = atomic_load_explicit(&u->first_file, memory_order_relaxed);
        while (!p->missed && p->file < first &&
               !atomic_compare_exchange_weak_explicit(&u->first_file, &first, p->file,
                                                      memory_order_relaxed, memory_order_relaxed))
            ;
        return v;
    }
    bool computed = u->used || atomic_load_explicit(&u->first_file, memory_order_relaxed) < p->file;
    if (!computed && limited && p->nesting >= NESTING_MAX) return unknown;
    u->used = true;
    return v;
}

static SymVal var_compute(const CallGraph *cg, int32_t id);

static SymVal var_type(const CallGraph *cg, int32_t id)
{
    CgPriv *p = cg->priv;
    if (p->var_state[id] == MEMO_DONE) return p->var[id];
    if (p->var_state[id] == MEMO_FORCED) return forced_val(p, p->var[id], &p->var_use[id], true);
    if (p->frozen) return miss(p);
    if (p->var_state[id] == MEMO_COMPUTING) return unknown;
    if (p->nesting >= NESTING_MAX) return unknown; /* not memoised: another path may reach it */
    return var_compute(cg, id);
}

static SymVal var_compute(const CallGraph *cg, int32_t id)
{
    CgPriv *p = cg->priv;
    p->nesting++;
    p->var_state[id] = MEMO_COMPUTING;
    const SymVar *v = &cg->st->vars[id];
    SymVal t = unknown;
    if (v->annotation) t = ann_val(cg, v->file, nm_annotation(v->annotation, cg->arena));
    if (t.kind == SV_UNKNOWN && v->value) {
        Ctx c = {cg, v->file, -1, NULL, 0, NULL, 0};
        t = cgt_eval(&c, v->value, 0);
    }
    p->var[id] = t;
    p->var_state[id] = MEMO_DONE;
    p->nesting--;
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
        SymVal v = cgt_eval(&c, r, 0);
        if (v.kind != SV_UNKNOWN) return v;
    }
    return unknown;
}

static SymVal ret_compute(const CallGraph *cg, int32_t id);

static SymVal ret_type(const CallGraph *cg, int32_t id)
{
    CgPriv *p = cg->priv;
    if (p->ret_state[id] == MEMO_DONE) return p->ret[id];
    if (p->ret_state[id] == MEMO_FORCED) /* only inferred returns are FORCED */
        return forced_val(p, p->ret[id], &p->ret_use[id], true);
    if (p->frozen) return miss(p);
    if (p->ret_state[id] == MEMO_COMPUTING) return unknown;
    return ret_compute(cg, id);
}

static SymVal ret_compute(const CallGraph *cg, int32_t id)
{
    CgPriv *p = cg->priv;
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
    else if (!f->returns && p->envs[id] && p->nesting < NESTING_MAX) {
        p->ret_state[id] = MEMO_COMPUTING;
        p->nesting++;
        v = inferred_return(cg, id);
        p->nesting--;
    } else
        final = f->returns != NULL;
    p->ret_state[id] = final ? MEMO_DONE : MEMO_NONE;
    p->ret[id] = v;
    return v;
}

static const Binding *find_binding(const Binding *b, uint32_t n, const char *name)
{
    for (uint32_t i = n; i-- > 0;)
        if (b[i].name[0] == name[0] && strcmp(b[i].name, name) == 0) return &b[i];
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
        if (c->shadow[i][0] == name[0] && strcmp(c->shadow[i], name) == 0) {
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

SymVal cgt_name_val(const Ctx *c, const char *name, Where *where)
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
    /* Without skip_self, the first class looked at searches the whole MRO, which holds every
     * class the others would search: one lookup gives the loop's answer. */
    uint32_t end = skip_self ? k->nmro : k->nmro > 0;
    for (uint32_t i = skip_self ? 1 : 0; i < end; i++) {
        SymRef r = sym_member(cg->st, (SymRef){SR_CLASS, k->mro[i]}, attr);
        if (r.kind == SR_FUNC) return method_val(cg, r.id);
        if (r.kind == SR_CLASS) return val(SV_CLASS, r.id);
    }
    SymVal a = sym_attr(cg->st, cls, attr);
    if (a.kind != SV_UNKNOWN) return a;
    return k->external_base ? external : unknown;
}

SymVal cgt_attr_val(const Ctx *c, SymVal v, const char *attr)
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
        SymVal v = cgt_eval(c, l->items[i], depth + 1);
        if (v.kind != SV_UNKNOWN) return v;
    }
    return unknown;
}

// NOLINTNEXTLINE(readability-function-size): a flat dispatch over expression kinds
SymVal cgt_eval(const Ctx *c, const Node *e, int depth)
{
    if (!e || depth > EVAL_DEPTH) return unknown;
    Where w;
    switch ((AstKind)e->kind) {
        case AST_NAME: return cgt_name_val(c, e->Name.id, &w);
        case AST_ATTRIBUTE:
            return cgt_attr_val(c, cgt_eval(c, e->Attribute.value, depth + 1), e->Attribute.attr);
        case AST_CALL:
            if (is_super_call(c, e)) return val(SV_SUPER, class_of(c));
            return call_val(c, cgt_eval(c, e->Call.func, depth + 1));
        case AST_AWAIT: return cgt_eval(c, e->Await.value, depth + 1);
        case AST_NAMEDEXPR: return cgt_eval(c, e->NamedExpr.value, depth + 1);
        case AST_BOOLOP: return eval_first_known(c, &e->BoolOp.values, depth);
        case AST_IFEXP: {
            SymVal v = cgt_eval(c, e->IfExp.body, depth + 1);
            return v.kind != SV_UNKNOWN ? v : cgt_eval(c, e->IfExp.orelse, depth + 1);
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
    /* clang-format off */
    static const char *const names[] = {
        "list", "List", "Sequence", "Iterable", "Iterator", "set", "Set", "frozenset",
        "FrozenSet", "Collection", "Generator", "AsyncIterator", "AsyncIterable",
        "AsyncGenerator", "MutableSequence", "Deque", NULL};
    /* clang-format on */
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
    SymVal f = cgt_eval(c, iter->Call.func, 0);
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

void cgt_seed_attrs(CallGraph *cg)
{
    for (int in_init = 1; in_init >= 0; in_init--)
        for (uint32_t f = 0; f < cg->st->nfiles; f++) {
            const FileFacts *ff = cg->st->facts[f];
            for (uint32_t i = 0; ff && i < ff->nself_attrs; i++) {
                const FxSelfAttr *s = &ff->self_attrs[i];
                if (s->in_init != (in_init == 1) || !s->type || s->cls < 0) continue;
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
    return cgt_eval(&eb->c, e, 0);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void bind(EnvBuild *eb, const char *name, SymVal v, bool is_global)
{
    for (uint32_t i = eb->b.n; i-- > 0;) {
        Binding *b = &eb->b.items[i];
        if (b->name[0] != name[0] || strcmp(b->name, name) != 0) continue;
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
        int32_t k = cgt_pm_get(eb->classes, s);
        bind(eb, s->ClassDef.name, k >= 0 ? val(SV_CLASS, sym_class_id(cg->st, file, k)) : unknown,
             false);
        return;
    }
    int32_t f = cgt_pm_get(eb->funcs, s);
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
        case AST_WHILE:
            env_body(eb, &s->While.body);
            env_body(eb, &s->While.orelse);
            return;
        case AST_IF:
            env_body(eb, &s->If.body);
            env_body(eb, &s->If.orelse);
            return;
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
    EnvBuild eb = {{cg, file, id, NULL, 0, NULL, 0}, {0},   {0},    NULL,
                   cg->st->func_class[id],           funcs, classes};
    env_params(&eb, f);
    env_imports(&eb, ff, fi);
    env_sessions(&eb, ff, fi);
    const Node *def = f->node;
    env_body(&eb,
             def->kind == AST_FUNCTIONDEF ? &def->FunctionDef.body : &def->AsyncFunctionDef.body);
    CgEnv *env = ARENA_NEW(cg->arena, CgEnv);
    env->items = VEC_FREEZE(cg->arena, eb.b);
    env->n = eb.b.n;
    env->returns = VEC_FREEZE(cg->arena, eb.returns); // NOLINT(bugprone-sizeof-expression)
    env->nreturns = eb.returns.n;
    cg->priv->envs[id] = env;
    VEC_FREE(eb.b);
    VEC_FREE(eb.returns);
}

void cgt_file_maps(const FileFacts *ff, PtrMap *funcs, PtrMap *classes)
{
    cgt_pm_init(funcs, ff->nfuncs);
    cgt_pm_init(classes, ff->nclasses);
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        cgt_pm_put(funcs, ff->funcs[i].node, (int32_t)i);
    for (uint32_t i = 0; i < ff->nclasses; i++)
        cgt_pm_put(classes, ff->classes[i].node, (int32_t)i);
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

/* The locals of the fixtures of file f, or of its other functions. */
static void file_envs(CallGraph *cg, uint32_t f, bool fixtures)
{
    const FileFacts *ff = cg->st->facts[f];
    uint32_t n = 0;
    for (uint32_t i = 0; ff && i < ff->nfuncs; i++)
        n += ff->funcs[i].is_fixture == fixtures;
    if (n == 0) return;
    PtrMap funcs, classes;
    cgt_file_maps(ff, &funcs, &classes);
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        if (ff->funcs[i].is_fixture == fixtures) build_env(cg, f, (int32_t)i, &funcs, &classes);
    cgt_pm_free(&funcs);
    cgt_pm_free(&classes);
}

/* Fixtures first (tests' parameters take their types), then every other function. */
void cgt_build_envs(CallGraph *cg)
{
    collect_fixtures(cg);
    for (int fixtures = 1; fixtures >= 0; fixtures--)
        for (uint32_t f = 0; f < cg->st->nfiles; f++)
            file_envs(cg, f, fixtures == 1);
    cg->priv->envs_ready = true;
}

/* ---- types computed ahead (callgraph_par.c) -------------------------------------------------- */

static ForcedUse *new_uses(Arena *a, uint32_t n)
{
    ForcedUse *u = ARENA_ARRAY(a, ForcedUse, n + 1);
    for (uint32_t i = 0; i <= n; i++)
        atomic_init(&u[i].first_file, UINT32_MAX);
    return u;
}

static bool annotated_return(const FxFunc *f)
{
    return f->is_session_provider || f->returns_type || f->returns;
}

/* Annotated returns depend on no other type and no nesting: DONE, as if used already. An
 * unannotated one is FORCED when what its returns build depends on DONE types only. */
static void force_ret(CallGraph *cg, int32_t id, bool annotated)
{
    CgPriv *p = cg->priv;
    if (p->ret_state[id] != MEMO_NONE || annotated != annotated_return(sym_func(cg->st, id)))
        return;
    p->missed = false;
    ret_compute(cg, id);
    if (p->ret_state[id] == MEMO_DONE && !annotated)
        p->ret_state[id] = p->missed ? MEMO_NONE : MEMO_FORCED;
}

static void force_var(CallGraph *cg, int32_t id)
{
    CgPriv *p = cg->priv;
    if (p->var_state[id] != MEMO_NONE) return;
    p->missed = false;
    var_compute(cg, id);
    p->var_state[id] = p->missed ? MEMO_NONE : MEMO_FORCED;
}

void cgt_force(CallGraph *cg)
{
    CgPriv *p = cg->priv;
    p->var_use = new_uses(cg->arena, cg->st->nvars);
    p->ret_use = new_uses(cg->arena, cg->nnodes);
    for (uint32_t id = 0; id < cg->nnodes; id++)
        force_ret(cg, (int32_t)id, true);
    p->frozen = p->trial = true;
    for (uint32_t id = 0; id < cg->st->nvars; id++)
        force_var(cg, (int32_t)id);
    for (uint32_t id = 0; id < cg->nnodes; id++)
        force_ret(cg, (int32_t)id, false);
    p->frozen = p->trial = p->missed = false;
}

SymVal cg_eval(const CallGraph *cg, uint32_t file, int32_t func, const Node *e)
{
    Ctx c = {cg, file, func, NULL, 0, NULL, 0};
    return cgt_eval(&c, e, 0);
}
