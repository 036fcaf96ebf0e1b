/* metrics.c: one pass over each file's facts, then totals, categories, items and groups.
 *
 * A Builder keeps the heap vectors that grow while files are visited: the counts of the file
 * being visited and the evidence of every architecture item. Counting goes through bump() with
 * interned keys; a file's counts are a short list, searched by string before a new key is
 * interned. At the end every vector is sorted and frozen into the Metrics arena. */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/strtab.h"
#include "../base/vec.h"
#include "../model/names.h"
#include "../rules/rules.h"

/* Counts that mean a file still has synchronous database work to migrate. */
static const char *const sync_keys[] = {"sessions.mode.sync",
                                        "sessions.mode.unknown",
                                        "queries",
                                        "providers.sync",
                                        "engines.sync",
                                        "sessionmakers.sync",
                                        "raw_sql.string",
                                        "raw_sql.engine_execute",
                                        "engine_io",
                                        "alembic.env.sync",
                                        "bases.without_async_attrs"};
#define NSYNC_KEYS (sizeof sync_keys / sizeof sync_keys[0])

typedef struct Builder {
    Metrics *m;
    const MetInput *in;
    Vec(MetEvidence) ev[MET_ITEM__COUNT];
    Vec(MetCount) counts; /* of the file being visited */
    uint32_t fi;          /* its index */
    MetFile *mf;
    const FileFacts *ff;
    Str sync_keys[NSYNC_KEYS]; /* interned once */
} Builder;

/* ---- small helpers ------------------------------------------------------------------------- */

