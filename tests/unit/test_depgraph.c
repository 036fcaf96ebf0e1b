/* Unit tests for src/plan/depgraph (nodes, edges of every kind resolved through imports,
 * relative imports and package re-exports, reach to database work, fan-in, chains, Tarjan's
 * components and cycles, the leaves-first order, a 3000-node chain and cycle without deep
 * recursion) and src/plan/phases (node phases, phases adding up to the estimate, strategies). */
#include "test.h"

#include <stdlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/source.h"
#include "model/facts.h"
#include "plan/depgraph.h"
#include "plan/estimate.h"
#include "plan/phases.h"
#include "syntax/parser.h"

typedef struct TFile {
    const char *path, *module, *code;
    bool is_package;
    FileCategory cat;
} TFile;

typedef struct Project {
    uint32_t n;
    Source src[64];
    Arena arena[64];
    FileFacts *ff[64];
    DgFile files[64];
    Arena link;
} Project;

static Node *parse_one(Project *p, uint32_t i, const TFile *f)
{
    source_from_mem(&p->src[i], f->path, f->code, strlen(f->code));
    arena_init(&p->arena[i]);
    DiagList d = {0};
    ParseOutput po;
    if (parse_source(&p->src[i], &p->arena[i], &po, &d) != 0) {
        fprintf(stderr, "%s: parse error: %s\n", f->path, d.n ? d.items[0].message : "?");
        po.module = NULL;
    }
    diag_list_free(&d);
    return po.module;
}

/* Parses, extracts with hints in rounds and links, as `report` and `graph` do. */
static void load(Project *p, const TFile *files, uint32_t n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    arena_init(&p->link);
    Node *mods[64];
    FactsUnit units[64];
    for (uint32_t i = 0; i < n; i++) {
        mods[i] = parse_one(p, i, &files[i]);
        CHECK(mods[i] != NULL);
        units[i] = (FactsUnit){NULL, files[i].module, files[i].is_package};
    }
    uint32_t nhints = UINT32_MAX;
    for (int round = 0; round < 4; round++) {
        FxHint *hints = NULL;
        uint32_t nh = round ? facts_hints(units, n, &p->link, &hints) : 0;
        if (round && nh == nhints) break;
        nhints = nh;
        for (uint32_t i = 0; i < n; i++) {
            FxHints h = {.module = units[i].module,
                         .is_package = units[i].is_package,
                         .items = hints,
                         .n = nh};
            units[i].ff =
                facts_extract_hinted(mods[i], &p->src[i], &p->arena[i], round ? &h : NULL);
        }
    }
    facts_link_project(units, n, &p->link);
    for (uint32_t i = 0; i < n; i++) {
        p->ff[i] = units[i].ff;
        p->files[i] = (DgFile){p->ff[i],        &p->src[i],          files[i].path,
                               files[i].module, files[i].is_package, files[i].cat};
    }
}

static void unload(Project *p)
{
    for (uint32_t i = 0; i < p->n; i++) {
        arena_free(&p->arena[i]);
        source_free(&p->src[i]);
    }
    arena_free(&p->link);
}

static const DgEdge *edge(const DgGraph *g, const char *from, const char *to)
{
    int32_t a = dg_find(g, from), b = dg_find(g, to);
    if (a < 0 || b < 0) return NULL;
    for (uint32_t i = g->out[a]; i < g->out[a + 1]; i++)
        if (g->edges[i].to == (uint32_t)b) return &g->edges[i];
    return NULL;
}

static const DgNode *node(const DgGraph *g, const char *id)
{
    int32_t i = dg_find(g, id);
    return i < 0 ? NULL : &g->nodes[i];
}

/* ---- a small application -------------------------------------------------------------------- */

