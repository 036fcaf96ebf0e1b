#include "cmd_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "../model/depdecl.h"
#include "../model/facts.h"
#include "../model/facts_program.h"
#include "../model/project.h"
#include "../rules/graph_rules.h"
#include "../rules/rules.h"
#include "config.h"

typedef Vec(const char *) StrList;

typedef struct CheckOpts {
    Arena arena; /* split option values */
    StrList paths, select, ignore, extend_select, extend_ignore, exclude;
    const char *config;
    const char *format; /* "text" or "json" */
    bool statistics;
    bool no_config; /* --no-config: ignore pyproject.toml */
    int jobs;
} CheckOpts;

/* ---- options ------------------------------------------------------------------------------- */

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void split_into(CheckOpts *o, StrList *l, const char *v)
{
    while (*v) {
        const char *c = strchr(v, ',');
        size_t n = c ? (size_t)(c - v) : strlen(v);
        if (n) VEC_PUSH(*l, arena_strndup(&o->arena, v, n));
        v += n + (c != NULL);
    }
}

/* "--name value" or "--name=value": the value, advancing *i; NULL when the option differs. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!a || strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static int parse_jobs(const char *v)
{
    char *end;
    long j = strtol(v, &end, 10);
    return (*end || j < 1 || j > 1024) ? -1 : (int)j;
}

static int parse_list_opt(CheckOpts *o, int argc, char **argv, int *i, bool *missing)
{
    static const char *const names[] = {"--select", "--ignore", "--extend-select",
                                        "--extend-ignore", "--exclude"};
    StrList *lists[] = {&o->select, &o->ignore, &o->extend_select, &o->extend_ignore, &o->exclude};
    for (int k = 0; k < 5; k++) {
        const char *v = opt_value(argc, argv, i, names[k], missing);
        if (v) {
            split_into(o, lists[k], v);
            return 1;
        }
        if (*missing) return -1;
    }
    return 0;
}

// NOLINTNEXTLINE(readability-function-size): one branch per option
static int parse_opts(CheckOpts *o, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        int r = parse_list_opt(o, argc, argv, &i, &missing);
        if (r > 0) continue;
        if (strcmp(a, "--statistics") == 0) {
            o->statistics = true;
        } else if (strcmp(a, "--no-config") == 0) {
            o->no_config = true;
        } else if ((v = opt_value(argc, argv, &i, "--format", &missing))) {
            if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
                fprintf(stderr, "sqlasync check: unknown format '%s' (text, json)\n", v);
                return -1;
            }
            o->format = v;
        } else if ((v = opt_value(argc, argv, &i, "--config", &missing))) {
            o->config = v;
        } else if ((v = opt_value(argc, argv, &i, "--jobs", &missing)) ||
                   (v = opt_value(argc, argv, &i, "-j", &missing))) {
            if ((o->jobs = parse_jobs(v)) < 0) {
                fprintf(stderr, "sqlasync check: bad job count '%s'\n", v);
                return -1;
            }
        } else if (!missing && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sqlasync check: unknown option '%s'\n", a);
            return -1;
        } else if (!missing) {
            VEC_PUSH(o->paths, a);
        }
        if (missing || r < 0) {
            fprintf(stderr, "sqlasync check: option '%s' needs a value\n", a);
            return -1;
        }
    }
    return 0;
}

/* ---- configuration ------------------------------------------------------------------------- */

static int load_config(Config *cfg, const CheckOpts *o)
{
    char err[512];
    const char *start = o->paths.n ? o->paths.items[0] : ".";
    int rc = 0;
    if (o->no_config)
        arena_init(&cfg->arena); /* an empty configuration: flags only */
    else
        rc = o->config ? cfg_load_file(cfg, o->config, err, sizeof err)
                       : cfg_load(cfg, start, err, sizeof err);
    if (rc == 0) {
        CfgFlags f = {0};
        f.config = o->config;
        f.exclude = o->exclude.items, f.nexclude = o->exclude.n;
        f.select = o->select.items, f.nselect = o->select.n;
        f.extend_select = o->extend_select.items, f.nextend_select = o->extend_select.n;
        f.ignore = o->ignore.items, f.nignore = o->ignore.n;
        f.extend_ignore = o->extend_ignore.items, f.nextend_ignore = o->extend_ignore.n;
        f.jobs = o->jobs;
        rc = cfg_merge(cfg, &f, err, sizeof err);
    }
    if (rc != 0) {
        fprintf(stderr, "sqlasync check: %s\n", err);
        return -1;
    }
    for (uint32_t i = 0; i < cfg->warnings.n; i++)
        fprintf(stderr, "warning: %s\n", cfg->warnings.items[i]);
    return 0;
}

