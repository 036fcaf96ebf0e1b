/* async_graph: SA202, SA204, SA205 and the background loops' reach, over the call graph.
 *
 * One reverse breadth-first pass from every sync function that does sync database work gives
 * each sync function its distance to the nearest such work over CALL edges through sync
 * functions only, and the next edge on that shortest chain; async functions, OFFLOAD and SPAWN
 * edges stop it (an `await` of an async callee is that callee's own finding). SA202 then looks
 * at the CALL edges of each `async def`, SA205 at each OFFLOAD edge from a thread or executor
 * entry point: a constant amount of work per edge, so the whole rule is linear in the graph.
 * Loops get a forward search each (worklists, no recursion). */
#include "graph_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/vec.h"

#define INF       UINT32_MAX
#define CHAIN_MAX 24 /* chains longer than this are shown with "…" in the middle */

typedef struct Dist {
    uint32_t *d;   /* per node: edges to the nearest sync database work (INF: none) */
    int64_t *next; /* per node: the edge taken first on that chain, or -1 */
} Dist;

static bool is_async(const CallGraph *cg, uint32_t n)
{
    return cg_func(cg, n)->is_async;
}

static void distances(const CallGraph *cg, Dist *dist)
{
    uint32_t n = cg->nnodes;
    dist->d = xmalloc(sizeof *dist->d * (n + 1));
    dist->next = xmalloc(sizeof *dist->next * (n + 1));
    uint32_t *queue = xmalloc(sizeof *queue * (n + 1));
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < n; i++) {
        dist->next[i] = -1;
        bool sink = cg->db_direct[i] && !is_async(cg, i);
        dist->d[i] = sink ? 0 : INF;
        if (sink) queue[tail++] = i;
    }
    while (head < tail) {
        uint32_t t = queue[head++];
        for (uint32_t k = cg->in[t]; k < cg->in[t + 1]; k++) {
            const CgEdge *e = &cg->edges[cg->in_edges[k]];
            if (e->kind != CG_CALL || dist->d[e->from] != INF || is_async(cg, e->from)) continue;
            dist->d[e->from] = dist->d[t] + 1;
            dist->next[e->from] = cg->in_edges[k];
            queue[tail++] = e->from;
        }
    }
    free(queue);
}

static void dist_free(Dist *dist)
{
    free(dist->d);
    free(dist->next);
}

/* ---- chains -------------------------------------------------------------------------------- */

static const char *name_of(const CallGraph *cg, uint32_t n)
{
    return cg_func(cg, n)->qualname;
}

/* A session provider the sink calls (`with self.db.get_session()`), to end the chain on. */
static int64_t provider_edge(const CallGraph *cg, uint32_t sink)
{
    if (cg_func(cg, sink)->is_session_provider) return -1;
    for (uint32_t k = cg->out[sink]; k < cg->out[sink + 1]; k++) {
        const CgEdge *e = &cg->edges[k];
        if (e->kind == CG_CALL && cg_func(cg, e->to)->is_session_provider && cg->db_direct[e->to])
            return k;
    }
    return -1;
}

/* "a → B.c → D.get_session" from node start along the shortest chain; *sink is its end. */
static void chain_text(const CallGraph *cg, const Dist *dist, uint32_t start, Buf *b,
                       uint32_t *sink)
{
    uint32_t n = start, steps = 0;
    buf_puts(b, name_of(cg, n));
    while (dist->next[n] >= 0) {
        n = cg->edges[dist->next[n]].to;
        if (++steps == CHAIN_MAX) buf_puts(b, " → …");
        if (steps < CHAIN_MAX || dist->next[n] < 0) buf_printf(b, " → %s", name_of(cg, n));
    }
    *sink = n;
    int64_t p = provider_edge(cg, n);
    if (p >= 0) buf_printf(b, " → %s", name_of(cg, cg->edges[p].to));
}

static Finding *add(FindingList *out, const FindingSite *sites, const CallGraph *cg,
                    const CgEdge *e, const char *code, const char *msg)
{
    Finding *f = finding_add(out, &sites[e->file], code, e->span, name_of(cg, e->from), "%s", msg);
    return f;
}

