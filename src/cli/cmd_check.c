#include "cmd_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "../plan/baseline.h"
#include "../rules/rules.h"
#include "analysis.h"
#include "config.h"
#include "options.h"

typedef Vec(const char *) StrList;

typedef struct CheckOpts {
    Arena arena; /* split option values */
    StrList paths, select, ignore, extend_select, extend_ignore, exclude;
    const char *config;
    const char *baseline; /* --baseline OLD.json, or NULL */
    const char *format;   /* "text", "json" or "github" */
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
            if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0 && strcmp(v, "github") != 0) {
                fprintf(stderr, "sqlasync check: unknown format '%s' (text, json, github)\n", v);
                return -1;
            }
            o->format = v;
        } else if ((v = opt_value(argc, argv, &i, "--config", &missing))) {
            o->config = v;
        } else if ((v = opt_value(argc, argv, &i, "--baseline", &missing))) {
            o->baseline = v;
        } else if ((v = opt_value(argc, argv, &i, "--jobs", &missing)) ||
                   (v = opt_value(argc, argv, &i, "-j", &missing))) {
            if ((o->jobs = opt_jobs(v)) < 0) {
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

/* ---- configuration and baseline ------------------------------------------------------------ */

static int load_config(Config *cfg, const CheckOpts *o)
{
    CfgFlags f = {0};
    f.config = o->config;
    f.exclude = o->exclude.items, f.nexclude = o->exclude.n;
    f.select = o->select.items, f.nselect = o->select.n;
    f.extend_select = o->extend_select.items, f.nextend_select = o->extend_select.n;
    f.ignore = o->ignore.items, f.nignore = o->ignore.n;
    f.extend_ignore = o->extend_ignore.items, f.nextend_ignore = o->extend_ignore.n;
    f.jobs = o->jobs;
    return an_config(cfg, "check", o->paths.n ? o->paths.items[0] : ".", &f, o->no_config);
}

/* Drops the findings the baseline already has (matched by fingerprint, as a multiset). */
static int apply_baseline(FindingList *l, const char *path)
{
    char err[600];
    Baseline bl;
    if (bl_load(&bl, path, err, sizeof err) != 0) {
        fprintf(stderr, "sqlasync check: baseline: %s\n", err);
        bl_free(&bl);
        return -1;
    }
    bool *keep = xcalloc(l->n + 1, sizeof *keep);
    for (uint32_t i = 0; i < l->n; i++)
        keep[i] = !bl_take(&bl, l->items[i].fingerprint);
    finding_filter(l, keep);
    free(keep);
    bl_free(&bl);
    return 0;
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

/* With a baseline, a clean run prints nothing: no finding is new. */
static void print_text(Buf *b, const Analysis *an, const CheckOpts *o, bool input_error)
{
    const FindingList *l = &an->findings;
    Buf path;
    buf_init(&path);
    if (o->statistics) {
        Stat stats[128];
        uint32_t n = statistics(l, stats, 128);
        for (uint32_t i = 0; i < n; i++) {
            const RuleInfo *r = rule_find(stats[i].code);
            buf_printf(b, "%5u  %s  %s\n", stats[i].n, stats[i].code, r ? r->name : "");
        }
    } else {
        for (uint32_t i = 0; i < l->n; i++) {
            const Finding *f = &l->items[i];
            buf_printf(b, "%s:%u:%u: %s %s\n", an_path(an, f->path, &path), f->line, f->col,
                       f->code, f->message);
        }
    }
    buf_free(&path);
    if (l->n)
        buf_printf(b, "found %u finding%s\n", l->n, l->n == 1 ? "" : "s");
    else if (!input_error && !o->baseline)
        buf_puts(b, "all checks passed\n");
}

/* GitHub Actions workflow-command escaping: always %, CR and LF; in a property also : and ,. */
static void gh_escape(Buf *b, const char *s, bool property)
{
    for (; *s; s++) {
        if (*s == '%')
            buf_puts(b, "%25");
        else if (*s == '\r')
            buf_puts(b, "%0D");
        else if (*s == '\n')
            buf_puts(b, "%0A");
        else if (property && *s == ':')
            buf_puts(b, "%3A");
        else if (property && *s == ',')
            buf_puts(b, "%2C");
        else
            buf_putc(b, *s);
    }
}

/* One `::error` workflow command per finding: GitHub shows it on the line in the pull request.
 * Nothing else is printed (input errors still go to stderr). */
static void print_github(Buf *b, const Analysis *an)
{
    Buf path;
    buf_init(&path);
    for (uint32_t i = 0; i < an->findings.n; i++) {
        const Finding *f = &an->findings.items[i];
        buf_printf(b, "::error title=sqlasync (%s),file=", f->code);
        gh_escape(b, an_path(an, f->path, &path), true);
        buf_printf(b, ",line=%u,col=%u,endLine=%u::%s ", f->line, f->col,
                   f->end_line ? f->end_line : f->line, f->code);
        gh_escape(b, f->message, false);
        buf_putc(b, '\n');
    }
    buf_free(&path);
}

static void json_finding(JsonWriter *w, const Finding *f, const char *path)
{
    const RuleInfo *r = rule_find(f->code);
    json_w_begin_object(w);
    json_w_kv_str(w, "code", f->code);
    json_w_kv_str(w, "name", r ? r->name : NULL);
    json_w_kv_str(w, "path", path);
    json_w_kv_uint(w, "line", f->line);
    json_w_kv_uint(w, "column", f->col);
    json_w_kv_uint(w, "end_line", f->end_line);
    json_w_kv_str(w, "message", f->message);
    json_w_kv_str(w, "fix", finding_fix_name(f->fix));
    json_w_kv_str(w, "function", f->qualname);
    json_w_kv_str(w, "fingerprint", f->fingerprint);
    json_w_kv_str(w, "url", r ? r->url : NULL);
    json_w_end_object(w);
}

static void print_json(Buf *b, const Analysis *an, bool input_error)
{
    const FindingList *l = &an->findings;
    Buf path;
    buf_init(&path);
    JsonWriter w;
    json_w_init(&w, b);
    json_w_begin_object(&w);
    json_w_kv_str(&w, "tool", "sqlasync");
    json_w_kv_uint(&w, "format_version", 1);
    json_w_key(&w, "findings");
    json_w_begin_array(&w);
    for (uint32_t i = 0; i < l->n; i++)
        json_finding(&w, &l->items[i], an_path(an, l->items[i].path, &path));
    json_w_end_array(&w);
    buf_free(&path);
    json_w_key(&w, "statistics");
    json_w_begin_object(&w);
    Stat stats[128];
    uint32_t n = statistics(l, stats, 128);
    for (uint32_t i = 0; i < n; i++) {
        json_w_key(&w, stats[i].code);
        json_w_uint(&w, stats[i].n);
    }
    json_w_end_object(&w);
    json_w_kv_bool(&w, "input_errors", input_error);
    json_w_end_object(&w);
    json_w_finish(&w);
}

/* ---- command ------------------------------------------------------------------------------- */

static void print_findings(const CheckOpts *o, const Analysis *an, bool input_error)
{
    Buf b;
    buf_init(&b);
    if (strcmp(o->format, "json") == 0)
        print_json(&b, an, input_error);
    else if (strcmp(o->format, "github") == 0)
        print_github(&b, an);
    else
        print_text(&b, an, o, input_error);
    fwrite(b.data ? b.data : "", 1, b.len, stdout);
    buf_free(&b);
}

static int check(CheckOpts *o)
{
    Config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (load_config(&cfg, o) != 0) {
        cfg_free(&cfg);
        return 2;
    }
    Analysis an;
    AnInput in = {o->paths.items, o->paths.n, &cfg, false, true};
    bool input_error = an_run(&an, &in) != 0;
    input_error |= an_print_inputs(&an);
    int rc = 0;
    if (o->baseline && apply_baseline(&an.findings, o->baseline) != 0)
        rc = 2;
    else
        print_findings(o, &an, input_error);
    if (rc == 0) rc = input_error ? 2 : an.findings.n ? 1 : 0;
    an_free(&an);
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
