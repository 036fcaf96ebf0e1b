/* loading_graph: SA302, SA303, SA304 and the refresh-then-expunge idiom.
 *
 * The models come from the facts (mapped classes, `relationship()` with its `lazy=`) and the
 * class bodies (mapped attributes, mixins through the MRO). Each function that has a session or
 * a parameter annotated with a model is read once, in source order, tracking its ORM objects:
 * where each came from (`session.get(Model, ...)`, a Query or `select()` result or an element of
 * one, a parameter, a function returning a model, a new instance added to a session), which
 * relationships its query loaded eagerly, and what happened to its session since: commit()
 * (which expires it when the factory's expire_on_commit is True, the default), refresh(),
 * expunge(), and the end of the `with` block (closed; the provider's own commit on exit expires
 * what is still attached). Attribute reads are then judged against that state. The call graph
 * gives the types of values (a function returning `JobRun`, a provider and its factory). */
#include "graph_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"
#include "../model/names.h"

#define STEPS_MAX 32

/* ---- models -------------------------------------------------------------------------------- */

typedef struct Rel {
    const char *name;
    bool lazy;      /* loads on attribute access: default, "select", "dynamic" */
    int32_t target; /* class id, or -1 */
} Rel;

typedef struct ClassInfo {
    Rel *rels;
    uint32_t nrels;
    const char **attrs; /* names assigned in the class body */
    uint32_t nattrs;
} ClassInfo;

typedef struct Models {
    const CallGraph *cg;
    ClassInfo *info; /* per class id */
    bool any_expire; /* some sync sessionmaker expires on commit (or none is configured) */
} Models;

static bool lazy_loading(const char *lazy)
{
    return !lazy || strcmp(lazy, "select") == 0 || strcmp(lazy, "dynamic") == 0 ||
           strcmp(lazy, "True") == 0;
}

