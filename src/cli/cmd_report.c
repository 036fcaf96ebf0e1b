/* cmd_report.c: options, the shared analysis (analysis.h) and the report writers. */
#include "cmd_report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "../plan/baseline.h"
#include "../base/timing.h"
#include "../report/metrics.h"
#include "../report/report_json.h"
#include "../report/report_md.h"
#include "../report/report_plan.h"
#include "analysis.h"
#include "config.h"
#include "options.h"

typedef struct ReportOpts {
    const char *path;     /* PATH, "." by default */
    const char *format;   /* "md" or "json" */
    const char *baseline; /* or NULL */
    const char *output;   /* or NULL: stdout */
    const char *config;   /* or NULL: search */
    Vec(const char *) exclude;
    int jobs;
} ReportOpts;

/* ---- options ------------------------------------------------------------------------------- */

static int usage_error(const char *fmt, const char *arg)
{
    fputs("sqlasync report: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: sqlasync report [PATH] [--format md|json] [--baseline OLD.json] [-o FILE] "
          "[-j N] [--exclude GLOB] [--config FILE]\n",
          stderr);
    return -1;
}

static int set_jobs(ReportOpts *o, const char *v)
{
    o->jobs = opt_jobs(v);
    if (o->jobs < 0) return usage_error("bad job count '%s'", v);
    return 0;
}

static int set_format(ReportOpts *o, const char *v)
{
    if (strcmp(v, "md") != 0 && strcmp(v, "markdown") != 0 && strcmp(v, "json") != 0)
        return usage_error("unknown format '%s' (md, json)", v);
    o->format = strcmp(v, "json") == 0 ? "json" : "md";
    return 0;
}

static int add_exclude(ReportOpts *o, const char *glob)
{
    VEC_PUSH(o->exclude, glob);
    return 1;
}

/* One option at argv[*i]: 1 taken, 0 not an option, -1 error. */
static int option(ReportOpts *o, int argc, char **argv, int *i)
{
    bool missing = false;
    const char *v;
    if ((v = opt_value(argc, argv, i, "--format", &missing))) return set_format(o, v) == 0 ? 1 : -1;
    if ((v = opt_value(argc, argv, i, "--baseline", &missing))) return o->baseline = v, 1;
    if ((v = opt_value(argc, argv, i, "--output", &missing)) ||
        (v = opt_value(argc, argv, i, "-o", &missing)))
        return o->output = v, 1;
    if ((v = opt_value(argc, argv, i, "--config", &missing))) return o->config = v, 1;
    if ((v = opt_value(argc, argv, i, "--exclude", &missing))) return add_exclude(o, v);
    if ((v = opt_value(argc, argv, i, "--jobs", &missing)) ||
        (v = opt_value(argc, argv, i, "-j", &missing)))
        return set_jobs(o, v) == 0 ? 1 : -1;
    if (missing) return usage_error("option '%s' needs a value", argv[*i]);
    return 0;
}

static int parse_opts(ReportOpts *o, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        int r = option(o, argc, argv, &i);
        if (r < 0) return -1;
        if (r > 0) continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage_error("unknown option '%s'", argv[i]);
        if (o->path) return usage_error("one PATH only (got '%s' too)", argv[i]);
        o->path = argv[i];
    }
    if (!o->path) o->path = ".";
    return 0;
}

/* ---- configuration and baseline ------------------------------------------------------------ */

static int load_config(Config *cfg, const ReportOpts *o)
{
    CfgFlags f = {0};
    f.config = o->config;
    f.exclude = o->exclude.items, f.nexclude = o->exclude.n;
    f.jobs = o->jobs;
    return an_config(cfg, "report", o->path, &f, false);
}

static int load_baseline(Baseline *bl, const char *path)
{
    char err[600];
    if (bl_load(bl, path, err, sizeof err) != 0) {
        fprintf(stderr, "sqlasync report: baseline: %s\n", err);
        return -1;
    }
    if (!bl->is_report) {
        fprintf(stderr,
                "sqlasync report: baseline: %s: not a report (no \"totals\"); make one with "
                "`sqlasync report --format json`\n",
                path);
        return -1;
    }
    return 0;
}

/* ---- analysis ------------------------------------------------------------------------------ */

/* Loads and analyses PATH (analysis.h). Returns 0, or 3 when PATH cannot be read. */
static int analyse(Analysis *an, const ReportOpts *o, const Config *cfg)
{
    return an_run_one(an, "report", o->path, cfg, false);
}

/* ---- output -------------------------------------------------------------------------------- */

static int write_out(const ReportOpts *o, const Buf *b)
{
    return an_write_out("report", o->output, b);
}

/* Sections 7-10 (report/report_plan.h): the dependency graph, the estimate with the
 * [tool.sqlasync.estimate] parameters, the plan and the strategies. */
static void build_plan(PlanReport *pr, Analysis *an, const Metrics *m, const Config *cfg)
{
    EstParam *params = xcalloc(cfg->estimate.n + 1, sizeof *params);
    for (uint32_t i = 0; i < cfg->estimate.n; i++)
        params[i] = (EstParam){cfg->estimate.items[i].key, cfg->estimate.items[i].value};
    RpInput ri = {&an->prog, an->fp.by_file, params, cfg->estimate.n};
    rp_build(pr, m, &ri);
    free(params); /* rp_build keeps a copy; the keys stay in the Config */
}

static int render(Analysis *an, const ReportOpts *o, Baseline *bl, const char *version,
                  const Config *cfg)
{
    MetInput in = {.prog = &an->prog,
                   .facts = an->fp.by_file,
                   .findings = an->findings.items,
                   .nfindings = an->findings.n,
                   .deps = &an->deps,
                   .root = an->root,
                   .graph = an->graph};
    Metrics m;
    met_build(&m, &in);
    tm_phase("metrics");
    PlanReport pr;
    build_plan(&pr, an, &m, cfg);
    tm_phase("plan");
    Buf b;
    buf_init(&b);
    if (strcmp(o->format, "json") == 0)
        report_json_plan(&b, &m, version, bl, &pr);
    else
        report_md_plan(&b, &m, version, bl, &pr);
    int rc = write_out(o, &b);
    tm_phase("render and write");
    buf_free(&b);
    rp_free(&pr);
    met_free(&m);
    return rc;
}

static int report(const ReportOpts *o, const char *version)
{
    Config cfg;
    memset(&cfg, 0, sizeof cfg);
    Baseline bl;
    memset(&bl, 0, sizeof bl);
    int rc = load_config(&cfg, o) != 0 ? 2 : 0;
    if (rc == 0 && o->baseline && load_baseline(&bl, o->baseline) != 0) rc = 2;
    Analysis an;
    memset(&an, 0, sizeof an);
    if (rc == 0) rc = analyse(&an, o, &cfg);
    if (rc == 0) rc = render(&an, o, o->baseline ? &bl : NULL, version, &cfg);
    an_free(&an);
    tm_phase("free");
    bl_free(&bl);
    cfg_free(&cfg);
    return rc;
}

int cmd_report(int argc, char **argv, const char *version)
{
    ReportOpts o;
    memset(&o, 0, sizeof o);
    o.format = "md";
    int rc = parse_opts(&o, argc, argv) == 0 ? report(&o, version) : 2;
    VEC_FREE(o.exclude);
    return rc;
}
