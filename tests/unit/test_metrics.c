/* Unit tests for src/report/metrics (and the writers on the same input): a hand-built Program of
 * three Python files with hand-built facts and findings, plus one finding on pyproject.toml.
 * Checks per-file counts, totals (instances and files), categories, files to modify, database
 * access, architecture evidence, critical groups, the JSON per-file breakdown and md_escape. */
#include "test.h"

#include <stdlib.h>

#include "base/json.h"
#include "report/metrics.h"
#include "report/report_json.h"
#include "report/report_md.h"

static Node dummy_module;

static FxSession sessions_a[] = {
    {.form = FX_ACQ_WITH, .mode = FX_SYNC, .provider = "self.db.get_session", .loc = {.line = 5}},
    {.form = FX_ACQ_WITH, .mode = FX_SYNC, .provider = "self.db.get_session", .loc = {.line = 9}},
    {.form = FX_ACQ_PARAM, .mode = FX_SYNC, .provider = "Session", .loc = {.line = 12}},
};
static const char *chain1[] = {"query", "filter", "first"};
static const char *chain2[] = {"query", "filter", "filter", "all"};
static FxQuery queries_a[] = {
    {.methods = chain1, .nmethods = 3, .terminal = FX_TERM_FIRST, .multiline = true},
    {.methods = chain2, .nmethods = 4, .terminal = FX_TERM_ALL},
};
static FxSessionOp ops_a[] = {
    {.op = "commit", .mode = FX_SYNC},
    {.op = "add", .mode = FX_SYNC},
    {.op = "commit", .mode = FX_SYNC},
};
static FxFunc funcs_a[] = {
    {.name = "create", .qualname = "Svc.create", .ndb_direct = 4, .loc = {.line = 4}},
    {.name = "fetch", .qualname = "Svc.fetch", .is_async = true, .loc = {.line = 8}},
};

static FxFunc funcs_b[] = {
    {.name = "list_jobs",
     .qualname = "list_jobs",
     .route = FX_ROUTE_FASTAPI,
     .route_method = "GET",
     .route_path = "/jobs",
     .loc = {.line = 3}},
    {.name = "get_job",
     .qualname = "get_job",
     .is_async = true,
     .route = FX_ROUTE_FASTAPI,
     .route_method = "GET",
     .route_path = "/jobs/{id}",
     .loc = {.line = 7}},
};
static FxStmt stmts_b[] = {{.kind = FX_STMT_SELECT}, {.kind = FX_STMT_EXECUTE}};

static FxFunc funcs_c[] = {
    {.name = "test_x", .qualname = "test_x", .is_test = true, .loc = {.line = 2}},
    {.name = "db",
     .qualname = "db",
     .is_fixture = true,
     .fixture_scope = "session",
     .loc = {.line = 6}},
};

static FileFacts facts_a = {.sessions = sessions_a,
                            .nsessions = 3,
                            .queries = queries_a,
                            .nqueries = 2,
                            .session_ops = ops_a,
                            .nsession_ops = 3,
                            .funcs = funcs_a,
                            .nfuncs = 2};
static FileFacts facts_b = {
    .funcs = funcs_b, .nfuncs = 2, .stmts = stmts_b, .nstmts = 2, .imports_select = true};
static FileFacts facts_c = {.funcs = funcs_c, .nfuncs = 2, .is_test_file = true};

static Program prog;
static FileFacts *facts[3] = {&facts_a, &facts_b, &facts_c};
static Finding findings[4];

