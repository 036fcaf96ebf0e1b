/* Unit tests for src/model/facts (extraction from small snippets: imports, classes, functions,
 * parameters, self attributes, sessions by form, Query chains, 2.0 statements, session
 * operations, raw SQL, engines, sessionmakers, relationships, Alembic, offloads, awaits in
 * session blocks, sleeps), oslo.db enginefacade sessions, the hinted second extraction across
 * files, and src/model/names. */
#include "test.h"

#include <stdlib.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/source.h"
#include "model/facts.h"
#include "model/names.h"
#include "syntax/parser.h"

/* Every parsed snippet stays alive until the end (facts point into its AST). */
typedef struct Parsed {
    Source src;
    Arena arena;
    Node *module;
} Parsed;

static Parsed parsed[64];
static int nparsed;

static Node *parse_text(const char *path, const char *code, Parsed **out)
{
    Parsed *p = &parsed[nparsed++];
    source_from_mem(&p->src, path, code, strlen(code));
    arena_init(&p->arena);
    DiagList d = {0};
    ParseOutput po;
    if (parse_source(&p->src, &p->arena, &po, &d) != 0) {
        fprintf(stderr, "%s: parse error: %s\n", path, d.n ? d.items[0].message : "?");
        po.module = NULL;
    }
    diag_list_free(&d);
    p->module = po.module;
    *out = p;
    return po.module;
}

static FileFacts *ex(const char *path, const char *code)
{
    Parsed *p;
    Node *m = parse_text(path, code, &p);
    CHECK(m != NULL);
    return facts_extract(m, &p->src, &p->arena);
}

static void free_all(void)
{
    for (int i = 0; i < nparsed; i++) {
        arena_free(&parsed[i].arena);
        source_free(&parsed[i].src);
    }
}

static const FxFunc *func(const FileFacts *ff, const char *qualname)
{
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        if (strcmp(ff->funcs[i].qualname, qualname) == 0) return &ff->funcs[i];
    return NULL;
}

static int count_form(const FileFacts *ff, FxAcqForm form)
{
    int n = 0;
    for (uint32_t i = 0; i < ff->nsessions; i++)
        n += ff->sessions[i].form == form;
    return n;
}

/* ---- names --------------------------------------------------------------------------------- */

static void test_names(void)
{
    Arena a;
    arena_init(&a);
    bool nullable = false;
    CHECK_STR(nm_core_type("Optional[Session]", &a, &nullable), "Session");
    CHECK(nullable);
    nullable = false;
    CHECK_STR(nm_core_type("Session | None", &a, &nullable), "Session");
    CHECK(nullable);
    CHECK_STR(nm_core_type("'orm.Session'", &a, NULL), "orm.Session");
    CHECK_STR(nm_core_type("Union[None, AsyncSession]", &a, NULL), "AsyncSession");
    CHECK_STR(nm_core_type("Annotated[Session, Depends(get_db)]", &a, NULL), "Session");
    CHECK(nm_core_type("dict[str, int]", &a, NULL) == NULL);
    CHECK(nm_core_type("Union[A, B]", &a, NULL) == NULL);
    CHECK_STR(nm_yield_type("Iterator[Session]", &a), "Session");
    CHECK_STR(nm_yield_type("AsyncGenerator[AsyncSession, None]", &a), "AsyncSession");
    CHECK_STR(nm_absolute("app.services.jobs", false, 1, "db.Session", &a),
              "app.services.db.Session");
    CHECK_STR(nm_absolute("app.services", true, 1, "db", &a), "app.services.db");
    CHECK_STR(nm_absolute("app.services.jobs", false, 2, "models", &a), "app.models");
    CHECK(nm_absolute("app", false, 2, "x", &a) == NULL);
    CHECK(nm_is_sa("sqlalchemy.orm.Session", "Session"));
    CHECK(nm_is_sa("sqlmodel.Session", "Session"));
    CHECK(!nm_is_sa("requests.Session", "Session"));
    CHECK(nm_is("asyncio.sleep", "asyncio", "sleep"));
    CHECK(!nm_is("asyncio.sleeper", "asyncio", "sleep"));
    arena_free(&a);
}

/* ---- imports, classes, functions ----------------------------------------------------------- */

static void test_imports_and_classes(void)
{
    FileFacts *ff =
        ex("app/models.py", "from typing import TYPE_CHECKING\n"
                            "import sqlalchemy as sa\n"
                            "from sqlalchemy.orm import DeclarativeBase, Mapped, relationship\n"
                            "from sqlalchemy.ext.asyncio import AsyncAttrs\n"
                            "from . import db\n"
                            "if TYPE_CHECKING:\n"
                            "    from .team import Team\n"
                            "class Base(AsyncAttrs, DeclarativeBase):\n"
                            "    pass\n"
                            "class Stamped(Base):\n"
                            "    __abstract__ = True\n"
                            "class Job(Stamped):\n"
                            "    __tablename__ = 'job'\n"
                            "class Plain:\n"
                            "    pass\n");
    CHECK(ff->nimports == 8);
    CHECK_STR(ff->imports[1].bound, "sa");
    CHECK_STR(ff->imports[1].target, "sqlalchemy");
    CHECK_STR(ff->imports[2].target, "sqlalchemy.orm.DeclarativeBase");
    CHECK_STR(ff->imports[6].target, ".db");
    CHECK(ff->imports[6].level == 1);
    CHECK(ff->imports[7].type_checking);
    CHECK_STR(ff->imports[7].target, ".team.Team");
    CHECK(!ff->imports[6].type_checking);
    CHECK(ff->imports_sqlalchemy);
    CHECK(!ff->imports_select);
    CHECK(ff->nclasses == 4);
    CHECK(ff->classes[0].base_form == FX_BASE_CLASS);
    CHECK(ff->classes[0].has_async_attrs);
    CHECK(!ff->classes[0].is_mapped);
    CHECK(ff->classes[1].is_mapped && ff->classes[1].has_async_attrs);
    CHECK(ff->classes[2].is_mapped && ff->classes[2].has_tablename);
    CHECK(!ff->classes[3].is_mapped);
    CHECK_STR(ff->classes[2].bases[0], "Stamped");
}

