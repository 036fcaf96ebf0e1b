/* cmd_graph.c: options, the shared analysis (analysis.h, facts only) and the graph writers. */
#include "cmd_graph.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "../plan/depgraph.h"
#include "../report/report_plan.h"
#include "analysis.h"
#include "config.h"
#include "options.h"

#define USAGE                                                                             \
    "usage: sqlasync graph [PATH] [--format dot|json] [-o FILE] [-j N] [--exclude GLOB] " \
    "[--config FILE]\n"

typedef struct GraphOpts {
    const char *path;   /* PATH, "." by default */
    const char *format; /* "dot" or "json" */
    const char *output; /* or NULL: stdout */
    const char *config; /* or NULL: search */
    Vec(const char *) exclude;
    int jobs;
} GraphOpts;

/* ---- options ------------------------------------------------------------------------------- */

static int usage_error(const char *fmt, const char *arg)
{
    fputs("sqlasync graph: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n" USAGE, stderr);
    return -1;
}

static int set_format(GraphOpts *o, const char *v)
{
    if (strcmp(v, "dot") != 0 && strcmp(v, "json") != 0)
        return usage_error("unknown format '%s' (dot, json)", v);
    o->format = v;
    return 1;
}

static int set_jobs(GraphOpts *o, const char *v)
{
    o->jobs = opt_jobs(v);
    if (o->jobs < 0) return usage_error("bad job count '%s'", v);
    return 1;
}

static int add_exclude(GraphOpts *o, const char *glob)
{
    VEC_PUSH(o->exclude, glob);
    return 1;
}

/* One option at argv[*i]: 1 taken, 0 not an option, -1 error. */
static int option(GraphOpts *o, int argc, char **argv, int *i)
{
    bool missing = false;
    const char *v;
    if ((v = opt_value(argc, argv, i, "--format", &missing))) return set_format(o, v);
    if ((v = opt_value(argc, argv, i, "--output", &missing)) ||
        (v = opt_value(argc, argv, i, "-o", &missing)))
        return o->output = v, 1;
    if ((v = opt_value(argc, argv, i, "--config", &missing))) return o->config = v, 1;
    if ((v = opt_value(argc, argv, i, "--exclude", &missing))) return add_exclude(o, v);
    if ((v = opt_value(argc, argv, i, "--jobs", &missing)) ||
        (v = opt_value(argc, argv, i, "-j", &missing)))
        return set_jobs(o, v);
    if (missing) return usage_error("option '%s' needs a value", argv[*i]);
    return 0;
}

static int parse_opts(GraphOpts *o, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        int r = option(o, argc, argv, &i);
        if (r < 0) return -1;
        if (r > 0) continue;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return usage_error("%s", "help");
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage_error("unknown option '%s'", argv[i]);
        if (o->path) return usage_error("one PATH only (got '%s' too)", argv[i]);
        o->path = argv[i];
    }
    if (!o->path) o->path = ".";
    return 0;
}

static int load_config(Config *cfg, const GraphOpts *o)
{
    CfgFlags f = {0};
    f.config = o->config;
    f.exclude = o->exclude.items, f.nexclude = o->exclude.n;
    f.jobs = o->jobs;
    return an_config(cfg, "graph", o->path, &f, false);
}

/* ---- facts --------------------------------------------------------------------------------- */

/* The facts of PATH, as every command extracts them (analysis.h); the graph needs no rules.
 * Returns 0, or 3 when PATH cannot be read. */
static int load(Analysis *an, const GraphOpts *o, const Config *cfg)
{
    return an_run_one(an, "graph", o->path, cfg, true);
}

/* ---- output -------------------------------------------------------------------------------- */

static int write_out(const GraphOpts *o, const Buf *b)
{
    return an_write_out("graph", o->output, b);
}

static int render(Analysis *an, const GraphOpts *o, const char *version)
{
    DgGraph g;
    dg_build_program(&g, &an->prog, an->fp.by_file);
    Buf b;
    buf_init(&b);
    if (strcmp(o->format, "json") == 0)
        rp_graph_json(&b, &g, an->root, version);
    else
        rp_graph_dot(&b, &g, an->root);
    int rc = write_out(o, &b);
    buf_free(&b);
    dg_free(&g);
    return rc;
}

static int graph(const GraphOpts *o, const char *version)
{
    Config cfg;
    memset(&cfg, 0, sizeof cfg);
    Analysis an;
    memset(&an, 0, sizeof an);
    int rc = load_config(&cfg, o) != 0 ? 2 : 0;
    if (rc == 0) rc = load(&an, o, &cfg);
    if (rc == 0) rc = render(&an, o, version);
    an_free(&an);
    cfg_free(&cfg);
    return rc;
}

int cmd_graph(int argc, char **argv, const char *version)
{
    GraphOpts o;
    memset(&o, 0, sizeof o);
    o.format = "dot";
    int rc = parse_opts(&o, argc, argv) == 0 ? graph(&o, version) : 2;
    VEC_FREE(o.exclude);
    return rc;
}
