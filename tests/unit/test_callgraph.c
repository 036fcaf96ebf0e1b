/* Unit tests for src/model/symbols and src/model/callgraph (resolution across files: relative
 * imports, aliases, re-exports, inheritance, self attributes, locals, return annotations,
 * Depends, fixtures, references handed to executors, threads and tasks; coverage and its
 * reasons; shadowing), and for the call-graph rules (src/rules/graph_rules.h: SA202 chains,
 * SA205, loops, SA302-SA304, the refresh-then-expunge idiom). Each test writes a small project
 * into a temporary folder and loads it as `check` does. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "model/callgraph.h"
#include "model/facts_program.h"
#include "model/project.h"
#include "model/symbols.h"
#include "rules/graph_rules.h"

typedef struct Proj {
    char dir[256];
    Program prog;
    FactsProgram fp;
    Arena arena;
    CallGraph *cg;
} Proj;

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

/* files: pairs of relative path and text, NULL-terminated. */
static void load(Proj *p, const char *const *files)
{
    memset(p, 0, sizeof *p);
    snprintf(p->dir, sizeof p->dir, "/tmp/sqlasync_cg_XXXXXX");
    if (!mkdtemp(p->dir)) return;
    for (int i = 0; files[i]; i += 2)
        write_file(p->dir, files[i], files[i + 1]);
    ProjOptions po = {0};
    po.root = p->dir;
    po.jobs = 1;
    CHECK(proj_load(&p->prog, &po) == 0);
    facts_program_extract(&p->fp, &p->prog, 1);
    arena_init(&p->arena);
    p->cg = cg_build(&p->prog, p->fp.by_file, 0, &p->arena);
}

static void unload(Proj *p)
{
    char cmd[300];
    arena_free(&p->arena);
    facts_program_free(&p->fp);
    proj_free(&p->prog);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p->dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", p->dir);
}

static int32_t node(const Proj *p, const char *module, const char *qualname)
{
    for (uint32_t n = 0; n < p->cg->nnodes; n++) {
        uint32_t f = cg_file(p->cg, n);
        if (strcmp(sym_module(p->cg->st, f), module) == 0 &&
            strcmp(cg_func(p->cg, n)->qualname, qualname) == 0)
            return (int32_t)n;
    }
    return -1;
}

/* The edge kind from a to b, or -1 when there is no edge. */
static int edge(const Proj *p, int32_t a, int32_t b)
{
    if (a < 0 || b < 0) return -2;
    for (uint32_t k = p->cg->out[a]; k < p->cg->out[a + 1]; k++)
        if (p->cg->edges[k].to == (uint32_t)b) return p->cg->edges[k].kind;
    return -1;
}

static uint8_t edge_via(const Proj *p, int32_t a, int32_t b)
{
    for (uint32_t k = a >= 0 ? p->cg->out[a] : 0; a >= 0 && k < p->cg->out[a + 1]; k++)
        if (p->cg->edges[k].to == (uint32_t)b) return p->cg->edges[k].via;
    return 255;
}

/* ---- symbols ------------------------------------------------------------------------------- */

