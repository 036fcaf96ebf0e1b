/* infra: SA4xx infrastructure rules. Per file: SA401 sync engine, SA402 sync sessionmaker,
 * SA403 declarative base without AsyncAttrs, SA404 sync Alembic env.py, SA405 pool settings,
 * SA409 thread-pool worker. Per project: SA406 greenlet, SA407 sync database fixtures, SA408
 * database tests without asyncio support. */
#include <string.h>

#include "../base/buf.h"
#include "../model/names.h"
#include "rules.h"

static const char *const pool_args[] = {"pool_size",     "max_overflow",         "pool_timeout",
                                        "pool_recycle",  "pool_pre_ping",        "poolclass",
                                        "pool_use_lifo", "pool_reset_on_return", NULL};

static bool is_pool_arg(const char *k)
{
    for (int i = 0; pool_args[i]; i++)
        if (strcmp(k, pool_args[i]) == 0) return true;
    return false;
}

static void engines(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nengines; i++) {
        const FxEngine *e = &ff->engines[i];
        const char *qual = facts_qualname(ff, e->loc.func);
        const char *fn = e->form == FX_ENGINE_FROM_CONFIG ? "engine_from_config" : "create_engine";
        if (e->mode == FX_SYNC && !ff->alembic.is_env) {
            Finding *f = finding_add(out, site, "SA401", e->loc.span, qual,
                                     "sync engine `%s()`%s%s%s; async sessions need "
                                     "`create_async_engine()` with an async driver",
                                     fn, e->target ? " for `" : "", e->target ? e->target : "",
                                     e->target ? "`" : "");
            f->fix = FIX_MANUAL;
        }
        if (!e->has_pool_args || ff->alembic.is_env)
            continue; /* migrations run once: env.py's pool (NullPool) does not matter */
        Buf b;
        buf_init(&b);
        for (uint32_t k = 0; k < e->nkwargs; k++) {
            if (!is_pool_arg(e->kwargs[k].name)) continue;
            buf_printf(&b, "%s%s=%s", b.len ? ", " : "", e->kwargs[k].name, e->kwargs[k].value);
        }
        Finding *f = finding_add(out, site, "SA405", e->loc.span, qual,
                                 "engine pool settings to review for async: `%s`", b.data);
        f->fix = FIX_MANUAL;
        buf_free(&b);
    }
}

static void makers(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nsessionmakers; i++) {
        const FxSessionmaker *m = &ff->sessionmakers[i];
        if (m->mode != FX_SYNC) continue;
        Finding *f = finding_add(out, site, "SA402", m->loc.span, facts_qualname(ff, m->loc.func),
                                 "sync `sessionmaker()`%s%s%s; the async factory is "
                                 "`async_sessionmaker(engine, expire_on_commit=False)`",
                                 m->target ? " for `" : "", m->target ? m->target : "",
                                 m->target ? "`" : "");
        f->fix = FIX_MANUAL;
    }
}

static bool base_call_has_async_attrs(const FileFacts *ff, const Node *call)
{
    for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
        const Node *k = call->Call.keywords.items[i];
        if (!k->keyword.arg || strcmp(k->keyword.arg, "cls") != 0) continue;
        const Node *v = k->keyword.value;
        Arena tmp;
        arena_init(&tmp);
        bool yes = false;
        const char *d = nm_dotted(v, &tmp);
        if (d)
            yes = nm_is_sa(nm_resolve(ff->imports, ff->nimports, d, &tmp), "AsyncAttrs") ||
                  strcmp(nm_last(d), "AsyncAttrs") == 0;
        if (v->kind == AST_TUPLE) yes = true; /* cls=(AsyncAttrs, Mixin): checked loosely */
        arena_free(&tmp);
        return yes;
    }
    return false;
}

static void bases(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nclasses; i++) {
        const FxClass *c = &ff->classes[i];
        if (c->base_form == FX_BASE_NONE || c->has_async_attrs) continue;
        Finding *f = finding_add(out, site, "SA403", c->loc.span, facts_qualname(ff, c->loc.func),
                                 "declarative base `%s` lacks the `AsyncAttrs` mixin", c->name);
        f->fix = FIX_SAFE; /* class form only: simple_fix adds the mixin */
    }
    for (uint32_t i = 0; i < ff->nbase_assigns; i++) {
        const FxBaseAssign *b = &ff->base_assigns[i];
        if (base_call_has_async_attrs(ff, b->call)) continue;
        Finding *f = finding_add(out, site, "SA403", b->loc.span, facts_qualname(ff, b->loc.func),
                                 "declarative base `%s` lacks the `AsyncAttrs` mixin", b->name);
        f->fix = FIX_MANUAL;
    }
}