/* ---- analysis ------------------------------------------------------------------------------ */

typedef struct Run {
    Program prog;
    FileFacts **facts;    /* per parsed file, compact */
    FindingSite *sites;   /* same order */
    const char **modules; /* same order */
    uint32_t nfacts;
    SupFile *sup;    /* per Program file */
    FactsProgram fp; /* the facts, their hints and link */
    DepScan deps;
    bool input_error;
} Run;

static void report_inputs(Run *r)
{
    Buf b;
    buf_init(&b);
    for (uint32_t i = 0; i < r->prog.walk.issues.n; i++) {
        const WalkIssue *w = &r->prog.walk.issues.items[i];
        fprintf(stderr, "%s: %s\n", w->path, w->message);
        r->input_error |= w->is_error;
    }
    for (uint32_t i = 0; i < r->prog.nfiles; i++) {
        ProjFile *f = &r->prog.files[i];
        for (uint32_t k = 0; k < f->diags.n; k++) {
            buf_clear(&b);
            proj_diag_text(&b, f, &f->diags.items[k]);
            fprintf(stderr, "%s\n", b.data);
            r->input_error = true;
        }
    }
    buf_free(&b);
}

/* Facts of every parsed file (facts_program.h), and the sites and suppression data of each. */
static void extract(Run *r, int jobs)
{
    Program *p = &r->prog;
    facts_program_extract(&r->fp, p, jobs);
    r->facts = xcalloc(p->nfiles + 1, sizeof(void *)); /* FileFacts pointers */
    r->sites = xcalloc(p->nfiles + 1, sizeof *r->sites);
    r->modules = xcalloc(p->nfiles + 1, sizeof *r->modules);
    r->sup = xcalloc(p->nfiles + 1, sizeof *r->sup);
    for (uint32_t k = 0; k < r->fp.nunits; k++) {
        uint32_t i = r->fp.file_of[k];
        ProjFile *f = &p->files[i];
        r->sup[i] = (SupFile){&f->src, &f->parse.tokens};
        r->facts[k] = r->fp.units[k].ff;
        r->sites[k] = (FindingSite){&f->src, f->path, i};
        r->modules[k] = f->module;
    }
    r->nfacts = r->fp.nunits;
}

static void run_rules(Run *r, const Config *cfg, FindingList *out)
{
    for (uint32_t i = 0; i < r->nfacts; i++)
        rule_run_file(r->facts[i], &r->sites[i], out);
    dep_scan(&r->deps, r->prog.walk.configs.items, r->prog.walk.configs.n);
    RuleProject rp = {r->facts, r->sites, r->modules, r->nfacts, &r->deps};
    rule_run_project(&rp, out);
    graph_rules_run(&r->prog, &rp, &r->fp.link, out); /* SA202 SA204 SA205 SA302-SA304 */
    bool *keep = xcalloc(out->n + 1, sizeof *keep);
    for (uint32_t i = 0; i < out->n; i++)
        keep[i] = rule_selected(out->items[i].code, cfg->select.items, cfg->select.n,
                                cfg->ignore.items, cfg->ignore.n);
    finding_filter(out, keep);
    free(keep);
    sup_filter(out, r->sup, r->prog.nfiles);
    finding_sort(out);
}

static void free_run(Run *r)
{
    free(r->facts);
    free(r->sites);
    free(r->modules);
    free(r->sup);
    facts_program_free(&r->fp);
    dep_free(&r->deps);
    proj_free(&r->prog);
}

/* ---- output -------------------------------------------------------------------------------- */

typedef struct Stat {
    const char *code;
    uint32_t n;
} Stat;

static uint32_t statistics(const FindingList *l, Stat *stats, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        uint32_t k = 0;
        while (k < n && strcmp(stats[k].code, l->items[i].code) != 0)
            k++;
        if (k == n && n < max) stats[n++] = (Stat){l->items[i].code, 0};
        if (k < n) stats[k].n++;
    }
    for (uint32_t i = 1; i < n; i++) /* insertion sort by code */
        for (uint32_t j = i; j > 0 && strcmp(stats[j - 1].code, stats[j].code) > 0; j--) {
            Stat t = stats[j];
            stats[j] = stats[j - 1];
            stats[j - 1] = t;
        }
    return n;
}

