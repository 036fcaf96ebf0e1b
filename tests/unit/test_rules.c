/* Unit tests for src/rules: the rule table, selection, suppression comments, finding order, and
 * the per-file and per-project rules on small snippets (positive and negative). */
#include "test.h"

#include <stdlib.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/source.h"
#include "model/facts.h"
#include "rules/rules.h"
#include "syntax/parser.h"

typedef struct Parsed {
    Source src;
    Arena arena;
    ParseOutput po;
    FileFacts *ff;
} Parsed;

static Parsed parsed[32];
static int nparsed;

static Parsed *load(const char *path, const char *code)
{
    Parsed *p = &parsed[nparsed++];
    source_from_mem(&p->src, path, code, strlen(code));
    arena_init(&p->arena);
    DiagList d = {0};
    if (parse_source(&p->src, &p->arena, &p->po, &d) != 0) p->po.module = NULL;
    CHECK(p->po.module != NULL);
    diag_list_free(&d);
    p->ff = facts_extract(p->po.module, &p->src, &p->arena);
    return p;
}

/* Runs the per-file rules and suppressions; returns the codes found, space-separated. */
static const char *codes(const char *path, const char *code)
{
    static char out[512];
    Parsed *p = load(path, code);
    FindingList l = {0};
    FindingSite site = {&p->src, path, 0};
    rule_run_file(p->ff, &site, &l);
    SupFile sf = {&p->src, &p->po.tokens};
    sup_filter(&l, &sf, 1);
    finding_sort(&l);
    out[0] = '\0';
    for (uint32_t i = 0; i < l.n; i++) {
        if (i) strcat(out, " ");
        strcat(out, l.items[i].code);
    }
    finding_list_free(&l);
    return out;
}

static void test_table(void)
{
    uint32_t n;
    const RuleInfo *t = rule_table(&n);
    CHECK(n == 28);
    for (uint32_t i = 0; i < n; i++) {
        CHECK(strlen(t[i].code) == 5 && strncmp(t[i].code, "SA", 2) == 0);
        CHECK(t[i].explanation && strlen(t[i].explanation) > 80);
        CHECK(strncmp(t[i].url, "https://", 8) == 0);
        CHECK(t[i].example && t[i].fixed && t[i].name && t[i].summary);
        for (uint32_t k = 0; k < i; k++)
            CHECK(strcmp(t[i].code, t[k].code) > 0);
    }
    CHECK(rule_find("sa201") != NULL);
    CHECK_STR(rule_find("SA201")->url, "https://docs.sqlalchemy.org/en/20/errors.html#error-xd2s");
    CHECK(rule_find("SA999") == NULL);
    CHECK(rule_find("SA202")->needs_graph);
    CHECK(!rule_find("SA201")->needs_graph);
}

static void test_selection(void)
{
    const char *sel[] = {"SA1", "SA201"};
    const char *ign[] = {"SA103", "SA2"};
    const char *all[] = {"ALL"};
    CHECK(rule_selected("SA101", NULL, 0, NULL, 0));
    CHECK(rule_selected("SA101", sel, 2, ign, 2));
    CHECK(!rule_selected("SA103", sel, 2, ign, 2));
    CHECK(rule_selected("SA201", sel, 2, ign, 2)); /* SA201 is more specific than SA2 */
    CHECK(!rule_selected("SA202", sel, 2, ign, 2));
    CHECK(!rule_selected("SA401", sel, 2, NULL, 0));
    CHECK(!rule_selected("SA401", NULL, 0, all, 1));
    CHECK(rule_selected("SA401", all, 1, NULL, 0));
    CHECK(!rule_selected("SA401", all, 1, all, 1)); /* a tie: ignore wins */
}

static bool sup(const char *comment, const char *code)
{
    return sup_comment_suppresses(comment, (uint32_t)strlen(comment), code);
}