static const TFile app[] = {
    {"app/__init__.py", "app", "", true, FCAT_OTHER},
    {"app/db.py", "app.db",
     "from contextlib import contextmanager\n"
     "from sqlalchemy import create_engine\n"
     "from sqlalchemy.orm import sessionmaker\n"
     "class DatabaseService:\n"
     "    def __init__(self, url: str):\n"
     "        self.engine = create_engine(url)\n"
     "        self.SessionLocal = sessionmaker(bind=self.engine)\n"
     "    @contextmanager\n"
     "    def get_session(self):\n"
     "        with self.SessionLocal() as s:\n"
     "            yield s\n",
     false, FCAT_INFRA},
    {"app/models.py", "app.models",
     "from sqlalchemy.orm import DeclarativeBase\n"
     "class Base(DeclarativeBase):\n"
     "    pass\n"
     "class Job(Base):\n"
     "    __tablename__ = 'jobs'\n",
     false, FCAT_INFRA},
    {"app/services/__init__.py", "app.services", "from .queue import QueueService\n", true,
     FCAT_SERVICES},
    {"app/services/queue.py", "app.services.queue",
     "from ..db import DatabaseService\n"
     "from ..models import Job\n"
     "class QueueService:\n"
     "    def __init__(self, db: DatabaseService):\n"
     "        self.db = db\n"
     "    def depth(self):\n"
     "        with self.db.get_session() as s:\n"
     "            return s.query(Job).count()\n"
     "class Helper:\n"
     "    def shout(self):\n"
     "        return 'x'\n",
     false, FCAT_SERVICES},
    {"app/services/jobs.py", "app.services.jobs",
     "from app.db import DatabaseService\n"
     "from app.services import QueueService\n"
     "class JobService:\n"
     "    def __init__(self, db: DatabaseService):\n"
     "        self.queue = QueueService(db)\n"
     "    def count(self):\n"
     "        return self.queue.depth()\n",
     false, FCAT_SERVICES},
    {"app/services/sched.py", "app.services.sched",
     "from typing import TYPE_CHECKING, Optional\n"
     "from app.db import DatabaseService\n"
     "if TYPE_CHECKING:\n"
     "    from app.services.disp import Dispatch\n"
     "class Scheduler:\n"
     "    def __init__(self, db: DatabaseService, dispatch: Optional['Dispatch'] = None):\n"
     "        self.db = db\n"
     "        self.dispatch = dispatch\n"
     "    def tick(self):\n"
     "        with self.db.get_session() as s:\n"
     "            s.commit()\n",
     false, FCAT_SERVICES},
    {"app/services/disp.py", "app.services.disp",
     "from app.db import DatabaseService\n"
     "from app.services.sched import Scheduler\n"
     "class Dispatch:\n"
     "    def __init__(self, db: DatabaseService):\n"
     "        self.sched = Scheduler(db, dispatch=self)\n",
     false, FCAT_SERVICES},
    {"app/routes.py", "app.routes",
     "from fastapi import APIRouter, Depends\n"
     "from app.db import DatabaseService\n"
     "from app.services.jobs import JobService\n"
     "from app.services.disp import Dispatch\n"
     "router = APIRouter()\n"
     "def get_db() -> DatabaseService:\n"
     "    return DatabaseService('sqlite://')\n"
     "@router.get('/n')\n"
     "def n(db=Depends(get_db)):\n"
     "    return JobService(db).count()\n"
     "@router.post('/d')\n"
     "async def d(db=Depends(get_db)):\n"
     "    return Dispatch(db)\n",
     false, FCAT_ROUTES},
    {"app/worker.py", "app.worker",
     "import threading\n"
     "from app.db import DatabaseService\n"
     "from app.services.disp import Dispatch\n"
     "class Worker:\n"
     "    def __init__(self, db: DatabaseService):\n"
     "        self.dispatch = Dispatch(db)\n"
     "    def start(self):\n"
     "        threading.Thread(target=self.loop).start()\n"
     "    def loop(self):\n"
     "        pass\n"
     "def main():\n"
     "    Worker(DatabaseService('x')).start()\n",
     false, FCAT_SERVICES},
    {"tests/test_jobs.py", "tests.test_jobs",
     "from app.services.jobs import JobService\n"
     "def test_count(db):\n"
     "    assert JobService(db).count() == 0\n",
     false, FCAT_TESTS},
};

#define NAPP (sizeof app / sizeof app[0])

static void test_nodes(const DgGraph *g)
{
    CHECK(node(g, "app.db.DatabaseService") != NULL);
    CHECK(node(g, "app.db.DatabaseService")->is_db_layer);
    CHECK(node(g, "app.services.queue.QueueService")->db_ops > 0);
    CHECK(node(g, "app.services.queue.Helper") == NULL); /* no database work, reaches none */
    CHECK(node(g, "app.models.Job") == NULL);            /* a mapped class is not a node */
    CHECK(node(g, "tests.test_jobs") == NULL);           /* test files are left out */
    CHECK(node(g, "app.services.jobs.JobService")->db_ops == 0); /* only through QueueService */
    CHECK(node(g, "app.routes")->kind == DG_MODULE);
    CHECK(node(g, "app.routes")->has_routes);
    CHECK(node(g, "app.worker.Worker")->has_threads);
    CHECK(node(g, "app.worker") != NULL); /* main() reaches DatabaseService */
    CHECK_STR(node(g, "app.services.jobs.JobService")->name, "JobService");
}