static void test_declarative_function(void)
{
    FileFacts *ff = ex("m.py", "from sqlalchemy.ext.declarative import declarative_base\n"
                               "Base = declarative_base()\n"
                               "class Job(Base):\n"
                               "    __tablename__ = 'job'\n");
    CHECK(ff->nbase_assigns == 1);
    CHECK(ff->base_assigns[0].form == FX_BASE_FUNCTION);
    CHECK(ff->base_assigns[0].legacy_import);
    CHECK(ff->classes[0].is_mapped);
}

static void test_functions(void)
{
    FileFacts *ff =
        ex("app/api.py",
           "from typing import Optional\n"
           "from fastapi import APIRouter, Depends\n"
           "from sqlalchemy.orm import Session\n"
           "router = APIRouter()\n"
           "def get_db():\n"
           "    pass\n"
           "@router.post('/jobs/{id}')\n"
           "async def create(id: int, s: Optional['Session'] = None, *, t: Session | None):\n"
           "    pass\n"
           "@router.api_route('/x', methods=['GET', 'PUT'])\n"
           "def both(db: Session = Depends(get_db)):\n"
           "    pass\n"
           "class Svc:\n"
           "    async def loop(self):\n"
           "        while True:\n"
           "            def inner():\n"
           "                pass\n");
    const FxFunc *f = func(ff, "create");
    CHECK(f && f->is_async && f->route == FX_ROUTE_FASTAPI);
    CHECK_STR(f->route_method, "POST");
    CHECK_STR(f->route_path, "/jobs/{id}");
    CHECK_STR(f->route_router, "router");
    CHECK(f->nparams == 3);
    CHECK_STR(f->params[1].annotation, "Optional[Session]");
    CHECK_STR(f->params[1].type, "Session");
    CHECK(f->params[1].is_session && f->params[1].nullable);
    CHECK_STR(f->params[2].annotation, "Session | None");
    CHECK(f->params[2].kind == FX_PARAM_KWONLY && f->params[2].is_session);
    CHECK_STR(f->decorators[0], "router.post");
    f = func(ff, "both");
    CHECK(f && !f->is_async);
    CHECK_STR(f->route_method, "GET,PUT");
    CHECK_STR(f->params[0].depends, "get_db");
    f = func(ff, "Svc.loop");
    CHECK(f && f->is_method && f->is_background_loop && f->loop_line == 15);
    CHECK(func(ff, "Svc.loop.<locals>.inner") != NULL);
    CHECK(f && f->name_span.end - f->name_span.start == 4);
}

static void test_pytest(void)
{
    FileFacts *ff = ex("tests/test_jobs.py", "import pytest\n"
                                             "pytestmark = [pytest.mark.slow]\n"
                                             "@pytest.fixture(scope='session', autouse=True)\n"
                                             "def db():\n"
                                             "    yield 1\n"
                                             "@pytest.mark.asyncio\n"
                                             "async def test_a(db):\n"
                                             "    pass\n"
                                             "@pytest.mark.parametrize('x', [1])\n"
                                             "class TestB:\n"
                                             "    def test_b(self, x):\n"
                                             "        pass\n"
                                             "def helper():\n"
                                             "    pass\n");
    CHECK(ff->is_test_file && !ff->is_conftest);
    const FxFunc *f = func(ff, "db");
    CHECK(f && f->is_fixture && f->fixture_autouse && !f->is_test);
    CHECK_STR(f->fixture_scope, "session");
    f = func(ff, "test_a");
    CHECK(f && f->is_test && f->nmarkers == 2);
    CHECK_STR(f->markers[0], "asyncio");
    CHECK_STR(f->markers[1], "slow");
    f = func(ff, "TestB.test_b");
    CHECK(f && f->is_test && f->nmarkers == 2);
    CHECK(!func(ff, "helper")->is_test);
}

/* ---- sessions ------------------------------------------------------------------------------ */