static void test_suppress(void)
{
    CHECK(sup("# noqa", "SA101"));
    CHECK(sup("#noqa", "SA101"));
    CHECK(sup("# NOQA: SA101", "SA101"));
    CHECK(sup("# noqa: E501,SA101", "SA101"));
    CHECK(sup("# noqa:E501 SA101", "SA101"));
    CHECK(!sup("# noqa: SA102", "SA101"));
    CHECK(!sup("# noqa: SA1011", "SA101"));
    CHECK(sup("# type: ignore  # noqa: SA101", "SA101"));
    CHECK(sup("# sqlasync: ignore[SA201]", "SA201"));
    CHECK(sup("# sqlasync: ignore[SA101, SA201]", "SA201"));
    CHECK(!sup("# sqlasync: ignore[SA101]", "SA201"));
    CHECK(!sup("# noqanything", "SA101"));
    CHECK(!sup("# just a comment", "SA101"));

    Source src;
    const char *text = "x = '# not a comment'  # real\n"
                       "y = \"\"\"a\n# inside\n\"\"\"  # noqa\n"
                       "z = 1\n";
    source_from_mem(&src, "t.py", text, strlen(text));
    CHECK(sup_comment_start(&src, NULL, 1) == 23);
    CHECK(sup_comment_start(&src, NULL, 5) == UINT32_MAX);
    Arena a;
    arena_init(&a);
    TokenArray toks;
    LexError err;
    CHECK(lex_all(src.text, src.len, &a, &toks, &err) == 0);
    CHECK(sup_comment_start(&src, &toks, 1) == 23);
    CHECK(sup_comment_start(&src, &toks, 3) == UINT32_MAX); /* '#' inside the string */
    uint32_t c = sup_comment_start(&src, &toks, 4);
    CHECK(c != UINT32_MAX && strncmp(src.text + c, "# noqa", 6) == 0);
    arena_free(&a);
    source_free(&src);
}

static void test_sort(void)
{
    FindingList l = {0};
    FindingSite b = {NULL, "b.py", 1}, a = {NULL, "a.py", 0};
    finding_add_line(&l, &b, "SA101", 3, "x");
    finding_add_line(&l, &a, "SA201", 9, "y");
    finding_add_line(&l, &a, "SA101", 9, "z");
    finding_add_line(&l, &a, "SA101", 9, "z");
    finding_sort(&l);
    CHECK(l.n == 3);
    CHECK_STR(l.items[0].path, "a.py");
    CHECK_STR(l.items[0].code, "SA101");
    CHECK_STR(l.items[1].code, "SA201");
    CHECK_STR(l.items[2].path, "b.py");
    CHECK(strlen(l.items[0].fingerprint) == 16);
    finding_list_free(&l);
}

static void test_file_rules(void)
{
    CHECK_STR(codes("a.py", "from sqlalchemy.orm import Session\n"
                            "def f(s: Session):\n"
                            "    return s.query(Job).get(1)\n"),
              "SA102");
    CHECK_STR(codes("a.py", "from app.search import Session\n"
                            "def f(s: Session):\n"
                            "    return s.query(Job).get(1)\n"),
              "");
    CHECK_STR(codes("a.py", "from sqlalchemy.orm import Session\n"
                            "async def f(s: Session):\n"
                            "    x = s.query(Job).all()  # noqa: SA101\n"
                            "    s.commit()\n"),
              "SA201");
    CHECK_STR(codes("a.py", "import asyncio\n"
                            "from sqlalchemy.orm import Session\n"
                            "def g(s: Session):\n"
                            "    return s.query(Job).count()  # sqlasync: ignore[SA101]\n"
                            "async def f(s: Session):\n"
                            "    return await asyncio.to_thread(g, s)\n"),
              "");
    CHECK_STR(codes("r.py", "from fastapi import APIRouter, Depends\n"
                            "from sqlalchemy.orm import Session\n"
                            "router = APIRouter()\n"
                            "@router.get('/')\n"
                            "def f(db: Session = Depends(get_db)):\n"
                            "    db.add(1)\n"
                            "@router.get('/a')\n"
                            "async def g():\n"
                            "    return 1\n"),
              "SA206");
    CHECK_STR(codes("m.py", "from sqlalchemy.orm import DeclarativeBase, relationship\n"
                            "from sqlalchemy.ext.asyncio import AsyncAttrs\n"
                            "class Base(AsyncAttrs, DeclarativeBase):\n"
                            "    pass\n"
                            "class A(Base):\n"
                            "    b = relationship('B')\n"
                            "    c = relationship('C', lazy='selectin')\n"),
              "SA301");
    CHECK_STR(codes("e.py",
                    "from sqlalchemy.ext.asyncio import create_async_engine, async_sessionmaker\n"
                    "e = create_async_engine('x')\n"
                    "S = async_sessionmaker(e)\n"),
              "SA305");
}