static void setup(void)
{
    static ProjFile files[3];
    const char *paths[] = {"app/api/jobs.py", "app/services/svc.py", "tests/test_x.py"};
    uint8_t cats[] = {FCAT_ROUTES, FCAT_SERVICES, FCAT_TESTS};
    uint32_t lines[] = {20, 30, 10};
    for (int i = 0; i < 3; i++) {
        files[i].path = (char *)paths[i];
        files[i].category = cats[i];
        files[i].lines = lines[i];
        files[i].parse.module = &dummy_module;
    }
    prog.files = files;
    prog.nfiles = 3;
    prog.root = ".";
    /* facts follow the file order: a = svc (services), b = jobs (routes), c = tests */
    facts[0] = &facts_b;
    facts[1] = &facts_a;
    facts[2] = &facts_c;
    Finding f0 = {.code = "SA206",
                  .file = 0,
                  .path = "app/api/jobs.py",
                  .line = 3,
                  .col = 5,
                  .message = "sync `def` route",
                  .fix = FIX_MANUAL,
                  .qualname = "list_jobs",
                  .fingerprint = "0000000000000001"};
    Finding f1 = {.code = "SA101",
                  .file = 1,
                  .path = "app/services/svc.py",
                  .line = 6,
                  .col = 9,
                  .message = "legacy chain",
                  .fix = FIX_SAFE,
                  .qualname = "Svc.create",
                  .fingerprint = "0000000000000002"};
    Finding f2 = {.code = "SA201",
                  .file = 1,
                  .path = "app/services/svc.py",
                  .line = 9,
                  .col = 9,
                  .message = "sync session in async def",
                  .fix = FIX_UNSAFE,
                  .qualname = "Svc.fetch",
                  .fingerprint = "0000000000000003"};
    Finding f3 = {.code = "SA406",
                  .file = 99,
                  .path = "pyproject.toml",
                  .line = 7,
                  .col = 1,
                  .message = "greenlet missing",
                  .fix = FIX_MANUAL,
                  .qualname = "",
                  .fingerprint = "0000000000000004"};
    findings[0] = f0, findings[1] = f1, findings[2] = f3, findings[3] = f2;
    /* sorted by path: app/api, app/services (x2), pyproject.toml */
    findings[2] = f2, findings[3] = f3;
}

static void build(Metrics *m)
{
    MetInput in = {
        .prog = &prog, .facts = facts, .findings = findings, .nfindings = 4, .root = "app"};
    met_build(m, &in);
}

static void test_files_and_totals(const Metrics *m)
{
    CHECK(m->nprog == 3 && m->nfiles == 4);
    CHECK(m->python_files == 3 && m->lines == 60);
    const MetFile *svc = &m->files[1];
    CHECK(svc->db_access && svc->to_modify && !svc->imports_select);
    CHECK(met_file_count(svc, "sessions") == 3);
    CHECK(met_file_count(svc, "sessions.form.with") == 2);
    CHECK(met_file_count(svc, "sessions.provider.get_session") == 2);
    CHECK(met_file_count(svc, "queries.method.filter") == 3);
    CHECK(met_file_count(svc, "session_ops.commit") == 2);
    CHECK(met_file_count(svc, "findings") == 2 && svc->nfixable == 2);
    const MetFile *jobs = &m->files[0];
    CHECK(jobs->db_access && jobs->imports_select && jobs->to_modify);
    const MetFile *tst = &m->files[2];
    CHECK(!tst->db_access && !tst->to_modify && tst->cat == FCAT_TESTS);
    const MetFile *cfg = &m->files[3];
    CHECK(!cfg->is_python && cfg->to_modify && cfg->nfindings == 1);
    CHECK_STR(cfg->path, "pyproject.toml");
    CHECK(met_instances(m, "findings") == 4);
    const MetTotal *t = met_total(m, "findings");
    CHECK(t && t->files == 3);
    CHECK(met_instances(m, "statements") == 2 && met_instances(m, "imports.select") == 1);
    CHECK(met_total(m, "sessions.form.async_with") == NULL);
    CHECK(m->files_modify == 2 && m->config_files_modify == 1 && m->files_db == 2);
    CHECK(m->findings_total == 4 && m->findings_fixable == 2 && m->findings_safe == 1);
    CHECK(m->files_select == 1);
}