static void test_session_forms(void)
{
    FileFacts *ff =
        ex("app/svc.py", "from contextlib import contextmanager\n"
                         "from fastapi import Depends\n"
                         "from sqlalchemy import create_engine\n"
                         "from sqlalchemy.orm import Session, sessionmaker\n"
                         "from app.db import DatabaseService\n"
                         "engine = create_engine('sqlite://')\n"
                         "SessionLocal = sessionmaker(bind=engine)\n"
                         "def get_db():\n"
                         "    db = SessionLocal()\n"
                         "    try:\n"
                         "        yield db\n"
                         "    finally:\n"
                         "        db.close()\n"
                         "class Repo:\n"
                         "    def __init__(self, session: Session, db: DatabaseService):\n"
                         "        self.session = session\n"
                         "        self.db = db\n"
                         "    @contextmanager\n"
                         "    def scope(self):\n"
                         "        with Session(engine) as s:\n"
                         "            yield s\n"
                         "    def a(self):\n"
                         "        with self.scope() as s:\n"
                         "            s.flush()\n"
                         "    def b(self):\n"
                         "        s = self.scope()\n"
                         "        s.commit()\n"
                         "    def c(self):\n"
                         "        return self.session.get(Job, 1)\n"
                         "    def d(self):\n"
                         "        with self.db.get_session() as sess:\n"
                         "            sess.add(1)\n"
                         "    def e(self):\n"
                         "        with self.lock:\n"
                         "            pass\n"
                         "def route(db: Session = Depends(get_db)):\n"
                         "    pass\n");
    CHECK(func(ff, "get_db")->is_session_provider);
    CHECK(func(ff, "Repo.scope")->is_session_provider);
    CHECK(func(ff, "Repo.scope")->is_contextmanager);
    CHECK(count_form(ff, FX_ACQ_FACTORY_CALL) == 1); /* SessionLocal() in get_db */
    CHECK(count_form(ff, FX_ACQ_SESSION_CTOR) == 1); /* with Session(engine) */
    CHECK(count_form(ff, FX_ACQ_WITH) == 2);         /* self.scope() and self.db.get_session() */
    CHECK(count_form(ff, FX_ACQ_NO_WITH) == 1);      /* s = self.scope() */
    CHECK(count_form(ff, FX_ACQ_PARAM) == 1);        /* __init__'s session */
    CHECK(count_form(ff, FX_ACQ_SELF_ATTR) == 1);    /* self.session in c */
    CHECK(count_form(ff, FX_ACQ_DEPENDS) == 1);
    for (uint32_t i = 0; i < ff->nsessions; i++) {
        const FxSession *s = &ff->sessions[i];
        if (s->form == FX_ACQ_WITH && strcmp(s->provider, "self.db.get_session") == 0) {
            CHECK(s->conf == FX_CONF_LIKELY);
            CHECK_STR(s->var, "sess");
            CHECK(s->in_with && s->mode == FX_SYNC);
        }
        if (s->form == FX_ACQ_WITH && strcmp(s->provider, "self.scope") == 0)
            CHECK(s->conf == FX_CONF_KNOWN && s->provider_func >= 0);
    }
    CHECK(ff->nself_attrs == 2);
    CHECK(ff->self_attrs[0].is_session && ff->self_attrs[0].origin == FX_ATTR_PARAM);
    CHECK_STR(ff->self_attrs[1].type, "DatabaseService");
    CHECK_STR(ff->self_attrs[1].type_resolved, "app.db.DatabaseService");
    CHECK(ff->nsessionmakers == 1 && ff->sessionmakers[0].expire_on_commit == -1);
    CHECK_STR(ff->sessionmakers[0].target, "SessionLocal");
    CHECK(ff->nengines == 1 && ff->engines[0].mode == FX_SYNC && !ff->engines[0].has_pool_args);
    CHECK(func(ff, "Repo.a")->ndb_direct == 2); /* the with and the flush */
}

static void test_async_sessions(void)
{
    FileFacts *ff =
        ex("app/a.py", "from sqlalchemy import select\n"
                       "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker\n"
                       "Maker = async_sessionmaker(expire_on_commit=False)\n"
                       "async def f(job_id):\n"
                       "    async with Maker() as s:\n"
                       "        r = await s.execute(select(Job).where(Job.id == job_id))\n"
                       "        await s.commit()\n"
                       "        s.add(r)\n");
    CHECK(ff->nsessions == 1 && ff->sessions[0].form == FX_ACQ_ASYNC_WITH);
    CHECK(ff->sessions[0].mode == FX_ASYNC && ff->sessions[0].is_async_with);
    CHECK(ff->nsessionmakers == 1 && ff->sessionmakers[0].mode == FX_ASYNC);
    CHECK(ff->sessionmakers[0].expire_on_commit == 0);
    CHECK(ff->nsession_ops == 3);
    CHECK(ff->session_ops[0].is_awaited && ff->session_ops[1].is_awaited);
    CHECK(!ff->session_ops[2].is_awaited);
    CHECK(ff->imports_select);
    CHECK(ff->nstmts == 2); /* select() and s.execute() */
    CHECK(ff->stmts[0].kind == FX_STMT_EXECUTE || ff->stmts[1].kind == FX_STMT_EXECUTE);
    CHECK(ff->nawaits_in_session == 0);
}

/* ---- queries ------------------------------------------------------------------------------- */