static const char *const pkg_files[] = {
    "app/__init__.py",
    "",
    "app/db.py",
    "from contextlib import contextmanager\n"
    "from sqlalchemy.orm import Session, sessionmaker\n"
    "SessionLocal = sessionmaker(expire_on_commit=False)\n"
    "class Database:\n"
    "    @contextmanager\n"
    "    def get_session(self):\n"
    "        with SessionLocal() as s:\n"
    "            yield s\n",
    "app/base.py",
    "from .db import Database\n"
    "class Base:\n"
    "    def __init__(self, db: Database):\n"
    "        self.db = db\n"
    "    def count(self):\n"
    "        with self.db.get_session() as s:\n"
    "            return s.execute('x').scalar()\n"
    "    def hook(self):\n"
    "        return None\n",
    "app/services/__init__.py",
    "from .jobs import JobService as JobService\n",
    "app/services/jobs.py",
    "from ..base import Base\n"
    "from ..db import Database\n"
    "class Helper:\n"
    "    def run(self):\n"
    "        return 1\n"
    "class JobService(Base):\n"
    "    def __init__(self, db: Database):\n"
    "        super().__init__(db)\n"
    "        self.helper = Helper()\n"
    "    def total(self):\n"
    "        return self.count() + self.helper.run()\n"
    "    def hook(self):\n"
    "        return self.total()\n"
    "def make(db: Database) -> JobService:\n"
    "    return JobService(db)\n"
    "def build(db):\n"
    "    return JobService(db)\n"
    "service = JobService(Database())\n",
    "app/api.py",
    "import asyncio\n"
    "import app.services.jobs as jm\n"
    "from app.services import JobService\n"
    "from .services.jobs import make, build, service\n"
    "from .db import Database\n"
    "async def a1(db: Database):\n"
    "    return JobService(db).total()\n"
    "async def a2(db: Database):\n"
    "    return make(db).total()\n"
    "async def a3(db: Database):\n"
    "    return build(db).total()\n"
    "async def a4():\n"
    "    return service.total()\n"
    "async def a5(db: Database):\n"
    "    x = jm.JobService(db)\n"
    "    return await asyncio.to_thread(x.total)\n"
    "async def a6(total):\n"
    "    return total()\n"
    "async def a7(thing):\n"
    "    return thing.total()\n"
    "def spawn(db: Database):\n"
    "    return asyncio.create_task(a1(db))\n",
    NULL,
};

static void test_symbols(void)
{
    Proj p;
    load(&p, pkg_files);
    const SymTable *st = p.cg->st;
    SymRef r = sym_lookup(st, "app.services.JobService");
    CHECK(r.kind == SR_CLASS);
    CHECK_STR(st->classes[r.id].name, "app.services.jobs.JobService");
    CHECK(st->classes[r.id].nmro == 2); /* JobService, Base */
    CHECK(sym_method(st, r.id, "count") >= 0);
    CHECK(sym_method(st, r.id, "nothing") < 0);
    CHECK(sym_lookup(st, "sqlalchemy.orm.Session").kind == SR_EXTERNAL);
    CHECK(sym_lookup(st, "app.services.jobs.service").kind == SR_VAR);
    CHECK(sym_lookup(st, "app.db.SessionLocal").kind == SR_VAR);
    CHECK(sym_lookup(st, "app.services.jobs.missing").kind == SR_NONE);
    SymRef base = sym_lookup(st, "app.base.Base");
    int32_t over[4];
    CHECK(base.kind == SR_CLASS && sym_overrides(st, base.id, "hook", over, 4) == 1);
    CHECK(sym_is_builtin("len") && !sym_is_builtin("JobService"));
    CHECK(sym_is_project_name(st, "total") && !sym_is_project_name(st, "append"));
    unload(&p);
}