static void test_edges(const DgGraph *g)
{
    const DgEdge *e = edge(g, "app.services.queue.QueueService", "app.db.DatabaseService");
    CHECK(e && e->kind == DG_EDGE_INIT_PARAM && e->line == 4); /* relative import */
    CHECK(e && strcmp(e->text, "db: DatabaseService") == 0);
    e = edge(g, "app.services.jobs.JobService", "app.services.queue.QueueService");
    CHECK(e && e->kind == DG_EDGE_INIT_INSTANCE && e->line == 5); /* through the re-export */
    CHECK(e && strcmp(e->text, "self.queue = QueueService(db)") == 0);
    e = edge(g, "app.services.sched.Scheduler", "app.services.disp.Dispatch");
    CHECK(e && e->kind == DG_EDGE_INIT_PARAM); /* Optional['Dispatch'] under TYPE_CHECKING */
    e = edge(g, "app.routes", "app.services.jobs.JobService");
    CHECK(e && e->kind == DG_EDGE_CALL && e->line == 10);
    CHECK(edge(g, "app.routes", "app.db.DatabaseService") != NULL);
    CHECK(edge(g, "app.worker", "app.worker.Worker") == NULL); /* same file: no edge */
    CHECK(edge(g, "app.worker.Worker", "app.services.disp.Dispatch") != NULL);
    CHECK(!dg_has_edge(g, (uint32_t)dg_find(g, "app.db.DatabaseService"),
                       (uint32_t)dg_find(g, "app.services.queue.QueueService")));
}

static void test_order(const DgGraph *g)
{
    const DgNode *db = node(g, "app.db.DatabaseService");
    CHECK(db->comp == 0); /* the leaf with the highest fan-in first */
    CHECK(g->comps[0].level == 0);
    CHECK(db->fan_in >= 5);
    CHECK(g->ncycles == 1);
    const DgNode *s = node(g, "app.services.sched.Scheduler"),
                 *d = node(g, "app.services.disp.Dispatch");
    CHECK(s->comp == d->comp);
    const DgComp *c = &g->comps[s->comp];
    CHECK(c->n == 2 && c->cycle == 0);
    CHECK_STR(c->name, "Dispatch ↔ Scheduler");
    /* every dependency comes earlier in the order, at a lower level */
    for (uint32_t i = 0; i < g->nedges; i++) {
        uint32_t cf = g->nodes[g->edges[i].from].comp, ct = g->nodes[g->edges[i].to].comp;
        CHECK(cf == ct || (ct < cf && g->comps[ct].level < g->comps[cf].level));
    }
    const DgNode *j = node(g, "app.services.jobs.JobService");
    CHECK(j->via == dg_find(g, "app.services.queue.QueueService")); /* the service, not the db */
    CHECK(node(g, "app.services.queue.QueueService")->via == -1);
}

static void test_reach(const DgGraph *g)
{
    bool reach[64] = {0};
    reach[dg_find(g, "app.routes")] = true;
    dg_reach(g, reach);
    CHECK(reach[dg_find(g, "app.services.queue.QueueService")]);
    CHECK(reach[dg_find(g, "app.db.DatabaseService")]);
    CHECK(!reach[dg_find(g, "app.worker.Worker")]);
}

/* ---- phases over the same application -------------------------------------------------------- */

