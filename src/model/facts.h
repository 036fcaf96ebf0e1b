/* facts: what one Python file says about SQLAlchemy, sessions and async structure.
 *
 * facts_extract() walks one module AST once and returns a FileFacts: flat arrays of items, each
 * with its byte span, 1-based line, 0-based byte column and the index of the innermost enclosing
 * function (FxLoc). Everything is found by meaning from the AST: names are followed through the
 * file's imports and through simple local assignments (`SessionLocal = sessionmaker(...)`,
 * `s = SessionLocal()`, `q = s.query(X)`); what lives in other files is kept as dotted text plus
 * the import it came through (FxFunc/FxCall `resolved`), so the whole-program pass can finish the
 * job (facts_link_project).
 *
 * Memory: the FileFacts, its arrays and every string in it live in the arena given to
 * facts_extract (the file's arena). Strings are NUL-terminated; a `const char *` field is never
 * NULL unless its comment says "or NULL". `const Node *` fields point into the same file's AST,
 * which must outlive the facts. Indexes (func, cls, session) are into the arrays of the same
 * FileFacts; -1 means none. Extraction never changes the AST, keeps no global state, never
 * prints, and may run in parallel on different files. Arrays are ordered by source position. */
#ifndef FACTS_H
#define FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"
#include "../syntax/ast.h"

/* Where an item is. func: innermost enclosing def (index into funcs), -1 at module/class level. */
typedef struct FxLoc {
    Span span;
    uint32_t line; /* 1-based */
    uint32_t col;  /* 0-based byte column */
    int32_t func;
} FxLoc;

/* Sync or async, for sessions, engines, factories. */
typedef enum { FX_SYNC, FX_ASYNC, FX_UNKNOWN } FxMode;

/* How sure extraction is that something is a session. KNOWN: traced to SQLAlchemy through
 * imports/assignments, or to a provider in this file or (with hints) in another one. LIKELY: a
 * provider it cannot see whose bound name is used like a session: a session-only method
 * (expunge, expunge_all, add_all, begin_nested, bulk_*, get_bind, no_autoflush), or query, add,
 * commit, execute, flush, ... when the provider's or the variable's name says "session". */
typedef enum { FX_CONF_KNOWN, FX_CONF_LIKELY } FxConf;

/* ---- imports ------------------------------------------------------------------------------ */

typedef struct FxImport {
    FxLoc loc;
    const char *module; /* "sqlalchemy.orm"; "" for `from . import x` */
    const char *name;   /* from-import: the imported name ("*" allowed); or NULL for `import m` */
    const char *asname; /* or NULL */
    const char *bound;  /* local name it binds: asname, name, or the first part of module */
    const char *target; /* what `bound` stands for: "sqlalchemy.orm.Session", "os" (for
                           `import os.path`: "os"); a relative import keeps its leading dots
                           (".db.DatabaseService") until facts_link_project makes it absolute */
    uint32_t level;     /* leading dots of a relative import */
    bool type_checking; /* under `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:` */
} FxImport;

/* ---- classes ------------------------------------------------------------------------------ */

typedef enum {
    FX_BASE_NONE,
    FX_BASE_CLASS,    /* class Base(DeclarativeBase) / DeclarativeBaseNoMeta */
    FX_BASE_FUNCTION, /* Base = declarative_base() */
    FX_BASE_REGISTRY, /* Base = registry().generate_base() / mapper_registry.generate_base() */
} FxBaseForm;

typedef struct FxClass {
    FxLoc loc; /* span of the ClassDef (from `class`, decorators not included) */
    const char *name;
    const char *qualname; /* "Outer.Inner" */
    const char **bases;   /* dotted text as written, subscripts stripped: "orm.DeclarativeBase" */
    const char **bases_resolved; /* through imports: "sqlalchemy.orm.DeclarativeBase"; same as
                                    bases[i] when local or unknown; facts_link_project makes
                                    them absolute ("app.models.Base") */
    uint32_t nbases;
    const char **decorators; /* dotted text without call arguments */
    uint32_t ndecorators;
    FxBaseForm base_form; /* != FX_BASE_NONE: this class is a declarative base */
    bool has_async_attrs; /* AsyncAttrs among its bases (or a base's bases, in this file) */
    bool is_mapped;       /* inherits a declarative base; set within the file by extraction,
                             across files by facts_link_project */
    bool has_tablename;   /* __tablename__ or __table__ in the body */
    const Node *node;
} FxClass;

