/* rules: the rule table, selection, and the per-file driver. */
#include "rules.h"

#include <string.h>
#include <strings.h>

#define DOCS "https://docs.sqlalchemy.org/en/20/"

static const RuleInfo table[] = {
    {"SA101", "legacy-query-chain", "legacy `session.query()` chain",
     "`Session.query()` builds a legacy `Query`. SQLAlchemy 2.0 keeps it only as a legacy API, "
     "and `AsyncSession` has no `query()` at all: every chain must become a `select()` executed "
     "with `session.execute()` or `session.scalars()` before the session can become async. "
     "`.filter()` becomes `.where()`, `.all()` on one entity becomes "
     "`session.scalars(stmt).all()`, "
     "on several columns `session.execute(stmt).all()`, `.first()` adds `.limit(1)`, `.count()` "
     "becomes `select(func.count()).select_from(...)`.",
     DOCS "changelog/migration_20.html#orm-query-unified-with-core-select",
     "jobs = session.query(Job).filter(Job.state == \"ready\").all()",
     "jobs = session.scalars(select(Job).where(Job.state == \"ready\")).all()", FIX_SAFE, false},
    {"SA102", "legacy-query-get", "legacy `Query.get()`",
     "`Query.get()` is deprecated since 1.4 and is not available on `AsyncSession`; the identity "
     "lookup moved to `Session.get(Model, pk)`, which returns the object from the identity map "
     "without a round trip when it is already loaded.",
     DOCS "changelog/migration_20.html#orm-query-get-method-moves-to-session",
     "job = session.query(Job).get(job_id)", "job = session.get(Job, job_id)", FIX_SAFE, false},
    {"SA103", "legacy-query-bulk-dml", "legacy bulk `Query.update()` / `Query.delete()`",
     "Bulk `Query.update()` and `Query.delete()` are legacy; in 2.0 they are ORM-enabled "
     "`update()`/`delete()` statements run with `session.execute()` (awaited under asyncio). "
     "Keep `synchronize_session` as an execution option.",
     DOCS "orm/queryguide/dml.html#orm-update-and-delete-with-custom-where-criteria",
     "session.query(Job).filter(Job.id == j).update({\"state\": \"ready\"}, "
     "synchronize_session=False)",
     "session.execute(update(Job).where(Job.id == j).values(state=\"ready\")"
     ".execution_options(synchronize_session=False))",
     FIX_SAFE, false},
    {"SA104", "implicit-execution", "`engine.execute()` or implicit execution",
     "Connectionless execution (`engine.execute()`, `stmt.execute()`, `table.insert().execute()`) "
     "and executing a plain string on a `Connection` were removed in 2.0. Execute statements on a "
     "connection from `engine.connect()`/`engine.begin()` (an `AsyncConnection` under asyncio), "
     "with strings wrapped in `text()`.",
     DOCS
     "changelog/migration_20.html#implicit-and-connectionless-execution-bound-metadata-removed",
     "engine.execute(\"DELETE FROM job\")",
     "with engine.begin() as conn:\n    conn.execute(text(\"DELETE FROM job\"))", FIX_MANUAL,
     false},
    {"SA105", "sql-string-without-text", "SQL string executed without `text()`",
     "`Session.execute()` accepts only executable objects in 2.0: a plain string raises "
     "`ObjectNotExecutableError`. Wrap literal SQL in `text()` and pass values as bound "
     "parameters (`:name`), never by string formatting.",
     DOCS "core/sqlelement.html#sqlalchemy.sql.expression.text",
     "session.execute(\"SELECT count(*) FROM job\")",
     "session.execute(text(\"SELECT count(*) FROM job\"))", FIX_SAFE, false},
    {"SA106", "legacy-declarative-base", "legacy `declarative_base` import",
     "`declarative_base()` is superseded in 2.0 by subclassing `DeclarativeBase`, and "
     "`sqlalchemy.ext.declarative.declarative_base` is deprecated. A `DeclarativeBase` subclass "
     "also takes the `AsyncAttrs` mixin cleanly and types `Mapped[]` attributes.",
     DOCS "orm/declarative_styles.html#using-a-declarative-base-class",
     "from sqlalchemy.ext.declarative import declarative_base\nBase = declarative_base()",
     "from sqlalchemy.orm import DeclarativeBase\n\nclass Base(DeclarativeBase):\n    pass",
     FIX_MANUAL, false},
    {"SA107", "select-list-form", "`select([...])` list form",
     "`select()` no longer accepts a list of columns in 2.0: the columns are passed "
     "positionally. The list form raises `ArgumentError` at run time.",
     DOCS "changelog/migration_20.html#select-no-longer-accepts-varied-constructor-arguments-"
          "columns-are-passed-positionally",
     "stmt = select([Job.id, Job.name])", "stmt = select(Job.id, Job.name)", FIX_SAFE, false},
    {"SA201", "sync-db-in-async", "sync database work directly inside `async def`",
     "An `async def` that opens a sync `Session` or runs a query on one, or does sync engine IO "
     "(`Base.metadata.create_all(engine)`, `with engine.connect() as conn: conn.execute(...)`; "
     "one finding per function, at its first engine call), blocks the event loop for the whole "
     "database round trip: every other request and background task waits. Use an "
     "`AsyncSession` (`async with` the async provider, `await session.execute(...)`), or, as a "
     "stop-gap, move the sync work into a function run with `await asyncio.to_thread(...)`. "
     "Touching a lazy attribute of an async-loaded object instead raises MissingGreenlet.",
     DOCS "errors.html#error-xd2s",
     "async def tick(self):\n    with self.db.get_session() as session:\n"
     "        session.query(Job).count()",
     "async def tick(self):\n    async with self.db.get_async_session() as session:\n"
     "        await session.scalar(select(func.count()).select_from(Job))",
     FIX_MANUAL, false},
    {"SA202", "async-reaches-sync-db", "`async def` reaches sync database work through calls",
     "The `async def` calls a sync function that (directly or through further calls) uses a sync "
     "session, so the event loop blocks just as if the query were written inline. The finding "
     "shows the call chain; migrate the callee first (leaf first) or offload the call.",
     DOCS "orm/extensions/asyncio.html",
     "async def route():\n    return queue.get_next_task(1)   # get_next_task uses a sync session",
     "async def route():\n    return await queue.get_next_task(1)   # callee made async",
     FIX_MANUAL, true},
    {"SA203", "await-in-sync-session", "`await` inside a sync session block",
     "An `await` inside `with <sync session>:` suspends the coroutine while the session holds a "
     "pooled connection (and possibly an open transaction with row locks). Other tasks run "
     "meanwhile and may exhaust the pool or deadlock on those locks. Close the block before "
     "awaiting, or make the session async.",
     DOCS "orm/session_basics.html#is-the-session-thread-safe-is-asyncsession-safe-to-share-in-"
          "concurrent-tasks",
     "with self.db.get_session() as session:\n    job = session.get(Job, 1)\n"
     "    await asyncio.sleep(5)",
     "with self.db.get_session() as session:\n    job = session.get(Job, 1)\nawait "
     "asyncio.sleep(5)",
     FIX_MANUAL, false},
    {"SA204", "sync-session-into-async", "sync `Session` passed into an async function",
     "An `async def` that takes a sync `Session` can only use it by blocking the event loop. "
     "Pass an `AsyncSession` (and await its methods), or keep the function sync.",
     DOCS "orm/extensions/asyncio.html#synopsis-orm",
     "async def load(session: Session, id: int): ...",
     "async def load(session: AsyncSession, id: int): ...", FIX_MANUAL, true},
    {"SA205", "db-work-in-thread", "database work run in a thread or executor",
     "Work offloaded with `run_in_executor`, `asyncio.to_thread`, `threading.Thread` or an "
     "executor runs in another thread: it cannot use the event loop's `AsyncSession`, and a "
     "`Session`/`AsyncSession` must never be shared between threads or tasks. Decide per "
     "boundary: keep the worker sync with its own sync engine, or make the work a coroutine.",
     DOCS "orm/session_basics.html#is-the-session-thread-safe-is-asyncsession-safe-to-share-in-"
          "concurrent-tasks",
     "await loop.run_in_executor(None, self.guardian.analyze, agent_id)",
     "await self.guardian.analyze(agent_id)   # analyze made async", FIX_MANUAL, true},
    {"SA206", "sync-route-db", "sync `def` route handler doing database work",
     "FastAPI runs a sync `def` handler in its threadpool, so its sync database work does not "
     "block the loop today; making only the handler `async def` would block it. Convert the "
     "handler together with its session dependency (`AsyncSession`) and await the database "
     "calls.",
     DOCS "orm/extensions/asyncio.html",
     "@router.get(\"/jobs\")\ndef list_jobs(db: Session = Depends(get_db)):\n"
     "    return db.query(Job).all()",
     "@router.get(\"/jobs\")\nasync def list_jobs(db: AsyncSession = Depends(get_async_db)):\n"
     "    return (await db.scalars(select(Job))).all()",
     FIX_MANUAL, false},
    {"SA207", "session-cm-without-with", "session context manager called without `with`",
     "The provider is a context manager (`@contextmanager` yielding a session); calling it "
     "without `with` returns a generator-based context manager, not a session, and its commit, "
     "rollback and close never run. Use `with provider() as session:`.",
     DOCS "orm/session_basics.html#framing-out-a-begin-commit-rollback-block",
     "session = self.db.get_session()\ntry:\n    ...\nfinally:\n    session.close()",
     "with self.db.get_session() as session:\n    ...", FIX_MANUAL, false},
    {"SA301", "default-lazy-relationship", "relationship with default lazy loading",
     "A relationship without `lazy=` loads on first attribute access. Under asyncio that "
     "implicit IO is not allowed and raises MissingGreenlet; `lazy=\"dynamic\"` is not supported "
     "at all. Choose an eager strategy (`lazy=\"selectin\"`), or `lazy=\"raise\"` plus explicit "
     "`selectinload()` options, or read through `AsyncAttrs.awaitable_attrs`.",
     DOCS "orm/extensions/asyncio.html#asyncio-orm-avoid-lazyloads",
     "jobs: Mapped[list[\"Job\"]] = relationship(back_populates=\"queue\")",
     "jobs: Mapped[list[\"Job\"]] = relationship(back_populates=\"queue\", lazy=\"selectin\")",
     FIX_MANUAL, false},
    {"SA302", "lazy-read-without-eager-option",
     "relationship attribute read without an eager-load option",
     "The code reads a lazily loaded relationship of an object whose query did not load it "
     "eagerly. With an `AsyncSession` this raises MissingGreenlet. Add `selectinload()`/"
     "`joinedload()` to the query, or `await obj.awaitable_attrs.rel`.",
     DOCS "orm/extensions/asyncio.html#asyncio-orm-avoid-lazyloads",
     "queue = session.get(Queue, 1)\nfor job in queue.jobs: ...",
     "queue = await session.get(Queue, 1, options=[selectinload(Queue.jobs)])", FIX_MANUAL, true},
    {"SA303", "read-after-commit",
     "ORM attribute read after `commit()` with `expire_on_commit=True`",
     "By default `commit()` expires every loaded object; the next attribute read reloads it with "
     "implicit IO, which raises MissingGreenlet under asyncio. Set `expire_on_commit=False` on the "
     "session factory, or refresh explicitly with `await session.refresh(obj)`.",
     DOCS "orm/session_api.html#sqlalchemy.orm.Session.params.expire_on_commit",
     "session.commit()\nreturn job.name",
     "await session.commit()\nreturn job.name  "
     "# with async_sessionmaker(expire_on_commit=False)",
     FIX_MANUAL, true},
    {"SA304", "object-after-session-closed", "ORM object used after its session closed",
     "An object used after its session closed is detached: a lazy load or an expired attribute "
     "raises DetachedInstanceError. Load what is needed before the block ends, or return plain "
     "data.",
     DOCS "errors.html#error-bhk3",
     "with db.get_session() as s:\n    q = s.get(Queue, 1)\nreturn q.jobs",
     "with db.get_session() as s:\n    q = s.get(Queue, 1, options=[selectinload(Queue.jobs)])\n"
     "return q.jobs",
     FIX_MANUAL, true},
    {"SA305", "expire-on-commit", "sessionmaker without `expire_on_commit=False`",
     "With the default `expire_on_commit=True` every object is expired at commit, so reading it "
     "afterwards needs IO, which an `AsyncSession` cannot do implicitly (MissingGreenlet). The "
     "async factory is normally created with `expire_on_commit=False`; code that relies on "
     "expiry must refresh explicitly. The fix sets it on the existing factory (unsafe: objects "
     "no longer reload after commit), so the later switch to `async_sessionmaker` keeps it.",
     DOCS "orm/extensions/asyncio.html#asyncio-orm-avoid-lazyloads",
     "SessionLocal = sessionmaker(bind=engine)",
     "SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)", FIX_UNSAFE, false},
    {"SA401", "sync-engine", "sync engine",
     "`create_engine()` makes a sync engine. Async sessions need `create_async_engine()` with an "
     "async driver (`postgresql+asyncpg`, `postgresql+psycopg`, `sqlite+aiosqlite`). During the "
     "migration the async engine usually lives beside the sync one; the sync engine goes last.",
     DOCS "orm/extensions/asyncio.html#synopsis-core",
     "engine = create_engine(\"postgresql+psycopg2://app@db/app\")",
     "engine = create_async_engine(\"postgresql+asyncpg://app@db/app\")", FIX_MANUAL, false},
    {"SA402", "sync-sessionmaker", "sync sessionmaker",
     "`sessionmaker()` makes sync sessions. The async factory is `async_sessionmaker(engine, "
     "expire_on_commit=False)` bound to an async engine.",
     DOCS "orm/extensions/asyncio.html#sqlalchemy.ext.asyncio.async_sessionmaker",
     "SessionLocal = sessionmaker(bind=engine)",
     "SessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)", FIX_MANUAL, false},
    {"SA403", "base-without-asyncattrs", "declarative base without `AsyncAttrs`",
     "The `AsyncAttrs` mixin on the declarative base gives every mapped object "
     "`awaitable_attrs`, so a lazy relationship can be read with "
     "`await obj.awaitable_attrs.rel` instead of raising MissingGreenlet.",
     DOCS "orm/extensions/asyncio.html#sqlalchemy.ext.asyncio.AsyncAttrs",
     "class Base(DeclarativeBase):\n    pass", "class Base(AsyncAttrs, DeclarativeBase):\n    pass",
     FIX_SAFE, false},
    {"SA404", "sync-alembic-env", "sync Alembic `env.py`",
     "The Alembic environment runs migrations on a sync engine. Either keep migrations sync (a "
     "sync driver in alembic.ini only), or use the asyncio template: `async_engine_from_config`, "
     "`async with connectable.connect()` and `await connection.run_sync(do_run_migrations)`.",
     "https://alembic.sqlalchemy.org/en/latest/cookbook.html#using-asyncio-with-alembic",
     "connectable = engine_from_config(config.get_section(...), poolclass=pool.NullPool)",
     "connectable = async_engine_from_config(config.get_section(...), poolclass=pool.NullPool)",
     FIX_MANUAL, false},
    {"SA405", "pool-settings", "engine pool settings to review for async",
     "Pool arguments tuned for a threaded sync app do not carry over: an async engine uses "
     "`AsyncAdaptedQueuePool`, one connection per concurrently awaiting task, so `pool_size` and "
     "`max_overflow` bound concurrency differently; `pool_pre_ping` and `NullPool` behave the "
     "same but cost differently.",
     DOCS "core/pooling.html#using-connection-pools-with-multiprocessing-or-os-fork",
     "engine = create_engine(url, pool_size=5, max_overflow=10)",
     "engine = create_async_engine(url, pool_size=20, max_overflow=0)  # sized for tasks",
     FIX_MANUAL, false},
    {"SA406", "greenlet-missing", "`greenlet` missing from dependencies",
     "SQLAlchemy's asyncio extension needs `greenlet`; wheels for some platforms do not pull it "
     "in. Declare it, or depend on `sqlalchemy[asyncio]`.",
     DOCS "orm/extensions/asyncio.html#asyncio-platform-installation-notes-including-apple-m1",
     "dependencies = [\"sqlalchemy>=2.0\"]", "dependencies = [\"sqlalchemy[asyncio]>=2.0\"]",
     FIX_MANUAL, false},
    {"SA407", "sync-db-fixture", "sync fixture providing the database",
     "A sync pytest fixture creates the engine, sessions or the database service. Async tests "
     "need async fixtures (`@pytest_asyncio.fixture` or `async def` in auto mode) that yield an "
     "`AsyncSession` or an async service, on an event loop whose scope matches the engine's.",
     "https://pytest-asyncio.readthedocs.io/en/latest/concepts.html",
     "@pytest.fixture\ndef db_service():\n    db = DatabaseService(URL)\n    yield db",
     "@pytest_asyncio.fixture\nasync def db_service():\n    db = AsyncDatabaseService(URL)\n"
     "    yield db\n    await db.dispose()",
     FIX_MANUAL, false},
    {"SA408", "db-test-without-asyncio", "database test without asyncio support",
     "The test uses the database (directly or through a database fixture) but cannot run async "
     "code: a sync `def` test, or an `async def` test without `@pytest.mark.asyncio` while "
     "pytest-asyncio runs in strict mode (where such a test is skipped with a warning).",
     "https://pytest-asyncio.readthedocs.io/en/latest/concepts.html#test-discovery-modes",
     "def test_claim(db_service):\n    assert queue.claim(1)",
     "@pytest.mark.asyncio\nasync def test_claim(db_service):\n    assert await queue.claim(1)",
     FIX_MANUAL, false},
    {"SA409", "thread-pool-worker", "thread-pool worker architecture",
     "A thread pool or threads run code that uses the database. An `AsyncSession` belongs to one "
     "task on one event loop and cannot be shared across threads; the worker must either become "
     "async (tasks instead of threads) or keep its own sync engine (hybrid).",
     DOCS "orm/session_basics.html#is-the-session-thread-safe-is-asyncsession-safe-to-share-in-"
          "concurrent-tasks",
     "with ThreadPoolExecutor(max_workers=4) as ex:\n    ex.submit(run_task, db, job_id)",
     "async with asyncio.TaskGroup() as tg:\n    tg.create_task(run_task(db, job_id))", FIX_MANUAL,
     false},
};

