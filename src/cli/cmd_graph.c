/* cmd_graph.c: options, the facts pipeline (as `report` runs it, without the rules) and the
 * graph writers. */
#include "cmd_graph.h"

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
#include "../model/facts.h"
#include "../model/project.h"
#include "../plan/depgraph.h"
#include "../report/report_plan.h"
#include "config.h"

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

/* "--name value" or "--name=value"; NULL when argv[*i] is another option. */
static const char *value_of(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '=')) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
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
    char *end;
    long j = strtol(v, &end, 10);
    if (*v == '\0' || *end || j < 1 || j > 1024) return usage_error("bad job count '%s'", v);
    o->jobs = (int)j;
    return 1;
}

/* One option at argv[*i]: 1 taken, 0 not an option, -1 error. */
static int option(GraphOpts *o, int argc, char **argv, int *i)
{
    bool missing = false;
    const char *v;
    if ((v = value_of(argc, argv, i, "--format", &missing))) return set_format(o, v);
    if ((v = value_of(argc, argv, i, "--output", &missing)) ||
        (v = value_of(argc, argv, i, "-o", &missing)))
        return o->output = v, 1;
    if ((v = value_of(argc, argv, i, "--config", &missing))) return o->config = v, 1;
    if ((v = value_of(argc, argv, i, "--exclude", &missing))) {
        VEC_PUSH(o->exclude, v);
        return 1;
    }
    if ((v = value_of(argc, argv, i, "--jobs", &missing)) ||
        (v = value_of(argc, argv, i, "-j", &missing)))
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
        fprintf(stderr, "sqlasync graph: %s\n", err);
        return -1;
    }
    for (uint32_t i = 0; i < cfg->warnings.n; i++)
        fprintf(stderr, "warning: %s\n", cfg->warnings.items[i]);
    return 0;
}

/* ---- facts --------------------------------------------------------------------------------- */

/* Extraction in rounds, each after the first given the previous round's hints, until the number
 * of hints stops changing (at most 4), then the whole-program link: as `report` and `check`. */
static void extract(Program *p, FileFacts **facts, Arena *link)
{
    FactsUnit *units = xcalloc(p->nfiles + 1, sizeof *units);
    uint32_t *file_of = xcalloc(p->nfiles + 1, sizeof *file_of), n = 0;
    for (uint32_t i = 0; i < p->nfiles; i++) {
        if (!p->files[i].parse.module) continue;
        units[n] =
            (FactsUnit){NULL, p->files[i].module ? p->files[i].module : "", p->files[i].is_package};
        file_of[n++] = i;
    }
    uint32_t nhints = UINT32_MAX;
    for (int round = 0; round < 4; round++) {
        FxHint *hints = NULL;
        uint32_t nh = round ? facts_hints(units, n, link, &hints) : 0;
        if (round && nh == nhints) break;
        nhints = nh;
        for (uint32_t k = 0; k < n; k++) {
            ProjFile *f = &p->files[file_of[k]];
            FxHints h = {units[k].module, units[k].is_package, hints, nh};
            units[k].ff =
                facts_extract_hinted(f->parse.module, &f->src, &f->arena, round ? &h : NULL);
            facts[file_of[k]] = units[k].ff;
        }
    }
    facts_link_project(units, n, link);
    free(file_of);
    free(units);
}

static int load(Program *prog, const GraphOpts *o, const Config *cfg)
{
    struct stat st;
    if (stat(o->path, &st) != 0) {
        fprintf(stderr, "sqlasync graph: %s: %s\n", o->path, strerror(errno));
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
    if (proj_load(prog, &po) == 0) return 0;
    for (uint32_t i = 0; i < prog->walk.issues.n; i++)
        fprintf(stderr, "sqlasync graph: %s: %s\n", prog->walk.issues.items[i].path,
                prog->walk.issues.items[i].message);
    return 3;
}

/* ---- output -------------------------------------------------------------------------------- */

static int write_out(const GraphOpts *o, const Buf *b)
{
    if (!o->output) {
        fwrite(b->data ? b->data : "", 1, b->len, stdout);
        return fflush(stdout) == 0 ? 0 : 3;
    }
    FILE *f = fopen(o->output, "wb");
    if (!f || fwrite(b->data ? b->data : "", 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "sqlasync graph: %s: %s\n", o->output, strerror(errno));
        return 3;
    }
    return 0;
}

static int render(Program *prog, FileFacts **facts, const GraphOpts *o, const char *version)
{
    DgGraph g;
    dg_build_program(&g, prog, facts);
    size_t n = strlen(o->path);
    while (n > 1 && o->path[n - 1] == '/')
        n--;
    char *root = xstrndup(o->path, n);
    Buf b;
    buf_init(&b);
    if (strcmp(o->format, "json") == 0)
        rp_graph_json(&b, &g, root, version);
    else
        rp_graph_dot(&b, &g, root);
    int rc = write_out(o, &b);
    buf_free(&b);
    free(root);
    dg_free(&g);
    return rc;
}

static int graph(const GraphOpts *o, const char *version)
{
    Config cfg;
    memset(&cfg, 0, sizeof cfg);
    Program prog;
    memset(&prog, 0, sizeof prog);
    int rc = load_config(&cfg, o) != 0 ? 2 : 0;
    if (rc == 0) rc = load(&prog, o, &cfg);
    if (rc == 0) {
        FileFacts **facts = xcalloc(prog.nfiles + 1, sizeof *facts);
        Arena link;
        arena_init(&link);
        extract(&prog, facts, &link);
        rc = render(&prog, facts, o, version);
        arena_free(&link);
        free(facts);
    }
    proj_free(&prog);
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