/* A declarative base made by a call rather than a class: `Base = declarative_base()`. */
typedef struct FxBaseAssign {
    FxLoc loc;
    const char *name;   /* the assigned name, "Base" */
    FxBaseForm form;    /* FX_BASE_FUNCTION or FX_BASE_REGISTRY */
    bool legacy_import; /* declarative_base came from sqlalchemy.ext.declarative */
    const Node *call;
} FxBaseAssign;

/* ---- functions ---------------------------------------------------------------------------- */

typedef enum {
    FX_PARAM_POSONLY,
    FX_PARAM_POS,
    FX_PARAM_VARARG,
    FX_PARAM_KWONLY,
    FX_PARAM_KWARG
} FxParamKind;

typedef struct FxParam {
    Span span;
    const char *name;
    const char *annotation; /* normalised text or NULL: quotes removed, one space after ',',
                               `Optional["Session"]` -> "Optional[Session]" */
    const char *type;       /* the core type, dotted, with Optional[...], `X | None`, Annotated[X,
                               ...] and quotes unwrapped: "Session"; NULL when not one name */
    const char *type_resolved; /* type through imports: "sqlalchemy.orm.Session"; or NULL */
    const char *default_text;  /* source text of the default, or NULL */
    const char *depends;       /* FastAPI Depends(provider): dotted provider text, or NULL */
    FxParamKind kind;
    bool nullable;       /* Optional[...] or `| None` or default None */
    bool is_session;     /* annotated with SQLAlchemy's Session/AsyncSession (or scoped_session) */
    FxMode session_mode; /* FX_SYNC Session, FX_ASYNC AsyncSession; FX_UNKNOWN otherwise */
} FxParam;

typedef enum {
    FX_ROUTE_NONE,
    FX_ROUTE_FASTAPI, /* @router.get/post/put/patch/delete/head/options/api_route, @app.get */
    FX_ROUTE_FLASK,   /* @bp.route, @app.route, @app.get (Flask 2) when Flask is imported */
} FxRouteKind;