typedef Vec(Rel) RelVec;
typedef Vec(const char *) NameVec;

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void class_rels(Models *m, int32_t cls, Arena *a)
{
    const SymTable *st = m->cg->st;
    const SymClass *c = &st->classes[cls];
    const FileFacts *ff = st->facts[c->file];
    RelVec v = {0};
    for (uint32_t i = 0; i < ff->nrelationships; i++) {
        const FxRelationship *r = &ff->relationships[i];
        if (r->cls != (int32_t)c->cls || !r->attr) continue;
        SymRef t = r->target ? sym_resolve_text(st, c->file, r->target) : (SymRef){SR_NONE, -1};
        Rel rel = {r->attr, lazy_loading(r->lazy), t.kind == SR_CLASS ? t.id : -1};
        VEC_PUSH(v, rel);
    }
    m->info[cls].rels = VEC_FREEZE(a, v);
    m->info[cls].nrels = v.n;
    VEC_FREE(v);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void class_attrs(Models *m, int32_t cls, Arena *a)
{
    const Node *def = sym_class_facts(m->cg->st, cls)->node;
    NameVec v = {0};
    for (uint32_t i = 0; def && i < def->ClassDef.body.n; i++) {
        const Node *s = def->ClassDef.body.items[i];
        const Node *t = s->kind == AST_ANNASSIGN ? s->AnnAssign.target
                        : s->kind == AST_ASSIGN && s->Assign.targets.n == 1
                            ? s->Assign.targets.items[0]
                            : NULL;
        if (t && t->kind == AST_NAME && t->Name.id[0] != '_') VEC_PUSH(v, t->Name.id);
    }
    m->info[cls].attrs = VEC_FREEZE(a, v);
    m->info[cls].nattrs = v.n;
    VEC_FREE(v);
}

static void models_build(Models *m, const CallGraph *cg, Arena *a)
{
    const SymTable *st = cg->st;
    m->cg = cg;
    m->info = ARENA_ARRAY(a, ClassInfo, st->nclasses + 1);
    for (uint32_t i = 0; i < st->nclasses; i++) {
        class_rels(m, (int32_t)i, a);
        class_attrs(m, (int32_t)i, a);
    }
    bool any = false, expiring = false;
    for (uint32_t f = 0; f < st->nfiles; f++)
        for (uint32_t i = 0; st->facts[f] && i < st->facts[f]->nsessionmakers; i++) {
            const FxSessionmaker *sm = &st->facts[f]->sessionmakers[i];
            any = true;
            expiring |= sm->expire_on_commit != 0;
        }
    m->any_expire = !any || expiring;
}

static bool is_mapped(const Models *m, int32_t cls)
{
    return cls >= 0 && sym_class_facts(m->cg->st, cls)->is_mapped;
}

static const Rel *rel_of(const Models *m, int32_t cls, const char *name)
{
    const SymClass *c = &m->cg->st->classes[cls];
    for (uint32_t k = 0; k < c->nmro; k++) {
        const ClassInfo *ci = &m->info[c->mro[k]];
        for (uint32_t i = 0; i < ci->nrels; i++)
            if (strcmp(ci->rels[i].name, name) == 0) return &ci->rels[i];
    }
    return NULL;
}

static bool mapped_attr(const Models *m, int32_t cls, const char *name)
{
    const SymClass *c = &m->cg->st->classes[cls];
    for (uint32_t k = 0; k < c->nmro; k++) {
        const ClassInfo *ci = &m->info[c->mro[k]];
        for (uint32_t i = 0; i < ci->nattrs; i++)
            if (strcmp(ci->attrs[i], name) == 0) return true;
    }
    return false;
}

/* ---- per-function state -------------------------------------------------------------------- */

typedef enum { O_LOAD, O_ELEM, O_PARAM, O_CALL, O_NEW } Origin;

typedef struct Obj {
    const char *var;
    int32_t cls;
    bool is_list;
    int32_t sess;    /* index into the function's sessions, or -1 */
    uint8_t origin;  /* Origin */
    uint32_t line;   /* where it was loaded */
    NameVec eager;   /* relationships loaded eagerly (heap; freed with the function) */
    NameVec touched; /* relationships already read (loaded by then) */
    bool expired, expunged;
    const char *expired_by; /* "`session.commit()` (line N)" or the provider's commit */
    bool said303, said304;
} Obj;

typedef struct Sess {
    const char *var; /* "session", "self.session" */
    uint32_t start;  /* the with statement's span start, or UINT32_MAX */
    bool expire;     /* commit() expires the objects */
    bool commits_on_exit;
    bool closed;
    const char *provider;
    uint32_t close_line;
} Sess;

typedef struct StmtVar {
    const char *var;
    int32_t cls;
    NameVec eager;
} StmtVar;

typedef Vec(Obj) ObjVec;
typedef Vec(Sess) SessVec;
typedef Vec(StmtVar) StmtVec;

typedef struct Fn {
    const Models *m;
    const CallGraph *cg;
    const FindingSite *site;
    uint32_t file;
    int32_t fi, id;
    const FxFunc *f;
    Source *src;
    ObjVec objs;
    SessVec sess;
    StmtVec stmts;
    NameVec bound; /* locals built from a session: `repo = RunRepository(session)` */
    FindingList *out;
} Fn;

static int32_t find_obj(const Fn *fn, const char *var)
{
    for (uint32_t i = fn->objs.n; i-- > 0;)
        if (fn->objs.items[i].var && strcmp(fn->objs.items[i].var, var) == 0) return (int32_t)i;
    return -1;
}

static int32_t find_sess(const Fn *fn, const char *var)
{
    for (uint32_t i = fn->sess.n; i-- > 0;)
        if (strcmp(fn->sess.items[i].var, var) == 0) return (int32_t)i;
    return -1;
}

static void drop_obj(Fn *fn, uint32_t i)
{
    VEC_FREE(fn->objs.items[i].eager);
    VEC_FREE(fn->objs.items[i].touched);
    fn->objs.items[i].var = NULL;
}

static void truncate_objs(Fn *fn, uint32_t n)
{
    while (fn->objs.n > n)
        drop_obj(fn, --fn->objs.n);
}

static bool has_name(const NameVec *v, const char *name)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (strcmp(v->items[i], name) == 0) return true;
    return false;
}

static uint32_t line_of(const Fn *fn, const Node *n)
{
    return source_linecol(fn->src, n->span.start).line;
}

/* ---- sessions of the function -------------------------------------------------------------- */

/* The sessionmaker behind a provider function: one of its class (self.X = sessionmaker()), else
 * one at module level of its file; its expire_on_commit, or -2 when none is found. */
static int provider_expire(const CallGraph *cg, int32_t prov)
{
    const SymTable *st = cg->st;
    uint32_t file = st->func_file[prov];
    const FileFacts *ff = st->facts[file];
    const FxFunc *pf = sym_func(st, prov);
    int found = -2;
    for (uint32_t i = 0; i < ff->nsessionmakers; i++) {
        const FxSessionmaker *sm = &ff->sessionmakers[i];
        bool same_class =
            sm->loc.func >= 0 && ff->funcs[sm->loc.func].cls == pf->cls && pf->cls >= 0;
        if (same_class) return sm->expire_on_commit;
        if (sm->loc.func < 0 && found == -2) found = sm->expire_on_commit;
    }
    return found;
}

