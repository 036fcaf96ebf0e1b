/* async_hazards: SA2xx rules that one file's facts decide: SA201 (sync database work directly in
 * `async def`), SA203 (`await` inside a sync session block), SA206 (sync FastAPI handler doing
 * database work), SA207 (session context manager called without `with`). */
#include <stdio.h>
#include <string.h>

#include "rules.h"

static bool inside(Span inner, Span outer)
{
    return inner.start >= outer.start && inner.end <= outer.end;
}

/* Inside a call that hands work to a thread or executor (a lambda argument): not direct. */
static bool offloaded(const FileFacts *ff, const FxLoc *loc)
{
    for (uint32_t i = 0; i < ff->noffloads; i++) {
        const FxOffload *o = &ff->offloads[i];
        if (o->loc.func == loc->func && o->in_thread && o->kind != FX_OFF_POOL &&
            inside(loc->span, o->loc.span) && loc->span.start != o->loc.span.start)
            return true;
    }
    return false;
}

static bool async_func(const FileFacts *ff, int32_t f)
{
    return f >= 0 && ff->funcs[f].is_async;
}

static bool blocking_acquisition(const FxSession *s)
{
    return s->mode == FX_SYNC && !s->is_async_with &&
           (s->form == FX_ACQ_WITH || s->form == FX_ACQ_NO_WITH || s->form == FX_ACQ_SESSION_CTOR ||
            s->form == FX_ACQ_FACTORY_CALL || s->form == FX_ACQ_DECORATOR);
}

static void acquisitions_201(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nsessions; i++) {
        const FxSession *s = &ff->sessions[i];
        if (!async_func(ff, s->loc.func) || !blocking_acquisition(s) || offloaded(ff, &s->loc))
            continue;
        const FxFunc *f = &ff->funcs[s->loc.func];
        bool deco = s->form == FX_ACQ_DECORATOR; /* oslo.db `@cm.reader` */
        finding_add(out, site, "SA201", s->loc.span, f->qualname,
                    "sync session `%s%s%s` in `async def %s` blocks the event loop",
                    s->in_with ? "with "
                    : deco     ? "@"
                               : "",
                    s->provider, deco ? "" : "()", f->name);
    }
}

/* Sessions that SA201 reported at their acquisition need no second finding per use. */
static bool reported_acquisition(const FileFacts *ff, int32_t si)
{
    const FxSession *s = &ff->sessions[si];
    return async_func(ff, s->loc.func) && blocking_acquisition(s);
}

typedef Vec(int32_t) IntVec;

typedef struct Use {
    FxLoc loc;
    int32_t session;
    const char *what; /* "query", "commit" */
    const char *recv;
} Use;

static void use_201(const FileFacts *ff, const FindingSite *site, const Use *u, IntVec *seen,
                    FindingList *out)
{
    if (!async_func(ff, u->loc.func) || u->session < 0 || reported_acquisition(ff, u->session))
        return;
    const FxSession *s = &ff->sessions[u->session];
    if (s->mode != FX_SYNC || offloaded(ff, &u->loc)) return;
    int32_t key = u->session * 65536 + u->loc.func; /* one finding per session and function */
    for (uint32_t i = 0; i < seen->n; i++)
        if (seen->items[i] == key) return;
    VEC_PUSH(*seen, key);
    const FxFunc *f = &ff->funcs[u->loc.func];
    finding_add(out, site, "SA201", u->loc.span, f->qualname,
                "`%s.%s()` on a sync session in `async def %s` blocks the event loop", u->recv,
                u->what, f->name);
}