/* ---- SA202 --------------------------------------------------------------------------------- */

/* The CALL edge of async node a starting the shortest chain to sync database work, or -1. */
static int64_t best_edge(const CallGraph *cg, const Dist *dist, uint32_t a)
{
    int64_t best = -1;
    uint32_t bd = INF;
    for (uint32_t k = cg->out[a]; k < cg->out[a + 1]; k++) {
        const CgEdge *e = &cg->edges[k];
        if (e->kind != CG_CALL || is_async(cg, e->to)) continue;
        if (cg_func(cg, e->to)->is_session_provider) continue; /* SA201 reports it */
        if (dist->d[e->to] < bd) bd = dist->d[e->to], best = k;
    }
    return best;
}

/* A file path quoted in a message: shown (RuleProject.shown) then the path from the root. */
static const char *quoted(const char *shown, const CallGraph *cg, uint32_t n, Buf *b)
{
    buf_clear(b);
    buf_printf(b, "%s%s", shown ? shown : "", cg_path(cg, n));
    return b->data;
}

static void sa202(const CallGraph *cg, const Dist *dist, const FindingSite *sites,
                  const char *shown, FindingList *out, GraphSummary *sum)
{
    Buf b, m, p1, p2;
    buf_init(&b);
    buf_init(&m);
    buf_init(&p1);
    buf_init(&p2);
    for (uint32_t a = 0; a < cg->nnodes; a++) {
        if (!is_async(cg, a) || !sites[cg_file(cg, a)].src) continue;
        int64_t k = best_edge(cg, dist, a);
        if (k < 0) continue;
        const CgEdge *e = &cg->edges[k];
        uint32_t sink;
        buf_clear(&b);
        buf_printf(&b, "%s:%u %s → ", quoted(shown, cg, a, &p1), e->line, name_of(cg, a));
        chain_text(cg, dist, e->to, &b, &sink);
        buf_clear(&m);
        buf_printf(&m,
                   "`async def %s` reaches sync database work through calls: %s (sync database "
                   "work at %s:%u); make the chain async leaf first, or offload it with "
                   "`asyncio.to_thread`",
                   cg_func(cg, a)->name, b.data, quoted(shown, cg, sink, &p2), cg->db_line[sink]);
        add(out, sites, cg, e, "SA202", m.data);
        sum->async_reaching++;
    }
    buf_free(&b);
    buf_free(&m);
    buf_free(&p1);
    buf_free(&p2);
}

/* ---- SA205 --------------------------------------------------------------------------------- */

static bool thread_via(uint8_t via)
{
    return via == CG_VIA_EXECUTOR || via == CG_VIA_TO_THREAD || via == CG_VIA_THREAD ||
           via == CG_VIA_SUBMIT || via == CG_VIA_BACKGROUND;
}

static const char *via_words(uint8_t via)
{
    switch (via) {
        case CG_VIA_EXECUTOR: return "`run_in_executor` runs";
        case CG_VIA_TO_THREAD: return "`asyncio.to_thread` runs";
        case CG_VIA_THREAD: return "a `threading.Thread` runs";
        case CG_VIA_SUBMIT: return "an executor runs";
        default: return "FastAPI's threadpool runs the background task";
    }
}

static void sa205(const CallGraph *cg, const Dist *dist, const FindingSite *sites,
                  const char *shown, FindingList *out, GraphSummary *sum)
{
    Buf b, m, p1, p2;
    buf_init(&b);
    buf_init(&m);
    buf_init(&p1);
    buf_init(&p2);
    for (uint32_t k = 0; k < cg->nedges; k++) {
        const CgEdge *e = &cg->edges[k];
        if (e->kind != CG_OFFLOAD || !thread_via(e->via) || !sites[e->file].src) continue;
        if (is_async(cg, e->to) || dist->d[e->to] == INF) continue;
        uint32_t sink;
        buf_clear(&b);
        chain_text(cg, dist, e->to, &b, &sink);
        buf_clear(&m);
        buf_printf(&m,
                   "%s `%s` in another thread, and it does sync database work: %s:%u %s ⇒ %s "
                   "(at %s:%u); a session must not cross threads: keep this worker on its own "
                   "sync engine, or make the work a coroutine",
                   via_words(e->via), name_of(cg, e->to), quoted(shown, cg, e->from, &p1), e->line,
                   name_of(cg, e->from), b.data, quoted(shown, cg, sink, &p2), cg->db_line[sink]);
        add(out, sites, cg, e, "SA205", m.data)->fix = FIX_MANUAL;
        sum->thread_entries++;
    }
    buf_free(&b);
    buf_free(&m);
    buf_free(&p1);
    buf_free(&p2);
}

