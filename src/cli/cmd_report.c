/* cmd_report.c: options, the analysis pipeline (as `check` runs it) and the report writers. */
#include "cmd_report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "../model/depdecl.h"
#include "../model/facts.h"
#include "../model/project.h"
#include "../plan/baseline.h"
#include "../report/metrics.h"
#include "../report/report_json.h"
#include "../report/report_md.h"
#include "../report/report_plan.h"
#include "../rules/graph_rules.h"
#include "../rules/rules.h"
#include "config.h"

typedef struct ReportOpts {
    const char *path;     /* PATH, "." by default */
    const char *format;   /* "md" or "json" */
    const char *baseline; /* or NULL */
    const char *output;   /* or NULL: stdout */
    const char *config;   /* or NULL: search */
    Vec(const char *) exclude;
    int jobs;
} ReportOpts;

typedef struct Analysis {
    Program prog;
    FileFacts **all_facts; /* per Program file, NULL when not parsed */
    FileFacts **facts;     /* per parsed file, compact */
    FindingSite *sites;    /* same order */
    const char **modules;  /* same order */
    uint32_t nfacts;
    SupFile *sup; /* per Program file */
    Arena link;   /* strings made by facts_link_project */
    DepScan deps;
    FindingList findings;
    const GraphSummary *graph; /* call-graph rules' summary, in link */
} Analysis;

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