static const char *aprintf(Metrics *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *aprintf(Metrics *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = arena_alloc(&m->arena, (size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Adds n to the visited file's count of key (formatted). */
static void bump_n(Builder *b, uint32_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bump_n(Builder *b, uint32_t n, const char *fmt, ...)
{
    char key[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    if (n == 0) return;
    for (uint32_t i = 0; i < b->counts.n; i++) { /* a file's few keys: no interning needed */
        if (strcmp(b->counts.items[i].key, key) == 0) {
            b->counts.items[i].n += n;
            return;
        }
    }
    MetCount c = {str_intern_c(key), n};
    VEC_PUSH(b->counts, c);
}

#define BUMP(b, ...) bump_n((b), 1, __VA_ARGS__)

static void evidence(Builder *b, MetItemKind item, uint32_t line, bool done, const char *text)
{
    MetEvidence e = {b->mf->path, line, done, text};
    VEC_PUSH(b->ev[item], e);
}

/* One line of code for descriptions: white space runs collapsed, backticks turned into quotes,
 * at most max bytes (then "..."). */
static const char *clip(Metrics *m, const char *s, size_t max)
{
    if (!s) return "";
    size_t n = strlen(s), len = 0;
    char *out = arena_alloc(&m->arena, (n < max ? n : max) + 4);
    bool space = false;
    for (size_t i = 0; i < n && len < max; i++) {
        bool ws = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
        if (ws) {
            space = len > 0;
            continue;
        }
        if (space) out[len++] = ' ';
        space = false;
        out[len++] = s[i] == '`' ? '\'' : s[i]; /* backticks delimit code in evidence text */
    }
    if (len >= max) memcpy(out + len, "...", 3), len += 3;
    out[len] = '\0';
    return out;
}

static const char *func_name(const FileFacts *ff, int32_t f)
{
    return f >= 0 && (uint32_t)f < ff->nfuncs ? ff->funcs[f].qualname : NULL;
}

static const char *mode_word(FxMode mode)
{
    return mode == FX_ASYNC ? "async" : mode == FX_SYNC ? "sync" : "unknown-mode";
}

/* ---- database operations ------------------------------------------------------------------- */

static bool is_call_form(FxAcqForm form)
{
    return form == FX_ACQ_WITH || form == FX_ACQ_ASYNC_WITH || form == FX_ACQ_NO_WITH ||
           form == FX_ACQ_SESSION_CTOR || form == FX_ACQ_FACTORY_CALL || form == FX_ACQ_DECORATOR;
}

static void count_sessions(Builder *b)
{
    for (uint32_t i = 0; i < b->ff->nsessions; i++) {
        const FxSession *s = &b->ff->sessions[i];
        BUMP(b, "sessions");
        BUMP(b, "sessions.form.%s", facts_acq_form_name(s->form));
        BUMP(b, "sessions.mode.%s", facts_mode_name(s->mode));
        if (s->conf == FX_CONF_LIKELY) BUMP(b, "sessions.likely");
        if (is_call_form(s->form) && s->provider)
            BUMP(b, "sessions.provider.%s", nm_last(s->provider));
    }
}

/* Is query q left to a person: its facts say so, or its SA101-SA103 finding among the file's
 * findings fidx[0..nf) (sorted by position) is manual, as fix_annotate marks a chain that
 * `sqlasync fix` would leave alone (a Query returned or passed on)? */
static bool manual_query(const Builder *b, const FxQuery *q, const uint32_t *fidx, uint32_t nf)
{
    if (q->manual) return true;
    uint32_t lo = 0, hi = nf;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (b->in->findings[fidx[mid]].span.start < q->loc.span.start)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t i = lo; i < nf; i++) {
        const Finding *f = &b->in->findings[fidx[i]];
        if (f->span.start != q->loc.span.start) break;
        if (f->span.end == q->loc.span.end && rule_is_query_code(f->code) && f->fix == FIX_MANUAL)
            return true;
    }
    return false;
}

static void count_queries(Builder *b, const uint32_t *fidx, uint32_t nf)
{
    for (uint32_t i = 0; i < b->ff->nqueries; i++) {
        const FxQuery *q = &b->ff->queries[i];
        BUMP(b, "queries");
        BUMP(b, "queries.terminal.%s", facts_terminal_name(q->terminal));
        for (uint32_t k = 1; k < q->nmethods; k++)
            BUMP(b, "queries.method.%s", q->methods[k]);
        if (q->multiline) BUMP(b, "queries.multiline");
        if (q->across_statements) BUMP(b, "queries.across_statements");
        if (manual_query(b, q, fidx, nf)) BUMP(b, "queries.manual");
    }
}

static const char *stmt_name(FxStmtKind k)
{
    static const char *const names[] = {"select",  "insert",  "update", "delete",
                                        "execute", "scalars", "scalar", "get"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "other";
}

static void count_statements(Builder *b)
{
    for (uint32_t i = 0; i < b->ff->nstmts; i++) {
        const FxStmt *s = &b->ff->stmts[i];
        BUMP(b, "statements");
        BUMP(b, "statements.%s", stmt_name(s->kind));
        if (s->list_form) BUMP(b, "statements.select_list_form");
    }
    for (uint32_t i = 0; i < b->ff->nsession_ops; i++) {
        const FxSessionOp *o = &b->ff->session_ops[i];
        BUMP(b, "session_ops");
        BUMP(b, "session_ops.%s", o->op);
    }
    static const char *const sql[] = {"text", "string", "engine_execute"};
    for (uint32_t i = 0; i < b->ff->nsqls; i++)
        BUMP(b, "raw_sql.%s", sql[b->ff->sqls[i].kind]);
    for (uint32_t i = 0; i < b->ff->nengine_ios; i++) {
        const FxEngineIo *io = &b->ff->engine_ios[i];
        BUMP(b, "engine_io");
        BUMP(b, "engine_io.%s", io->op);
        const char *fn = facts_qualname(b->ff, io->loc.func);
        evidence(b, MET_ITEM_ENGINE_IO, io->loc.line, false,
                 aprintf(b->m, "`%s.%s()`%s%s%s: sync engine IO", clip(b->m, io->receiver, 80),
                         io->op, *fn ? " in `" : "", fn, *fn ? "`" : ""));
    }
    if (b->ff->imports_select) BUMP(b, "imports.select");
}

/* ---- structure: functions, routes, fixtures, tests, loops ----------------------------------- */

static void route_evidence(Builder *b, const FxFunc *f)
{
    const char *route =
        aprintf(b->m, "%s%s%s", f->route_method ? f->route_method : "",
                f->route_path && *f->route_path ? " " : "", f->route_path ? f->route_path : "");
    const char *how = f->route == FX_ROUTE_FLASK
                          ? (f->is_async ? "async def (Flask)" : "sync def (Flask)")
                      : f->is_async ? "async def"
                                    : "sync def (FastAPI runs it in a threadpool)";
    evidence(b, MET_ITEM_ROUTES, f->loc.line, f->is_async,
             aprintf(b->m, "`%s`: %s, `%s`", f->qualname, how, clip(b->m, route, 100)));
}

static void fixture_and_test(Builder *b, const FxFunc *f)
{
    if (f->is_fixture) {
        BUMP(b, "fixtures.%s", f->is_async ? "async" : "sync");
        const char *scope = f->fixture_scope ? f->fixture_scope : "function";
        evidence(b, MET_ITEM_FIXTURES, f->loc.line, f->is_async,
                 aprintf(b->m, "`%s`: %s fixture, scope %s%s", f->qualname,
                         f->is_async ? "async" : "sync", scope,
                         f->fixture_async_plugin ? " (pytest_asyncio)" : ""));
    }
    if (f->is_test) {
        BUMP(b, "tests.%s", f->is_async ? "async" : "sync");
        bool marked = false;
        for (uint32_t k = 0; k < f->nmarkers; k++)
            marked = marked || strcmp(f->markers[k], "asyncio") == 0 ||
                     strcmp(f->markers[k], "anyio") == 0;
        if (f->is_async && marked) BUMP(b, "tests.async_marked");
        evidence(b, MET_ITEM_TESTS, f->loc.line, f->is_async,
                 aprintf(b->m, "`%s`: %s test%s", f->qualname, f->is_async ? "async" : "sync",
                         f->is_async && !marked ? " without an asyncio marker" : ""));
    }
}

static void loop_evidence(Builder *b, const FxFunc *f, int32_t fi)
{
    const char *started = "";
    for (uint32_t i = 0; i < b->ff->noffloads; i++) {
        const FxOffload *o = &b->ff->offloads[i];
        if (o->kind == FX_OFF_CREATE_TASK && o->target_func == fi)
            started = aprintf(b->m, ", started with `create_task` at line %u", o->loc.line);
    }
    evidence(b, MET_ITEM_LOOPS, f->loop_line, true,
             aprintf(b->m, "`%s`: async def with `while True`%s%s", f->qualname,
                     f->ndb_direct ? aprintf(b->m, ", %u direct database operations in its body",
                                             f->ndb_direct)
                                   : "",
                     started));
}

static void provider_evidence(Builder *b, const FxFunc *f)
{
    BUMP(b, "providers.%s", mode_word(f->provider_mode));
    evidence(b, MET_ITEM_DB_SERVICE, f->loc.line, f->provider_mode == FX_ASYNC,
             aprintf(b->m, "`%s`: yields %s session%s%s%s", f->qualname,
                     f->provider_mode == FX_ASYNC  ? "an async"
                     : f->provider_mode == FX_SYNC ? "a sync"
                                                   : "a",
                     f->provider_expr ? " (`" : "", clip(b->m, f->provider_expr, 60),
                     f->provider_expr ? "`)" : ""));
}

static void service_evidence(Builder *b, const FxFunc *f)
{
    if (b->mf->cat != FCAT_SERVICES) return;
    if (f->is_async)
        evidence(b, MET_ITEM_SERVICES, f->loc.line, true,
                 aprintf(b->m, "`%s`: async def%s", f->qualname,
                         f->ndb_direct
                             ? aprintf(b->m, ", %u direct database operations", f->ndb_direct)
                             : ""));
    else if (f->ndb_direct)
        evidence(b, MET_ITEM_SERVICES, f->loc.line, false,
                 aprintf(b->m, "`%s`: sync def, %u direct database operations", f->qualname,
                         f->ndb_direct));
}

static void count_functions(Builder *b)
{
    for (uint32_t i = 0; i < b->ff->nfuncs; i++) {
        const FxFunc *f = &b->ff->funcs[i];
        BUMP(b, "functions.%s", f->is_async ? "async" : "sync");
        if (f->ndb_direct) BUMP(b, "functions.%s_with_db", f->is_async ? "async" : "sync");
        if (f->route != FX_ROUTE_NONE) {
            BUMP(b, "routes.%s", f->is_async ? "async" : "sync");
            route_evidence(b, f);
        }
        if (f->is_background_loop) {
            BUMP(b, "background_loops");
            loop_evidence(b, f, (int32_t)i);
        }
        if (f->is_session_provider) provider_evidence(b, f);
        fixture_and_test(b, f);
        service_evidence(b, f);
    }
}

/* ---- models and infrastructure ------------------------------------------------------------- */

static void count_models(Builder *b)
{
    for (uint32_t i = 0; i < b->ff->nclasses; i++) {
        const FxClass *c = &b->ff->classes[i];
        if (c->is_mapped) BUMP(b, "models");
        if (c->base_form == FX_BASE_NONE) continue;
        BUMP(b, "bases.%s", c->has_async_attrs ? "async_attrs" : "without_async_attrs");
        const char *bases = "";
        for (uint32_t k = 0; k < c->nbases; k++)
            bases = aprintf(b->m, "%s%s%s", bases, k ? ", " : "", c->bases[k]);
        evidence(b, MET_ITEM_BASES, c->loc.line, c->has_async_attrs,
                 aprintf(b->m, "`%s(%s)`: declarative base %s `AsyncAttrs`", c->name,
                         clip(b->m, bases, 80), c->has_async_attrs ? "with" : "without"));
    }
    for (uint32_t i = 0; i < b->ff->nbase_assigns; i++) {
        const FxBaseAssign *a = &b->ff->base_assigns[i];
        BUMP(b, "bases.without_async_attrs");
        evidence(
            b, MET_ITEM_BASES, a->loc.line, false,
            aprintf(b->m, "`%s`: declarative base made by %s, without `AsyncAttrs`%s", a->name,
                    a->form == FX_BASE_REGISTRY ? "`registry().generate_base()`"
                                                : "`declarative_base()`",
                    a->legacy_import ? " (legacy import from sqlalchemy.ext.declarative)" : ""));
    }
    for (uint32_t i = 0; i < b->ff->nrelationships; i++) {
        const FxRelationship *r = &b->ff->relationships[i];
        BUMP(b, "relationships");
        BUMP(b, "relationships.lazy.%s", r->lazy ? r->lazy : "default");
    }
}

/* "pool_size=5, pool_pre_ping=True" from the pool keywords of an engine, or NULL. */
static const char *pool_args(Metrics *m, const FxEngine *e)
{
    static const char *const pool[] = {"pool_size",     "max_overflow",        "pool_timeout",
                                       "pool_recycle",  "pool_pre_ping",       "poolclass",
                                       "pool_use_lifo", "pool_reset_on_return"};
    const char *out = NULL;
    for (uint32_t i = 0; i < e->nkwargs; i++) {
        for (size_t k = 0; k < sizeof pool / sizeof pool[0]; k++) {
            if (strcmp(e->kwargs[i].name, pool[k]) != 0) continue;
            const char *kv =
                aprintf(m, "%s=%s", e->kwargs[i].name, clip(m, e->kwargs[i].value, 40));
            out = out ? aprintf(m, "%s, %s", out, kv) : kv;
        }
    }
    return out;
}

static void count_engines(Builder *b)
{
    for (uint32_t i = 0; i < b->ff->nengines; i++) {
        const FxEngine *e = &b->ff->engines[i];
        BUMP(b, "engines.%s", mode_word(e->mode));
        const char *pool = pool_args(b->m, e);
        if (pool) BUMP(b, "engines.with_pool_settings");
        const char *fn =
            e->form == FX_ENGINE_FROM_CONFIG
                ? (e->mode == FX_ASYNC ? "async_engine_from_config" : "engine_from_config")
                : (e->mode == FX_ASYNC ? "create_async_engine" : "create_engine");
        evidence(b, MET_ITEM_ENGINES, e->loc.line, e->mode == FX_ASYNC,
                 aprintf(b->m, "`%s`: %s engine (`%s`), %s%s", e->target ? e->target : fn,
                         mode_word(e->mode), fn, pool ? "pool settings: `" : "no pool settings",
                         pool ? aprintf(b->m, "%s`", clip(b->m, pool, 160)) : ""));
    }
}

static const char *expire_text(int eoc)
{
    switch (eoc) {
        case -1: return "`expire_on_commit` not set (True by default)";
        case 0: return "`expire_on_commit=False`";
        case 1: return "`expire_on_commit=True`";
        default: return "`expire_on_commit` set by an expression";
    }
}

static void count_factories(Builder *b)
{
    static const char *const eoc_key[] = {"unset", "false", "true", "expression"};
    for (uint32_t i = 0; i < b->ff->nsessionmakers; i++) {
        const FxSessionmaker *s = &b->ff->sessionmakers[i];
        BUMP(b, "sessionmakers.%s", mode_word(s->mode));
        int eoc = s->expire_on_commit < -1 || s->expire_on_commit > 2 ? 2 : s->expire_on_commit;
        BUMP(b, "sessionmakers.expire_on_commit.%s", eoc_key[eoc + 1]);
        evidence(b, MET_ITEM_FACTORIES, s->loc.line, s->mode == FX_ASYNC,
                 aprintf(b->m, "`%s`: %s session factory (`%s`), %s",
                         s->target ? s->target : s->factory, mode_word(s->mode), s->factory,
                         expire_text(eoc)));
    }
}

static const char *offload_name(FxOffloadKind k)
{
    static const char *const names[] = {"run_in_executor", "to_thread",   "thread",
                                        "submit",          "thread_pool", "create_task",
                                        "background_task"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "other";
}

static void offload_evidence(Builder *b, const FxOffload *o)
{
    const char *t = o->target ? o->target : "?";
    switch (o->kind) {
        case FX_OFF_THREAD:
            evidence(b, MET_ITEM_WORKER, o->loc.line, false,
                     aprintf(b->m, "`%s`: runs in a `threading.Thread`", clip(b->m, t, 80)));
            break;
        case FX_OFF_POOL:
            evidence(b, MET_ITEM_WORKER, o->loc.line, false,
                     aprintf(b->m, "`%s`: thread pool created%s%s%s",
                             clip(b->m, o->executor ? o->executor : "pool", 60),
                             o->max_workers ? ", `max_workers=" : "",
                             o->max_workers ? clip(b->m, o->max_workers, 40) : "",
                             o->max_workers ? "`" : ""));
            break;
        case FX_OFF_SUBMIT:
            evidence(b, MET_ITEM_WORKER, o->loc.line, false,
                     aprintf(b->m, "`%s`: submitted to thread pool `%s`", clip(b->m, t, 80),
                             clip(b->m, o->executor ? o->executor : "?", 60)));
            break;
        case FX_OFF_RUN_IN_EXECUTOR:
        case FX_OFF_TO_THREAD:
            evidence(
                b, MET_ITEM_OFFLOAD, o->loc.line, false,
                aprintf(b->m, "`%s`: sync code run in a thread from `%s` (`%s`)", clip(b->m, t, 80),
                        func_name(b->ff, o->loc.func) ? func_name(b->ff, o->loc.func) : "<module>",
                        o->kind == FX_OFF_TO_THREAD ? "asyncio.to_thread" : "run_in_executor"));
            break;
        default: break;
    }
}

static void count_offloads(Builder *b)
{
    for (uint32_t i = 0; i < b->ff->noffloads; i++) {
        const FxOffload *o = &b->ff->offloads[i];
        BUMP(b, "offloads.%s", offload_name(o->kind));
        offload_evidence(b, o);
    }
}

static void count_alembic(Builder *b)
{
    const FxAlembic *al = &b->ff->alembic;
    if (!al->is_env) return;
    bool is_async = al->online_is_async || al->uses_async_engine;
    BUMP(b, "alembic.env.%s", is_async ? "async" : "sync");
    const char *how = al->uses_async_engine         ? "an async engine"
                      : al->uses_engine_from_config ? "a sync engine from `engine_from_config`"
                                                    : "a sync connection";
    evidence(
        b, MET_ITEM_ALEMBIC, al->loc.line, is_async,
        aprintf(b->m, "`%s`: migrations run %s with %s",
                func_name(b->ff, al->online_func) ? func_name(b->ff, al->online_func) : "env.py",
                al->online_is_async ? "in async code" : "synchronously", how));
}

/* ---- dependencies (configuration files) ---------------------------------------------------- */

static void dep_evidence(Builder *b, MetItemKind item, const DepDecl *d, bool done,
                         const char *what)
{
    const char *ext = d->extras && *d->extras ? aprintf(b->m, "[%s]", d->extras) : "";
    MetEvidence e = {aprintf(b->m, "%s", d->file), d->line, done,
                     aprintf(b->m, "`%s%s%s`: %s (`%s`)", clip(b->m, d->name, 60),
                             clip(b->m, ext, 60), clip(b->m, d->spec ? d->spec : "", 60), what,
                             clip(b->m, d->where, 80))};
    VEC_PUSH(b->ev[item], e);
}

static void sqlalchemy_evidence(Builder *b, const DepScan *s, const DepDecl *d)
{
    const DepDecl *gl = NULL;
    bool greenlet = dep_greenlet_declared(s, &gl);
    const char *what =
        !greenlet ? "SQLAlchemy without the asyncio extra; greenlet is not declared"
        : gl == d ? "SQLAlchemy with an extra that installs greenlet"
                  : aprintf(b->m, "SQLAlchemy; greenlet declared in %s:%u", gl->file, gl->line);
    dep_evidence(b, MET_ITEM_DEPS, d, greenlet, what);
}

static void count_deps(Builder *b, const DepScan *s)
{
    for (uint32_t i = 0; s && i < s->decls.n; i++) {
        const DepDecl *d = &s->decls.items[i];
        DepRole role = dep_role(d->kind);
        if (d->kind == DEP_SQLALCHEMY)
            sqlalchemy_evidence(b, s, d);
        else if (d->kind == DEP_GREENLET)
            dep_evidence(b, MET_ITEM_DEPS, d, true, "greenlet, needed by SQLAlchemy's asyncio");
        else if (role == DEP_ASYNC_DRIVER)
            dep_evidence(b, MET_ITEM_DEPS, d, true, "database driver with asyncio support");
        else if (role == DEP_SYNC_DRIVER)
            dep_evidence(b, MET_ITEM_DEPS, d, false, "sync-only database driver");
        else if (d->kind == DEP_PYTEST_ASYNCIO)
            dep_evidence(b, MET_ITEM_PYTEST_ASYNCIO, d, true, "runs async tests and fixtures");
    }
    if (!s || s->asyncio_mode.is_default || !s->asyncio_mode.file) return;
    bool is_auto = strcmp(s->asyncio_mode.mode, "auto") == 0;
    MetEvidence e = {aprintf(b->m, "%s", s->asyncio_mode.file), s->asyncio_mode.line, is_auto,
                     aprintf(b->m, "`asyncio_mode = %s`: %s", s->asyncio_mode.mode,
                             is_auto ? "async tests and fixtures run without markers"
                                     : "each async test and fixture needs an explicit marker")};
    VEC_PUSH(b->ev[MET_ITEM_PYTEST_ASYNCIO], e);
}

/* ---- one file ------------------------------------------------------------------------------ */

static void count_findings(Builder *b, const uint32_t *idx, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const Finding *f = &b->in->findings[idx[i]];
        BUMP(b, "findings");
        BUMP(b, "findings.code.%s", f->code);
        BUMP(b, "findings.fix.%s", finding_fix_name(f->fix));
        b->mf->nfindings++;
        b->mf->nfixable += f->fix != FIX_MANUAL;
    }
}

static uint32_t count_of(const Builder *b, Str k)
{
    for (uint32_t i = 0; i < b->counts.n; i++)
        if (b->counts.items[i].key == k) return b->counts.items[i].n;
    return 0;
}

static bool has_sync_work(const Builder *b)
{
    for (size_t i = 0; i < NSYNC_KEYS; i++)
        if (count_of(b, b->sync_keys[i])) return true;
    for (uint32_t i = 0; i < b->ff->nsession_ops; i++)
        if (b->ff->session_ops[i].mode != FX_ASYNC) return true;
    return false;
}

static bool has_db_access(const FileFacts *ff)
{
    return ff->nsessions || ff->nqueries || ff->nstmts || ff->nsession_ops || ff->nsqls ||
           ff->nengine_ios || ff->nengines || ff->nsessionmakers;
}

static int count_cmp(const void *x, const void *y)
{
    return strcmp(((const MetCount *)x)->key, ((const MetCount *)y)->key);
}

static bool has_routes(const FileFacts *ff)
{
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        if (ff->funcs[i].route != FX_ROUTE_NONE) return true;
    return false;
}

static void visit_file(Builder *b, const uint32_t *fidx, uint32_t nf)
{
    MetFile *mf = b->mf;
    bool in_prog = b->fi < b->m->nprog;
    ProjFile *pf = in_prog ? &b->in->prog->files[b->fi] : NULL;
    b->ff = in_prog && b->in->facts ? b->in->facts[b->fi] : NULL;
    VEC_CLEAR(b->counts);
    if (b->ff) {
        mf->cat = cat_upgrade_routes(mf->cat, pf->cat_overridden, has_routes(b->ff));
        count_sessions(b);
        count_queries(b, fidx, nf);
        count_statements(b);
        count_functions(b);
        count_models(b);
        count_engines(b);
        count_factories(b);
        count_offloads(b);
        count_alembic(b);
        mf->db_access = has_db_access(b->ff);
        mf->imports_select = b->ff->imports_select;
    }
    count_findings(b, fidx, nf);
    mf->to_modify = mf->nfindings > 0 || (b->ff && has_sync_work(b));
    if (b->counts.n) qsort(b->counts.items, b->counts.n, sizeof *b->counts.items, count_cmp);
    mf->counts = VEC_FREEZE(&b->m->arena, b->counts);
    mf->ncounts = b->counts.n;
}

/* ---- the whole program --------------------------------------------------------------------- */

static void init_file(Builder *b, uint32_t i)
{
    ProjFile *pf = &b->in->prog->files[i];
    MetFile *mf = &b->m->files[i];
    mf->path = aprintf(b->m, "%s", pf->path);
    mf->is_python = true;
    mf->cat = (FileCategory)pf->category;
    mf->lines = pf->lines;
    mf->parsed = !pf->skipped && pf->parse.module != NULL;
    if (!mf->parsed && pf->diags.n) {
        Buf t;
        buf_init(&t);
        proj_diag_text(&t, pf, &pf->diags.items[0]);
        mf->skip_reason = aprintf(b->m, "%s", t.data ? t.data : "");
        buf_free(&t);
    }
}

/* The MetFile of each finding: its Program file when the path matches, else a configuration
 * file entry after the Program files (findings are sorted by path, so entries come in order).
 * Returns how many configuration files there are. */
typedef Vec(const char *) PathVec;

/* The index of path in v, added at the end when absent. */
static uint32_t path_index(PathVec *v, const char *path)
{
    for (uint32_t k = 0; k < v->n; k++)
        if (strcmp(v->items[k], path) == 0) return k;
    VEC_PUSH(*v, path);
    return v->n - 1;
}

static uint32_t find_owners(Metrics *m, const MetInput *in, const char ***cfg_paths)
{
    m->owner = ARENA_ARRAY(&m->arena, uint32_t, in->nfindings + 1);
    PathVec cfg = {0};
    for (uint32_t i = 0; i < in->nfindings; i++) {
        const Finding *f = &in->findings[i];
        bool in_prog = f->file < m->nprog && strcmp(f->path, in->prog->files[f->file].path) == 0;
        m->owner[i] = in_prog ? f->file : m->nprog + path_index(&cfg, f->path);
    }
    *cfg_paths = cfg.items;
    return cfg.n;
}

/* Indexes of the findings grouped by owner (stable): file i owns idx[start[i]..start[i+1]). */
static uint32_t *bucket_findings(const Metrics *m, uint32_t **start)
{
    uint32_t *st = xcalloc(m->nfiles + 2, sizeof *st);
    uint32_t *idx = xmalloc(sizeof *idx * (m->nfindings + 1));
    for (uint32_t i = 0; i < m->nfindings; i++)
        st[m->owner[i] + 2]++;
    for (uint32_t i = 2; i < m->nfiles + 2; i++)
        st[i] += st[i - 1];
    for (uint32_t i = 0; i < m->nfindings; i++)
        idx[st[m->owner[i] + 1]++] = i;
    *start = st;
    return idx;
}

typedef Vec(MetCount) CountVec;
typedef Vec(MetTotal) TotalVec;

static void add_counts(CountVec *all, const MetFile *f)
{
    for (uint32_t k = 0; k < f->ncounts; k++)
        VEC_PUSH(*all, f->counts[k]);
}

static void push_total(TotalVec *tot, const char *key)
{
    MetTotal t = {key, 0, 0};
    VEC_PUSH(*tot, t);
}

/* Adds one file's count of a key to the totals (sorted input: a new key starts a new total). */
static void add_total(TotalVec *tot, const MetCount *c)
{
    if (tot->n == 0 || VEC_LAST(*tot).key != c->key) push_total(tot, c->key);
    VEC_LAST(*tot).instances += c->n;
    VEC_LAST(*tot).files++;
}

static void build_totals(Metrics *m)
{
    CountVec all = {0};
    for (uint32_t i = 0; i < m->nfiles; i++)
        add_counts(&all, &m->files[i]);
    if (all.n) qsort(all.items, all.n, sizeof *all.items, count_cmp);
    TotalVec tot = {0};
    for (uint32_t i = 0; i < all.n; i++)
        add_total(&tot, &all.items[i]);
    m->totals = VEC_FREEZE(&m->arena, tot);
    m->ntotals = tot.n;
    VEC_FREE(all);
    VEC_FREE(tot);
}

static void build_categories(Metrics *m)
{
    uint32_t k[FCAT__COUNT] = {0};
    for (uint32_t i = 0; i < m->nprog; i++)
        m->cats[m->files[i].cat].files++;
    for (int c = 0; c < FCAT__COUNT; c++)
        m->cats[c].paths = ARENA_ARRAY(&m->arena, const char *, m->cats[c].files + 1);
    for (uint32_t i = m->nprog; i < m->nfiles; i++) {
        m->config_files_modify += m->files[i].to_modify;
        m->findings_total += m->files[i].nfindings;
        m->findings_fixable += m->files[i].nfixable;
    }
    m->python_files = m->nprog;
    for (uint32_t i = 0; i < m->nprog; i++) {
        const MetFile *f = &m->files[i];
        MetCategory *c = &m->cats[f->cat];
        c->paths[k[f->cat]++] = f->path; /* files are in path order already */
        c->lines += f->lines;
        c->db_files += f->db_access;
        c->modify_files += f->to_modify;
        m->lines += f->lines;
        m->files_db += f->db_access;
        m->files_modify += f->to_modify;
        m->files_select += f->imports_select;
        m->parsed_files += f->parsed;
        m->skipped_files += !f->parsed;
        m->findings_total += f->nfindings;
        m->findings_fixable += f->nfixable;
    }
}

static int evidence_cmp(const void *x, const void *y)
{
    const MetEvidence *a = x, *b = y;
    if (a->done != b->done) return a->done ? -1 : 1;
    int c = strcmp(a->path, b->path);
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    return strcmp(a->text, b->text);
}

static void build_items(Builder *b)
{
    static const char *const keys[] = {
#define X(id, key, title) key,
        MET_ITEMS(X)
#undef X
    };
    static const char *const titles[] = {
#define X(id, key, title) title,
        MET_ITEMS(X)
#undef X
    };
    for (int i = 0; i < MET_ITEM__COUNT; i++) {
        MetItem *it = &b->m->items[i];
        it->key = keys[i];
        it->title = titles[i];
        if (b->ev[i].n) qsort(b->ev[i].items, b->ev[i].n, sizeof *b->ev[i].items, evidence_cmp);
        it->ev = VEC_FREEZE(&b->m->arena, b->ev[i]);
        it->nev = b->ev[i].n;
        for (uint32_t k = 0; k < it->nev; k++)
            it->ndone += it->ev[k].done;
        it->ntodo = it->nev - it->ndone;
        VEC_FREE(b->ev[i]);
    }
}

static const char *const group_codes[] = {
#define X(id, key, title, codes) codes,
    MET_GROUPS(X)
#undef X
};

bool met_group_has(MetGroupKind g, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = group_codes[g]; n && (p = strstr(p, code)) != NULL; p += n)
        if ((p == group_codes[g] || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

static void build_groups(Metrics *m)
{
    static const char *const keys[] = {
#define X(id, key, title, codes) key,
        MET_GROUPS(X)
#undef X
    };
    static const char *const titles[] = {
#define X(id, key, title, codes) title,
        MET_GROUPS(X)
#undef X
    };
    for (int g = 0; g < MET_GROUP__COUNT; g++) {
        MetGroup *gr = &m->groups[g];
        gr->key = keys[g], gr->title = titles[g], gr->codes = group_codes[g];
        gr->findings = ARENA_ARRAY(&m->arena, uint32_t, m->nfindings + 1);
        uint32_t last_file = UINT32_MAX;
        for (uint32_t i = 0; i < m->nfindings; i++) {
            if (!met_group_has((MetGroupKind)g, m->findings[i].code)) continue;
            gr->findings[gr->n++] = i;
            gr->nfiles += m->owner[i] != last_file;
            last_file = m->owner[i];
        }
    }
}

static void visit_all(Builder *b)
{
    Metrics *m = b->m;
    uint32_t *start;
    uint32_t *idx = bucket_findings(m, &start);
    for (uint32_t i = 0; i < m->nfiles; i++) {
        if (i < m->nprog) init_file(b, i);
        b->fi = i;
        b->mf = &m->files[i];
        visit_file(b, idx + start[i], start[i + 1] - start[i]);
    }
    free(idx);
    free(start);
}

void met_build(Metrics *m, const MetInput *in)
{
    memset(m, 0, sizeof *m);
    arena_init(&m->arena);
    m->root = aprintf(m, "%s", in->root ? in->root : in->prog->root ? in->prog->root : ".");
    m->findings = in->findings;
    m->nfindings = in->nfindings;
    m->graph = in->graph;
    m->nprog = in->prog->nfiles;
    const char **cfg;
    uint32_t ncfg = find_owners(m, in, &cfg);
    m->nfiles = m->nprog + ncfg;
    m->files = ARENA_ARRAY(&m->arena, MetFile, m->nfiles + 1);
    for (uint32_t k = 0; k < ncfg; k++) {
        m->files[m->nprog + k].path = aprintf(m, "%s", cfg[k]);
        m->files[m->nprog + k].cat = FCAT_INFRA;
    }
    free(cfg);
    Builder b = {.m = m, .in = in};
    for (size_t i = 0; i < NSYNC_KEYS; i++)
        b.sync_keys[i] = str_intern_c(sync_keys[i]);
    visit_all(&b);
    count_deps(&b, in->deps);
    VEC_FREE(b.counts);
    build_totals(m);
    build_categories(m);
    build_items(&b);
    build_groups(m);
    for (uint32_t i = 0; i < m->nfindings; i++)
        m->findings_safe += m->findings[i].fix == FIX_SAFE;
}

void met_free(Metrics *m)
{
    arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

/* ---- lookups ------------------------------------------------------------------------------- */

static int total_key_cmp(const void *key, const void *t)
{
    return strcmp((const char *)key, ((const MetTotal *)t)->key);
}

const MetTotal *met_total(const Metrics *m, const char *key)
{
    return m->ntotals ? bsearch(key, m->totals, m->ntotals, sizeof *m->totals, total_key_cmp)
                      : NULL;
}

uint64_t met_instances(const Metrics *m, const char *key)
{
    const MetTotal *t = met_total(m, key);
    return t ? t->instances : 0;
}

uint32_t met_file_count(const MetFile *f, const char *key)
{
    for (uint32_t i = 0; i < f->ncounts; i++)
        if (strcmp(f->counts[i].key, key) == 0) return f->counts[i].n;
    return 0;
}

static int family_cmp(const void *x, const void *y)
{
    const MetTotal *a = *(const MetTotal *const *)x, *b = *(const MetTotal *const *)y;
    if (a->instances != b->instances) return a->instances > b->instances ? -1 : 1;
    return strcmp(a->key, b->key);
}

uint32_t met_family(const Metrics *m, const char *prefix, const MetTotal ***out)
{
    size_t n = strlen(prefix);
    const MetTotal **list = xmalloc(sizeof(const MetTotal *) * (m->ntotals + 1));
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->ntotals; i++)
        if (strncmp(m->totals[i].key, prefix, n) == 0 && m->totals[i].key[n] != '\0')
            list[k++] = &m->totals[i];
    if (k) qsort(list, k, sizeof(const MetTotal *), family_cmp);
    *out = list;
    return k;
}