static bool commits_on_exit(const CallGraph *cg, int32_t prov)
{
    const SymTable *st = cg->st;
    uint32_t file = st->func_file[prov];
    const FileFacts *ff = st->facts[file];
    int32_t fi = prov - (int32_t)st->func_base[file];
    for (uint32_t i = 0; i < ff->nsession_ops; i++)
        if (ff->session_ops[i].loc.func == fi && strcmp(ff->session_ops[i].op, "commit") == 0)
            return true;
    return false;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void add_session(Fn *fn, const FxSession *s)
{
    Sess ss = {s->var,
               s->in_with ? s->block.start : UINT32_MAX,
               fn->m->any_expire,
               false,
               false,
               s->provider,
               0};
    if (s->node && s->node->kind == AST_CALL && s->form != FX_ACQ_PARAM) {
        SymVal p = cg_eval(fn->cg, fn->file, fn->id, s->node->Call.func);
        if (p.kind == SV_FUNC) {
            int e = provider_expire(fn->cg, p.id);
            if (e != -2) ss.expire = e != 0;
            ss.commits_on_exit = s->in_with && commits_on_exit(fn->cg, p.id);
        }
    }
    if (s->form == FX_ACQ_SESSION_CTOR) ss.expire = true;
    VEC_PUSH(fn->sess, ss);
}

static void collect_sessions(Fn *fn)
{
    const FileFacts *ff = fn->cg->st->facts[fn->file];
    for (uint32_t i = 0; i < ff->nsessions; i++) {
        const FxSession *s = &ff->sessions[i];
        if (s->loc.func == fn->fi && s->var && s->form != FX_ACQ_NO_WITH) add_session(fn, s);
    }
}

static int32_t session_of_expr(const Fn *fn, const Node *e)
{
    if (!e || (e->kind != AST_NAME && e->kind != AST_ATTRIBUTE)) return -1;
    const char *d = nm_dotted(e, fn->cg->arena);
    return d ? find_sess(fn, d) : -1;
}

/* The innermost open `with` session whose block contains offset pos, or -1. */
static int32_t enclosing_session(const Fn *fn, uint32_t pos)
{
    const FileFacts *ff = fn->cg->st->facts[fn->file];
    int32_t best = -1;
    uint32_t best_start = 0;
    for (uint32_t i = 0; i < ff->nsessions; i++) {
        const FxSession *s = &ff->sessions[i];
        if (s->loc.func != fn->fi || !s->in_with || !s->var) continue;
        if (pos < s->block.start || pos >= s->block.end || s->block.start < best_start) continue;
        int32_t k = find_sess(fn, s->var);
        if (k >= 0 && !fn->sess.items[k].closed) best = k, best_start = s->block.start;
    }
    return best;
}

/* ---- what a value is ----------------------------------------------------------------------- */

typedef struct Step {
    const char *method; /* NULL: a plain call such as select(...) */
    const Node *call;
} Step;

static uint32_t decompose(const Node *e, Step *steps, const Node **base)
{
    uint32_t n = 0;
    while (e && n < STEPS_MAX) {
        if (e->kind == AST_AWAIT) {
            e = e->Await.value;
            continue;
        }
        if (e->kind != AST_CALL) break;
        const Node *f = e->Call.func;
        if (f->kind == AST_ATTRIBUTE) {
            steps[n++] = (Step){f->Attribute.attr, e};
            e = f->Attribute.value;
        } else {
            steps[n++] = (Step){NULL, e};
            e = f;
            break;
        }
    }
    *base = e;
    return n;
}

typedef struct Value {
    int32_t cls; /* mapped class id, or -1: not an ORM object */
    bool is_list;
    int32_t sess;
    uint8_t origin;
    NameVec eager; /* heap, moved into the Obj */
} Value;

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void eager_names(const Node *e, NameVec *out, int depth)
{
    if (!e || depth > 16) return;
    if (e->kind == AST_ATTRIBUTE) {
        VEC_PUSH(*out, e->Attribute.attr);
        eager_names(e->Attribute.value, out, depth + 1);
    } else if (e->kind == AST_CALL) {
        eager_names(e->Call.func, out, depth + 1);
        for (uint32_t i = 0; i < e->Call.args.n; i++)
            eager_names(e->Call.args.items[i], out, depth + 1);
    } else if (e->kind == AST_LIST || e->kind == AST_TUPLE) {
        const NodeList *l = e->kind == AST_LIST ? &e->List.elts : &e->Tuple.elts;
        for (uint32_t i = 0; i < l->n; i++)
            eager_names(l->items[i], out, depth + 1);
    }
}

static void options_of(const Step *steps, uint32_t n, NameVec *eager)
{
    for (uint32_t i = 0; i < n; i++)
        if (steps[i].method && strcmp(steps[i].method, "options") == 0)
            eager_names(steps[i].call, eager, 0);
}

static const Node *arg0(const Node *call)
{
    return call->Call.args.n ? call->Call.args.items[0] : NULL;
}

static int32_t model_of(const Fn *fn, const Node *e)
{
    if (!e) return -1;
    SymVal v = cg_eval(fn->cg, fn->file, fn->id, e);
    return v.kind == SV_CLASS && is_mapped(fn->m, v.id) ? v.id : -1;
}

static const char *const singles[] = {"first", "one", "one_or_none", "get", NULL};

/* steps[0..k) are the methods applied after the loading call (the last one right after it):
 * 1 one object, 2 an iterable of objects, 0 nothing usable (rows, a count). entities: the rows
 * are entities already (a Query of one model, `session.scalars()`). */
static int shape(const Step *steps, uint32_t k, bool entities)
{
    bool ent = entities;
    for (uint32_t i = k; i-- > 0;) {
        const char *m = steps[i].method;
        if (!m) return 0;
        if (strcmp(m, "scalars") == 0) {
            ent = true;
            continue;
        }
        if (strncmp(m, "scalar", 6) == 0) return 1;
        if (nm_in_set(m, singles)) return ent ? 1 : 0;
        if (strcmp(m, "all") == 0) return ent ? 2 : 0;
    }
    return ent ? 2 : 0;
}

/* select(Model)... as a statement: its entity and eager options. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static int32_t statement(const Fn *fn, const Node *e, NameVec *eager)
{
    if (!e) return -1;
    if (e->kind == AST_NAME) {
        for (uint32_t i = fn->stmts.n; i-- > 0;)
            if (strcmp(fn->stmts.items[i].var, e->Name.id) == 0) {
                for (uint32_t k = 0; k < fn->stmts.items[i].eager.n; k++)
                    VEC_PUSH(*eager, fn->stmts.items[i].eager.items[k]);
                return fn->stmts.items[i].cls;
            }
        return -1;
    }
    Step steps[STEPS_MAX];
    const Node *base;
    uint32_t n = decompose(e, steps, &base);
    if (n == 0 || steps[n - 1].method || base->kind != AST_NAME ||
        strcmp(base->Name.id, "select") != 0)
        return -1;
    options_of(steps, n, eager);
    return model_of(fn, arg0(steps[n - 1].call));
}

/* The root call of a loading chain on a session: Query, get, execute/scalars/scalar. */
static void load_value(const Fn *fn, const Step *steps, uint32_t n, int32_t sess, Value *v)
{
    const Step *root = &steps[n - 1];
    const char *m = root->method;
    v->sess = sess;
    v->origin = O_LOAD;
    if (strcmp(m, "get") == 0 && n == 1) {
        v->cls = model_of(fn, arg0(root->call));
        for (uint32_t i = 0; i < root->call->Call.keywords.n; i++) {
            const Node *k = root->call->Call.keywords.items[i];
            if (k->keyword.arg && strcmp(k->keyword.arg, "options") == 0)
                eager_names(k->keyword.value, &v->eager, 0);
        }
    } else if (strcmp(m, "query") == 0 && root->call->Call.args.n == 1) {
        v->cls = model_of(fn, arg0(root->call));
        options_of(steps, n, &v->eager);
        int s = shape(steps, n - 1, true);
        if (s == 0) v->cls = -1;
        v->is_list = s == 2;
        if (n > 1 && nm_in_set(steps[0].method,
                               (const char *const[]){"count", "delete", "update", "exists", NULL}))
            v->cls = -1;
    } else if (nm_in_set(m, (const char *const[]){"execute", "scalars", "scalar", NULL})) {
        v->cls = statement(fn, arg0(root->call), &v->eager);
        int s = strcmp(m, "scalar") == 0 ? 1 : shape(steps, n - 1, strcmp(m, "scalars") == 0);
        if (s == 0) v->cls = -1;
        v->is_list = s == 2;
    }
}

static bool mentions(const Node *e, const char *var, int depth);

static bool mentions_list(const NodeList *l, const char *var, int depth)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (mentions(l->items[i], var, depth + 1)) return true;
    return false;
}