static void print_text(Buf *b, const FindingList *l, bool stats_only, bool input_error)
{
    if (stats_only) {
        Stat stats[128];
        uint32_t n = statistics(l, stats, 128);
        for (uint32_t i = 0; i < n; i++) {
            const RuleInfo *r = rule_find(stats[i].code);
            buf_printf(b, "%5u  %s  %s\n", stats[i].n, stats[i].code, r ? r->name : "");
        }
    } else {
        for (uint32_t i = 0; i < l->n; i++) {
            const Finding *f = &l->items[i];
            buf_printf(b, "%s:%u:%u: %s %s\n", f->path, f->line, f->col, f->code, f->message);
        }
    }
    if (l->n)
        buf_printf(b, "found %u finding%s\n", l->n, l->n == 1 ? "" : "s");
    else if (!input_error)
        buf_puts(b, "all checks passed\n");
}

static void json_finding(JsonWriter *w, const Finding *f)
{
    const RuleInfo *r = rule_find(f->code);
    json_w_begin_object(w);
    json_w_key(w, "code");
    json_w_str(w, f->code);
    json_w_key(w, "name");
    json_w_str(w, r ? r->name : NULL);
    json_w_key(w, "path");
    json_w_str(w, f->path);
    json_w_key(w, "line");
    json_w_uint(w, f->line);
    json_w_key(w, "column");
    json_w_uint(w, f->col);
    json_w_key(w, "end_line");
    json_w_uint(w, f->end_line);
    json_w_key(w, "message");
    json_w_str(w, f->message);
    json_w_key(w, "fix");
    json_w_str(w, finding_fix_name(f->fix));
    json_w_key(w, "function");
    json_w_str(w, f->qualname);
    json_w_key(w, "fingerprint");
    json_w_str(w, f->fingerprint);
    json_w_key(w, "url");
    json_w_str(w, r ? r->url : NULL);
    json_w_end_object(w);
}

static void print_json(Buf *b, const FindingList *l, bool input_error)
{
    JsonWriter w;
    json_w_init(&w, b);
    json_w_begin_object(&w);
    json_w_key(&w, "tool");
    json_w_str(&w, "sqlasync");
    json_w_key(&w, "format_version");
    json_w_uint(&w, 1);
    json_w_key(&w, "findings");
    json_w_begin_array(&w);
    for (uint32_t i = 0; i < l->n; i++)
        json_finding(&w, &l->items[i]);
    json_w_end_array(&w);
    json_w_key(&w, "statistics");
    json_w_begin_object(&w);
    Stat stats[128];
    uint32_t n = statistics(l, stats, 128);
    for (uint32_t i = 0; i < n; i++) {
        json_w_key(&w, stats[i].code);
        json_w_uint(&w, stats[i].n);
    }
    json_w_end_object(&w);
    json_w_key(&w, "input_errors");
    json_w_bool(&w, input_error);
    json_w_end_object(&w);
    json_w_finish(&w);
}

/* ---- command ------------------------------------------------------------------------------- */

static int check(CheckOpts *o)
{
    Config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (load_config(&cfg, o) != 0) {
        cfg_free(&cfg);
        return 2;
    }
    Run r;
    memset(&r, 0, sizeof r);
    ProjOptions po = {
        ".",     o->paths.items, o->paths.n, cfg.excludes.items, cfg.excludes.n, &cfg.categories,
        cfg.jobs};
    if (proj_load(&r.prog, &po) != 0) r.input_error = true;
    report_inputs(&r);
    extract(&r, cfg.jobs);
    FindingList findings = {0};
    run_rules(&r, &cfg, &findings);
    Buf b;
    buf_init(&b);
    if (strcmp(o->format, "json") == 0)
        print_json(&b, &findings, r.input_error);
    else
        print_text(&b, &findings, o->statistics, r.input_error);
    fwrite(b.data ? b.data : "", 1, b.len, stdout);
    buf_free(&b);
    int rc = r.input_error ? 2 : findings.n ? 1 : 0;
    finding_list_free(&findings);
    free_run(&r);
    cfg_free(&cfg);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    CheckOpts o;
    memset(&o, 0, sizeof o);
    arena_init(&o.arena);
    o.format = "text";
    int rc = parse_opts(&o, argc, argv) == 0 ? check(&o) : 2;
    VEC_FREE(o.paths);
    VEC_FREE(o.select);
    VEC_FREE(o.ignore);
    VEC_FREE(o.extend_select);
    VEC_FREE(o.extend_ignore);
    VEC_FREE(o.exclude);
    arena_free(&o.arena);
    return rc;
}
