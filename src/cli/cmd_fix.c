/* cmd_fix: options, the shared analysis (analysis.h, facts only), then write or diff. */
#include "cmd_fix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "../fix/fixer.h"
#include "../fix/writefile.h"
#include "analysis.h"
#include "config.h"
#include "options.h"

typedef Vec(const char *) StrList;

typedef struct FixOpts {
    Arena arena; /* split option values */
    StrList paths, select, ignore, extend_select, extend_ignore, exclude;
    const char *config;
    bool diff, unsafe_fixes;
    int jobs;
} FixOpts;

typedef struct Totals {
    uint32_t files_changed, fixed, manual, unsafe;
    bool input_error;
} Totals;

/* ---- options ------------------------------------------------------------------------------- */

static int usage_error(const char *fmt, const char *arg)
{
    fputs("sqlasync fix: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: sqlasync fix [PATH...] [--diff] [--select CODES] [--ignore CODES] "
          "[--unsafe-fixes] [-j N]\n",
          stderr);
    return -1;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void split_into(FixOpts *o, StrList *l, const char *v)
{
    while (*v) {
        const char *c = strchr(v, ',');
        size_t n = c ? (size_t)(c - v) : strlen(v);
        if (n) VEC_PUSH(*l, arena_strndup(&o->arena, v, n));
        v += n + (c != NULL);
    }
}

static int list_opt(FixOpts *o, int argc, char **argv, int *i, bool *missing)
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

static int value_opt(FixOpts *o, int argc, char **argv, int *i, bool *missing)
{
    const char *v;
    if ((v = opt_value(argc, argv, i, "--config", missing))) {
        o->config = v;
        return 1;
    }
    if ((v = opt_value(argc, argv, i, "--jobs", missing)) ||
        (!*missing && (v = opt_value(argc, argv, i, "-j", missing)))) {
        o->jobs = opt_jobs(v);
        return o->jobs < 0 ? usage_error("bad job count '%s'", v) : 1;
    }
    return *missing ? -1 : 0;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static int parse_opts(FixOpts *o, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool missing = false;
        int r = list_opt(o, argc, argv, &i, &missing);
        if (r == 0) r = value_opt(o, argc, argv, &i, &missing);
        if (missing) return usage_error("option '%s' needs a value", a);
        if (r < 0) return -1;
        if (r > 0) continue;
        if (strcmp(a, "--diff") == 0)
            o->diff = true;
        else if (strcmp(a, "--unsafe-fixes") == 0)
            o->unsafe_fixes = true;
        else if (a[0] == '-' && a[1] != '\0')
            return usage_error("unknown option '%s'", a);
        else
            VEC_PUSH(o->paths, a);
    }
    return 0;
}

static int load_config(Config *cfg, const FixOpts *o)
{
    CfgFlags f = {0};
    f.config = o->config;
    f.exclude = o->exclude.items, f.nexclude = o->exclude.n;
    f.select = o->select.items, f.nselect = o->select.n;
    f.extend_select = o->extend_select.items, f.nextend_select = o->extend_select.n;
    f.ignore = o->ignore.items, f.nignore = o->ignore.n;
    f.extend_ignore = o->extend_ignore.items, f.nextend_ignore = o->extend_ignore.n;
    f.jobs = o->jobs;
    return an_config(cfg, "fix", o->paths.n ? o->paths.items[0] : ".", &f, false);
}

/* ---- output -------------------------------------------------------------------------------- */

static const char *status_text(FixStatus s)
{
    switch (s) {
        case FIX_ST_FIXED: return "fixed";
        case FIX_ST_MANUAL: return "manual";
        case FIX_ST_UNSAFE: return "unsafe";
        case FIX_ST_DROPPED: return "dropped";
    }
    return "";
}

static void print_chains(const ProjFile *f, const FixResult *r)
{
    for (uint32_t i = 0; i < r->chains.n; i++) {
        const FixChain *c = &r->chains.items[i];
        if (c->status == FIX_ST_FIXED) continue;
        fprintf(stderr, "%s:%u:%u: %s not fixed (%s)%s%s\n", f->fs_path, c->line, c->col, c->code,
                status_text(c->status), c->reason ? ": " : "", c->reason ? c->reason : "");
    }
    for (uint32_t i = 0; i < r->diags.n; i++) {
        LineCol lc = source_linecol((Source *)&f->src, r->diags.items[i].span.start);
        fprintf(stderr, "%s:%u:%u: error[%s]: %s\n", f->fs_path, lc.line, lc.col_byte + 1,
                r->diags.items[i].code, r->diags.items[i].message);
    }
}

static void emit(const FixOpts *o, ProjFile *f, const FixResult *r, Buf *diff, Totals *t)
{
    if (!r->changed) return;
    t->files_changed++;
    if (o->diff) {
        wf_unified_diff(diff, f->fs_path, f->src.text, f->src.len, r->text.data, r->text.len);
        return;
    }
    char err[256];
    if (wf_write_atomic(f->fs_path, r->text.data, r->text.len, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", f->fs_path, err);
        t->input_error = true;
        t->files_changed--;
    }
}

/* ---- command ------------------------------------------------------------------------------- */

static FixNames joined_classes(FileFacts *const *facts, uint32_t n)
{
    FixNames names = {0};
    for (uint32_t i = 0; i < n; i++)
        if (facts[i]) fix_joined_classes(facts[i], &names);
    return names;
}

/* Fixes every parsed file with the facts the shared analysis extracted (hinted, linked). */
static void fix_all(const FixOpts *o, const Config *cfg, Analysis *an, Buf *diff, Totals *t)
{
    FileFacts **facts = an->fp.by_file;
    FixNames joined = joined_classes(facts, an->prog.nfiles);
    FixProject fp = {joined.items, joined.n};
    FixOptions fo = {cfg->select.items, cfg->select.n, cfg->ignore.items, cfg->ignore.n,
                     o->unsafe_fixes};
    for (uint32_t i = 0; i < an->prog.nfiles; i++) {
        ProjFile *f = &an->prog.files[i];
        if (!facts[i]) continue;
        FixResult r;
        fix_result_init(&r);
        FixInput in = {&f->src, &f->parse, facts[i], &fp, &f->arena};
        if (fix_file(&in, &fo, &r) != 0) t->input_error = true;
        print_chains(f, &r);
        emit(o, f, &r, diff, t);
        t->fixed += r.nfixed;
        t->manual += r.nmanual;
        t->unsafe += r.nunsafe;
        fix_result_free(&r);
    }
    VEC_FREE(joined);
}

static int run(FixOpts *o)
{
    Config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (load_config(&cfg, o) != 0) {
        cfg_free(&cfg);
        return 2;
    }
    Analysis an;
    Totals t = {0};
    AnInput in = {o->paths.items, o->paths.n, &cfg, true, false};
    t.input_error = an_run(&an, &in) != 0;
    t.input_error |= an_print_inputs(&an);
    Buf diff;
    buf_init(&diff);
    fix_all(o, &cfg, &an, &diff, &t);
    fwrite(diff.data ? diff.data : "", 1, diff.len, stdout);
    fprintf(stderr, "%s %u finding%s in %u file%s; %u left manual, %u unsafe (--unsafe-fixes)\n",
            o->diff ? "would fix" : "fixed", t.fixed, t.fixed == 1 ? "" : "s", t.files_changed,
            t.files_changed == 1 ? "" : "s", t.manual, t.unsafe);
    buf_free(&diff);
    an_free(&an);
    cfg_free(&cfg);
    if (t.input_error) return 3;
    return o->diff && t.files_changed ? 1 : 0;
}

int cmd_fix(int argc, char **argv)
{
    FixOpts o;
    memset(&o, 0, sizeof o);
    arena_init(&o.arena);
    int rc = parse_opts(&o, argc, argv) == 0 ? run(&o) : 2;
    VEC_FREE(o.paths);
    VEC_FREE(o.select);
    VEC_FREE(o.ignore);
    VEC_FREE(o.extend_select);
    VEC_FREE(o.extend_ignore);
    VEC_FREE(o.exclude);
    arena_free(&o.arena);
    return rc;
}