/* Whether expression e uses the name var (a session), shallowly. */
static bool mentions(const Node *e, const char *var, int depth)
{
    if (!e || depth > 12) return false;
    switch ((AstKind)e->kind) {
        case AST_NAME: return strcmp(e->Name.id, var) == 0;
        case AST_ATTRIBUTE: return mentions(e->Attribute.value, var, depth + 1);
        case AST_CALL:
            if (mentions(e->Call.func, var, depth + 1) || mentions_list(&e->Call.args, var, depth))
                return true;
            for (uint32_t i = 0; i < e->Call.keywords.n; i++)
                if (mentions(e->Call.keywords.items[i]->keyword.value, var, depth + 1)) return true;
            return false;
        case AST_AWAIT: return mentions(e->Await.value, var, depth + 1);
        default: return false;
    }
}

/* The session a call result belongs to: one the expression names, directly or through a local
 * built from it (`repo = RunRepository(session)`; `repo.add(...)`). */
static int32_t session_named(const Fn *fn, const Node *e)
{
    for (uint32_t i = 0; i < fn->sess.n; i++)
        if (!strchr(fn->sess.items[i].var, '.') && mentions(e, fn->sess.items[i].var, 0))
            return (int32_t)i;
    for (uint32_t i = 0; i < fn->bound.n; i++)
        if (mentions(e, fn->bound.items[i], 0)) return enclosing_session(fn, e->span.start);
    return -1;
}

