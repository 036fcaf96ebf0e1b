/* graph_rules: the rules that need the whole-program call graph, and what the report shows of it.
 *
 * graph_rules_run() builds the call graph (model/callgraph.h) of the Program and appends:
 *   SA202  an `async def` that reaches sync database work through sync calls that are not
 *          offloaded, with the shortest chain as evidence (async_graph.c);
 *   SA204  an `async def` taking a sync `Session`, and a sync session passed to an `async def`;
 *   SA205  database work reachable from a thread or executor entry point (run_in_executor,
 *          to_thread, Thread(target=), executor.submit/map, a sync BackgroundTasks task);
 *   SA302  a lazily loaded relationship read on an ORM instance whose loading query or
 *          session.get() had no eager-load option for it (or a parameter annotated with a model);
 *   SA303  an ORM attribute read after the session's commit() expired the object
 *          (expire_on_commit=True, the default), with no refresh() in between;
 *   SA304  an ORM object used after its session block closed: a lazy relationship, or an object
 *          that the commit (explicit, or the provider's on exit) expired (loading_graph.c).
 * It also returns a GraphSummary for the report: call-resolution coverage, every background
 * loop (`while True` in an `async def`) with the database work it reaches, and the
 * refresh-then-expunge idiom (today's workaround for expiry) with its sites.
 *
 * Findings go through the same selection and suppression as the others (the caller filters
 * after this call). Memory: the summary and the graph live in the arena given, which must
 * outlive the summary's readers; messages belong to the FindingList. Deterministic; prints
 * nothing. */
#ifndef GRAPH_RULES_H
#define GRAPH_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../model/callgraph.h"
#include "../model/project.h"
#include "finding.h"
#include "rules.h"

/* A place in the code with a short description ("JobService.list_jobs"). */
typedef struct GrRef {
    const char *path; /* display path */
    uint32_t line;    /* 1-based */
    const char *text; /* a qualified name ("JobService.list_jobs") or a callee ("task.cancel") */
    const char *note; /* why (an unresolved site's reason), or NULL */
} GrRef;

typedef struct GrLoop {
    GrRef loop;    /* the `async def` (line of its `while True`); text: qualified name */
    GrRef started; /* the create_task() that starts it; path NULL when none was found */
    GrRef *reach;  /* sync database work run in the loop's own context (event loop), by
                      distance: path:line of the work, text: the function doing it */
    uint32_t nreach;
    GrRef *offloaded; /* database work the loop hands to threads (to_thread, executors) */
    uint32_t noffloaded;
} GrLoop;

typedef struct GraphSummary {
    uint32_t functions, edges;
    uint32_t edges_by_kind[3]; /* CG_CALL, CG_OFFLOAD, CG_SPAWN */
    CgCoverage cov;
    double coverage;      /* cg_coverage() */
    GrRef *unresolved;    /* the first unresolved call sites (text: callee and reason) */
    uint32_t nunresolved; /* how many are listed (cov.unresolved is the total) */
    GrLoop *loops;        /* in path order */
    uint32_t nloops;
    GrRef *idioms; /* refresh-then-expunge sites (the refresh), in path order */
    uint32_t nidioms;
    uint32_t async_reaching; /* async defs with an SA202 chain */
    uint32_t thread_entries; /* thread/executor entry points reaching database work */
} GraphSummary;

#define GR_UNRESOLVED_LISTED 20

/* Runs the call-graph rules over the project p (whose sites' file indexes are Program file
 * indexes) and returns the summary, allocated in a. */
const GraphSummary *graph_rules_run(const Program *prog, const RuleProject *p, Arena *a,
                                    FindingList *out);

/* async_graph.c and loading_graph.c, for graph_rules_run and the unit tests. sites: per Program
 * file (src NULL when not parsed); shown: RuleProject.shown. */
void rule_async_graph(const CallGraph *cg, const FindingSite *sites, const char *shown,
                      FindingList *out, GraphSummary *sum, Arena *a);
void rule_loading_graph(const CallGraph *cg, const FindingSite *sites, FindingList *out,
                        GraphSummary *sum, Arena *a);

#endif