static void alembic(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    const FxAlembic *al = &ff->alembic;
    if (!al->is_env || al->online_is_async || al->uses_async_engine) return;
    if (!al->uses_engine_from_config && al->online_func < 0) return;
    Finding *f = finding_add(out, site, "SA404", al->loc.span, facts_qualname(ff, al->loc.func),
                             "Alembic `env.py` runs migrations on a sync engine%s; use "
                             "`async_engine_from_config` and `connection.run_sync()`, or keep "
                             "migrations sync on purpose",
                             al->uses_engine_from_config ? " (`engine_from_config`)" : "");
    f->fix = FIX_MANUAL;
}

static bool file_uses_db(const FileFacts *ff)
{
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        if (ff->funcs[i].ndb_direct) return true;
    return ff->nqueries || ff->nsession_ops;
}

static void workers(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    bool db = file_uses_db(ff);
    for (uint32_t i = 0; i < ff->noffloads; i++) {
        const FxOffload *o = &ff->offloads[i];
        bool target_db = o->target_func >= 0 && ff->funcs[o->target_func].ndb_direct > 0;
        if (o->kind != FX_OFF_POOL && o->kind != FX_OFF_THREAD) continue;
        if (!db && !target_db) continue;
        const char *qual = facts_qualname(ff, o->loc.func);
        Finding *f;
        if (o->kind == FX_OFF_POOL)
            f = finding_add(out, site, "SA409", o->loc.span, qual,
                            "thread pool%s%s in a module that uses the database: an "
                            "`AsyncSession` cannot be shared across threads; choose an async "
                            "worker or keep it sync (hybrid)",
                            o->max_workers ? " with max_workers=" : "",
                            o->max_workers ? o->max_workers : "");
        else
            f = finding_add(out, site, "SA409", o->loc.span, qual,
                            "`threading.Thread(target=%s)` %s: an `AsyncSession` cannot be "
                            "shared across threads; choose tasks or keep this path sync",
                            o->target ? o->target : "...",
                            target_db ? "runs database work"
                                      : "in a module that uses the database");
        f->fix = FIX_MANUAL;
    }
}

void rule_infra_file(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    engines(ff, site, out);
    makers(ff, site, out);
    bases(ff, site, out);
    alembic(ff, site, out);
    workers(ff, site, out);
}

/* ---- project rules ------------------------------------------------------------------------- */

typedef Vec(const char *) NameVec;

static bool has_name(const NameVec *v, const char *s)
{
    for (uint32_t i = 0; s && i < v->n; i++)
        if (strcmp(v->items[i], s) == 0) return true;
    return false;
}

/* Classes that own an engine, a session factory or a session, or provide sessions: "Class"
 * and "module.Class". Names are allocated in a. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void db_classes(const RuleProject *p, NameVec *out, Arena *a)
{
    for (uint32_t fi = 0; fi < p->n; fi++) {
        const FileFacts *ff = p->facts[fi];
        for (uint32_t c = 0; c < ff->nclasses; c++) {
            bool db = false;
            for (uint32_t k = 0; k < ff->nself_attrs && !db; k++) {
                const FxSelfAttr *s = &ff->self_attrs[k];
                db = s->cls == (int32_t)c && (s->is_engine || s->is_sessionmaker || s->is_session);
            }
            for (uint32_t k = 0; k < ff->nfuncs && !db; k++)
                db = ff->funcs[k].cls == (int32_t)c && ff->funcs[k].is_session_provider;
            if (!db) continue;
            VEC_PUSH(*out, ff->classes[c].name);
            if (p->modules && p->modules[fi])
                VEC_PUSH(*out, nm_join(p->modules[fi], ff->classes[c].qualname, a));
        }
    }
}

/* Does function f touch the database directly or build a database class? */
static bool func_uses_db(const FileFacts *ff, int32_t f, const NameVec *classes)
{
    const FxFunc *fn = &ff->funcs[f];
    if (fn->is_session_provider || fn->ndb_direct) return true;
    for (uint32_t i = 0; i < ff->nengines; i++)
        if (ff->engines[i].loc.func == f) return true;
    for (uint32_t i = 0; i < ff->nsessionmakers; i++)
        if (ff->sessionmakers[i].loc.func == f) return true;
    for (uint32_t i = 0; i < ff->ncalls; i++) {
        const FxCall *c = &ff->calls[i];
        if (c->loc.func != f) continue;
        if (strcmp(c->method, "create_all") == 0 || strcmp(c->method, "drop_all") == 0) return true;
        if (has_name(classes, c->resolved) || (!c->receiver && has_name(classes, c->callee)))
            return true;
    }
    return false;
}

/* The first parameter of f naming a database fixture, or NULL. */
static const char *db_param(const FxFunc *f, const NameVec *fixtures)
{
    for (uint32_t i = 0; i < f->nparams; i++)
        if (has_name(fixtures, f->params[i].name)) return f->params[i].name;
    return NULL;
}