/* Database work written inside a lambda handed to a thread: the first one's line, or 0. */
static uint32_t lambda_db_line(const FileFacts *ff, Span lam)
{
    uint32_t line = 0;
#define SCAN(arr, n)                                                                           \
    for (uint32_t i = 0; i < (n); i++) {                                                       \
        const FxLoc *l = &(arr)[i].loc;                                                        \
        if (l->span.start >= lam.start && l->span.end <= lam.end && (!line || l->line < line)) \
            line = l->line;                                                                    \
    }
    SCAN(ff->queries, ff->nqueries)
    SCAN(ff->session_ops, ff->nsession_ops)
    SCAN(ff->stmts, ff->nstmts)
#undef SCAN
    return line;
}

static uint8_t offload_via(FxOffloadKind k)
{
    switch (k) {
        case FX_OFF_RUN_IN_EXECUTOR: return CG_VIA_EXECUTOR;
        case FX_OFF_TO_THREAD: return CG_VIA_TO_THREAD;
        case FX_OFF_THREAD: return CG_VIA_THREAD;
        case FX_OFF_SUBMIT: return CG_VIA_SUBMIT;
        default: return CG_VIA_BACKGROUND;
    }
}

/* `run_in_executor(None, lambda: session.query(...))`: the work itself is in the lambda. */
static void sa205_lambdas(const CallGraph *cg, const FindingSite *sites, FindingList *out,
                          GraphSummary *sum)
{
    for (uint32_t f = 0; f < cg->st->nfiles; f++) {
        const FileFacts *ff = cg->st->facts[f];
        for (uint32_t i = 0; ff && sites[f].src && i < ff->noffloads; i++) {
            const FxOffload *o = &ff->offloads[i];
            if (!o->in_thread || o->kind == FX_OFF_POOL || o->kind == FX_OFF_CREATE_TASK) continue;
            const NodeList *args = &o->call->Call.args;
            const Node *lam = NULL;
            for (uint32_t k = 0; k < args->n && !lam; k++)
                if (args->items[k]->kind == AST_LAMBDA) lam = args->items[k];
            uint32_t line = lam ? lambda_db_line(ff, lam->span) : 0;
            if (!line) continue;
            finding_add(out, &sites[f], "SA205", lam->span, facts_qualname(ff, o->loc.func),
                        "%s a lambda in another thread, and it does sync database work (line "
                        "%u); a session must not cross threads: keep this worker on its own sync "
                        "engine, or make the work a coroutine",
                        via_words(offload_via(o->kind)), line)
                ->fix = FIX_MANUAL;
            sum->thread_entries++;
        }
    }
}

/* ---- SA204 --------------------------------------------------------------------------------- */

static bool sync_session_param(const FxParam *p)
{
    return p->is_session && p->session_mode == FX_SYNC;
}

static bool takes_sync_session(const FxFunc *f)
{
    for (uint32_t i = 0; i < f->nparams; i++)
        if (sync_session_param(&f->params[i])) return true;
    return false;
}

typedef struct NameUse {
    const char *name;
    const FileFacts *ff;
    int32_t func;
    bool used; /* read somewhere that is not an argument of a thread hand-off */
} NameUse;

static bool in_thread_handoff(const NameUse *u, Span s)
{
    for (uint32_t i = 0; i < u->ff->noffloads; i++) {
        const FxOffload *o = &u->ff->offloads[i];
        if (o->loc.func == u->func && o->in_thread && o->kind != FX_OFF_POOL &&
            s.start >= o->loc.span.start && s.end <= o->loc.span.end)
            return true;
    }
    return false;
}

