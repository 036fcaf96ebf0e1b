/* Unit tests for src/plan/estimate: defaults, rows (counts, files, points, fix removals),
 * weeks and range, configuration overrides and ignored keys, the risk rules and levels, the
 * per-finding and per-file points adding up to the total, and the seed calibration of
 * docs/estimate.md (1121.5 points by hand, 125 points per week, 8.97 weeks, very high). */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "model/category.h"
#include "plan/estimate.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static Finding mk(const char *code, uint32_t file, const char *path, uint32_t line,
                  FixApplicability fix)
{
    Finding f;
    memset(&f, 0, sizeof f);
    f.code = code, f.file = file, f.path = path, f.line = line, f.fix = fix;
    return f;
}

static const EstRow *row(const Estimate *e, const char *key)
{
    for (uint32_t i = 0; i < e->nrows; i++)
        if (strcmp(e->rows[i].key, key) == 0) return &e->rows[i];
    return NULL;
}

/* Three files: a service with sessions, a test, and pyproject.toml (a configuration file). */
static EstFile files[] = {
    {"app/svc.py", FCAT_SERVICES, true, true, 4},
    {"tests/test_svc.py", FCAT_TESTS, true, true, 0},
    {"pyproject.toml", FCAT_OTHER, false, true, 0},
};

static void test_defaults_and_rows(void)
{
    Finding f[] = {
        mk("SA101", 0, "app/svc.py", 3, FIX_SAFE),
        mk("SA101", 0, "app/svc.py", 9, FIX_SAFE),
        mk("SA201", 0, "app/svc.py", 12, FIX_UNSAFE),
        mk("SA401", 0, "app/svc.py", 20, FIX_MANUAL),
        mk("SA408", 1, "tests/test_svc.py", 5, FIX_MANUAL),
        mk("SA406", 2, "pyproject.toml", 7, FIX_SAFE),
    };
    uint32_t owner[] = {0, 0, 0, 0, 1, 2};
    EstInput in = {files, 3, f, 6, owner, 0, NULL, NULL, 0, NULL, 0};
    Estimate e;
    est_build(&e, &in);
    CHECK(NEAR(e.velocity, 125) && !e.velocity_configured);
    CHECK(NEAR(est_param(&e, "SA101"), 0.5));
    CHECK(NEAR(est_param(&e, "SA999"), 0)); /* not a rule, not a default */
    const EstRow *r = row(&e, "file");
    CHECK(r && r->count == 2 && NEAR(r->points, 2)); /* Python files only */
    r = row(&e, "session");
    CHECK(r && r->count == 4 && r->files == 1 && NEAR(r->points, 2));
    r = row(&e, "sync_removal");
    CHECK(r && r->count == 1 && NEAR(r->points, 1)); /* svc.py holds SA401 */
    r = row(&e, "SA101");
    CHECK(r && r->count == 2 && r->files == 1 && r->safe == 2 && NEAR(r->points, 1));
    CHECK(r && NEAR(r->fix_removes, 2 * 0.5 * 0.8) && r->line == 3);
    r = row(&e, "SA201");
    CHECK(r && r->unsafe == 1 && NEAR(r->fix_removes, 2 * 0.5));
    CHECK(row(&e, "SA102") == NULL); /* no instance, no row */
    /* 2 + 2 + 1 + 1 (SA101) + 2 (SA201) + 4 (SA401) + 0.5 (SA408) + 0.5 (SA406) */
    CHECK(NEAR(e.total, 13));
    CHECK(NEAR(e.fix_removes, 0.8 + 1 + 0.4));
    CHECK(NEAR(e.remaining, e.total - e.fix_removes));
    CHECK(NEAR(e.weeks, e.remaining / 125) && NEAR(e.weeks_by_hand, 13.0 / 125));
    /* the points of findings and files add up to the total */
    double sum = 0, removed = 0;
    for (uint32_t i = 0; i < 6; i++) {
        double fx;
        sum += est_finding_points(&e, &f[i], &fx);
        removed += fx;
    }
    sum += est_file_points(&e, &files[0], true) + est_file_points(&e, &files[1], false) +
           est_file_points(&e, &files[2], false);
    CHECK(NEAR(sum, e.total) && NEAR(removed, e.fix_removes));
    /* risk: async blocking and tests hold: medium */
    CHECK(e.risks[EST_RISK_BLOCKING].holds && e.risks[EST_RISK_BLOCKING].line == 12);
    CHECK(e.risks[EST_RISK_TESTS].holds && !e.risks[EST_RISK_WORKER].holds);
    CHECK(!e.risks[EST_RISK_SCALE].holds && e.risks[EST_RISK_SCALE].count == 2);
    CHECK(e.nholding == 2 && e.level == EST_MEDIUM && NEAR(e.spread, 0.15));
    CHECK(NEAR(e.low, e.weeks * 0.85) && NEAR(e.high, e.weeks * 1.15));
    est_free(&e);
}