static void test_resolution(void)
{
    Proj p;
    load(&p, pkg_files);
    int32_t count = node(&p, "app.base", "Base.count");
    int32_t total = node(&p, "app.services.jobs", "JobService.total");
    int32_t run = node(&p, "app.services.jobs", "Helper.run");
    int32_t get = node(&p, "app.db", "Database.get_session");
    CHECK(edge(&p, total, count) == CG_CALL); /* inherited through the MRO */
    CHECK(edge(&p, total, run) == CG_CALL);   /* self attribute built in __init__ */
    CHECK(edge(&p, count, get) == CG_CALL);   /* self.db from an annotated parameter */
    CHECK(edge(&p, node(&p, "app.services.jobs", "JobService.__init__"),
               node(&p, "app.base", "Base.__init__")) == CG_CALL);   /* super() */
    CHECK(edge(&p, node(&p, "app.api", "a1"), total) == CG_CALL);    /* re-export */
    CHECK(edge(&p, node(&p, "app.api", "a2"), total) == CG_CALL);    /* return annotation */
    CHECK(edge(&p, node(&p, "app.api", "a3"), total) == CG_CALL);    /* inferred return */
    CHECK(edge(&p, node(&p, "app.api", "a4"), total) == CG_CALL);    /* module singleton */
    CHECK(edge(&p, node(&p, "app.api", "a5"), total) == CG_OFFLOAD); /* to_thread(ref) */
    CHECK(edge_via(&p, node(&p, "app.api", "a5"), total) == CG_VIA_TO_THREAD);
    CHECK(edge(&p, node(&p, "app.api", "spawn"), node(&p, "app.api", "a1")) == CG_SPAWN);
    CHECK(edge(&p, node(&p, "app.api", "a6"), total) == -1); /* a parameter shadows */
    /* Base.hook is overridden: a call on an instance of Base reaches the override too */
    CHECK(edge(&p, node(&p, "app.services.jobs", "JobService.hook"), total) == CG_CALL);
    CHECK(p.cg->db_direct[count] > 0 && p.cg->db_direct[total] == 0);
    /* a6: `total()` on a parameter; a7: `thing.total()` on an untyped parameter */
    CHECK(p.cg->cov.by_reason[CG_R_LOCAL_CALLABLE] == 1);
    CHECK(p.cg->cov.by_reason[CG_R_UNKNOWN_RECEIVER] == 1);
    CHECK(p.cg->cov.unresolved == 2);
    CHECK(cg_coverage(p.cg) > 0.9 && cg_coverage(p.cg) < 1.0);
    CHECK_STR(cg_reason_key(CG_R_UNKNOWN_RECEIVER), "unknown_receiver");
    unload(&p);
}

static const char *const fastapi_files[] = {
    "svc/__init__.py",
    "",
    "svc/db.py",
    "from sqlalchemy.orm import Session, sessionmaker\n"
    "SessionLocal = sessionmaker()\n"
    "class Db:\n"
    "    def rows(self):\n"
    "        with SessionLocal() as s:\n"
    "            return s.execute('x').all()\n"
    "def get_db() -> Db:\n"
    "    return Db()\n"
    "async def get_adb():\n"
    "    return Db()\n",
    "svc/routes.py",
    "import asyncio, threading\n"
    "from concurrent.futures import ThreadPoolExecutor\n"
    "from fastapi import APIRouter, BackgroundTasks, Depends\n"
    "from .db import Db, get_db, get_adb\n"
    "router = APIRouter()\n"
    "@router.get('/a')\n"
    "async def a(db=Depends(get_db)):\n"
    "    return db.rows()\n"
    "@router.get('/b')\n"
    "async def b(bg: BackgroundTasks, db=Depends(get_adb)):\n"
    "    bg.add_task(db.rows)\n"
    "    loop = asyncio.get_running_loop()\n"
    "    return await loop.run_in_executor(None, lambda: db.rows())\n"
    "def worker(db: Db):\n"
    "    t = threading.Thread(target=db.rows)\n"
    "    with ThreadPoolExecutor() as ex:\n"
    "        ex.submit(db.rows)\n"
    "async def loop_forever(db: Db):\n"
    "    while True:\n"
    "        db.rows()\n"
    "        await asyncio.sleep(1)\n"
    "async def start():\n"
    "    asyncio.create_task(loop_forever(get_db()))\n",
    NULL,
};