typedef struct FxFunc {
    FxLoc loc;      /* span of the FunctionDef as Python gives it (from `def`/`async`,
                       decorators not included); loc.func: enclosing def, or -1 */
    Span name_span; /* the name after `def` */
    uint32_t end_line;
    const char *name;
    const char *qualname; /* "Class.method", "outer.<locals>.inner" as Python spells it */
    int32_t cls;          /* index into classes when a method, else -1 */
    bool is_async;
    bool is_method;
    bool is_staticmethod, is_classmethod, is_property;
    const char **decorators; /* dotted text without arguments: "router.get", "pytest.fixture" */
    uint32_t ndecorators;
    FxParam *params;
    uint32_t nparams;
    const char *returns;      /* normalised return annotation, or NULL */
    const char *returns_type; /* its core type as for FxParam.type ("Iterator[Session]" ->
                                 "Session" for generators/context managers), or NULL */

    bool is_generator;           /* contains yield (not in nested defs) */
    bool is_contextmanager;      /* @contextmanager / @contextlib.contextmanager */
    bool is_asynccontextmanager; /* @asynccontextmanager */
    /* Session provider: yields or returns a session (`yield self.SessionLocal()`, a sessionmaker
     * instance call, `Session(engine)`, a variable bound to one, or its return/yield annotation
     * names Session/AsyncSession). */
    bool is_session_provider;
    FxMode provider_mode;
    const char *provider_expr; /* text of what it yields/returns, or NULL */

    FxRouteKind route;
    const char *route_method; /* "GET", "POST", ... ("ANY" for api_route/route without methods) */
    const char *route_path;   /* decoded string literal, or NULL */
    const char *route_router; /* "router", "app", "bp" */

    bool is_fixture;           /* @pytest.fixture / @pytest_asyncio.fixture */
    bool fixture_async_plugin; /* @pytest_asyncio.fixture */
    const char *fixture_scope; /* "function" when unset */
    bool fixture_autouse;
    bool is_test;         /* test_* function (or Test* class method) in a test file */
    const char **markers; /* pytest markers: "asyncio", "parametrize", "anyio", ... */
    uint32_t nmarkers;

    /* oslo.db enginefacade: decorated with a reader/writer of a transaction context
     * (`@context_manager.reader`, `@enginefacade.writer`, `@cm.writer.independent`) or with a
     * project decorator that applies one; the `.session` of its context parameter (the first,
     * or the second after self/cls) is then a sync session (FX_ACQ_DECORATOR). */
    bool in_transaction;
    /* A decorator of the project that runs the function it takes in an enginefacade
     * transaction: `return cm.reader(f)`, or a nested def calling f inside
     * `with <facade>.writer.using(context):` (nova's pick_context_manager_writer). */
    bool is_tx_decorator;
    bool returns_facade; /* returns an enginefacade transaction context (or one of them) */
    /* Returns a legacy Query built by oslo.db's `utils.model_query(model, session)` or by
     * another such function (nova's `model_query(context, Model)`); set in files importing
     * oslo_db.sqlalchemy. A call of it starts a Query chain (FxQuery.helper). */
    bool returns_query;

    bool is_background_loop; /* async def containing `while True` (not in nested defs) */
    uint32_t loop_line;      /* line of that `while`, or 0 */

    bool has_await;      /* any await / async for / async with directly in the body */
    uint32_t ndb_direct; /* session acquisitions + queries + session ops directly inside
                            (not in nested defs); filled at the end of extraction */
    const Node *node;
} FxFunc;

/* An attribute assigned on self: `self.db = db` (db: DatabaseService), `self.queue =
 * TaskQueueService(db)`, `self.session = session`, `self.engine = create_engine(...)`. */
typedef enum {
    FX_ATTR_PARAM,      /* value is a parameter; type from its annotation */
    FX_ATTR_CTOR,       /* value is a call; type is the callee dotted text */
    FX_ATTR_ANNOTATION, /* `self.x: T = ...` */
    FX_ATTR_OTHER,
} FxAttrOrigin;

typedef struct FxSelfAttr {
    FxLoc loc;
    int32_t cls;      /* owning class */
    const char *attr; /* "db" */
    const char *type; /* dotted type text ("DatabaseService", "TaskQueueService"), or NULL */
    const char *type_resolved; /* through imports, or NULL */
    const char *value;         /* source text of the value */
    FxAttrOrigin origin;
    bool in_init;         /* assigned in __init__ */
    bool is_session;      /* a session (param annotated Session, Session(...), factory call) */
    bool is_sessionmaker; /* sessionmaker(...) / async_sessionmaker(...) */
    bool is_engine;       /* create_engine(...) / create_async_engine(...) */
    FxMode mode;          /* for the three flags above */
} FxSelfAttr;

/* ---- calls -------------------------------------------------------------------------------- */

/* Every call whose callee is a dotted name (`f`, `self.queue.get_next_task`, `mod.f`). */
typedef struct FxCall {
    FxLoc loc;            /* span of the Call */
    const char *callee;   /* "self.queue.get_next_task" */
    const char *receiver; /* "self.queue", or NULL for a plain name */
    const char *method;   /* last part: "get_next_task" */
    const char *resolved; /* first part replaced through imports ("jobboard.db.DatabaseService"),
                             NULL when the first name is not imported (self.x, locals) */
    bool is_awaited;
    int32_t session_block; /* innermost enclosing `with` session acquisition, -1 */
    bool in_loop;          /* inside for/while in the same function */
    uint32_t nargs;
    const Node *node;
} FxCall;