static void test_configuration(void)
{
    EstParam params[] = {
        {"velocity", 10},   {"SA101", 2}, {"bogus", 1},
        {"review_safe", 3}, {"file", -1}, {"risk_medium", 1},
    };
    Finding f[] = {mk("SA101", 0, "app/svc.py", 3, FIX_SAFE)};
    uint32_t owner[] = {0};
    EstInput in = {files, 1, f, 1, owner, 2, "A ↔ B", "app/svc.py", 4, params, 6};
    Estimate e;
    est_build(&e, &in);
    CHECK(NEAR(e.velocity, 10) && e.velocity_configured);
    const EstRow *r = row(&e, "SA101");
    CHECK(r && r->configured && NEAR(r->points, 2) && NEAR(r->fix_removes, 2 * 0.8));
    CHECK(NEAR(est_param(&e, "file"), 1) && !est_configured(&e, "file")); /* -1 is ignored */
    CHECK(NEAR(e.review_safe, 0.2));                                      /* 3 is ignored */
    CHECK(e.nunknown == 3);
    CHECK_STR(e.unknown[0], "bogus (unknown key)");
    CHECK(e.risks[EST_RISK_CYCLES].holds && e.risks[EST_RISK_CYCLES].count == 2);
    CHECK_STR(e.risks[EST_RISK_CYCLES].detail, "A ↔ B");
    CHECK(e.nholding == 1 && e.level == EST_MEDIUM); /* risk_medium = 1 */
    CHECK(est_level(&e, 0) == EST_LOW && est_level(&e, 6) == EST_VERY_HIGH);
    est_free(&e);
}

static void test_empty(void)
{
    EstInput in = {NULL, 0, NULL, 0, NULL, 0, NULL, NULL, 0, NULL, 0};
    Estimate e;
    est_build(&e, &in);
    CHECK(e.nrows == 0 && NEAR(e.total, 0) && NEAR(e.weeks, 0));
    CHECK(e.nholding == 0 && e.level == EST_LOW);
    est_free(&e);
}

/* The seed report's codebase as docs/estimate.md counts it. */
static void test_seed_calibration(void)
{
    static const struct {
        const char *code;
        uint32_t n;
    } kinds[] = {
        {"SA101", 236}, {"SA201", 36}, {"SA202", 50}, {"SA205", 1},   {"SA206", 40}, {"SA207", 1},
        {"SA301", 34},  {"SA305", 2},  {"SA401", 2},  {"SA402", 2},   {"SA403", 2},  {"SA404", 1},
        {"SA405", 1},   {"SA406", 1},  {"SA407", 1},  {"SA408", 500}, {"SA409", 4},
    };
    enum { NFILES = 115 };
    EstFile *fs = calloc(NFILES, sizeof *fs);
    for (uint32_t i = 0; i < NFILES; i++) /* 586 sessions: 11 files with 6, 104 with 5 */
        fs[i] = (EstFile){"f.py", FCAT_SERVICES, true, true, i < 11 ? 6 : 5};
    uint32_t nf = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        nf += kinds[k].n;
    Finding *f = calloc(nf, sizeof *f);
    uint32_t *owner = calloc(nf, sizeof *owner), n = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (uint32_t i = 0; i < kinds[k].n; i++) {
            /* the two sync engines and factories in two files: 2 sync_removal */
            owner[n] = strncmp(kinds[k].code, "SA40", 4) == 0 ? i % 2 : 0;
            f[n] = mk(kinds[k].code, owner[n], "f.py", 1, FIX_MANUAL);
            n++;
        }
    EstInput in = {fs, NFILES, f, n, owner, 0, NULL, NULL, 0, NULL, 0};
    Estimate e;
    est_build(&e, &in);
    CHECK(NEAR(e.total, 1121.5));
    CHECK(fabs(e.weeks_by_hand - 8.972) < 1e-9);
    CHECK(e.nholding == 6 && e.level == EST_VERY_HIGH); /* the seed says "Very High" */
    CHECK(e.low <= 8 && e.high >= 10);                  /* the seed's 8-10 weeks inside */
    est_free(&e);
    free(fs);
    free(f);
    free(owner);
}

int main(void)
{
    test_defaults_and_rows();
    test_configuration();
    test_empty();
    test_seed_calibration();
    return test_report("estimate");
}
