/* facts_int: private state shared by facts.c and facts_*.c while one file is extracted.
 *
 * The builder (Fx) grows heap Vecs while walking and freezes them into the arena at the end.
 * Extraction runs in passes over the same AST: imports (facts.c), structure: classes,
 * functions, self attributes, module-level names (facts_struct.c), session providers
 * (facts_struct.c), then the main walk that records everything else (facts_walk.c) with call
 * classification in facts_call.c. Not for use outside src/model/facts*.c. */
#ifndef FACTS_INT_H
#define FACTS_INT_H

#include "facts.h"
#include "../base/vec.h"

/* What a local or module-level name is bound to, as far as this file shows. */
typedef enum {
    SYM_SESSION,  /* idx: acquisition */
    SYM_FACTORY,  /* sessionmaker instance; idx: sessionmaker or -1; scoped: scoped_session */
    SYM_ENGINE,   /* idx: engine or -1 */
    SYM_CONN,     /* engine.connect()/begin() result */
    SYM_QUERY,    /* idx: query built across statements */
    SYM_STMT,     /* idx: 2.0 statement */
    SYM_EXECUTOR, /* ThreadPoolExecutor instance */
    SYM_ROUTER,   /* APIRouter()/FastAPI() (mode FX_SYNC=fastapi) or Blueprint()/Flask() */
    SYM_REGISTRY, /* sqlalchemy.orm.registry() */
    SYM_SQLSTR,   /* a string literal (raw SQL candidate) */
    SYM_FLASKDB,  /* flask_sqlalchemy.SQLAlchemy() */
    SYM_FACADE,   /* an oslo.db enginefacade transaction context */
    SYM_TXMODE,   /* its reader/writer (`reader = enginefacade.reader`) */
    SYM_TXCTX,    /* a context whose `.session` is a session; idx: that acquisition */
} SymKind;

typedef struct Sym {
    const char *name;
    SymKind kind;
    int32_t idx;
    int32_t scope; /* function index; -1 module; -2 - cls for a class body */
    FxMode mode;
    bool scoped; /* SYM_FACTORY from scoped_session: usable as a session itself */
    bool flask;  /* SYM_ROUTER: Flask/Blueprint */
} Sym;

typedef Vec(const char *) StrVec;

typedef Vec(const Node *) NodeVec;

/* Pushes a node pointer (out of line: the macro's sizeof of a pointer trips a lint). */
static inline void fx_push_node(NodeVec *v, const Node *n)
{
    VEC_PUSH(*v, n); // NOLINT(bugprone-sizeof-expression): a vector of pointers
}

typedef struct QMeta {
    StrVec methods;
    NodeVec steps;
    uint32_t nbase;       /* methods before the terminal */
    uint32_t nbase_steps; /* steps before the terminal's statement */
} QMeta;

/* One slot of the function index: the first function of a (class, name, scope) key. */
typedef struct FuncSlot {
    const char *name; /* NULL: empty slot */
    int32_t cls;      /* class index, or -1 */
    int32_t scope;    /* enclosing def for a plain function, -1 at module level and for methods */
    int32_t idx;      /* into funcs */
} FuncSlot;

/* A node and nm_dotted of it (NULL: not a dotted name). */
typedef struct DottedSlot {
    const Node *node; /* NULL: empty */
    const char *dotted;
} DottedSlot;

typedef struct FxUses FxUses; /* facts_use.c */