/* ---- sessions ----------------------------------------------------------------------------- */

typedef enum {
    FX_ACQ_WITH,         /* with X.get_session() as s (provider function/method) */
    FX_ACQ_ASYNC_WITH,   /* async with X() as s */
    FX_ACQ_NO_WITH,      /* s = self.db.get_session(): context manager called without with
                            (SA207) */
    FX_ACQ_SESSION_CTOR, /* Session(engine) / AsyncSession(engine), with or without with */
    FX_ACQ_FACTORY_CALL, /* SessionLocal() / sessionmaker(...)() / self.SessionLocal() */
    FX_ACQ_PARAM,        /* parameter annotated Session/AsyncSession */
    FX_ACQ_SELF_ATTR,    /* self.session used as a session */
    FX_ACQ_DEPENDS,      /* FastAPI Depends(provider) parameter yielding a session */
    FX_ACQ_DECORATOR,    /* oslo.db enginefacade reader/writer decorator: `context.session` in
                            the function (loc: the decorator; var: "context.session") */
} FxAcqForm;

typedef struct FxSession {
    FxLoc loc; /* the with item / call / parameter */
    FxAcqForm form;
    FxMode mode;
    FxConf conf;
    const char *provider;          /* dotted text of what is called: "self.db.get_session",
                                      "SessionLocal", "Session"; the parameter's annotation for PARAM */
    const char *provider_resolved; /* through imports, or NULL */
    int32_t provider_func; /* provider defined in this file (function or self method), or -1 */
    const char *var;       /* bound name ("session", "self.session"), or NULL */
    bool in_with;          /* used as a with/async with item */
    bool is_async_with;
    Span block;       /* the whole with statement when in_with, else the acquiring statement */
    const Node *node; /* the Call (or the arg node for PARAM) */
} FxSession;

/* ---- legacy Query ------------------------------------------------------------------------- */

typedef enum {
    FX_TERM_NONE, /* chain never consumed here (returned, passed on) */
    FX_TERM_ALL,
    FX_TERM_FIRST,
    FX_TERM_ONE,
    FX_TERM_ONE_OR_NONE,
    FX_TERM_SCALAR,
    FX_TERM_COUNT,
    FX_TERM_GET,
    FX_TERM_UPDATE,
    FX_TERM_DELETE,
    FX_TERM_ITER,   /* for x in q / list(q) */
    FX_TERM_EXISTS, /* .exists() / .exists() wrapped */
    FX_TERM_OTHER,  /* another method ends it (e.g. .paginate, .subquery) */
} FxTerminal;

typedef struct FxQuery {
    FxLoc loc;            /* span of the outermost Call of the chain (first statement's for
                             chains across statements) */
    int32_t session;      /* index into sessions of the receiver's acquisition, or -1 */
    const char *receiver; /* "session", "self.session", "db" */
    const char **methods; /* in order, starting with "query" */
    uint32_t nmethods;
    FxTerminal terminal;
    uint32_t nentities; /* arguments of query(...) */
    bool is_entity;     /* query(Model) of one mapped-looking entity (a class name) */
    const char *entity; /* dotted text of the first argument, or NULL */
    bool multiline;
    bool across_statements; /* q = s.query(X); q = q.filter(...); q.all() */
    const char *var;        /* the variable for chains across statements, or NULL */
    const Node *call;       /* outermost Call node of the (last) expression */
    const Node *root;       /* the `<session>.query(...)` Call */
    const Node **steps;     /* across statements: the statement nodes, in order; else NULL */
    uint32_t nsteps;
    const char *helper; /* the chain starts at a call of this query helper
                           ("model_query") instead of `<session>.query(...)`, or NULL */
    const char *manual; /* why not mechanically convertible ("from_self", "string join",
                           "select_entity_from", "with_entities", "dynamic relationship"),
                           or NULL */
} FxQuery;