static void test_handoffs(void)
{
    Proj p;
    load(&p, fastapi_files);
    int32_t rows = node(&p, "svc.db", "Db.rows");
    int32_t a = node(&p, "svc.routes", "a"), b = node(&p, "svc.routes", "b");
    int32_t w = node(&p, "svc.routes", "worker");
    CHECK(edge(&p, a, node(&p, "svc.db", "get_db")) == CG_OFFLOAD); /* sync dependency */
    CHECK(edge_via(&p, a, node(&p, "svc.db", "get_db")) == CG_VIA_DEPENDS);
    CHECK(edge(&p, b, node(&p, "svc.db", "get_adb")) == CG_CALL); /* async dependency */
    CHECK(edge(&p, a, rows) == CG_CALL); /* the dependency's return annotation types db */
    CHECK(edge(&p, b, rows) == CG_OFFLOAD);
    CHECK(edge(&p, w, rows) == CG_OFFLOAD);
    CHECK(edge(&p, node(&p, "svc.routes", "start"), node(&p, "svc.routes", "loop_forever")) ==
          CG_SPAWN);
    uint32_t vias = 0;
    for (uint32_t k = p.cg->out[w]; k < p.cg->out[w + 1]; k++)
        vias |= 1u << p.cg->edges[k].via;
    CHECK(vias & (1u << CG_VIA_THREAD));
    CHECK(vias & (1u << CG_VIA_SUBMIT));
    unload(&p);
}

/* ---- rules --------------------------------------------------------------------------------- */

static uint32_t count_code(const FindingList *l, const char *code)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->n; i++)
        n += strcmp(l->items[i].code, code) == 0;
    return n;
}

static const Finding *first_code(const FindingList *l, const char *code)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].code, code) == 0) return &l->items[i];
    return NULL;
}

static void run_rules(Proj *p, FindingList *out, GraphSummary *sum)
{
    FindingSite *sites = calloc(p->prog.nfiles + 1, sizeof *sites);
    for (uint32_t i = 0; i < p->prog.nfiles; i++)
        if (p->fp.by_file[i])
            sites[i] = (FindingSite){&p->prog.files[i].src, p->prog.files[i].path, i};
    memset(sum, 0, sizeof *sum);
    rule_async_graph(p->cg, sites, NULL, out, sum, &p->arena);
    rule_loading_graph(p->cg, sites, out, sum, &p->arena);
    finding_sort(out);
    free(sites);
}

static void test_async_rules(void)
{
    Proj p;
    load(&p, fastapi_files);
    FindingList out = {0};
    GraphSummary sum;
    run_rules(&p, &out, &sum);
    CHECK(count_code(&out, "SA202") == 2); /* a (through Depends' type), loop_forever */
    CHECK(count_code(&out, "SA205") == 4); /* background task, executor lambda, thread, submit */
    const Finding *f = first_code(&out, "SA202");
    CHECK(f && strstr(f->message, "a → Db.rows") != NULL);
    CHECK(sum.nloops == 1 && sum.loops[0].nreach == 1 && sum.loops[0].started.path != NULL);
    CHECK(sum.async_reaching == 2 && sum.thread_entries == 4);
    finding_list_free(&out);
    unload(&p);

    load(&p, pkg_files);
    run_rules(&p, &out, &sum);
    /* a1-a4 reach Base.count three calls away; a5 only offloads it (SA205) */
    CHECK(count_code(&out, "SA202") == 4);
    CHECK(count_code(&out, "SA205") == 1);
    f = first_code(&out, "SA202");
    CHECK(f && strstr(f->message, "a1 → JobService.total → Base.count → Database.get_session"));
    finding_list_free(&out);
    unload(&p);
}