/* Database fixtures by name, to a fixpoint over fixtures requesting other fixtures. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void db_fixtures(const RuleProject *p, const NameVec *classes, NameVec *out)
{
    bool changed = true;
    for (int round = 0; changed && round < 8; round++) {
        changed = false;
        for (uint32_t fi = 0; fi < p->n; fi++) {
            const FileFacts *ff = p->facts[fi];
            for (uint32_t k = 0; k < ff->nfuncs; k++) {
                const FxFunc *f = &ff->funcs[k];
                if (!f->is_fixture || has_name(out, f->name)) continue;
                if (func_uses_db(ff, (int32_t)k, classes) || db_param(f, out)) {
                    VEC_PUSH(*out, f->name);
                    changed = true;
                }
            }
        }
    }
}

static bool has_marker(const FxFunc *f, const char *m)
{
    for (uint32_t i = 0; i < f->nmarkers; i++)
        if (strcmp(f->markers[i], m) == 0) return true;
    return false;
}

/* Only fixtures that set the database up themselves: the ones built on them are SA408's. */
static void fixtures_407(const RuleProject *p, const NameVec *classes, FindingList *out)
{
    for (uint32_t fi = 0; fi < p->n; fi++) {
        const FileFacts *ff = p->facts[fi];
        for (uint32_t k = 0; k < ff->nfuncs; k++) {
            const FxFunc *f = &ff->funcs[k];
            if (!f->is_fixture || f->is_async || !func_uses_db(ff, (int32_t)k, classes)) continue;
            Finding *fd = finding_add(out, &p->sites[fi], "SA407", f->name_span, f->qualname,
                                      "sync fixture `%s` (scope %s) provides the database; async "
                                      "tests need an async fixture",
                                      f->name, f->fixture_scope ? f->fixture_scope : "function");
            fd->fix = FIX_MANUAL;
        }
    }
}

static void tests_408(const RuleProject *p, const NameVec *classes, const NameVec *fixtures,
                      FindingList *out)
{
    bool strict =
        !p->deps || !p->deps->asyncio_mode.mode || strcmp(p->deps->asyncio_mode.mode, "auto") != 0;
    for (uint32_t fi = 0; fi < p->n; fi++) {
        const FileFacts *ff = p->facts[fi];
        for (uint32_t k = 0; k < ff->nfuncs; k++) {
            const FxFunc *f = &ff->funcs[k];
            if (!f->is_test) continue;
            const char *fix = db_param(f, fixtures);
            if (!fix && !func_uses_db(ff, (int32_t)k, classes)) continue;
            bool marked = has_marker(f, "asyncio") || has_marker(f, "anyio");
            Finding *fd = NULL;
            if (!f->is_async)
                fd =
                    finding_add(out, &p->sites[fi], "SA408", f->name_span, f->qualname,
                                "sync test `%s` uses the database%s%s%s; it cannot await an "
                                "async session",
                                f->name, fix ? " (fixture `" : "", fix ? fix : "", fix ? "`)" : "");
            else if (!marked && strict)
                fd = finding_add(out, &p->sites[fi], "SA408", f->name_span, f->qualname,
                                 "async test `%s` has no `@pytest.mark.asyncio` and pytest-asyncio "
                                 "runs in strict mode: it does not run",
                                 f->name);
            if (fd) fd->fix = FIX_MANUAL;
        }
    }
}

static void greenlet_406(const RuleProject *p, FindingList *out)
{
    if (!p->deps) return;
    bool uses = false;
    for (uint32_t fi = 0; fi < p->n && !uses; fi++)
        uses = p->facts[fi]->imports_sqlalchemy;
    const DepDecl *sa = dep_find(p->deps, DEP_SQLALCHEMY);
    const DepDecl *ev = NULL;
    if (!uses || !sa || dep_greenlet_declared(p->deps, &ev)) return;
    FindingSite site = {NULL, sa->file, UINT32_MAX};
    finding_add_line(out, &site, "SA406", sa->line,
                     "`greenlet` is not declared (needed by SQLAlchemy's asyncio "
                     "extension); depend on `sqlalchemy[asyncio]` or `greenlet`");
}

void rule_run_project(const RuleProject *p, FindingList *out)
{
    Arena a;
    arena_init(&a);
    NameVec classes = {0}, fixtures = {0};
    db_classes(p, &classes, &a);
    db_fixtures(p, &classes, &fixtures);
    greenlet_406(p, out);
    fixtures_407(p, &classes, out);
    tests_408(p, &classes, &fixtures, out);
    VEC_FREE(classes);
    VEC_FREE(fixtures);
    arena_free(&a);
}