/* "--name value" or "--name=value"; NULL when argv[*i] is another option. */
static const char *value_of(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    if (!a) return NULL;
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '=')) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static int set_jobs(ReportOpts *o, const char *v)
{
    char *end;
    long j = strtol(v, &end, 10);
    if (*v == '\0' || *end || j < 1 || j > 1024) return usage_error("bad job count '%s'", v);
    o->jobs = (int)j;
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
    if ((v = value_of(argc, argv, i, "--format", &missing))) return set_format(o, v) == 0 ? 1 : -1;
    if ((v = value_of(argc, argv, i, "--baseline", &missing))) return o->baseline = v, 1;
    if ((v = value_of(argc, argv, i, "--output", &missing)) ||
        (v = value_of(argc, argv, i, "-o", &missing)))
        return o->output = v, 1;
    if ((v = value_of(argc, argv, i, "--config", &missing))) return o->config = v, 1;
    if ((v = value_of(argc, argv, i, "--exclude", &missing))) return add_exclude(o, v);
    if ((v = value_of(argc, argv, i, "--jobs", &missing)) ||
        (v = value_of(argc, argv, i, "-j", &missing)))
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
    char err[512];
    int rc = o->config ? cfg_load_file(cfg, o->config, err, sizeof err)
                       : cfg_load(cfg, o->path, err, sizeof err);
    if (rc == 0) {
        CfgFlags f = {0};
        f.config = o->config;
        f.exclude = o->exclude.items, f.nexclude = o->exclude.n;
        f.jobs = o->jobs;
        rc = cfg_merge(cfg, &f, err, sizeof err);
    }
    if (rc != 0) {
        fprintf(stderr, "sqlasync report: %s\n", err);
        return -1;
    }
    for (uint32_t i = 0; i < cfg->warnings.n; i++)
        fprintf(stderr, "warning: %s\n", cfg->warnings.items[i]);
    return 0;
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

/* Extraction runs in rounds, as in `check`: each round after the first is given the hints
 * (providers, factories, attribute types) the previous round found in every file, until the
 * number of hints stops changing (at most 4 rounds). */
static void extract_round(Analysis *an, FactsUnit *units, const uint32_t *file_of,
                          const FxHint *hints, uint32_t nh, bool hinted)
{
    for (uint32_t k = 0; k < an->nfacts; k++) {
        ProjFile *f = &an->prog.files[file_of[k]];
        FxHints h = {units[k].module, units[k].is_package, hints, nh};
        units[k].ff = facts_extract_hinted(f->parse.module, &f->src, &f->arena, hinted ? &h : NULL);
        an->facts[k] = units[k].ff;
        an->all_facts[file_of[k]] = units[k].ff;
    }
}

static void extract(Analysis *an)
{
    Program *p = &an->prog;
    an->all_facts = xcalloc(p->nfiles + 1, sizeof *an->all_facts);
    an->facts = xcalloc(p->nfiles + 1, sizeof *an->facts);
    an->sites = xcalloc(p->nfiles + 1, sizeof *an->sites);
    an->modules = xcalloc(p->nfiles + 1, sizeof *an->modules);
    an->sup = xcalloc(p->nfiles + 1, sizeof *an->sup);
    FactsUnit *units = xcalloc(p->nfiles + 1, sizeof *units);
    uint32_t *file_of = xcalloc(p->nfiles + 1, sizeof *file_of);
    arena_init(&an->link);
    for (uint32_t i = 0; i < p->nfiles; i++) {
        ProjFile *f = &p->files[i];
        if (!f->parse.module) continue;
        an->sup[i] = (SupFile){&f->src, &f->parse.tokens};
        units[an->nfacts] = (FactsUnit){NULL, f->module ? f->module : "", f->is_package};
        an->sites[an->nfacts] = (FindingSite){&f->src, f->path, i};
        an->modules[an->nfacts] = f->module;
        file_of[an->nfacts++] = i;
    }
    uint32_t nhints = UINT32_MAX;
    for (int round = 0; round < 4; round++) {
        FxHint *hints = NULL;
        uint32_t nh = round ? facts_hints(units, an->nfacts, &an->link, &hints) : 0;
        if (round && nh == nhints) break;
        nhints = nh;
        extract_round(an, units, file_of, hints, nh, round > 0);
    }
    facts_link_project(units, an->nfacts, &an->link);
    free(file_of);
    free(units);
}

static void run_rules(Analysis *an, const Config *cfg)
{
    FindingList *out = &an->findings;
    for (uint32_t i = 0; i < an->nfacts; i++)
        rule_run_file(an->facts[i], &an->sites[i], out);
    dep_scan(&an->deps, an->prog.walk.configs.items, an->prog.walk.configs.n);
    RuleProject rp = {an->facts, an->sites, an->modules, an->nfacts, &an->deps};
    rule_run_project(&rp, out);
    an->graph = graph_rules_run(&an->prog, &rp, &an->link, out); /* SA202-SA205 SA302-SA304 */
    bool *keep = xcalloc(out->n + 1, sizeof *keep);
    for (uint32_t i = 0; i < out->n; i++)
        keep[i] = rule_selected(out->items[i].code, cfg->select.items, cfg->select.n,
                                cfg->ignore.items, cfg->ignore.n);
    finding_filter(out, keep);
    free(keep);
    sup_filter(out, an->sup, an->prog.nfiles);
    finding_sort(out);
}

static void free_analysis(Analysis *an)
{
    finding_list_free(&an->findings);
    free(an->all_facts);
    free(an->facts);
    free(an->sites);
    free(an->modules);
    free(an->sup);
    arena_free(&an->link);
    dep_free(&an->deps);
    proj_free(&an->prog);
}

/* Loads and analyses PATH. A folder is the root: paths are shown relative to it, module names
 * and configuration globs start there. Returns 0, or 3 when PATH cannot be read. */
static int analyse(Analysis *an, const ReportOpts *o, const Config *cfg)
{
    struct stat st;
    if (stat(o->path, &st) != 0) {
        fprintf(stderr, "sqlasync report: %s: %s\n", o->path, strerror(errno));
        return 3;
    }
    bool is_dir = S_ISDIR(st.st_mode);
    const char *paths[1] = {o->path};
    ProjOptions po = {.root = is_dir ? o->path : ".",
                      .paths = paths,
                      .npaths = is_dir ? 0 : 1,
                      .exclude = cfg->excludes.items,
                      .nexclude = cfg->excludes.n,
                      .categories = &cfg->categories,
                      .jobs = cfg->jobs};
    if (proj_load(&an->prog, &po) != 0) {
        for (uint32_t i = 0; i < an->prog.walk.issues.n; i++)
            fprintf(stderr, "sqlasync report: %s: %s\n", an->prog.walk.issues.items[i].path,
                    an->prog.walk.issues.items[i].message);
        return 3;
    }
    extract(an);
    run_rules(an, cfg);
    return 0;
}

/* ---- output -------------------------------------------------------------------------------- */

/* PATH as shown in the report: trailing slashes dropped ("examples/" -> "examples"). */
static char *display_root(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    return xstrndup(path, n);
}

static int write_out(const ReportOpts *o, const Buf *b)
{
    if (!o->output) {
        fwrite(b->data ? b->data : "", 1, b->len, stdout);
        return fflush(stdout) == 0 ? 0 : 3;
    }
    FILE *f = fopen(o->output, "wb");
    if (!f || fwrite(b->data ? b->data : "", 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "sqlasync report: %s: %s\n", o->output, strerror(errno));
        return 3;
    }
    return 0;
}

/* Sections 7-10 (report/report_plan.h): the dependency graph, the estimate with the
 * [tool.sqlasync.estimate] parameters, the plan and the strategies. */
static void build_plan(PlanReport *pr, Analysis *an, const Metrics *m, const Config *cfg)
{
    EstParam *params = xcalloc(cfg->estimate.n + 1, sizeof *params);
    for (uint32_t i = 0; i < cfg->estimate.n; i++)
        params[i] = (EstParam){cfg->estimate.items[i].key, cfg->estimate.items[i].value};
    RpInput ri = {&an->prog, an->all_facts, params, cfg->estimate.n};
    rp_build(pr, m, &ri);
    free(params); /* rp_build keeps a copy; the keys stay in the Config */
}

static int render(Analysis *an, const ReportOpts *o, Baseline *bl, const char *version,
                  const Config *cfg)
{
    char *root = display_root(o->path);
    MetInput in = {.prog = &an->prog,
                   .facts = an->all_facts,
                   .findings = an->findings.items,
                   .nfindings = an->findings.n,
                   .deps = &an->deps,
                   .root = root,
                   .graph = an->graph};
    Metrics m;
    met_build(&m, &in);
    PlanReport pr;
    build_plan(&pr, an, &m, cfg);
    Buf b;
    buf_init(&b);
    if (strcmp(o->format, "json") == 0)
        report_json_plan(&b, &m, version, bl, &pr);
    else
        report_md_plan(&b, &m, version, bl, &pr);
    int rc = write_out(o, &b);
    buf_free(&b);
    rp_free(&pr);
    met_free(&m);
    free(root);
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
    free_analysis(&an);
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
