/* callgraph: the project's call graph across files, for the whole-program rules and the plan.
 *
 * cg_build() takes the Program and its facts (linked by facts_link_project), builds the symbol
 * table (symbols.h) and resolves every call site of every parsed file:
 *   - names through the function's locals (parameters by annotation, `x = Service(db)`, `with
 *     provider() as s`, function-level imports, nested defs), then module scope (definitions,
 *     module-level singletons, imports absolute, relative and aliased, star imports), builtins;
 *   - attributes through the type of the receiver: `self`/`cls` and `super()`, attribute types
 *     from `__init__` and other methods (`self.db = db` with `db: DatabaseService`,
 *     `self.queue = TaskQueue(db)`), inherited methods through the MRO (and subclasses'
 *     overrides), return annotations (and, for unannotated functions, what `return` statements
 *     build), FastAPI `Depends()`, pytest fixtures named by test parameters;
 *   - function references handed to `loop.run_in_executor`, `asyncio.to_thread`,
 *     `threading.Thread(target=)`, `executor.submit/map` (OFFLOAD edges), `asyncio.create_task`
 *     and friends (SPAWN), FastAPI `BackgroundTasks.add_task` (SPAWN for a coroutine function,
 *     OFFLOAD for a sync one, which FastAPI runs in its threadpool), lambdas and
 *     `functools.partial` around them, and `Depends(provider)` (CALL for an async provider,
 *     OFFLOAD for a sync one, which also runs in the threadpool).
 * Every call site ends up RESOLVED (a project function or class), EXTERNAL (a builtin, a
 * library, a method of a library object, or a method name that no project function has) or
 * UNRESOLVED with a reason; unresolved sites are kept with their position, never dropped.
 * Coverage is resolved / (resolved + unresolved): the share of the calls that could be project
 * code which the graph follows. docs/callgraph.md states the rules and their limits.
 *
 * Nodes are the SymTable's function ids (one per FxFunc of every parsed file). Each node also
 * records the sync database work done directly in it (from the facts: sync session
 * acquisitions, legacy queries, session operations that do IO, 2.0 statements and implicit
 * execution, leaving out what a lambda hands to a thread), the sinks of the async rules.
 *
 * Memory: everything lives in the arena given to cg_build; the graph borrows the Program and the
 * facts, which must outlive it. The build is linear in the number of call sites (hash lookups, no
 * search over the project per call), walks the files' call sites over threads with the result of
 * a single-threaded walk (callgraph_par.c), keeps no global state and prints nothing. A built
 * graph is read-only except for the types cg_eval() memoises: read it from one thread.
 * callgraph_types.c holds the typing of names and expressions, callgraph.c the walk. */
#ifndef CALLGRAPH_H
#define CALLGRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"
#include "facts.h"
#include "project.h"
#include "symbols.h"

typedef enum {
    CG_CALL,    /* runs in the caller's context (thread, event loop) */
    CG_OFFLOAD, /* runs in a worker thread or executor */
    CG_SPAWN,   /* runs as a new task on the event loop */
} CgEdgeKind;

#define CG_VIAS(X)                   \
    X(CALL, "call")                  \
    X(EXECUTOR, "run_in_executor")   \
    X(TO_THREAD, "to_thread")        \
    X(THREAD, "thread")              \
    X(SUBMIT, "submit")              \
    X(CREATE_TASK, "create_task")    \
    X(BACKGROUND, "background_task") \
    X(DEPENDS, "depends")

typedef enum {
#define X(id, name) CG_VIA_##id,
    CG_VIAS(X)
#undef X
        CG_VIA__COUNT
} CgVia;

typedef struct CgEdge {
    uint32_t from, to; /* function ids */
    uint8_t kind;      /* CgEdgeKind */
    uint8_t via;       /* CgVia */
    bool awaited;      /* the call is awaited */
    uint32_t file;     /* Program file of the site (the caller's) */
    Span span;         /* the call, the function reference, or the Depends parameter */
    uint32_t line;     /* 1-based */
    uint32_t col;      /* 0-based byte column */
    const Node *node;  /* the Call, the reference handed over, or NULL (Depends) */
} CgEdge;

