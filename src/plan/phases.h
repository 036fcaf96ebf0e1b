/* phases: the migration plan (the report's section 9) and the strategies compared for this
 * codebase (section 10), generated from the dependency graph, the findings and the estimate.
 *
 * Phases come in the order teams found safe (docs/plan.md):
 *   foundation      dependencies, legacy declarative_base imports, AsyncAttrs on the bases
 *   select          Query chains to select() while everything is still sync
 *   loading         lazy loading and expiry pre-work (relationships, expire_on_commit)
 *   async_engine    an async engine and session factory beside the sync ones: the database
 *                   layer's nodes (providers, engines, factories)
 *   core_services   services with fan-in >= core_fan_in, and what they depend on, leaves first
 *   services        the remaining services, leaves first
 *   routes_loops    route modules and background loops
 *   tests           tests and fixtures
 *   worker          the worker decision: threads and thread pools
 *   cleanup         the sync engines and session factories removed, Alembic env.py
 * The estimate's points are split over the phases: a finding's points go to the phase of its
 * rule (SA1xx select, SA3xx loading, SA401/SA402/SA405 async_engine, SA106/SA403/SA406
 * foundation, SA407/SA408 tests, SA205/SA409 worker, SA404 cleanup); the points of a file
 * itself and of its sessions go to the file's home phase (its nodes' phase, tests, worker, or
 * the phase holding most of its findings' points); sync_removal goes to cleanup. So the phases
 * add up to the estimate. A component (a cycle) goes to the latest phase of its members.
 * Weeks follow one another at the estimate's velocity.
 *
 * Strategies: full async (this plan), hybrid (the worker and what only it uses stay sync; each
 * file holding a service that the worker shares with async code keeps a sync path beside the
 * async one: hybrid_shared x its points; the worker risk rule no longer holds) and 2.0-first
 * (the select and loading phases shipped as a separate project first: every file they touch is
 * opened again for the async project, second_pass x its file points).
 *
 * Memory: a Plan owns its arrays in its arena until ph_free(); it borrows the graph, the
 * estimate and the input, which must outlive it. Nothing is printed. */
#ifndef PHASES_H
#define PHASES_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../model/facts.h"
#include "depgraph.h"
#include "estimate.h"

#define PH_KINDS(X)                                                               \
    X(FOUNDATION, "foundation", "Foundation: dependencies and declarative bases") \
    X(SELECT, "select", "`select()` under sync")                                  \
    X(LOADING, "loading", "Loading and expiry pre-work")                          \
    X(ASYNC_ENGINE, "async_engine", "Async engine beside the sync one")           \
    X(CORE, "core_services", "Core services, leaves first")                       \
    X(SERVICES, "services", "Remaining services, leaves first")                   \
    X(ROUTES, "routes_loops", "Routes and background loops")                      \
    X(TESTS, "tests", "Tests and fixtures")                                       \
    X(WORKER, "worker", "The worker decision")                                    \
    X(CLEANUP, "cleanup", "Remove the sync engine")

typedef enum {
#define X(id, key, title) PH_##id,
    PH_KINDS(X)
#undef X
        PH__COUNT
} PhaseKind;

typedef struct PhFile {
    uint32_t file; /* index into the estimate input's files */
    const char *path;
    uint32_t line; /* first evidence in this phase (a finding or a node), 0 for none */
    double points, fix_removes, remaining;
    uint32_t findings; /* findings of this phase's rules */
    const char *codes; /* "SA101 ×3, SA103" */
    bool home;         /* the file's own work (and its sessions) is counted here */
    uint32_t sessions; /* when home */
    bool cleanup;      /* cleanup: the file holds a sync engine or session factory */
} PhFile;

typedef struct Phase {
    PhaseKind kind;
    const char *key, *title;
    PhFile *files; /* by path */
    uint32_t nfiles;
    uint32_t *steps; /* graph components switched here, in migration order */
    uint32_t nsteps;
    double points, fix_removes, remaining, weeks, start, end;
    uint32_t findings;
} Phase;

#define PH_STRATEGIES(X)                              \
    X(FULL, "full_async", "Full async")               \
    X(HYBRID, "hybrid", "Hybrid (worker stays sync)") \
    X(V2_FIRST, "v2_first", "2.0-first")

typedef enum {
#define X(id, key, title) PH_STRAT_##id,
    PH_STRATEGIES(X)
#undef X
        PH_STRAT__COUNT
} PhStrategyKind;

typedef struct PhStrategy {
    const char *key, *title;
    bool applicable;  /* hybrid: the code has worker threads */
    double remaining; /* points after `sqlasync fix` */
    double weeks, low, high;
    uint32_t holding; /* risk rules that hold */
    EstLevel level;
    double saved, added;  /* hybrid: points kept sync; points for shared services */
    uint32_t *sync_files; /* hybrid: files that stay sync */
    uint32_t nsync_files;
    uint32_t *shared; /* hybrid: nodes the worker shares with async code */
    uint32_t nshared;
    uint32_t *shared_files; /* hybrid: files holding them */
    uint32_t nshared_files;
    uint32_t *kept_engines; /* hybrid: files whose sync engine stays for the worker */
    uint32_t nkept_engines;
    double pass1, pass1_weeks; /* 2.0-first: the 2.0 project */
    uint32_t pass1_files;      /* files the 2.0 project touches */
    uint32_t pass1_python;     /* of them Python files, opened again by the async project */
    EstLevel pass1_level;
    uint32_t pass1_holding;
    double pass2, pass2_weeks; /* 2.0-first: the async project, second visits included */
} PhStrategy;

typedef struct PhInput {
    const DgGraph *g; /* node files index in->files */
    const Estimate *e;
    const EstInput *in;
    const FileFacts *const *facts; /* per file of in->files, NULL when none (configuration files,
                                      unparsed files); may be NULL altogether */
    uint32_t nfacts;
} PhInput;

typedef struct Plan {
    Arena arena;
    Phase phases[PH__COUNT];
    PhaseKind *node_phase; /* per graph node */
    bool *core;            /* per graph node: in the core set */
    PhStrategy strategies[PH_STRAT__COUNT];
    double core_fan_in;
    uint32_t *async_engines; /* files with an async engine already, for evidence */
    uint32_t nasync_engines;
    uint32_t *async_lines; /* the first async engine's line in each */
} Plan;

void ph_build(Plan *p, const PhInput *in);
void ph_free(Plan *p);

/* The phase of a rule code's findings, or PH__COUNT when it goes with its file's home phase. */
PhaseKind ph_phase_of_code(const char *code);
const char *ph_key(PhaseKind k);
const char *ph_title(PhaseKind k);

#endif