/* ---- 2.0 style ---------------------------------------------------------------------------- */

typedef enum {
    FX_STMT_SELECT, /* sqlalchemy select() */
    FX_STMT_INSERT,
    FX_STMT_UPDATE,
    FX_STMT_DELETE,
    FX_STMT_EXECUTE, /* session.execute(stmt) */
    FX_STMT_SCALARS,
    FX_STMT_SCALAR,
    FX_STMT_GET, /* session.get(Model, id) */
} FxStmtKind;

typedef struct FxStmt {
    FxLoc loc;
    FxStmtKind kind;
    const char *receiver; /* session text for EXECUTE..GET, else NULL */
    int32_t session;      /* for EXECUTE..GET, or -1 */
    const char *var;      /* statement variable it is assigned to, or NULL */
    bool is_awaited;
    bool list_form; /* select([a, b]) (SA107) */
    const Node *call;
} FxStmt;

/* ---- other session operations ------------------------------------------------------------- */

typedef struct FxSessionOp {
    FxLoc loc;      /* the Call */
    const char *op; /* get add add_all commit flush refresh expunge expunge_all delete
                       execute merge rollback close scalars scalar begin begin_nested */
    const char *receiver;
    int32_t session; /* acquisition the receiver comes from, or -1 */
    FxMode mode;     /* mode of the session */
    bool is_awaited;
    const Node *call;
} FxSessionOp;

/* ---- raw SQL and implicit execution ------------------------------------------------------- */

typedef enum {
    FX_SQL_TEXT,           /* text("...") */
    FX_SQL_STRING,         /* a str / f-string passed to execute() without text() (SA105) */
    FX_SQL_ENGINE_EXECUTE, /* engine.execute(...) / connection.execute("...") /
                              stmt.execute() implicit execution (SA104) */
} FxSqlKind;

typedef struct FxSql {
    FxLoc loc;
    FxSqlKind kind;
    const char *receiver; /* "session", "engine", "conn", or NULL for text() */
    bool is_fstring;
    const Node *call;
    const Node *arg; /* the string argument, or NULL */
} FxSql;

/* ---- engine and connection IO -------------------------------------------------------------- */

/* Sync database IO below the session: `engine.connect()` / `engine.begin()` (not under `async
 * with`, not awaited), `metadata.create_all(engine)` / `drop_all` / `reflect` given an engine or
 * a connection, and `conn.execute(...)` / `commit()`... on a connection opened from a sync engine
 * (SQL strings there are FX_SQL_ENGINE_EXECUTE instead). Each blocks an event loop; the async
 * forms are `async with engine.begin()` and `await conn.run_sync(metadata.create_all)`. */
typedef struct FxEngineIo {
    FxLoc loc;
    const char *op;       /* "connect", "begin", "create_all", "execute"... */
    const char *receiver; /* source text: "self.engine", "Base.metadata", "conn" */
    const Node *call;
} FxEngineIo;

/* ---- infrastructure ----------------------------------------------------------------------- */

typedef struct FxKwarg {
    const char *name;
    const char *value; /* source text */
} FxKwarg;

typedef enum {
    FX_ENGINE_CREATE,      /* create_engine / create_async_engine */
    FX_ENGINE_FROM_CONFIG, /* engine_from_config / async_engine_from_config */
} FxEngineForm;

typedef struct FxEngine {
    FxLoc loc;
    FxEngineForm form;
    FxMode mode;
    const char *target; /* "engine", "self.engine", "connectable", or NULL */
    const char *url;    /* source text of the first argument, or NULL */
    FxKwarg *kwargs;    /* every keyword as written */
    uint32_t nkwargs;
    bool has_pool_args; /* pool_size, max_overflow, pool_timeout, pool_recycle, pool_pre_ping,
                           poolclass, pool_use_lifo, pool_reset_on_return */
    const Node *call;
} FxEngine;