typedef enum { CG_RESOLVED, CG_EXTERNAL, CG_UNRESOLVED } CgStatus;

#define CG_REASONS(X)                                                                    \
    X(UNKNOWN_RECEIVER, "unknown_receiver", "receiver of unknown type")                  \
    X(MISSING_MEMBER, "missing_member", "no such member on the project class or module") \
    X(LOCAL_CALLABLE, "local_callable", "local variable or parameter of unknown value")  \
    X(UNDEFINED_NAME, "undefined_name", "name not defined in the module")                \
    X(MODULE_VALUE, "module_value", "module-level variable of unknown value")            \
    X(DYNAMIC_CALLEE, "dynamic_callee", "callee is a computed expression")               \
    X(NOT_CALLABLE, "not_callable", "value is not a function or class")

typedef enum {
#define X(id, key, text) CG_R_##id,
    CG_REASONS(X)
#undef X
        CG_R__COUNT
} CgReason;

/* An unresolved call site. */
typedef struct CgSite {
    uint32_t file;
    int32_t caller; /* function id, or -1 at module level */
    Span span;
    uint32_t line, col;
    uint8_t reason;   /* CgReason */
    const char *text; /* the callee as dotted text, or its source text (shortened) */
} CgSite;

typedef struct CgCoverage {
    uint32_t resolved, external, unresolved;
    uint32_t by_reason[CG_R__COUNT];
    uint32_t by_via[CG_VIA__COUNT]; /* resolved edges by how they hand over */
} CgCoverage;

typedef struct CgPriv CgPriv; /* private: locals per function, memoised types */

typedef struct CallGraph {
    SymTable *st;
    uint32_t nnodes; /* == st->nfuncs */
    CgEdge *edges;   /* sorted by (from, file position) */
    uint32_t nedges;
    uint32_t *out; /* nnodes + 1: node n's edges are edges[out[n] .. out[n + 1]) */
    uint32_t *in;  /* nnodes + 1: in_edges[in[n] .. in[n + 1]) index edges into n */
    uint32_t *in_edges;
    uint32_t *db_direct; /* per node: sync database work done directly in it */
    uint32_t *db_line;   /* per node: line of the first such work, 0 when none */
    CgSite *unresolved;  /* in file order */
    uint32_t nunresolved;
    CgCoverage cov;
    CgPriv *priv;
    Arena *arena;
} CallGraph;

/* jobs: threads for the walk of the call sites (<= 0: proj_default_jobs()); the graph is the
 * same for any number. */
CallGraph *cg_build(const Program *prog, FileFacts *const *facts, int jobs, Arena *a);

/* resolved / (resolved + unresolved); 1.0 when there is no such site. */
double cg_coverage(const CallGraph *cg);
const char *cg_reason_text(CgReason r); /* "receiver of unknown type" */
const char *cg_reason_key(CgReason r);  /* "unknown_receiver" (stable, for JSON) */
const char *cg_via_name(CgVia v);

/* The facts of node n, its display path and its qualified name ("JobService.cancel"). */
const FxFunc *cg_func(const CallGraph *cg, uint32_t n);
const char *cg_path(const CallGraph *cg, uint32_t n);
uint32_t cg_file(const CallGraph *cg, uint32_t n);

/* The type of expression e as written in function func (a function id; -1 at module level) of
 * file: what the call-graph pass knows of locals, attributes, returns. */
SymVal cg_eval(const CallGraph *cg, uint32_t file, int32_t func, const Node *e);
/* The element type of a return annotation such as `list[Job]`, `Sequence[Job]`, `Iterator[Job]`
 * as a value (SV_INSTANCE of a class), or SV_UNKNOWN; file is where the annotation is written. */
SymVal cg_elem_type(const CallGraph *cg, uint32_t file, const char *annotation);

#endif