static void classify(const Fn *fn, const Node *e, Value *v)
{
    v->cls = -1, v->is_list = false, v->sess = -1, v->origin = O_CALL;
    Step steps[STEPS_MAX];
    const Node *base;
    uint32_t n = decompose(e, steps, &base);
    if (n == 0) return;
    int32_t sess = steps[n - 1].method ? session_of_expr(fn, base) : -1;
    if (sess >= 0) {
        load_value(fn, steps, n, sess, v);
        return;
    }
    SymVal t = cg_eval(fn->cg, fn->file, fn->id, e);
    if (t.kind != SV_INSTANCE || !is_mapped(fn->m, t.id)) return;
    v->cls = t.id;
    bool ctor = n == 1 && !steps[0].method;
    v->origin = ctor ? O_NEW : O_CALL;
    v->sess = ctor ? -1 : session_named(fn, e);
}

/* ---- findings ------------------------------------------------------------------------------ */

static const char *origin_words(uint8_t o)
{
    switch (o) {
        case O_LOAD: return "loaded as";
        case O_ELEM: return "an element of a query for";
        case O_PARAM: return "a parameter annotated";
        default: return "returned as";
    }
}

static void say302(Fn *fn, const Node *read, const Obj *o, const Rel *r)
{
    const char *cls = sym_class_facts(fn->cg->st, o->cls)->name;
    finding_add(fn->out, fn->site, "SA302", read->span, fn->f->qualname,
                "lazy relationship `%s.%s` read on `%s` (%s `%s`, line %u) without an eager-load "
                "option: under asyncio the lazy load raises MissingGreenlet; add "
                "`selectinload(%s.%s)` to its query or read `await %s.awaitable_attrs.%s`",
                cls, r->name, o->var, origin_words(o->origin), cls, o->line, cls, r->name, o->var,
                r->name)
        ->fix = FIX_MANUAL;
}

static void say303(Fn *fn, const Node *read, Obj *o)
{
    finding_add(fn->out, fn->site, "SA303", read->span, fn->f->qualname,
                "`%s.%s` read after %s expired `%s` (expire_on_commit=True): the read reloads it "
                "with implicit IO, which raises MissingGreenlet under asyncio; read it before the "
                "commit, `refresh()` it, or set `expire_on_commit=False`",
                o->var, read->Attribute.attr, o->expired_by, o->var)
        ->fix = FIX_MANUAL;
    o->said303 = true;
}