typedef struct FxSessionmaker {
    FxLoc loc;
    FxMode mode;          /* async_sessionmaker or class_=AsyncSession -> FX_ASYNC */
    const char *factory;  /* "sessionmaker", "async_sessionmaker", "scoped_session" */
    const char *target;   /* "SessionLocal", "self.SessionLocal", or NULL */
    const char *bind;     /* source text of bind= (or first argument), or NULL */
    int expire_on_commit; /* -1 unset, 0 False, 1 True, 2 another expression */
    FxKwarg *kwargs;
    uint32_t nkwargs;
    const Node *call;
} FxSessionmaker;

typedef struct FxRelationship {
    FxLoc loc;          /* the relationship() call */
    int32_t cls;        /* owner class, or -1 */
    const char *attr;   /* "jobs", or NULL */
    const char *target; /* "Job" (string argument unquoted, else Mapped[...] inner type) */
    const char *lazy;   /* lazy= value unquoted ("select", "selectin", "dynamic", "raise"), or
                           NULL for the default (lazy loading) */
    int uselist;        /* -1 unknown, 0 scalar, 1 collection (from uselist= or Mapped[list]) */
    const char *back_populates; /* or NULL */
    bool is_backref;            /* backref(...) / backref="x" */
    const Node *call;
} FxRelationship;

/* FastAPI Depends(provider) in a parameter default or Annotated[...]. */
typedef struct FxDepends {
    FxLoc loc;                     /* the parameter; loc.func is the function */
    int32_t param;                 /* index into funcs[loc.func].params */
    const char *provider;          /* dotted text, or NULL for Depends() */
    const char *provider_resolved; /* or NULL */
    int32_t provider_func;         /* in this file, or -1 */
} FxDepends;

typedef struct FxAlembic {
    bool is_env; /* imports alembic `context` and calls run_migrations / configure */
    bool uses_engine_from_config;
    bool uses_async_engine; /* async_engine_from_config / create_async_engine */
    bool online_is_async;   /* run_migrations_online (or run_async_migrations) is async def or
                               calls asyncio.run */
    int32_t online_func;    /* run_migrations_online, or -1 */
    FxLoc loc;              /* the engine creation, else the online function, else line 1 */
} FxAlembic;

/* ---- threads, executors and tasks --------------------------------------------------------- */

typedef enum {
    FX_OFF_RUN_IN_EXECUTOR, /* loop.run_in_executor(ex, f, ...) */
    FX_OFF_TO_THREAD,       /* asyncio.to_thread(f, ...) */
    FX_OFF_THREAD,          /* threading.Thread(target=f) */
    FX_OFF_SUBMIT,          /* executor.submit(f, ...) / executor.map(f, ...) */
    FX_OFF_POOL,            /* ThreadPoolExecutor(...) / ProcessPoolExecutor(...) created */
    FX_OFF_CREATE_TASK,     /* asyncio.create_task(f(...)) / ensure_future / loop.create_task */
    FX_OFF_BACKGROUND_TASK, /* background_tasks.add_task(f, ...) */
} FxOffloadKind;

typedef struct FxOffload {
    FxLoc loc;
    FxOffloadKind kind;
    const char *target;          /* function reference or called function: "self.guardian.analyze",
                                    "run_task"; NULL when not a dotted name (or for FX_OFF_POOL) */
    const char *target_resolved; /* through imports, or NULL */
    int32_t target_func;         /* defined in this file, or -1 */
    const char *executor;        /* "None", "ex", "pool"; the `with ... as` name for FX_OFF_POOL */
    bool in_thread;              /* target runs outside the event loop thread */
    bool is_awaited;
    const char *max_workers; /* FX_OFF_POOL: source text of max_workers=, or NULL */
    const Node *call;
} FxOffload;

/* `await` inside a sync `with <session>` block (SA203). */
typedef struct FxAwaitInSession {
    FxLoc loc; /* the Await */
    int32_t session;
} FxAwaitInSession;

