/* callgraph_int: private state shared by callgraph.c (call sites, edges, database work) and
 * callgraph_types.c (what names, attributes and calls hold: locals per function, attribute
 * types, return types). Not for use outside src/model/callgraph*.c. */
#ifndef CALLGRAPH_INT_H
#define CALLGRAPH_INT_H

#include <stdatomic.h>

#include "../base/vec.h"
#include "callgraph.h"

#define SV_SUPER 100 /* private value kind: `super()` in a method of class id */

typedef struct Binding {
    const char *name;
    SymVal v;
    bool is_global; /* declared `global`: look at module scope */
} Binding;

typedef struct CgEnv {
    Binding *items;
    uint32_t n;
    const Node **returns; /* values of the return statements */
    uint32_t nreturns;
} CgEnv;

/* Memo states of variable and return types. FORCED: computed ahead (cgt_force) from DONE types
 * only; evaluation sees it as the single-threaded build would, where it is computed on first
 * use (when the nesting limit allows), so the graph is the same. */
enum { MEMO_NONE, MEMO_COMPUTING, MEMO_DONE, MEMO_FORCED };

/* What became of a FORCED type: used by the build (see forced_val in callgraph_types.c). */
typedef struct ForcedUse {
    atomic_uint first_file; /* the first file whose walk read it (UINT32_MAX: none) */
    bool used;              /* read on the calling thread (round two of the walk, or later) */
} ForcedUse;

struct CgPriv {
    CgEnv **envs;       /* per function id; NULL until pass 2 built it */
    SymVal *ret;        /* memoised return types */
    uint8_t *ret_state; /* MEMO_* */
    ForcedUse *ret_use; /* per function id once cgt_force ran, else NULL */
    SymVal *var;        /* module variable types */
    uint8_t *var_state;
    ForcedUse *var_use; /* per variable id once cgt_force ran, else NULL */
    int32_t *fixtures;  /* function ids of pytest fixtures */
    uint32_t nfixtures;
    uint32_t nesting; /* variable and return types being computed, one inside the other */
    bool envs_ready;
    bool frozen;   /* a read-only view for a walk thread: a type not memoised yet is a miss */
    bool trial;    /* cgt_force: a FORCED type is a miss too */
    bool missed;   /* a frozen view met such a type (and took it as unknown) */
    uint32_t file; /* the file being walked (UINT32_MAX after the walk) */
};

/* What evaluation sees: the file, the function (and, while its locals are being collected,
 * those collected so far), and names bound by enclosing comprehensions and lambdas. */
typedef struct Ctx {
    const CallGraph *cg;
    uint32_t file;
    int32_t func; /* function id, -1 at module level */
    const Binding *scratch;
    uint32_t nscratch;
    const char *const *shadow;
    uint32_t nshadow;
} Ctx;

typedef struct PtrMap {
    const void **keys;
    int32_t *vals;
    uint32_t cap;
} PtrMap;

typedef Vec(CgEdge) EdgeVec;
typedef Vec(CgSite) SiteVec;

typedef enum { WHERE_NONE, WHERE_LOCAL, WHERE_MODULE, WHERE_BUILTIN } Where;

/* callgraph.c: pass 3 for one file, appending its edges and unresolved sites and counting its
 * sites in cg->cov. */
void cg_walk_file(CallGraph *cg, uint32_t f, EdgeVec *edges, SiteVec *sites);
/* callgraph_par.c: pass 3 for every file over jobs threads, with the single-threaded result. */
void cgp_walk_files(CallGraph *cg, int jobs, EdgeVec *edges, SiteVec *sites);

/* callgraph_types.c */
void cgt_pm_init(PtrMap *m, uint32_t n);
void cgt_pm_put(PtrMap *m, const void *k, int32_t v);
int32_t cgt_pm_get(const PtrMap *m, const void *k); /* -1 when absent */
void cgt_pm_free(PtrMap *m);
/* The def and class nodes of a file mapped to their indexes in its facts. */
void cgt_file_maps(const FileFacts *ff, PtrMap *funcs, PtrMap *classes);
SymVal cgt_eval(const Ctx *c, const Node *e, int depth);
SymVal cgt_name_val(const Ctx *c, const char *name, Where *where);
SymVal cgt_attr_val(const Ctx *c, SymVal v, const char *attr);
/* Pass 1: attribute types from the facts' self attributes. */
void cgt_seed_attrs(CallGraph *cg);
/* Pass 2: the locals of every function (fixtures first). */
void cgt_build_envs(CallGraph *cg);
/* Before a walk over threads: computes the variable and return types that depend on memoised
 * ones only (FORCED), so that walks on frozen views miss less. */
void cgt_force(CallGraph *cg);

#endif