static void test_queries(void)
{
    FileFacts *ff =
        ex("app/q.py",
           "from sqlalchemy import func\n"
           "from sqlalchemy.orm import Session\n"
           "def a(session: Session):\n"
           "    jobs = (\n"
           "        session.query(Job)\n"
           "        .filter(Job.state == 'ready')\n"
           "        .order_by(Job.id)\n"
           "        .all()\n"
           "    )\n"
           "    n = session.query(func.count(Job.id)).scalar()\n"
           "    rows = session.query(Job.state, func.count(Job.id)).group_by(Job.state).all()\n"
           "    for j in session.query(Job):\n"
           "        pass\n"
           "    session.query(Job).filter(Job.id == 1).update({'x': 1})\n"
           "    session.query(Job).join('owner').first()\n"
           "def b(session: Session, owner=None):\n"
           "    q = session.query(Job)\n"
           "    if owner:\n"
           "        q = q.filter(Job.owner == owner)\n"
           "    total = q.count()\n"
           "    return q.limit(5).all()\n"
           "class Search:\n"
           "    def c(self):\n"
           "        return self.es.query('x').all()\n");
    CHECK(ff->nqueries == 8);
    const FxQuery *q = &ff->queries[0];
    CHECK(q->terminal == FX_TERM_ALL && q->is_entity && q->multiline && q->nmethods == 4);
    CHECK_STR(q->methods[0], "query");
    CHECK_STR(q->methods[1], "filter");
    CHECK_STR(q->methods[3], "all");
    CHECK_STR(q->receiver, "session");
    CHECK(q->loc.line == 5);
    CHECK(ff->queries[1].terminal == FX_TERM_SCALAR && !ff->queries[1].is_entity);
    CHECK(ff->queries[2].nentities == 2 && !ff->queries[2].multiline);
    CHECK(ff->queries[3].terminal == FX_TERM_ITER);
    CHECK(ff->queries[4].terminal == FX_TERM_UPDATE);
    CHECK(ff->queries[5].manual && strcmp(ff->queries[5].manual, "string join") == 0);
    q = &ff->queries[6];
    CHECK(q->across_statements && q->terminal == FX_TERM_COUNT && q->nsteps == 3);
    CHECK_STR(q->var, "q");
    CHECK(q->nmethods == 3);
    q = &ff->queries[7];
    CHECK(q->across_statements && q->terminal == FX_TERM_ALL && q->root == ff->queries[6].root);
    CHECK(q->nmethods == 4);
    CHECK(q->nsteps == 3);
}

/* ---- SQL, infrastructure ------------------------------------------------------------------- */

static void test_sql_and_infra(void)
{
    FileFacts *ff =
        ex("app/infra.py", "from sqlalchemy import create_engine, select, text\n"
                           "from sqlalchemy.orm import relationship, Mapped, DeclarativeBase\n"
                           "engine = create_engine('x', pool_size=5, echo=True)\n"
                           "def f(conn, session: 'Session'):\n"
                           "    engine.execute('DELETE FROM t')\n"
                           "    sql = 'SELECT 1'\n"
                           "    stmt = select([Job.id])\n"
                           "    session.execute(text('SELECT 1'))\n"
                           "    cursor.execute('SELECT 1')\n"
                           "class Base(DeclarativeBase):\n"
                           "    pass\n"
                           "class Queue(Base):\n"
                           "    jobs: Mapped[list['Job']] = relationship(back_populates='queue')\n"
                           "    owner = relationship('User', lazy='selectin', uselist=False)\n");
    CHECK(ff->nengines == 1 && ff->engines[0].has_pool_args && ff->engines[0].nkwargs == 2);
    CHECK_STR(ff->engines[0].kwargs[0].value, "5");
    CHECK(ff->nsqls == 2);
    CHECK(ff->sqls[0].kind == FX_SQL_ENGINE_EXECUTE);
    CHECK(ff->sqls[1].kind == FX_SQL_TEXT);
    CHECK(ff->nstmts == 1 && ff->stmts[0].list_form);
    CHECK_STR(ff->stmts[0].var, "stmt");
    CHECK(ff->nrelationships == 2);
    const FxRelationship *r = &ff->relationships[0];
    CHECK(r->cls == 1 && r->lazy == NULL && r->uselist == 1);
    CHECK_STR(r->attr, "jobs");
    CHECK_STR(r->target, "Job");
    CHECK_STR(r->back_populates, "queue");
    r = &ff->relationships[1];
    CHECK_STR(r->lazy, "selectin");
    CHECK_STR(r->target, "User");
    CHECK(r->uselist == 0);
}