/* SA201 for sync engine IO: one finding per async function, at its first engine call. */
static void test_engine_io_201(void)
{
    const char *head = "import asyncio\n"
                       "from sqlalchemy import create_engine, text\n"
                       "from sqlalchemy.ext.asyncio import create_async_engine\n"
                       "engine = create_engine('x')\n"
                       "aengine = create_async_engine('y')\n";
    char code[1024];
    snprintf(code, sizeof code,
             "%sasync def startup():\n"
             "    Base.metadata.create_all(engine)\n"
             "    with engine.connect() as conn:\n"
             "        conn.execute(text('SELECT 1'))\n"
             "async def ok():\n"
             "    async with aengine.begin() as conn:\n"
             "        await conn.run_sync(Base.metadata.create_all)\n"
             "    await asyncio.get_running_loop().run_in_executor(\n"
             "        None, lambda: Base.metadata.create_all(engine))\n"
             "def sync_setup():\n"
             "    Base.metadata.create_all(engine)\n",
             head);
    Parsed *p = load("s.py", code);
    FindingList l = {0};
    FindingSite site = {&p->src, "s.py", 0};
    rule_run_file(p->ff, &site, &l);
    uint32_t n201 = 0;
    for (uint32_t i = 0; i < l.n; i++) {
        if (strcmp(l.items[i].code, "SA201") != 0) continue;
        n201++;
        CHECK(l.items[i].line == 7);
        CHECK_STR(l.items[i].message,
                  "sync engine IO `Base.metadata.create_all()` in `async def startup` blocks the "
                  "event loop (with 2 more engine calls); use an async engine: `async with "
                  "engine.begin() as conn`, `await conn.run_sync(...)`");
    }
    CHECK(n201 == 1);
    finding_list_free(&l);
    /* a nested async def's engine call between two of the outer function's: one finding each */
    snprintf(code, sizeof code,
             "%sasync def outer():\n"
             "    Base.metadata.create_all(engine)\n"
             "    async def inner():\n"
             "        engine.connect()\n"
             "    Base.metadata.drop_all(engine)\n",
             head);
    p = load("n.py", code);
    FindingList l2 = {0};
    FindingSite site2 = {&p->src, "n.py", 0};
    rule_run_file(p->ff, &site2, &l2);
    uint32_t lines = 0;
    for (uint32_t i = 0; i < l2.n; i++)
        if (strcmp(l2.items[i].code, "SA201") == 0) lines = lines * 100 + l2.items[i].line;
    CHECK(lines == 709); /* outer at line 7 (with 1 more), inner at line 9 */
    finding_list_free(&l2);
}

static void test_project_rules(void)
{
    Parsed *conf = load("tests/conftest.py", "import pytest\n"
                                             "from sqlalchemy import create_engine\n"
                                             "@pytest.fixture\n"
                                             "def engine():\n"
                                             "    return create_engine('sqlite://')\n"
                                             "@pytest.fixture\n"
                                             "def repo(engine):\n"
                                             "    return engine\n");
    Parsed *test = load("tests/test_x.py", "import pytest\n"
                                           "def test_a(repo):\n"
                                           "    pass\n"
                                           "async def test_b(engine):\n"
                                           "    pass\n"
                                           "@pytest.mark.asyncio\n"
                                           "async def test_c(engine):\n"
                                           "    pass\n"
                                           "def test_d(tmp_path):\n"
                                           "    pass\n");
    FileFacts *facts[2] = {conf->ff, test->ff};
    FindingSite sites[2] = {{&conf->src, "tests/conftest.py", 0},
                            {&test->src, "tests/test_x.py", 1}};
    RuleProject rp = {.facts = facts, .sites = sites, .n = 2};
    FindingList l = {0};
    rule_run_project(&rp, &l);
    finding_sort(&l);
    CHECK(l.n == 3);
    if (l.n == 3) {
        CHECK_STR(l.items[0].code, "SA407");
        CHECK(l.items[0].line == 4);
        CHECK_STR(l.items[1].code, "SA408");
        CHECK(l.items[1].line == 2);
        CHECK_STR(l.items[2].code, "SA408");
        CHECK(l.items[2].line == 4);
        CHECK_STR(l.items[2].qualname, "test_b");
    }
    finding_list_free(&l);
}

int main(void)
{
    test_table();
    test_selection();
    test_suppress();
    test_sort();
    test_file_rules();
    test_engine_io_201();
    test_project_rules();
    for (int i = 0; i < nparsed; i++) {
        arena_free(&parsed[i].arena);
        source_free(&parsed[i].src);
    }
    return test_report("rules");
}