static const char *const loading_files[] = {
    "m/__init__.py",
    "",
    "m/models.py",
    "from typing import List\n"
    "from sqlalchemy import ForeignKey\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n"
    "class Base(DeclarativeBase):\n"
    "    pass\n"
    "class Team(Base):\n"
    "    __tablename__ = 't'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    "    name: Mapped[str]\n"
    "    users: Mapped[List['User']] = relationship()\n"
    "class User(Base):\n"
    "    __tablename__ = 'u'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    "    team_id: Mapped[int] = mapped_column(ForeignKey('t.id'))\n",
    "m/db.py",
    "from contextlib import contextmanager\n"
    "from sqlalchemy.orm import sessionmaker\n"
    "class Db:\n"
    "    def __init__(self):\n"
    "        self.S = sessionmaker()\n"
    "    @contextmanager\n"
    "    def get_session(self):\n"
    "        s = self.S()\n"
    "        yield s\n"
    "        s.commit()\n",
    "m/use.py",
    "from sqlalchemy.orm import selectinload\n"
    "from .db import Db\n"
    "from .models import Team\n"
    "def lazy(db: Db, i: int):\n"
    "    with db.get_session() as s:\n"
    "        team = s.get(Team, i)\n"
    "        return len(team.users)\n"
    "def eager(db: Db, i: int):\n"
    "    with db.get_session() as s:\n"
    "        team = s.get(Team, i, options=[selectinload(Team.users)])\n"
    "        return len(team.users)\n"
    "def after_commit(db: Db, i: int):\n"
    "    with db.get_session() as s:\n"
    "        team = s.get(Team, i)\n"
    "        s.commit()\n"
    "        return team.name\n"
    "def idiom(db: Db, name: str):\n"
    "    with db.get_session() as s:\n"
    "        team = Team(name=name)\n"
    "        s.add(team)\n"
    "        s.commit()\n"
    "        s.refresh(team)\n"
    "        s.expunge(team)\n"
    "    return team.name\n"
    "def closed(db: Db, i: int):\n"
    "    with db.get_session() as s:\n"
    "        team = s.get(Team, i)\n"
    "    return team.name\n",
    NULL,
};

static void test_loading_rules(void)
{
    Proj p;
    load(&p, loading_files);
    FindingList out = {0};
    GraphSummary sum;
    run_rules(&p, &out, &sum);
    CHECK(count_code(&out, "SA302") == 1); /* lazy, not eager */
    CHECK(count_code(&out, "SA303") == 1); /* after_commit, not idiom */
    CHECK(count_code(&out, "SA304") == 1); /* closed: the provider commits on exit */
    const Finding *f = first_code(&out, "SA302");
    CHECK(f && f->line == 7 && strcmp(f->qualname, "lazy") == 0);
    CHECK(sum.nidioms == 1 && sum.idioms[0].line == 22);
    finding_list_free(&out);
    unload(&p);
}

/* ---- speed --------------------------------------------------------------------------------- */

/* A chain through N modules: every module's function calls the next one; the graph has one edge
 * per call and the rule finds one chain, whatever N. */
static void test_long_chain(void)
{
    enum { N = 60 };
    static char texts[N][256];
    static char names[N][32];
    const char *files[2 * N + 8];
    int k = 0;
    files[k++] = "c/__init__.py";
    files[k++] = "";
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "c/m%d.py", i);
        if (i + 1 < N)
            snprintf(texts[i], sizeof texts[i],
                     "from .m%d import f%d\ndef f%d():\n    return f%d()\n", i + 1, i + 1, i,
                     i + 1);
        else
            snprintf(texts[i], sizeof texts[i],
                     "from sqlalchemy.orm import Session\ndef f%d(s: Session):\n"
                     "    return s.execute('x')\nasync def top():\n    from .m0 import f0\n"
                     "    return f0()\n",
                     i);
        files[k++] = names[i];
        files[k++] = texts[i];
    }
    files[k] = NULL;
    Proj p;
    load(&p, files);
    CHECK(p.cg->nedges == N);
    FindingList out = {0};
    GraphSummary sum;
    run_rules(&p, &out, &sum);
    const Finding *f = first_code(&out, "SA202");
    CHECK(f && strstr(f->message, "→ …") != NULL); /* a long chain is elided in the middle */
    CHECK(count_code(&out, "SA202") == 1);
    finding_list_free(&out);
    unload(&p);
}

int main(void)
{
    test_symbols();
    test_resolution();
    test_handoffs();
    test_async_rules();
    test_loading_rules();
    test_long_chain();
    return test_report("callgraph");
}
