/* depgraph: the dependency graph of the classes and modules that do database work, condensed
 * into strongly connected components and ordered leaves first (the report's section 7 and
 * `sqlasync graph`).
 *
 * Nodes are classes, and modules with module-level functions (a module node stands for the
 * functions and module-level code of one file), that do database work directly (a session
 * acquisition, a Query chain, a session operation, an engine or a session factory, a session
 * provider) or depend on a node that does. Test files and Alembic env.py files are left out:
 * the plan treats them separately.
 *
 * An edge A -> B means "A uses B", so B is migrated first. Edges come from the facts, resolved
 * to classes and module functions of the project through each file's imports (absolute and
 * relative, re-exports of packages followed) and the file's own definitions:
 *   init_param     a constructor parameter annotation        `def __init__(self, db:
 * DatabaseService)` init_instance  an instance built in __init__             `self.queue =
 * TaskQueueService(db)` attr           any other typed self attribute            `self.runs:
 * RunService = ...` param          another function's parameter annotation   `def f(db:
 * DatabaseService)` call           a call or a function reference             `JobService(db)`,
 * `store.mark_migrated()`, or a module-level engine or session factory `SessionLocal()` depends a
 * FastAPI Depends(provider)                `Depends(get_db_service)` Several sites of the same pair
 * are one edge with a count and the first site as evidence. A module's functions using a class of
 * the same file make no edge: a file is migrated in one piece, and such edges would make every
 * entry point (`main()` building its class) a cycle.
 *
 * Components come from Tarjan's algorithm, run with an explicit stack (no recursion). A
 * component's level is 0 when it depends on no other component, else one more than the highest
 * level it depends on; the order sorts components by (level, fan-in descending, name), which
 * is a topological order with leaves first. A component of more than one node is a cycle; cycles
 * are numbered in that order.
 *
 * Memory: a DgGraph owns its arrays and the strings it builds in its arena until dg_free(); it
 * borrows paths and names from the input and the facts, which must outlive it. Output is
 * deterministic: nodes sorted by id, edges by (from, to). Nothing is printed. */
#ifndef DEPGRAPH_H
#define DEPGRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"
#include "../model/category.h"
#include "../model/facts.h"
#include "../model/project.h"

typedef struct DgFile {
    const FileFacts *ff; /* NULL when the file was not parsed */
    Source *src;         /* for line numbers of parameters; may be NULL (the def's line then) */
    const char *path;    /* display path */
    const char *module;  /* dotted module name, or NULL */
    bool is_package;
    FileCategory category; /* tests are left out of the graph */
} DgFile;

typedef enum { DG_CLASS, DG_MODULE } DgNodeKind;

#define DG_EDGE_KINDS(X)              \
    X(INIT_PARAM, "init_param")       \
    X(INIT_INSTANCE, "init_instance") \
    X(ATTR, "attr")                   \
    X(PARAM, "param")                 \
    X(CALL, "call")                   \
    X(DEPENDS, "depends")

typedef enum {
#define X(id, name) DG_EDGE_##id,
    DG_EDGE_KINDS(X)
#undef X
        DG_EDGE__COUNT
} DgEdgeKind;

typedef struct DgNode {
    const char *id;   /* "jobboard.db.DatabaseService"; a module node: "jobboard.api.deps" */
    const char *name; /* "DatabaseService" (the id when two nodes share a name); a module
                         node: its module name */
    DgNodeKind kind;
    uint32_t file;    /* index into the input files */
    const char *path; /* display path */
    uint32_t line;    /* the class statement; a module node: its first function */
    uint32_t db_ops;  /* direct database work: acquisitions, queries, session operations,
                         engines and session factories (0: only through dependencies) */
    uint32_t db_line; /* line of the first of them, or 0 */
    bool is_db_layer; /* defines a session provider, an engine or a session factory */
    bool has_routes;  /* FastAPI/Flask route handlers */
    bool has_loops;   /* background loops (`while True` in async def) */
    bool has_threads; /* starts threads or thread pools, or submits work to one */
    bool has_async;   /* an async def among its functions */
    uint32_t fan_in;  /* distinct nodes that depend on it */
    uint32_t fan_out; /* distinct nodes it depends on */
    uint32_t comp;    /* index into comps */
    int32_t via;      /* the next node on a shortest dependency chain to direct database
                         work, or -1 when the node does database work itself */
} DgNode;

typedef struct DgEdge {
    uint32_t from, to; /* from uses to: migrate `to` first */
    DgEdgeKind kind;   /* the first site's kind */
    uint32_t line;     /* first site, in from's file */
    const char *text;  /* the first site's code: "self.queue = TaskQueueService(db)" */
    uint32_t count;    /* sites of this pair: distinct lines */
} DgEdge;

typedef struct DgComp {
    uint32_t *members; /* node indexes, by name */
    uint32_t n;
    const char *name; /* the member's name; a cycle: names joined by " ↔ " */
    uint32_t level;   /* 0: depends on no other component */
    uint32_t fan_in;  /* distinct nodes outside that depend on a member */
    uint32_t *deps;   /* components it depends on, in order */
    uint32_t ndeps;
    int32_t cycle; /* 0-based cycle number, or -1 */
} DgComp;

typedef struct DgGraph {
    Arena arena;
    DgNode *nodes; /* sorted by id */
    uint32_t nnodes;
    DgEdge *edges; /* sorted by (from, to) */
    uint32_t nedges;
    uint32_t *out; /* nnodes + 1: edges of node i are edges[out[i] .. out[i+1]) */
    DgComp *comps; /* in migration order: leaves first */
    uint32_t ncomps;
    uint32_t ncycles;
    uint32_t nclasses, nmodules;
    uint32_t candidates; /* classes and modules examined (before keeping those that reach
                            database work) */
} DgGraph;

/* Builds the graph of files[0..n). Never fails. */
void dg_build(DgGraph *g, const DgFile *files, uint32_t n);
/* The same for a loaded Program and its facts (facts[i] for prog->files[i], NULL when not
 * parsed); categories as the report shows them (route handler files count as routes). Node
 * file indexes are Program file indexes. */
void dg_build_program(DgGraph *g, Program *prog, FileFacts *const *facts);
void dg_free(DgGraph *g);

/* The node with that id, or -1. */
int32_t dg_find(const DgGraph *g, const char *id);
/* True when node a depends on node b through an edge. */
bool dg_has_edge(const DgGraph *g, uint32_t a, uint32_t b);
const char *dg_edge_kind_name(DgEdgeKind k); /* "init_param", ... */

/* Marks in reach[] (nnodes entries, set by the caller for the start nodes) every node that a
 * marked node depends on, directly or not. Worklist, no recursion. */
void dg_reach(const DgGraph *g, bool *reach);

#endif