typedef struct Fx {
    Arena *a;
    Source *src;
    FileFacts *ff;
    const FxHints *hints; /* or NULL */
    Vec(FxImport) imports;
    Vec(FxClass) classes;
    Vec(FxBaseAssign) bases;
    Vec(FxFunc) funcs;
    FuncSlot *func_index; /* open addressing, nfunc_slots (a power of two); heap, freed at
                             the end; grown by fx_index_func() as functions are collected */
    uint32_t nfunc_slots;
    FxHintLog lookups;    /* distinct hint lookups (fx_hint_exact); to hints->log at the end */
    uint32_t *lookup_set; /* open addressing over lookups: index + 1; heap */
    uint32_t lookup_mask; /* slots - 1 */
    uint32_t *import_set; /* open addressing by bound name: index + 1 of its last import; heap */
    uint32_t import_mask; /* slots - 1 */
    DottedSlot *dotted;   /* fx_dotted's cache, open addressing; heap, freed at the end */
    uint32_t dotted_mask, ndotted; /* slots - 1, slots used */
    Vec(FxSelfAttr) attrs;
    Vec(FxCall) calls;
    Vec(FxSession) sessions;
    Vec(FxQuery) queries;
    Vec(QMeta) qmeta; /* parallel to queries */
    Vec(FxStmt) stmts;
    Vec(FxSessionOp) ops;
    Vec(FxSql) sqls;
    Vec(FxEngineIo) eios;
    Vec(FxEngine) engines;
    Vec(FxSessionmaker) makers;
    Vec(FxRelationship) rels;
    Vec(FxDepends) deps;
    Vec(FxOffload) offs;
    Vec(FxAwaitInSession) ais;
    Vec(FxSleep) sleeps;
    Vec(Sym) syms;
    StrVec with_names;    /* last parts of callees used as `with` items */
    StrVec file_markers;  /* module-level pytestmark */
    StrVec facades;       /* module-level enginefacade transaction contexts (FileFacts) */
    FxUses *uses;         /* fx_used_as_session's summary of one body; heap */
    uint32_t line_cursor; /* fx_loc's line (source_linecol_near) */

    /* walk state */
    int32_t func, cls;
    Vec(int32_t) withs;        /* sync with-session blocks open (acquisition indexes) */
    uint32_t with_base;        /* withs[with_base..] belong to the current function */
    const NodeList *func_body; /* body of the current function (module body at top) */
    const NodeList *with_body; /* body of the with statement whose items are visited */
    const Node *cur_stmt;      /* statement being walked */
    const Node *assign_ann;    /* annotation of the AnnAssign being visited, or NULL */
    uint32_t loops;
    bool while_true;
    const Node *assign_value;  /* value of the assignment being visited */
    const char *assign_target; /* its single target as dotted text, or NULL */
    const Node *with_item;     /* context_expr of the with item being visited */
    const char *with_var;      /* its `as` name, or NULL */
    bool with_async;
    bool light;            /* FxHints.light: function bodies are not walked */
    bool enginefacade;     /* this file imports oslo_db.sqlalchemy, or hints may name facades */
    const Node *iter_node; /* iterable of the for loop/comprehension being visited */
    uint32_t next_func, next_class; /* walk order = structure order: the expected index */
    StrVec globals;                 /* names declared `global` in the current function */
    uint32_t globals_base;          /* globals[globals_base..] belong to the current function */
} Fx;

/* facts_use.c */
/* Is var used as a session in body: a session-only method called on it, or it passed to a
 * `Session` parameter of a function of this file; with hint (the names say session), any
 * session method. Summarises body once for every name (cached until another body is asked). */
bool fx_used_as_session(Fx *fx, const NodeList *body, const char *var, bool hint);
void fx_uses_free(Fx *fx);

/* facts.c */
FxLoc fx_loc(Fx *fx, Span s);
const char *fx_resolve(Fx *fx, const char *dotted);
/* nm_dotted(e, fx->a), made once per node of an extraction. */
const char *fx_dotted(Fx *fx, const Node *e);
const char *fx_resolve_expr(Fx *fx, const Node *e); /* nm_dotted + fx_resolve */
bool fx_is_sa_call(Fx *fx, const Node *call, const char *name);
void fx_push_sym(Fx *fx, const char *name, SymKind kind, int32_t idx, FxMode mode);
const Sym *fx_lookup(Fx *fx, const char *name);
/* Leaving a function whose walk began with mark symbols: drops the symbols bound since then
 * that only it (its nested functions and classes) can see, keeping `global` ones, so lookups
 * elsewhere do not scan them. */
void fx_drop_local_syms(Fx *fx, uint32_t mark);
int32_t fx_find_func(Fx *fx, const char *dotted); /* "name" or "self.method", in this file */
/* The first method `name` of class cls, or -1 (constant time once indexed). */
int32_t fx_method_of(Fx *fx, int32_t cls, const char *name);
/* Adds funcs.items[i], just pushed, to the (class, name, scope) -> first function index that
 * the two lookups above use, so they see the functions collected so far. */
void fx_index_func(Fx *fx, uint32_t i);
const FxSelfAttr *fx_self_attr_of(Fx *fx, const Node *e); /* self.<attr> in a method, or NULL */
int32_t fx_func_of_node(Fx *fx, const Node *def);
int32_t fx_class_of_node(Fx *fx, const Node *def);
const char *fx_text(Fx *fx, const Node *e);
bool fx_name_says_session(const char *name);
/* Enters a function body: records its `global` names; returns the previous base for
 * fx_leave_globals. */