const RuleInfo *rule_table(uint32_t *n)
{
    *n = (uint32_t)(sizeof table / sizeof table[0]);
    return table;
}

const RuleInfo *rule_find(const char *code)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcasecmp(table[i].code, code) == 0) return &table[i];
    return NULL;
}

/* Length of the selector when it matches code (0 for ALL), or -1. */
static int match_len(const char *sel, const char *code)
{
    if (strcasecmp(sel, "ALL") == 0) return 0;
    size_t n = strlen(sel);
    return strncasecmp(sel, code, n) == 0 ? (int)n : -1;
}

static int best(const char *code, const char *const *sel, uint32_t n)
{
    int b = -1;
    for (uint32_t i = 0; i < n; i++) {
        int m = match_len(sel[i], code);
        b = m > b ? m : b;
    }
    return b;
}

bool rule_selected(const char *code, const char *const *select, uint32_t nselect,
                   const char *const *ignore, uint32_t nignore)
{
    int s = nselect ? best(code, select, nselect) : 0;
    int i = best(code, ignore, nignore);
    return s >= 0 && s > i;
}

void rule_run_file(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    rule_legacy_api(ff, site, out);
    rule_async_hazards(ff, site, out);
    rule_loading(ff, site, out);
    rule_infra_file(ff, site, out);
}
