/* callgraph_par: pass 3 (every file's call sites, callgraph.c) over threads, with the result of
 * the single-threaded walk.
 *
 * Evaluation memoises module variable and return types on first use, and where cycles or the
 * nesting limit cut a computation short, a type may come out differently depending on which
 * query came first: the walk of a file may depend on what the walks of the files before it
 * computed. So the walk runs in two rounds. In round one, jobs threads walk the files with
 * read-only views of the graph (frozen: a type not memoised yet is a miss, and the walk of that
 * file is dropped); the graph is not written, so the threads need no locks. In round two, the
 * calling thread walks the dropped files in file order with the graph itself. The files done in
 * round one computed nothing, so round two computes the same types in the same order as the
 * single-threaded walk, and every file sees the types it would have seen there.
 *
 * Before round one, cgt_force() computes the types that depend on memoised ones only (most
 * module variables and inferred returns), which leaves few files to round two; evaluation sees
 * such a type as the single-threaded walk would (callgraph_types.c, forced_val).
 *
 * Edges and unresolved sites are concatenated in file order and the coverage counts summed;
 * strings the threads made (callee texts) move into the graph's arena. */
#include "callgraph_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "project.h"

#define THREAD_STACK ((size_t)16 * 1024 * 1024) /* the walk recurses over the AST */

typedef struct FileOut {
    EdgeVec edges;
    SiteVec sites;
    CgCoverage cov;
    bool done; /* walked in round one */
} FileOut;

typedef struct Pool {
    CallGraph *cg;
    FileOut *out; /* per file */
    atomic_uint next;
} Pool;

typedef struct Worker {
    Pool *pool;
    Arena arena; /* the thread's allocations, absorbed by the graph's arena */
} Worker;

static void try_file(CallGraph *view, uint32_t f, FileOut *o)
{
    memset(&view->cov, 0, sizeof view->cov);
    view->priv->missed = false;
    view->priv->file = f;
    cg_walk_file(view, f, &o->edges, &o->sites);
    o->done = !view->priv->missed;
    if (o->done) {
        o->cov = view->cov;
        return;
    }
    VEC_CLEAR(o->edges);
    VEC_CLEAR(o->sites);
}

static void *work(void *arg)
{
    Worker *w = arg;
    Pool *pool = w->pool;
    CgPriv priv = *pool->cg->priv;
    priv.frozen = true;
    CallGraph view = *pool->cg;
    view.priv = &priv;
    view.arena = &w->arena;
    for (;;) {
        unsigned f = atomic_fetch_add(&pool->next, 1u);
        if (f >= view.st->nfiles) return NULL;
        try_file(&view, f, &pool->out[f]);
    }
}

/* Round one: jobs workers, jobs - 1 threads and the calling thread. */
static void round_one(Pool *pool, int jobs)
{
    Worker *workers = xcalloc((size_t)jobs, sizeof *workers);
    pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK);
    int started = 0;
    for (int t = 0; t < jobs; t++) {
        workers[t].pool = pool;
        arena_init(&workers[t].arena);
    }
    for (int t = 1; t < jobs; t++)
        if (pthread_create(&threads[started], &attr, work, &workers[t]) == 0) started++;
    work(&workers[0]);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_attr_destroy(&attr);
    for (int t = 0; t < jobs; t++)
        arena_absorb(pool->cg->arena, &workers[t].arena);
    free(threads);
    free(workers);
}

static void add_cov(CgCoverage *sum, const CgCoverage *c)
{
    sum->resolved += c->resolved;
    sum->external += c->external;
    sum->unresolved += c->unresolved;
    for (int i = 0; i < CG_R__COUNT; i++)
        sum->by_reason[i] += c->by_reason[i];
    for (int i = 0; i < CG_VIA__COUNT; i++)
        sum->by_via[i] += c->by_via[i];
}

/* Round two, and the concatenation in file order. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_APPEND's expansion
static void round_two(CallGraph *cg, FileOut *out, EdgeVec *edges, SiteVec *sites)
{
    for (uint32_t f = 0; f < cg->st->nfiles; f++) {
        FileOut *o = &out[f];
        cg->priv->file = f;
        if (o->done)
            add_cov(&cg->cov, &o->cov);
        else
            cg_walk_file(cg, f, &o->edges, &o->sites);
        VEC_APPEND(*edges, o->edges);
        VEC_APPEND(*sites, o->sites);
        VEC_FREE(o->edges);
        VEC_FREE(o->sites);
    }
    cg->priv->file = UINT32_MAX;
}

void cgp_walk_files(CallGraph *cg, int jobs, EdgeVec *edges, SiteVec *sites)
{
    uint32_t n = cg->st->nfiles;
    if (jobs <= 0) jobs = proj_default_jobs();
    if ((uint32_t)jobs > n) jobs = (int)n;
    if (jobs <= 1) {
        for (uint32_t f = 0; f < n; f++)
            cg_walk_file(cg, f, edges, sites);
        return;
    }
    Pool pool = {cg, xcalloc(n, sizeof(FileOut)), 0};
    atomic_init(&pool.next, 0u);
    cgt_force(cg);
    round_one(&pool, jobs);
    round_two(cg, pool.out, edges, sites);
    free(pool.out);
}