uint32_t fx_enter_globals(Fx *fx, const NodeList *body);
void fx_leave_globals(Fx *fx, uint32_t saved_base);
bool fx_is_global(Fx *fx, const char *name);
/* A hint of that kind for an absolute name, following module-level re-exports; or NULL. */
const FxHint *fx_hint(Fx *fx, const char *name, FxHintKind kind);
/* The absolute (or, without hints, local) class name of what an expression holds, or NULL:
 * self, annotated parameters, attributes of known classes. */
const char *fx_value_type(Fx *fx, const Node *e);
/* The class of this file a type names (bare, qualname or module-qualified), or -1. */
int32_t fx_local_class(Fx *fx, const char *type);

/* facts_hints.c */
/* The hint named name[0..len) of that kind, or NULL; each distinct lookup is made once and
 * logged. */
const FxHint *fx_hint_exact(Fx *fx, const char *name, size_t len, FxHintKind kind);
/* fx_hint_exact given hash = fx_name_hash(name, len). */
const FxHint *fx_hint_exact_hashed(Fx *fx, const char *name, size_t len, FxHintKind kind,
                                   uint32_t hash);
/* The hash of a name for hint lookups (FNV-1a): FX_HASH_SEED carried on by fx_hash_byte over
 * each byte of the name. */
#define FX_HASH_SEED 2166136261u
static inline uint32_t fx_hash_byte(uint32_t hash, char c)
{
    return (hash ^ (unsigned char)c) * 16777619u;
}
/* That hash of name[0..len). */
static inline uint32_t fx_name_hash(const char *name, size_t len)
{
    uint32_t h = FX_HASH_SEED;
    for (size_t i = 0; i < len; i++)
        h = fx_hash_byte(h, name[i]);
    return h;
}
/* Frees the lookup set; gives the lookups to hints->log when it asks for them. */
void fx_hint_done(Fx *fx);

/* facts_struct.c */
void fx_collect_structure(Fx *fx, const Node *module);
void fx_find_providers(Fx *fx);
int fx_session_call_mode(Fx *fx, const Node *call, FxAcqForm *form, int32_t *pf, FxConf *conf);

/* facts_oslo.c: oslo.db enginefacade */
/* A transaction context: `enginefacade.transaction_context()`, a name bound to one (here or,
 * through hints, in another module), a call of a function returning one. */
bool fx_facade_ctx(Fx *fx, const Node *e);
/* A reader/writer of a transaction context (`cm.writer`, `enginefacade.reader`,
 * `cm.reader.allow_async`). */
bool fx_facade_mode(Fx *fx, const Node *e);
/* `<reader/writer>.using(context)`: a sync session context manager. */
bool fx_facade_using(Fx *fx, const Node *call);
/* A call starting a Query chain: oslo.db's utils.model_query or a function returning_query. */
bool fx_query_source(Fx *fx, const Node *call);
/* `context.session` where context is bound to an enginefacade session (SYM_TXCTX): that
 * acquisition, or -1. */
int32_t fx_context_session(Fx *fx, const Node *e);
/* Marks returns_facade, is_tx_decorator and in_transaction on the functions (after the
 * structure pass; hints give decorators of other modules). */
void fx_find_transactions(Fx *fx);
/* Entering function idx: its enginefacade session, when it is in_transaction. */
void fx_transaction_session(Fx *fx, int32_t idx);

/* facts_walk.c */
void fx_walk_module(Fx *fx, const Node *module);
int32_t fx_session_of(Fx *fx, const Node *recv);
const Node *fx_chain_root(const Node *e); /* innermost Call of a call/attribute chain */

/* facts_call.c */
void fx_visit_call(Fx *fx, const Node *call, bool awaited);
bool fx_record_chain(Fx *fx, const Node *e, bool awaited);
void fx_iterate_query(Fx *fx, int32_t k); /* `for x in q` over query k in a variable */
bool fx_engine_expr(Fx *fx, const Node *e);
bool fx_is_pool_call(Fx *fx, const Node *v);
void fx_visit_expr(Fx *fx, const Node *e, bool awaited);
bool fx_query_method(const char *m); /* a Query method giving a Query (filter, join, ...) */

#endif