static void find_use(Node *n, void *ud)
{
    NameUse *u = ud;
    if (u->used || n->kind == AST_FUNCTIONDEF || n->kind == AST_ASYNCFUNCTIONDEF ||
        n->kind == AST_CLASSDEF)
        return;
    if (n->kind == AST_NAME && strcmp(n->Name.id, u->name) == 0 && !in_thread_handoff(u, n->span))
        u->used = true;
    ast_children(n, find_use, u);
}

/* Whether the async def uses the parameter other than by handing it to a thread (the
 * `await asyncio.to_thread(helper, session)` stop-gap is SA205's business). */
static bool used_in_loop(const CallGraph *cg, uint32_t n, const char *name)
{
    const FxFunc *f = cg_func(cg, n);
    uint32_t file = cg_file(cg, n);
    NameUse u = {name, cg->st->facts[file], (int32_t)(n - cg->st->func_base[file]), false};
    const NodeList *body = &f->node->AsyncFunctionDef.body;
    for (uint32_t i = 0; i < body->n && !u.used; i++)
        find_use(body->items[i], &u);
    return u.used;
}

static void sa204_params(const CallGraph *cg, const FindingSite *sites, FindingList *out)
{
    for (uint32_t n = 0; n < cg->nnodes; n++) {
        const FxFunc *f = cg_func(cg, n);
        const FindingSite *site = &sites[cg_file(cg, n)];
        for (uint32_t i = 0; f->is_async && site->src && i < f->nparams; i++) {
            if (!sync_session_param(&f->params[i])) continue;
            if (!used_in_loop(cg, n, f->params[i].name)) continue;
            finding_add(out, site, "SA204", f->params[i].span, f->qualname,
                        "`async def %s` takes a sync `Session` (`%s`): it can only use it by "
                        "blocking the event loop; pass an `AsyncSession`",
                        f->name, f->params[i].name);
        }
    }
}

static bool sync_session_arg(const CallGraph *cg, const CgEdge *e, const Node *a)
{
    if (a->kind == AST_KEYWORD) a = a->keyword.value;
    if (a->kind != AST_NAME && a->kind != AST_ATTRIBUTE) return false;
    SymVal v = cg_eval(cg, e->file, (int32_t)e->from, a);
    return v.kind == SV_SESSION && v.id == FX_SYNC;
}

static void sa204_calls(const CallGraph *cg, const FindingSite *sites, FindingList *out)
{
    for (uint32_t k = 0; k < cg->nedges; k++) {
        const CgEdge *e = &cg->edges[k];
        const FxFunc *callee = cg_func(cg, e->to);
        if (e->kind != CG_CALL || !callee->is_async || takes_sync_session(callee)) continue;
        if (!e->node || e->node->kind != AST_CALL || !sites[e->file].src) continue;
        const NodeList *args[2] = {&e->node->Call.args, &e->node->Call.keywords};
        for (int l = 0; l < 2; l++)
            for (uint32_t i = 0; i < args[l]->n; i++) {
                const Node *a = args[l]->items[i];
                if (!sync_session_arg(cg, e, a)) continue;
                finding_add(out, &sites[e->file], "SA204", a->span, name_of(cg, e->from),
                            "sync session passed to `async def %s`, which can only use it by "
                            "blocking the event loop; pass an `AsyncSession`",
                            callee->name);
            }
    }
}

/* ---- background loops ---------------------------------------------------------------------- */

typedef Vec(GrRef) RefVec;
typedef Vec(uint32_t) U32Vec;

static GrRef node_ref(const CallGraph *cg, uint32_t n, bool at_db)
{
    const FxFunc *f = cg_func(cg, n);
    return (GrRef){cg_path(cg, n), at_db ? cg->db_line[n] : f->loc.line, f->qualname, NULL};
}

typedef struct Search {
    uint32_t *seen; /* per node: stamp of the last search that reached it */
    uint32_t stamp;
    U32Vec queue;
} Search;