/* `asyncio.sleep(...)` inside a loop. */
typedef struct FxSleep {
    FxLoc loc;
    bool in_while_true;
    int32_t session_block; /* enclosing sync with-session block, or -1 */
} FxSleep;

/* ---- the file ----------------------------------------------------------------------------- */

typedef struct FileFacts {
    const Source *src; /* not owned */
    bool is_test_file; /* test_*.py, *_test.py, conftest.py, or under tests/ */
    bool is_conftest;
    bool imports_sqlalchemy;
    bool imports_select; /* select from sqlalchemy / sqlalchemy.future / sqlmodel */
    bool imports_asyncio;
    bool imports_flask;
    bool imports_fastapi;
    bool imports_enginefacade; /* imports from oslo_db.sqlalchemy */

    FxImport *imports;
    uint32_t nimports;
    FxClass *classes;
    uint32_t nclasses;
    FxBaseAssign *base_assigns;
    uint32_t nbase_assigns;
    FxFunc *funcs;
    uint32_t nfuncs;
    FxSelfAttr *self_attrs;
    uint32_t nself_attrs;
    FxCall *calls;
    uint32_t ncalls;
    FxSession *sessions;
    uint32_t nsessions;
    FxQuery *queries;
    uint32_t nqueries;
    FxStmt *stmts;
    uint32_t nstmts;
    FxSessionOp *session_ops;
    uint32_t nsession_ops;
    FxSql *sqls;
    uint32_t nsqls;
    FxEngineIo *engine_ios;
    uint32_t nengine_ios;
    FxEngine *engines;
    uint32_t nengines;
    FxSessionmaker *sessionmakers;
    uint32_t nsessionmakers;
    FxRelationship *relationships;
    uint32_t nrelationships;
    FxDepends *depends;
    uint32_t ndepends;
    FxOffload *offloads;
    uint32_t noffloads;
    FxAwaitInSession *awaits_in_session;
    uint32_t nawaits_in_session;
    FxSleep *sleeps;
    uint32_t nsleeps;
    FxAlembic alembic;
    const char **facades; /* module-level names bound to an oslo.db enginefacade transaction
                             context (`context_manager = enginefacade.transaction_context()`) */
    uint32_t nfacades;
} FileFacts;

/* Extracts the facts of one parsed module (AST_MODULE). Never fails; never NULL. */
FileFacts *facts_extract(const Node *module, Source *src, Arena *a);

/* One file's facts with its module identity, for the whole-program pass. */
typedef struct FactsUnit {
    FileFacts *ff;
    const char *module; /* dotted module name ("jobboard.services.queues") */
    bool is_package;    /* the file is a package's __init__.py */
} FactsUnit;

/* ---- whole-program hints ------------------------------------------------------------------
 * What one file cannot see about the others, gathered from a first extraction of every file
 * (facts_hints) and given to a second one (facts_extract_hinted): session providers, session
 * factories and attribute types of classes defined elsewhere, and module-level re-exports. With
 * hints, `with self.db.get_session() as s` is KNOWN when `self.db` is a DatabaseService (from
 * an annotated constructor parameter) whose get_session, in another file, yields a session. */
typedef enum {
    FX_HINT_PROVIDER, /* a function or method that is a session provider */
    FX_HINT_FACTORY,  /* a module-level or self attribute sessionmaker instance */
    FX_HINT_ATTR,     /* a self attribute with a known class: type */
    FX_HINT_ALIAS,    /* a module-level import: name is module.bound, type its target */
    FX_HINT_FACADE,   /* a module-level oslo.db enginefacade transaction context, or (is_cm)
                         a function returning one */
    FX_HINT_TXDECO,   /* a function that is an enginefacade transaction decorator */
    FX_HINT_TXMODULE, /* a module holding FACADE or TXDECO hints: files importing it (or from
                         it) look for them */
} FxHintKind;