/* Engine and connection IO: what blocks, and what is async or not an engine. */
static void test_engine_io(void)
{
    FileFacts *ff =
        ex("app/eio.py",
           "from sqlalchemy import create_engine, text\n"
           "from sqlalchemy.ext.asyncio import create_async_engine\n"
           "engine = create_engine('x')\n"
           "aengine = create_async_engine('y')\n"
           "class Db:\n"
           "    def __init__(self):\n"
           "        self.engine = create_engine('z')\n"
           "    def setup(self):\n"
           "        Base.metadata.create_all(self.engine)\n"      /* 1 create_all */
           "        target_metadata.drop_all(bind=self.engine)\n" /* 2 drop_all */
           "        with self.engine.connect() as conn:\n"        /* 3 connect */
           "            conn.execute(text('SELECT 1'))\n"         /* 4 execute */
           "            conn.commit()\n"                          /* 5 commit */
           "            conn.execute('SELECT 1')\n" /* an SQL string: FX_SQL_ENGINE_EXECUTE */
           "def g():\n"
           "    c = engine.begin()\n" /* 6 begin */
           "    meta.reflect(c)\n"    /* 7 reflect */
           "async def h():\n"
           "    async with aengine.begin() as conn:\n"
           "        await conn.run_sync(Base.metadata.create_all)\n"
           "        await conn.execute(text('SELECT 1'))\n"
           "    async with engine.connect() as c2:\n" /* async with: not sync IO */
           "        c2.execute(text('x'))\n"
           "    aengine.connect()\n"
           "    sock.connect()\n"
           "    registry.create_all(engine)\n"
           "    Base.metadata.create_all(other)\n");
    static const char *const ops[] = {"create_all", "drop_all", "connect", "execute",
                                      "commit",     "begin",    "reflect"};
    CHECK(ff->nengine_ios == 7);
    for (uint32_t i = 0; i < ff->nengine_ios && i < 7; i++)
        CHECK_STR(ff->engine_ios[i].op, ops[i]);
    CHECK_STR(ff->engine_ios[0].receiver, "Base.metadata");
    CHECK_STR(ff->engine_ios[2].receiver, "self.engine");
    CHECK(ff->nsqls == 4); /* three text() and the string (FX_SQL_ENGINE_EXECUTE) */
    CHECK(func(ff, "Db.setup")->ndb_direct == 5);
    CHECK(func(ff, "h")->ndb_direct == 0);
    /* An engine known only by its name opens a connection only in a file using SQLAlchemy;
     * MetaData operations name their engine themselves. */
    const char *by_name = "def f(db):\n"
                          "    with db.engine.connect() as conn:\n"
                          "        pass\n"
                          "    Base.metadata.create_all(db.engine)\n";
    ff = ex("app/plain.py", by_name);
    CHECK(ff->nengine_ios == 1);
    CHECK_STR(ff->engine_ios[0].op, "create_all");
    char with_sa[256];
    snprintf(with_sa, sizeof with_sa, "import sqlalchemy as sa\n%s", by_name);
    ff = ex("app/sa.py", with_sa);
    CHECK(ff->nengine_ios == 2);
}

static void test_alembic(void)
{
    FileFacts *ff =
        ex("migrations/env.py", "from alembic import context\n"
                                "from sqlalchemy import engine_from_config, pool\n"
                                "def run_migrations_online():\n"
                                "    c = engine_from_config({}, poolclass=pool.NullPool)\n");
    CHECK(ff->alembic.is_env && ff->alembic.uses_engine_from_config);
    CHECK(!ff->alembic.online_is_async && ff->alembic.online_func == 0);
    CHECK(ff->alembic.loc.line == 4);
    ff = ex("app/x.py", "import os\n");
    CHECK(!ff->alembic.is_env && ff->alembic.online_func == -1);
}

/* ---- async structure ----------------------------------------------------------------------- */

static void test_offloads(void)
{
    FileFacts *ff =
        ex("app/w.py", "import asyncio, threading\n"
                       "from concurrent.futures import ThreadPoolExecutor\n"
                       "from fastapi import BackgroundTasks\n"
                       "from sqlalchemy.orm import sessionmaker\n"
                       "SessionLocal = sessionmaker()\n"
                       "def work(x):\n"
                       "    pass\n"
                       "class S:\n"
                       "    async def run(self, bg: BackgroundTasks):\n"
                       "        loop = asyncio.get_running_loop()\n"
                       "        await loop.run_in_executor(None, self.guardian.analyze, 1)\n"
                       "        await asyncio.to_thread(work, 2)\n"
                       "        asyncio.create_task(self.tick())\n"
                       "        bg.add_task(work, 3)\n"
                       "        with SessionLocal() as s:\n"
                       "            await asyncio.sleep(1)\n"
                       "        while True:\n"
                       "            await asyncio.sleep(5)\n"
                       "    async def tick(self):\n"
                       "        pass\n"
                       "def main():\n"
                       "    with ThreadPoolExecutor(max_workers=4) as ex:\n"
                       "        ex.submit(work, 1)\n"
                       "    threading.Thread(target=work, daemon=True).start()\n");
    CHECK(ff->noffloads == 7);
    CHECK(ff->offloads[0].kind == FX_OFF_RUN_IN_EXECUTOR && ff->offloads[0].is_awaited);
    CHECK_STR(ff->offloads[0].target, "self.guardian.analyze");
    CHECK_STR(ff->offloads[0].executor, "None");
    CHECK(ff->offloads[1].kind == FX_OFF_TO_THREAD && ff->offloads[1].target_func == 0);
    CHECK(ff->offloads[2].kind == FX_OFF_CREATE_TASK && !ff->offloads[2].in_thread);
    CHECK_STR(ff->offloads[2].target, "self.tick");
    CHECK(ff->offloads[2].target_func == 2);
    CHECK(ff->offloads[3].kind == FX_OFF_BACKGROUND_TASK && ff->offloads[3].in_thread);
    CHECK(ff->offloads[4].kind == FX_OFF_POOL);
    CHECK_STR(ff->offloads[4].executor, "ex");
    CHECK_STR(ff->offloads[4].max_workers, "4");
    CHECK(ff->offloads[5].kind == FX_OFF_SUBMIT);
    CHECK(ff->offloads[6].kind == FX_OFF_THREAD);
    CHECK_STR(ff->offloads[6].target, "work");
    CHECK(ff->nawaits_in_session == 1 && ff->awaits_in_session[0].loc.line == 16);
    CHECK(ff->nsleeps == 1 && ff->sleeps[0].in_while_true && ff->sleeps[0].session_block == -1);
    CHECK(func(ff, "S.run")->is_background_loop);
}

/* ---- hints --------------------------------------------------------------------------------- */