static void uses_201(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    IntVec seen = {0};
    uint32_t qi = 0, oi = 0;
    /* merge queries and operations in source order */
    while (qi < ff->nqueries || oi < ff->nsession_ops) {
        bool take_q = oi >= ff->nsession_ops ||
                      (qi < ff->nqueries &&
                       ff->queries[qi].loc.span.start <= ff->session_ops[oi].loc.span.start);
        Use u;
        if (take_q) {
            const FxQuery *q = &ff->queries[qi++];
            u = (Use){q->loc, q->session, "query", q->receiver};
        } else {
            const FxSessionOp *o = &ff->session_ops[oi++];
            if (o->is_awaited) continue;
            u = (Use){o->loc, o->session, o->op, o->receiver};
        }
        use_201(ff, site, &u, &seen, out);
    }
    VEC_FREE(seen);
}

/* Engine and connection IO in an `async def`: one finding per function, at its first call. */
/* Engine IO k that blocks: in an `async def`, not in a lambda handed to a thread. */
static bool blocking_io(const FileFacts *ff, uint32_t k)
{
    const FxEngineIo *io = &ff->engine_ios[k];
    return async_func(ff, io->loc.func) && !offloaded(ff, &io->loc);
}

/* Engine and connection IO in an `async def`: one finding per function, at its first call (the
 * calls of a function need not be adjacent: a nested def's come between). */
static void engine_io_201(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nengine_ios; i++) {
        if (!blocking_io(ff, i)) continue;
        int32_t fn = ff->engine_ios[i].loc.func;
        uint32_t before = 0, after = 0;
        for (uint32_t k = 0; k < ff->nengine_ios; k++)
            if (k != i && ff->engine_ios[k].loc.func == fn && blocking_io(ff, k))
                *(k < i ? &before : &after) += 1;
        if (before) continue;
        char more[48] = "";
        if (after) snprintf(more, sizeof more, " (with %u more engine calls)", after);
        const FxEngineIo *io = &ff->engine_ios[i];
        const FxFunc *f = &ff->funcs[fn];
        finding_add(
            out, site, "SA201", io->loc.span, f->qualname,
            "sync engine IO `%s.%s()` in `async def %s` blocks the event loop%s; use an async "
            "engine: `async with engine.begin() as conn`, `await conn.run_sync(...)`",
            io->receiver, io->op, f->name, more);
    }
}

static void awaits_203(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nawaits_in_session; i++) {
        const FxAwaitInSession *w = &ff->awaits_in_session[i];
        const FxSession *s = &ff->sessions[w->session];
        Finding *f = finding_add(out, site, "SA203", w->loc.span, facts_qualname(ff, w->loc.func),
                                 "`await` inside sync session block `with %s()` (line %u): the "
                                 "connection stays checked out while other tasks run",
                                 s->provider, s->loc.line);
        f->fix = FIX_MANUAL;
    }
}

static void routes_206(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nfuncs; i++) {
        const FxFunc *f = &ff->funcs[i];
        if (f->route != FX_ROUTE_FASTAPI || f->is_async || f->ndb_direct == 0) continue;
        finding_add(out, site, "SA206", f->name_span, f->qualname,
                    "sync route handler `%s` (%s %s) does database work directly; "
                    "convert it together with its session to `async def` and "
                    "`AsyncSession`",
                    f->name, f->route_method ? f->route_method : "GET",
                    f->route_path ? f->route_path : "?");
    }
}

static void no_with_207(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nsessions; i++) {
        const FxSession *s = &ff->sessions[i];
        if (s->form != FX_ACQ_NO_WITH) continue;
        Finding *f = finding_add(out, site, "SA207", s->loc.span, facts_qualname(ff, s->loc.func),
                                 "`%s()` is a session context manager called without `with`: "
                                 "`%s` is not a session and its commit/rollback/close never run",
                                 s->provider, s->var ? s->var : "the result");
        f->fix = FIX_MANUAL;
    }
}

void rule_async_hazards(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    acquisitions_201(ff, site, out);
    uses_201(ff, site, out);
    engine_io_201(ff, site, out);
    awaits_203(ff, site, out);
    routes_206(ff, site, out);
    no_with_207(ff, site, out);
}