static void say304(Fn *fn, const Node *read, Obj *o, const Rel *lazy)
{
    const Sess *s = &fn->sess.items[o->sess];
    if (lazy)
        finding_add(fn->out, fn->site, "SA304", read->span, fn->f->qualname,
                    "lazy relationship `%s.%s` read after `%s`'s session block closed (line %u): "
                    "the detached object cannot load it (DetachedInstanceError); load it eagerly "
                    "or read it inside the block",
                    o->var, read->Attribute.attr, o->var, s->close_line)
            ->fix = FIX_MANUAL;
    else
        finding_add(fn->out, fn->site, "SA304", read->span, fn->f->qualname,
                    "`%s.%s` read after `%s`'s session block closed (line %u), and %s expired it: "
                    "the detached object cannot reload (DetachedInstanceError); copy what is "
                    "needed inside the block or refresh before it closes",
                    o->var, read->Attribute.attr, o->var, s->close_line, o->expired_by)
            ->fix = FIX_MANUAL;
    o->said304 = true;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void judge_read(Fn *fn, const Node *read, Obj *o)
{
    const char *attr = read->Attribute.attr;
    const Rel *r = rel_of(fn->m, o->cls, attr);
    if (!r && !mapped_attr(fn->m, o->cls, attr)) return;
    bool closed = o->sess >= 0 && fn->sess.items[o->sess].closed;
    bool lazy = r && r->lazy && !has_name(&o->eager, attr) && !has_name(&o->touched, attr);
    if (r) VEC_PUSH(o->touched, attr);
    if (closed && !o->said304 && ((lazy && o->origin != O_NEW) || o->expired)) {
        say304(fn, read, o, lazy && o->origin != O_NEW ? r : NULL);
        return;
    }
    if (closed) return;
    if (lazy && (o->origin == O_LOAD || o->origin == O_ELEM || o->origin == O_PARAM)) {
        say302(fn, read, o, r);
        return;
    }
    if (o->expired && !o->said303 && o->sess >= 0) say303(fn, read, o);
}

/* ---- events -------------------------------------------------------------------------------- */

static void commit(Fn *fn, int32_t s, const Node *call)
{
    if (!fn->sess.items[s].expire) return;
    char *by = arena_alloc(fn->cg->arena, 96 + strlen(fn->sess.items[s].var));
    snprintf(by, 96 + strlen(fn->sess.items[s].var), "`%s.commit()` (line %u)",
             fn->sess.items[s].var, line_of(fn, call));
    for (uint32_t i = 0; i < fn->objs.n; i++) {
        Obj *o = &fn->objs.items[i];
        if (o->var && o->sess == s && !o->expunged) o->expired = true, o->expired_by = by;
    }
}

static void close_session(Fn *fn, int32_t s, uint32_t line)
{
    Sess *ss = &fn->sess.items[s];
    ss->closed = true;
    ss->close_line = line;
    if (!ss->commits_on_exit || !ss->expire) return;
    char *by = arena_alloc(fn->cg->arena, 64 + strlen(ss->provider));
    snprintf(by, 64 + strlen(ss->provider), "the commit of `%s()` on exit", ss->provider);
    for (uint32_t i = 0; i < fn->objs.n; i++) {
        Obj *o = &fn->objs.items[i];
        if (o->var && o->sess == s && !o->expunged && !o->expired)
            o->expired = true, o->expired_by = by;
    }
}

static Obj *obj_arg(Fn *fn, const Node *call)
{
    const Node *a = arg0(call);
    int32_t k = a && a->kind == AST_NAME ? find_obj(fn, a->Name.id) : -1;
    return k >= 0 ? &fn->objs.items[k] : NULL;
}

static void session_call(Fn *fn, const Node *call)
{
    const Node *f = call->Call.func;
    if (f->kind != AST_ATTRIBUTE) return;
    int32_t s = session_of_expr(fn, f->Attribute.value);
    if (s < 0) return;
    const char *m = f->Attribute.attr;
    Obj *o = obj_arg(fn, call);
    if (strcmp(m, "commit") == 0) commit(fn, s, call);
    if (strcmp(m, "close") == 0) close_session(fn, s, line_of(fn, call));
    if (!o) return;
    if (strcmp(m, "refresh") == 0) o->expired = false;
    if (strcmp(m, "expunge") == 0) o->expunged = true;
    if (strcmp(m, "add") == 0 || strcmp(m, "merge") == 0) o->sess = s;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void bind_value(Fn *fn, const char *var, Value *v, uint32_t line)
{
    int32_t k = find_obj(fn, var);
    if (k >= 0) drop_obj(fn, (uint32_t)k);
    if (v->cls < 0) {
        VEC_FREE(v->eager);
        return;
    }
    Obj o = {0};
    o.var = var, o.cls = v->cls, o.is_list = v->is_list, o.sess = v->sess;
    o.origin = v->origin, o.line = line, o.eager = v->eager;
    VEC_PUSH(fn->objs, o);
}

/* `stmt = select(Model)...`, kept for a later session.execute(stmt). */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void track_statement(Fn *fn, const char *var, const Node *value)
{
    StmtVar sv = {var, -1, {0}};
    sv.cls = statement(fn, value, &sv.eager);
    if (sv.cls < 0) {
        VEC_FREE(sv.eager);
        return;
    }
    VEC_PUSH(fn->stmts, sv);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void assign(Fn *fn, const Node *target, const Node *value)
{
    if (!target || target->kind != AST_NAME) return;
    const char *var = target->Name.id;
    Value v = {0};
    classify(fn, value, &v);
    bind_value(fn, var, &v, line_of(fn, value));
    if (v.cls < 0) track_statement(fn, var, value);
    if (v.cls < 0 && session_named(fn, value) >= 0) VEC_PUSH(fn->bound, var);
}

/* The element of an iterable: a list object, a Query/select chain, a collection relationship. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void elem_of(Fn *fn, const Node *iter, Value *v)
{
    v->cls = -1;
    if (iter->kind == AST_NAME) {
        int32_t k = find_obj(fn, iter->Name.id);
        const Obj *o = k >= 0 ? &fn->objs.items[k] : NULL;
        if (!o || !o->is_list) return;
        *v = (Value){o->cls, false, o->sess, O_ELEM, {0}};
        for (uint32_t i = 0; i < o->eager.n; i++)
            VEC_PUSH(v->eager, o->eager.items[i]);
        return;
    }
    if (iter->kind == AST_ATTRIBUTE && iter->Attribute.value->kind == AST_NAME) {
        int32_t k = find_obj(fn, iter->Attribute.value->Name.id);
        const Obj *o = k >= 0 ? &fn->objs.items[k] : NULL;
        const Rel *r = o && !o->is_list ? rel_of(fn->m, o->cls, iter->Attribute.attr) : NULL;
        if (r && is_mapped(fn->m, r->target)) *v = (Value){r->target, false, o->sess, O_ELEM, {0}};
        return;
    }
    classify(fn, iter, v);
    if (v->cls >= 0 && (v->origin == O_LOAD) && v->is_list) {
        v->is_list = false;
        v->origin = O_ELEM;
    } else if (v->cls >= 0) {
        VEC_FREE(v->eager);
        v->cls = -1;
    }
}

static void bind_elem(Fn *fn, const Node *target, const Node *iter)
{
    if (!target || target->kind != AST_NAME) return;
    Value v = {0};
    elem_of(fn, iter, &v);
    bind_value(fn, target->Name.id, &v, line_of(fn, iter));
}

/* ---- the walk ------------------------------------------------------------------------------ */

static void visit(Fn *fn, const Node *n);

static void visit_child(Node *n, void *ud)
{
    visit(ud, n);
}

static void visit_list(Fn *fn, const NodeList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        visit(fn, l->items[i]);
}

static void visit_attribute(Fn *fn, const Node *e)
{
    const Node *v = e->Attribute.value;
    if (e->Attribute.ctx == CTX_LOAD && v->kind == AST_NAME) {
        int32_t k = find_obj(fn, v->Name.id);
        Obj *o = k >= 0 && fn->objs.items ? &fn->objs.items[k] : NULL;
        if (o && !o->is_list) judge_read(fn, e, o);
    }
    visit(fn, v);
}

static void visit_comp(Fn *fn, const NodeList *gens, const Node *elt, const Node *elt2)
{
    uint32_t saved = fn->objs.n;
    for (uint32_t i = 0; i < gens->n; i++) {
        const Node *g = gens->items[i];
        visit(fn, g->comprehension.iter);
        bind_elem(fn, g->comprehension.target, g->comprehension.iter);
        visit_list(fn, &g->comprehension.ifs);
    }
    visit(fn, elt);
    visit(fn, elt2);
    truncate_objs(fn, saved);
}

static void visit_with(Fn *fn, const Node *s)
{
    const NodeList *items = s->kind == AST_WITH ? &s->With.items : &s->AsyncWith.items;
    for (uint32_t i = 0; i < items->n; i++)
        visit(fn, items->items[i]->withitem.context_expr);
    visit_list(fn, s->kind == AST_WITH ? &s->With.body : &s->AsyncWith.body);
    uint32_t end_line = source_linecol(fn->src, s->span.end ? s->span.end - 1 : 0).line;
    for (uint32_t i = 0; i < fn->sess.n; i++)
        if (fn->sess.items[i].start == s->span.start) close_session(fn, (int32_t)i, end_line);
}

static void visit_assign(Fn *fn, const Node *s)
{
    visit(fn, s->Assign.value);
    for (uint32_t i = 0; i < s->Assign.targets.n; i++) {
        const Node *t = s->Assign.targets.items[i];
        if (t->kind == AST_NAME)
            assign(fn, t, s->Assign.value);
        else
            visit(fn, t);
    }
}

static void visit_for(Fn *fn, const Node *s)
{
    bool async = s->kind == AST_ASYNCFOR;
    const Node *iter = async ? s->AsyncFor.iter : s->For.iter;
    visit(fn, iter);
    bind_elem(fn, async ? s->AsyncFor.target : s->For.target, iter);
    visit_list(fn, async ? &s->AsyncFor.body : &s->For.body);
    visit_list(fn, async ? &s->AsyncFor.orelse : &s->For.orelse);
}

// NOLINTNEXTLINE(readability-function-size): a flat dispatch over node kinds
static void visit(Fn *fn, const Node *n)
{
    if (!n) return;
    switch ((AstKind)n->kind) {
        case AST_FUNCTIONDEF:
        case AST_ASYNCFUNCTIONDEF:
        case AST_CLASSDEF:
        case AST_LAMBDA: return;
        case AST_WITH:
        case AST_ASYNCWITH: visit_with(fn, n); return;
        case AST_ASSIGN: visit_assign(fn, n); return;
        case AST_FOR:
        case AST_ASYNCFOR: visit_for(fn, n); return;
        case AST_ATTRIBUTE: visit_attribute(fn, n); return;
        case AST_LISTCOMP: visit_comp(fn, &n->ListComp.generators, n->ListComp.elt, NULL); return;
        case AST_SETCOMP: visit_comp(fn, &n->SetComp.generators, n->SetComp.elt, NULL); return;
        case AST_GENERATOREXP:
            visit_comp(fn, &n->GeneratorExp.generators, n->GeneratorExp.elt, NULL);
            return;
        case AST_DICTCOMP:
            visit_comp(fn, &n->DictComp.generators, n->DictComp.key, n->DictComp.value);
            return;
        case AST_CALL:
            ast_children(n, visit_child, fn);
            session_call(fn, n);
            return;
        default: ast_children(n, visit_child, fn); return;
    }
}

/* ---- per function -------------------------------------------------------------------------- */

static void bind_params(Fn *fn)
{
    for (uint32_t i = 0; i < fn->f->nparams; i++) {
        const FxParam *p = &fn->f->params[i];
        if (!p->type || (i == 0 && fn->f->is_method)) continue;
        SymRef r = sym_resolve_text(fn->cg->st, fn->file, p->type);
        if (r.kind != SR_CLASS || !is_mapped(fn->m, r.id)) continue;
        Value v = {r.id, false, -1, O_PARAM, {0}};
        bind_value(fn, p->name, &v, fn->f->loc.line);
    }
}

static void fn_free(Fn *fn)
{
    truncate_objs(fn, 0);
    VEC_FREE(fn->objs);
    VEC_FREE(fn->sess);
    for (uint32_t i = 0; i < fn->stmts.n; i++)
        VEC_FREE(fn->stmts.items[i].eager);
    VEC_FREE(fn->stmts);
    VEC_FREE(fn->bound);
}

static void one_function(const Models *m, const FindingSite *site, uint32_t file, int32_t fi,
                         FindingList *out)
{
    const CallGraph *cg = m->cg;
    Fn fn = {0};
    fn.m = m, fn.cg = cg, fn.site = site, fn.file = file, fn.fi = fi, fn.out = out;
    fn.id = sym_func_id(cg->st, file, fi);
    fn.f = cg_func(cg, (uint32_t)fn.id);
    fn.src = site->src;
    collect_sessions(&fn);
    bind_params(&fn);
    if (fn.sess.n || fn.objs.n) {
        const Node *d = fn.f->node;
        visit_list(&fn,
                   d->kind == AST_FUNCTIONDEF ? &d->FunctionDef.body : &d->AsyncFunctionDef.body);
    }
    fn_free(&fn);
}

/* ---- refresh-then-expunge ------------------------------------------------------------------ */

static const char *op_arg(const FxSessionOp *o)
{
    const Node *a = o->call && o->call->kind == AST_CALL ? arg0(o->call) : NULL;
    return a && a->kind == AST_NAME ? a->Name.id : NULL;
}

typedef Vec(GrRef) RefVec;

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void idioms_file(const CallGraph *cg, uint32_t file, RefVec *v)
{
    const FileFacts *ff = cg->st->facts[file];
    for (uint32_t i = 0; i < ff->nsession_ops; i++) {
        const FxSessionOp *r = &ff->session_ops[i];
        const char *x = op_arg(r);
        if (strcmp(r->op, "refresh") != 0 || !x) continue;
        for (uint32_t k = i + 1; k < ff->nsession_ops; k++) {
            const FxSessionOp *e = &ff->session_ops[k];
            if (e->loc.func != r->loc.func) continue;
            const char *y = op_arg(e);
            if (strcmp(e->op, "refresh") == 0 && y && strcmp(x, y) == 0) break;
            if (strcmp(e->op, "expunge") != 0 || !y || strcmp(x, y) != 0) continue;
            GrRef g = {cg->st->prog->files[file].path, r->loc.line, facts_qualname(ff, r->loc.func),
                       NULL};
            VEC_PUSH(*v, g);
            break;
        }
    }
}

void rule_loading_graph(const CallGraph *cg, const FindingSite *sites, FindingList *out,
                        GraphSummary *sum, Arena *a)
{
    Models m;
    models_build(&m, cg, a);
    RefVec idioms = {0};
    for (uint32_t f = 0; f < cg->st->nfiles; f++) {
        const FileFacts *ff = cg->st->facts[f];
        if (!ff || !sites[f].src) continue;
        for (uint32_t i = 0; i < ff->nfuncs; i++)
            one_function(&m, &sites[f], f, (int32_t)i, out);
        idioms_file(cg, f, &idioms);
    }
    sum->idioms = VEC_FREEZE(a, idioms);
    sum->nidioms = idioms.n;
    VEC_FREE(idioms);
}