static void test_hints(void)
{
    const char *db_py = "from contextlib import contextmanager\n"
                        "from sqlalchemy.orm import sessionmaker\n"
                        "Factory = sessionmaker()\n"
                        "class DatabaseService:\n"
                        "    @contextmanager\n"
                        "    def get_session(self):\n"
                        "        with Factory() as s:\n"
                        "            yield s\n";
    const char *svc_py = "from .db import DatabaseService, Factory\n"
                         "class Jobs:\n"
                         "    def __init__(self, db: DatabaseService):\n"
                         "        self.db = db\n"
                         "    def leak(self):\n"
                         "        s = self.db.get_session()\n"
                         "        return s\n"
                         "    def ok(self):\n"
                         "        with self.db.get_session() as s:\n"
                         "            return s\n"
                         "def direct():\n"
                         "    with Factory() as s:\n"
                         "        return s\n";
    Parsed *p1, *p2;
    Node *m1 = parse_text("app/db.py", db_py, &p1);
    Node *m2 = parse_text("app/svc.py", svc_py, &p2);
    FactsUnit units[2] = {{facts_extract(m1, &p1->src, &p1->arena), "app.db", false},
                          {facts_extract(m2, &p2->src, &p2->arena), "app.svc", false}};
    CHECK(units[1].ff->nsessions == 0); /* alone, svc.py knows nothing */
    Arena a;
    arena_init(&a);
    FxHint *hints;
    uint32_t n = facts_hints(units, 2, &a, &hints);
    CHECK(n >= 3);
    FxHints h = {"app.svc", false, hints, n, NULL, 0, NULL, 0, NULL, false};
    FileFacts *ff = facts_extract_hinted(m2, &p2->src, &p2->arena, &h);
    CHECK(ff->nsessions == 3);
    CHECK(ff->sessions[0].form == FX_ACQ_NO_WITH && ff->sessions[0].conf == FX_CONF_KNOWN);
    CHECK(ff->sessions[1].form == FX_ACQ_WITH && ff->sessions[1].conf == FX_CONF_KNOWN);
    CHECK(ff->sessions[2].form == FX_ACQ_FACTORY_CALL && ff->sessions[2].in_with);
    CHECK_STR(ff->imports[0].target, "app.db.DatabaseService");
    units[1].ff = ff;
    facts_link_project(units, 2, &a);
    arena_free(&a);
}

/* The light extraction (FxHints.light) must yield the hints a full one yields. */
static uint32_t hints_of(Node **m, Parsed **p, FactsUnit *units, bool light, Arena *a, FxHint **out)
{
    for (int i = 0; i < 3; i++) {
        FxHints h = {units[i].module, false, NULL, 0, NULL, 0, NULL, 0, NULL, light};
        units[i].ff = facts_extract_hinted(m[i], &p[i]->src, &p[i]->arena, &h);
    }
    return facts_hints(units, 3, a, out);
}

/* Three files parsed as modules, with the hints of their full and of their light extraction. */
typedef struct Three {
    Arena a; /* the hints; arena_free it */
    Parsed *p[3];
    Node *m[3];
    FactsUnit full[3], light[3];
    FxHint *hf, *hl;
    uint32_t nf, nl;
} Three;

/* files[i]: path, code, module. */
static void three_hints(Three *t, const char *files[3][3])
{
    arena_init(&t->a);
    for (int i = 0; i < 3; i++) {
        t->m[i] = parse_text(files[i][0], files[i][1], &t->p[i]);
        t->full[i] = t->light[i] = (FactsUnit){NULL, files[i][2], false};
    }
    t->nf = hints_of(t->m, t->p, t->full, false, &t->a, &t->hf);
    t->nl = hints_of(t->m, t->p, t->light, true, &t->a, &t->hl);
}

static void test_light_hints(void)
{
    const char *db_py = "from contextlib import contextmanager\n"
                        "from sqlalchemy.orm import scoped_session, sessionmaker\n"
                        "Factory = scoped_session(sessionmaker())\n"
                        "if True:\n"
                        "    Other: sessionmaker = sessionmaker(expire_on_commit=False)\n"
                        "class DatabaseService:\n"
                        "    Maker = sessionmaker()\n"
                        "    def __init__(self):\n"
                        "        self.maker = sessionmaker()\n"
                        "        inner = sessionmaker()\n"
                        "    @contextmanager\n"
                        "    def get_session(self):\n"
                        "        with self.maker() as s:\n"
                        "            yield s\n";
    const char *svc_py = "from .db import DatabaseService as D, Factory\n"
                         "class Jobs:\n"
                         "    def __init__(self, db: D):\n"
                         "        self.db = db\n"
                         "    def session(self):\n"
                         "        return self.db.get_session()\n";
    const char *sub_py = "from app.svc import Jobs\n"
                         "class MoreJobs(Jobs):\n"
                         "    pass\n";
    const char *files[3][3] = {{"app/db.py", db_py, "app.db"},
                               {"app/svc.py", svc_py, "app.svc"},
                               {"app/sub.py", sub_py, "app.sub"}};
    Three t;
    three_hints(&t, files);
    FxHint *hf = t.hf, *hl = t.hl;
    uint32_t nf = t.nf, nl = t.nl;
    FactsUnit *light = t.light, *full = t.full;
    CHECK(nf >= 8);
    CHECK(nf == nl);
    for (uint32_t i = 0; i < nf && i < nl; i++) {
        CHECK_STR(hl[i].name, hf[i].name);
        CHECK(hl[i].kind == hf[i].kind && hl[i].mode == hf[i].mode && hl[i].is_cm == hf[i].is_cm);
        CHECK((hl[i].type == NULL) == (hf[i].type == NULL));
        if (hl[i].type && hf[i].type) CHECK_STR(hl[i].type, hf[i].type);
    }
    CHECK(light[0].ff->nsessions == 0 && full[0].ff->nsessions == 1); /* bodies unread */
    arena_free(&t.a);
}