static void test_categories_items_groups(const Metrics *m)
{
    CHECK(m->cats[FCAT_ROUTES].files == 1 && m->cats[FCAT_ROUTES].lines == 20);
    CHECK(m->cats[FCAT_SERVICES].modify_files == 1 && m->cats[FCAT_SERVICES].db_files == 1);
    CHECK(m->cats[FCAT_TESTS].files == 1 && m->cats[FCAT_INFRA].files == 0);
    CHECK_STR(m->cats[FCAT_SERVICES].paths[0], "app/services/svc.py");
    const MetItem *routes = &m->items[MET_ITEM_ROUTES];
    CHECK(routes->ndone == 1 && routes->ntodo == 1);
    CHECK(routes->ev[0].done && routes->ev[0].line == 7);
    CHECK_STR(routes->ev[0].text, "`get_job`: async def, `GET /jobs/{id}`");
    const MetItem *svc = &m->items[MET_ITEM_SERVICES];
    CHECK(svc->ndone == 1 && svc->ntodo == 1);
    CHECK_STR(svc->ev[1].text, "`Svc.create`: sync def, 4 direct database operations");
    CHECK(m->items[MET_ITEM_FIXTURES].ntodo == 1 && m->items[MET_ITEM_TESTS].ntodo == 1);
    CHECK(m->items[MET_ITEM_ENGINES].nev == 0);
    const MetGroup *blocking = &m->groups[MET_GROUP_BLOCKING];
    CHECK(blocking->n == 2 && blocking->nfiles == 2);
    CHECK(m->groups[MET_GROUP_ALEMBIC].n == 0);
    CHECK(met_group_has(MET_GROUP_LOADING, "SA305") && !met_group_has(MET_GROUP_LOADING, "SA30"));
}

/* Every number in "totals.counts" is the sum of the per-file "counts". */
static void test_json_breakdown(const Metrics *m)
{
    Buf b;
    buf_init(&b);
    report_json(&b, m, "0.0.0", NULL);
    Arena a;
    arena_init(&a);
    JsonValue *doc;
    JsonError err;
    CHECK(json_parse(&doc, "report.json", b.data, b.len, &a, &err) == 0);
    const JsonValue *counts = json_get(json_get(doc, "totals"), "counts");
    const JsonValue *files = json_get(doc, "files");
    CHECK(json_len(files) == 4 && json_len(counts) > 10);
    for (uint32_t i = 0; i < json_len(counts); i++) {
        uint64_t want = 0, sum = 0, nf = 0, v;
        json_uint(json_get(json_at(counts, i), "instances"), &want);
        for (uint32_t k = 0; k < json_len(files); k++)
            if (json_uint(json_get(json_get(json_at(files, k), "counts"), json_key_at(counts, i)),
                          &v))
                sum += v, nf++;
        CHECK(sum == want);
    }
    double v = 0;
    CHECK(json_number(json_get(doc, "schema_version"), &v) && v == 1);
    CHECK_STR(json_str(json_get(json_at(json_get(doc, "findings"), 0), "fingerprint")),
              "0000000000000001");
    arena_free(&a);
    buf_free(&b);
}

static void test_md(const Metrics *m)
{
    Buf b;
    buf_init(&b);
    report_md(&b, m, "0.0.0", NULL);
    CHECK(strstr(b.data, "- **Files to modify:** 2 of 3 Python files (66.7%)") != NULL);
    CHECK(strstr(b.data, "1 configuration file: `pyproject.toml`") != NULL);
    CHECK(strstr(b.data, "| Services | 1 | 30 | 1 | 1 |") != NULL);
    CHECK(strstr(b.data, "- `app/api/jobs.py:3:5` SA206 sync `def` route") != NULL);
    CHECK(strstr(b.data, "fixes 2 of 4 findings (50.0%): 1 safe, 1 unsafe") != NULL);
    CHECK(strstr(b.data, "Alembic") == NULL); /* nothing to show: no claim */
    buf_clear(&b);
    md_escape(&b, "a_b*c|d", 7, 0);
    CHECK_STR(b.data, "a\\_b\\*c\\|d");
    buf_clear(&b);
    md_escape(&b, "x`y|z", 5, MD_CODE | MD_CELL);
    CHECK_STR(b.data, "`` x`y\\|z ``");
    buf_free(&b);
}

int main(void)
{
    setup();
    Metrics m;
    build(&m);
    test_files_and_totals(&m);
    test_categories_items_groups(&m);
    test_json_breakdown(&m);
    test_md(&m);
    met_free(&m);
    return test_report("metrics");
}