static void test_phases(const Project *p, const DgGraph *g)
{
    EstFile files[NAPP];
    for (uint32_t i = 0; i < NAPP; i++)
        files[i] = (EstFile){app[i].path, (uint8_t)app[i].cat, true, i != 0 && i != 3, 1};
    Finding f[3];
    memset(f, 0, sizeof f);
    f[0] = (Finding){.code = "SA401", .file = 1, .path = "app/db.py", .line = 6, .fix = FIX_MANUAL};
    f[1] = (Finding){
        .code = "SA101", .file = 4, .path = "app/services/queue.py", .line = 8, .fix = FIX_SAFE};
    f[2] = (Finding){
        .code = "SA409", .file = 9, .path = "app/worker.py", .line = 8, .fix = FIX_MANUAL};
    uint32_t owner[3] = {1, 4, 9};
    EstInput in = {files, NAPP, f, 3, owner, g->ncycles, NULL, NULL, 0, NULL, 0};
    Estimate e;
    est_build(&e, &in);
    Plan plan;
    PhInput pi = {g, &e, &in, (const FileFacts *const *)p->ff, p->n};
    ph_build(&plan, &pi);
    double sum = 0, fix = 0;
    for (int k = 0; k < PH__COUNT; k++)
        sum += plan.phases[k].remaining, fix += plan.phases[k].fix_removes;
    CHECK(sum > e.remaining - 1e-9 && sum < e.remaining + 1e-9); /* phases add up */
    CHECK(fix > e.fix_removes - 1e-9 && fix < e.fix_removes + 1e-9);
    CHECK(plan.node_phase[dg_find(g, "app.db.DatabaseService")] == PH_ASYNC_ENGINE);
    CHECK(plan.node_phase[dg_find(g, "app.services.queue.QueueService")] == PH_SERVICES);
    CHECK(plan.node_phase[dg_find(g, "app.services.disp.Dispatch")] == PH_CORE); /* fan-in 3 */
    CHECK(plan.core[dg_find(g, "app.services.sched.Scheduler")]); /* in Dispatch's cycle */
    CHECK(plan.node_phase[dg_find(g, "app.routes")] == PH_ROUTES);
    CHECK(plan.node_phase[dg_find(g, "app.worker.Worker")] == PH_WORKER);
    CHECK(plan.node_phase[dg_find(g, "app.services.sched.Scheduler")] ==
          plan.node_phase[dg_find(g, "app.services.disp.Dispatch")]);
    CHECK(plan.phases[PH_CLEANUP].nfiles == 1); /* db.py's sync engine */
    const PhStrategy *h = &plan.strategies[PH_STRAT_HYBRID];
    CHECK(h->applicable && h->nsync_files == 1 && h->sync_files[0] == 9);
    CHECK(h->nshared >= 2); /* Dispatch and Scheduler: the worker and the route reach them */
    CHECK(h->holding + 1 == e.nholding);
    const PhStrategy *v = &plan.strategies[PH_STRAT_V2_FIRST];
    CHECK(v->applicable && v->pass1_python == 1);
    CHECK(v->remaining > e.remaining); /* the second visit costs */
    ph_free(&plan);
    est_free(&e);
}

static void test_app(void)
{
    static Project p;
    load(&p, app, NAPP);
    DgGraph g;
    dg_build(&g, p.files, p.n);
    test_nodes(&g);
    test_edges(&g);
    test_order(&g);
    test_reach(&g);
    test_phases(&p, &g);
    dg_free(&g);
    unload(&p);
}

/* ---- a long chain and a long cycle: no deep recursion -------------------------------------- */

static void test_long_chain(void)
{
    enum { N = 3000 };
    Buf b;
    buf_init(&b);
    buf_puts(&b, "from sqlalchemy.orm import Session\n"
                 "class C0:\n    def __init__(self, s: Session):\n        s.commit()\n");
    for (int i = 1; i < N; i++) /* C1 -> C0, ..., and C0 ... C(N-1) all in one file */
        buf_printf(&b, "class C%d:\n    def __init__(self, x: 'C%d'):\n        self.x = x\n", i,
                   i - 1);
    static Project p;
    TFile t[2] = {{"big.py", "big", b.data, false, FCAT_OTHER},
                  {"loop.py", "loop", NULL, false, FCAT_OTHER}};
    Buf c;
    buf_init(&c);
    buf_puts(&c, "from sqlalchemy.orm import Session\n");
    for (int i = 0; i < N; i++) /* L0 -> L1 -> ... -> L(N-1) -> L0, L0 does database work */
        buf_printf(
            &c, "class L%d:\n    def __init__(self, s: Session, x: 'L%d'):\n        s.commit()\n",
            i, (i + 1) % N);
    t[1].code = c.data;
    load(&p, t, 2);
    DgGraph g;
    dg_build(&g, p.files, p.n);
    CHECK(g.nnodes == 2 * N);
    CHECK(g.ncycles == 1);
    const DgNode *c0 = node(&g, "big.C0"), *last = node(&g, "big.C2999");
    CHECK(c0 && last && c0->comp == 0 && g.comps[last->comp].level == N - 1);
    CHECK(last && g.comps[last->comp].deps[0] == node(&g, "big.C2998")->comp);
    const DgNode *l0 = node(&g, "loop.L0");
    CHECK(l0 && g.comps[l0->comp].n == N);
    dg_free(&g);
    unload(&p);
    buf_free(&b);
    buf_free(&c);
}

static void test_empty(void)
{
    DgGraph g;
    dg_build(&g, NULL, 0);
    CHECK(g.nnodes == 0 && g.ncomps == 0 && g.nedges == 0);
    CHECK(dg_find(&g, "x") == -1);
    dg_free(&g);
}

int main(void)
{
    test_app();
    test_long_chain();
    test_empty();
    return test_report("depgraph");
}