/* A lookup answered "none" because its kind was absent makes the file redo once the kind
 * appears, and not while it stays absent. */
static void test_hints_absent(void)
{
    Parsed *p;
    Node *m = parse_text("app/svc2.py",
                         "from app.db import make\n"
                         "def f():\n"
                         "    with make() as s:\n"
                         "        s.query(X).all()\n",
                         &p);
    FxHintLog log = {0};
    FxHints none = {"app.svc2", false, NULL, 0, NULL, 0, &log, ~0u, NULL, false};
    facts_extract_hinted(m, &p->src, &p->arena, &none);
    CHECK(log.unasked & (1u << FX_HINT_PROVIDER));
    FxHint alias = {"app.x.y", FX_HINT_ALIAS, FX_UNKNOWN, false, "app.z"};
    FxHint prov = {"app.db.make", FX_HINT_PROVIDER, FX_SYNC, true, NULL};
    FxHints only_alias = {"app.svc2", false, &alias, 1, NULL, 0, NULL, 0, NULL, false};
    only_alias.absent = facts_hint_absent(&alias, 1);
    CHECK(facts_hints_same(&only_alias, &log));
    FxHints with_prov = {"app.svc2", false, &prov, 1, NULL, 0, NULL, 0, NULL, false};
    with_prov.absent = facts_hint_absent(&prov, 1);
    CHECK(!facts_hints_same(&with_prov, &log));
    FileFacts *ff = facts_extract_hinted(m, &p->src, &p->arena, &with_prov);
    CHECK(ff->nsessions == 1 && ff->sessions[0].conf == FX_CONF_KNOWN);
    VEC_FREE(log);
}

/* ---- oslo.db enginefacade ------------------------------------------------------------------ */

static const char *const facade_db_py =
    "import functools\n"
    "from oslo_db.sqlalchemy import enginefacade\n"
    "from oslo_db.sqlalchemy import utils as sqlalchemyutils\n"
    "context_manager = enginefacade.transaction_context()\n"
    "def get_cm(context):\n"
    "    return getattr(context, 'db', None) or context_manager\n"
    "def pick_writer(f):\n"
    "    @functools.wraps(f)\n"
    "    def wrapper(context, *args):\n"
    "        cm = get_cm(context)\n"
    "        with cm.writer.using(context):\n"
    "            return f(context, *args)\n"
    "    return wrapper\n"
    "def model_query(context, model):\n"
    "    query = sqlalchemyutils.model_query(model, context.session)\n"
    "    return query\n"
    "@context_manager.reader\n"
    "def get(context, id):\n"
    "    return context.session.query(Instance).filter_by(id=id).first()\n"
    "@pick_writer\n"
    "def create(context, values):\n"
    "    s = context.session\n"
    "    s.add(Instance(**values))\n"
    "    return model_query(context, Instance).filter_by(id=1).first()\n"
    "def rename(context):\n"
    "    with enginefacade.writer.independent.using(context) as session:\n"
    "        session.flush()\n"
    "    with context_manager.reader.using(context):\n"
    "        context.session.query(Instance).all()\n"
    "    context.session.query(Instance).all()\n"
    "def plain(context):\n"
    "    return context.session.query(Instance).all()\n";

static void test_enginefacade(void)
{
    FileFacts *ff = ex("app/db/api.py", facade_db_py);
    CHECK(ff->imports_enginefacade);
    CHECK(ff->nfacades == 1 && strcmp(ff->facades[0], "context_manager") == 0);
    CHECK(func(ff, "get_cm")->returns_facade);
    CHECK(func(ff, "pick_writer")->is_tx_decorator);
    CHECK(func(ff, "model_query")->returns_query && !func(ff, "model_query")->in_transaction);
    CHECK(func(ff, "get")->in_transaction && func(ff, "create")->in_transaction);
    CHECK(!func(ff, "rename")->in_transaction && !func(ff, "plain")->in_transaction);
    CHECK(count_form(ff, FX_ACQ_DECORATOR) == 2);
    CHECK(count_form(ff, FX_ACQ_WITH) == 3); /* wrapper's, rename's two */
    const FxSession *d = NULL;
    for (uint32_t i = 0; i < ff->nsessions; i++)
        if (ff->sessions[i].form == FX_ACQ_DECORATOR && !d) d = &ff->sessions[i];
    CHECK(d && d->mode == FX_SYNC && d->conf == FX_CONF_KNOWN && d->loc.line == 17);
    CHECK_STR(d->var, "context.session");
    CHECK_STR(d->provider, "context_manager.reader");
    /* model_query's own, get's, create's helper chain, rename's block: plain's and the one
     * after the block are not on sessions */
    CHECK(ff->nqueries == 4);
    const FxQuery *h = &ff->queries[0];
    CHECK(h->helper && strcmp(h->helper, "sqlalchemyutils.model_query") == 0);
    CHECK(h->session < 0 && h->manual && h->terminal == FX_TERM_NONE);
    CHECK(ff->queries[1].session >= 0 && ff->queries[1].terminal == FX_TERM_FIRST);
    CHECK(!ff->queries[1].helper);
    h = &ff->queries[2];
    CHECK(h->helper && strcmp(h->helper, "model_query") == 0 && h->terminal == FX_TERM_FIRST);
    CHECK(h->session >= 0 && ff->sessions[h->session].form == FX_ACQ_DECORATOR);
    CHECK_STR(h->methods[0], "model_query");
    CHECK(ff->queries[3].loc.line == 29 && ff->queries[3].session >= 0);
    CHECK(ff->nsession_ops == 2); /* s.add, session.flush */
    CHECK(func(ff, "create")->ndb_direct == 3 && func(ff, "plain")->ndb_direct == 0);
}