/* Breadth-first from start over edges of kind `kind` (CG_CALL, or every kind but SPAWN when
 * offloaded), listing the reached nodes that do sync database work. OFFLOAD edges met in the
 * loop's own context are collected in *handed for a second search. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void reach(const CallGraph *cg, Search *s, const uint32_t *start, uint32_t nstart,
                  bool offloaded, RefVec *found, U32Vec *handed)
{
    s->stamp++;
    VEC_CLEAR(s->queue);
    for (uint32_t i = 0; i < nstart; i++)
        if (s->seen[start[i]] != s->stamp) {
            s->seen[start[i]] = s->stamp;
            VEC_PUSH(s->queue, start[i]);
        }
    for (uint32_t h = 0; h < s->queue.n; h++) {
        uint32_t n = s->queue.items[h];
        if (cg->db_direct[n]) VEC_PUSH(*found, node_ref(cg, n, true));
        for (uint32_t k = cg->out[n]; k < cg->out[n + 1]; k++) {
            const CgEdge *e = &cg->edges[k];
            if (e->kind == CG_SPAWN) continue;
            if (e->kind == CG_OFFLOAD && !offloaded) {
                if (handed && e->via != CG_VIA_DEPENDS) VEC_PUSH(*handed, e->to);
                continue;
            }
            if (s->seen[e->to] == s->stamp) continue;
            s->seen[e->to] = s->stamp;
            VEC_PUSH(s->queue, e->to);
        }
    }
}

static GrRef started_by(const CallGraph *cg, uint32_t n)
{
    for (uint32_t k = cg->in[n]; k < cg->in[n + 1]; k++) {
        const CgEdge *e = &cg->edges[cg->in_edges[k]];
        if (e->kind == CG_SPAWN && e->via == CG_VIA_CREATE_TASK)
            return (GrRef){cg->st->prog->files[e->file].path, e->line, name_of(cg, e->from), NULL};
    }
    return (GrRef){NULL, 0, NULL, NULL};
}

static void one_loop(const CallGraph *cg, Search *s, uint32_t n, GrLoop *l, Arena *a)
{
    RefVec found = {0}, off = {0};
    U32Vec handed = {0};
    const FxFunc *f = cg_func(cg, n);
    l->loop = (GrRef){cg_path(cg, n), f->loop_line ? f->loop_line : f->loc.line, f->qualname, NULL};
    l->started = started_by(cg, n);
    reach(cg, s, &n, 1, false, &found, &handed);
    if (handed.n) reach(cg, s, handed.items, handed.n, true, &off, NULL);
    l->reach = VEC_FREEZE(a, found);
    l->nreach = found.n;
    l->offloaded = VEC_FREEZE(a, off);
    l->noffloaded = off.n;
    VEC_FREE(found);
    VEC_FREE(off);
    VEC_FREE(handed);
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void loops(const CallGraph *cg, const FindingSite *sites, GraphSummary *sum, Arena *a)
{
    Search s = {xcalloc(cg->nnodes + 1, sizeof(uint32_t)), 0, {0}};
    Vec(GrLoop) v = {0};
    for (uint32_t n = 0; n < cg->nnodes; n++) {
        if (!cg_func(cg, n)->is_background_loop || !sites[cg_file(cg, n)].src) continue;
        GrLoop l;
        one_loop(cg, &s, n, &l, a);
        VEC_PUSH(v, l);
    }
    sum->loops = VEC_FREEZE(a, v);
    sum->nloops = v.n;
    VEC_FREE(v);
    VEC_FREE(s.queue);
    free(s.seen);
}

void rule_async_graph(const CallGraph *cg, const FindingSite *sites, const char *shown,
                      FindingList *out, GraphSummary *sum, Arena *a)
{
    Dist dist;
    distances(cg, &dist);
    sa202(cg, &dist, sites, shown, out, sum);
    sa204_params(cg, sites, out);
    sa204_calls(cg, sites, out);
    sa205(cg, &dist, sites, shown, out, sum);
    sa205_lambdas(cg, sites, out, sum);
    loops(cg, sites, sum, a);
    dist_free(&dist);
}