typedef struct FxHint {
    const char *name; /* absolute: "jobboard.db.DatabaseService.get_session" */
    FxHintKind kind;
    FxMode mode;      /* PROVIDER, FACTORY */
    bool is_cm;       /* PROVIDER: a (async) context manager; FACADE: a function */
    const char *type; /* ATTR, ALIAS: absolute name, e.g. "jobboard.db.DatabaseService" */
} FxHint;

/* One hint lookup of an extraction and its answer (NULL: none), kept so that a later round can
 * tell whether new hints would change the file's facts (facts_hints_same). */
typedef struct FxLookup {
    const char *name; /* not NUL-terminated at len; lives as long as the file's arena */
    uint32_t len;
    FxHintKind kind;
    const FxHint *hit;
} FxLookup;

/* The distinct lookups of one extraction, on the heap (VEC_FREE them). */
typedef struct FxHintLog {
    FxLookup *items;
    uint32_t n, cap;
    uint32_t unasked; /* bit k: lookups of kind k were answered "none" without a search, the
                         table holding no hint of that kind (FxHints.absent) */
} FxHintLog;

typedef struct FxHints {
    const char *module; /* the module being extracted ("jobboard.services.queues") */
    bool is_package;
    const FxHint *items; /* sorted by name, as facts_hints returns them */
    uint32_t n;
    const uint32_t *index; /* optional (facts_hint_index): first item + 1 by name hash */
    uint32_t index_mask;   /* slots - 1 */
    FxHintLog *log;        /* optional: replaced with this extraction's lookups */
    uint32_t absent; /* optional: bit k set when items hold no hint of kind k (facts_hint_kinds),
                        so that lookups of that kind need no search */
    const FileFacts *prior; /* optional: this file extracted (light) with hints giving the
                                      same answers: its session providers are taken, not
                                      searched for again */
    bool light; /* only what facts_hints reads: imports, classes, functions and providers,
                   self attributes, sessionmakers outside functions (function bodies unread) */
} FxHints;

/* The hint with that name (name[0..len)) and kind, or NULL: hashed with h->index, else a
 * binary search. */
const FxHint *facts_hint_find(const FxHints *h, const char *name, size_t len, FxHintKind kind);
/* A hash index of items (sorted by name) for FxHints.index: heap, free() it; sets *mask. */
uint32_t *facts_hint_index(const FxHint *items, uint32_t n, uint32_t *mask);
/* The kinds items[0..n) lack, as FxHints.absent wants them. */
uint32_t facts_hint_absent(const FxHint *items, uint32_t n);
/* Would every lookup of log get the same answer from h? Then re-extracting gives the same
 * facts. */
bool facts_hints_same(const FxHints *h, const FxHintLog *log);

/* facts_extract with hints (h may be NULL): resolved names are absolute (relative imports made
 * absolute with h->module), and providers, factories and attribute types from other files are
 * followed. */
FileFacts *facts_extract_hinted(const Node *module, Source *src, Arena *a, const FxHints *h);
/* The hint table of a project, sorted by name; array and strings in a. Returns the count. */
uint32_t facts_hints(const FactsUnit *units, uint32_t n, Arena *a, FxHint **out);

/* The whole-program pass over extracted facts: makes relative import targets and every
 * `*_resolved` name absolute (facts extracted without hints), and marks classes mapped through
 * bases in other files (and inherited AsyncAttrs). Sessions from providers in other files come
 * from the second, hinted extraction instead. New strings go to arena a, which must live as long
 * as the facts. Not thread-safe; call it once, after the last extraction. */
void facts_link_project(FactsUnit *units, uint32_t n, Arena *a);

/* The qualified name of funcs[func], or "" for -1 (module level). */
const char *facts_qualname(const FileFacts *ff, int32_t func);
const char *facts_acq_form_name(FxAcqForm form);  /* "with", "async_with", "no_with", ... */
const char *facts_terminal_name(FxTerminal term); /* "all", "first", ..., "iter" */
const char *facts_mode_name(FxMode mode);         /* "sync", "async", "unknown" */

#endif