/* Without the import, `.reader` decorators and `.session` attributes are nothing. */
static void test_enginefacade_negative(void)
{
    FileFacts *ff = ex("app/other.py", "cache = make_cache()\n"
                                       "@cache.reader\n"
                                       "def get(context):\n"
                                       "    return context.session.query(X).all()\n"
                                       "def f(obj):\n"
                                       "    with obj.writer.using(ctx) as conn:\n"
                                       "        conn.query(X).all()\n");
    CHECK(ff->nsessions == 0 && ff->nqueries == 0 && !func(ff, "get")->in_transaction);
}

/* Transaction contexts and decorators of another module, through hints (light extraction
 * gives the same ones). */
static void test_enginefacade_hints(void)
{
    const char *obj_py = "from app.db import api as db\n"
                         "@db.context_manager.writer\n"
                         "def save(context, x):\n"
                         "    context.session.add(x)\n"
                         "@db.pick_writer\n"
                         "def drop(context, x):\n"
                         "    context.session.delete(x)\n"
                         "def bump(context):\n"
                         "    with db.get_cm(context).writer.using(context) as s:\n"
                         "        s.flush()\n";
    const char *none_py = "from app.util import helper\n"
                          "@helper.reader\n"
                          "def f(context):\n"
                          "    context.session.add(1)\n";
    const char *files[3][3] = {{"app/db/api.py", facade_db_py, "app.db.api"},
                               {"app/obj.py", obj_py, "app.obj"},
                               {"app/none.py", none_py, "app.none"}};
    Three t;
    three_hints(&t, files);
    FxHint *hf = t.hf;
    uint32_t nf = t.nf;
    Parsed **p = t.p;
    Node **m = t.m;
    CHECK(nf == t.nl);
    CHECK(facts_hint_find(&(FxHints){.items = hf, .n = nf}, "app.db.api", 10, FX_HINT_TXMODULE));
    FxHintLog log = {0};
    FxHints h = {"app.obj", false, hf, nf, NULL, 0, &log, facts_hint_absent(hf, nf), NULL, false};
    FileFacts *ff = facts_extract_hinted(m[1], &p[1]->src, &p[1]->arena, &h);
    CHECK(count_form(ff, FX_ACQ_DECORATOR) == 2 && count_form(ff, FX_ACQ_WITH) == 1);
    CHECK(ff->nsession_ops == 3);
    h.module = "app.none";
    ff = facts_extract_hinted(m[2], &p[2]->src, &p[2]->arena, &h);
    CHECK(ff->nsessions == 0 && ff->nsession_ops == 0);
    VEC_FREE(log);
    arena_free(&t.a);
}

static void test_link_reexport(void)
{
    Parsed *p1, *p2, *p3;
    Node *m1 = parse_text("app/models/base.py",
                          "from sqlalchemy.orm import DeclarativeBase\n"
                          "class Base(DeclarativeBase):\n"
                          "    pass\n",
                          &p1);
    Node *m2 = parse_text("app/models/__init__.py", "from .base import Base\n", &p2);
    Node *m3 = parse_text("app/job.py",
                          "from app.models import Base\n"
                          "class Job(Base):\n"
                          "    pass\n"
                          "class Detail(Job):\n"
                          "    pass\n",
                          &p3);
    FactsUnit units[3] = {{facts_extract(m1, &p1->src, &p1->arena), "app.models.base", false},
                          {facts_extract(m2, &p2->src, &p2->arena), "app.models", true},
                          {facts_extract(m3, &p3->src, &p3->arena), "app.job", false}};
    CHECK(!units[2].ff->classes[0].is_mapped);
    Arena a;
    arena_init(&a);
    facts_link_project(units, 3, &a);
    CHECK_STR(units[1].ff->imports[0].target, "app.models.base.Base");
    CHECK(units[2].ff->classes[0].is_mapped);
    CHECK(units[2].ff->classes[1].is_mapped);
    CHECK(!units[0].ff->classes[0].is_mapped);
    arena_free(&a);
}

int main(void)
{
    test_names();
    test_imports_and_classes();
    test_declarative_function();
    test_functions();
    test_pytest();
    test_session_forms();
    test_async_sessions();
    test_queries();
    test_sql_and_infra();
    test_engine_io();
    test_alembic();
    test_offloads();
    test_hints();
    test_light_hints();
    test_hints_absent();
    test_link_reexport();
    test_enginefacade();
    test_enginefacade_negative();
    test_enginefacade_hints();
    free_all();
    return test_report("facts");
}
