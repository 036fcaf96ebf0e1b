/* analysis: the shared pipeline (see the header). */
#include "analysis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/buf.h"
#include "../base/timing.h"
#include "../base/xmalloc.h"
#include "../fix/fixer.h"

/* ---- configuration ------------------------------------------------------------------------- */

int an_config(Config *cfg, const char *cmd, const char *start, const CfgFlags *flags,
              bool no_config)
{
    char err[512];
    int rc = 0;
    if (no_config)
        arena_init(&cfg->arena); /* an empty configuration: flags only */
    else
        rc = flags->config ? cfg_load_file(cfg, flags->config, err, sizeof err)
                           : cfg_load(cfg, start, err, sizeof err);
    if (rc == 0) rc = cfg_merge(cfg, flags, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "sqlasync %s: %s\n", cmd, err);
        return -1;
    }
    for (uint32_t i = 0; i < cfg->warnings.n; i++)
        fprintf(stderr, "warning: %s\n", cfg->warnings.items[i]);
    return 0;
}

/* ---- inputs -------------------------------------------------------------------------------- */

int an_stat_path(const char *cmd, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) return 0;
    fprintf(stderr, "sqlasync %s: %s: %s\n", cmd, path, strerror(errno));
    return -1;
}

const char *an_path(const Analysis *an, const char *path, Buf *b)
{
    buf_clear(b);
    const char *shown = an->shown ? an->shown : "";
    if (*shown && strcmp(path, ".") == 0)
        buf_puts(b, an->root);
    else
        buf_printf(b, "%s%s", shown, path);
    return b->data;
}

bool an_print_walk_issues(const Analysis *an, const char *prefix)
{
    bool is_error = false;
    Buf b;
    buf_init(&b);
    for (uint32_t i = 0; i < an->prog.walk.issues.n; i++) {
        const WalkIssue *w = &an->prog.walk.issues.items[i];
        fprintf(stderr, "%s%s: %s\n", prefix, an_path(an, w->path, &b), w->message);
        is_error |= w->is_error;
    }
    buf_free(&b);
    return is_error;
}

bool an_print_inputs(Analysis *an)
{
    bool is_error = an_print_walk_issues(an, "");
    Buf b;
    buf_init(&b);
    for (uint32_t i = 0; i < an->prog.nfiles; i++) {
        ProjFile *f = &an->prog.files[i];
        for (uint32_t k = 0; k < f->diags.n; k++) {
            buf_clear(&b);
            buf_puts(&b, an->shown ? an->shown : "");
            proj_diag_text(&b, f, &f->diags.items[k]);
            fprintf(stderr, "%s\n", b.data);
            is_error = true;
        }
    }
    buf_free(&b);
    return is_error;
}

/* PATH as shown: trailing slashes dropped ("examples/" -> "examples"). */
static char *display_root(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    return xstrndup(path, n);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A single folder given is the root; otherwise "." with the paths as given. */
static int load(Analysis *an, const AnInput *in)
{
    const Config *cfg = in->cfg;
    bool one_dir = in->npaths == 1 && is_dir(in->paths[0]);
    an->root = display_root(in->npaths == 1 ? in->paths[0] : ".");
    bool prefixed = one_dir && strcmp(an->root, ".") != 0;
    size_t n = strlen(an->root);
    an->shown = xmalloc(n + 2);
    snprintf(an->shown, n + 2, "%s%s", prefixed ? an->root : "",
             prefixed && an->root[n - 1] != '/' ? "/" : "");
    ProjOptions po = {.root = one_dir ? in->paths[0] : ".",
                      .paths = in->paths,
                      .npaths = one_dir ? 0 : in->npaths,
                      .exclude = cfg->excludes.items,
                      .nexclude = cfg->excludes.n,
                      .categories = &cfg->categories,
                      .jobs = cfg->jobs};
    an->load_failed = proj_load(&an->prog, &po) != 0;
    return an->load_failed ? -1 : 0;
}

/* ---- facts and rules ----------------------------------------------------------------------- */

/* The per-unit views the rules take, over the facts of every parsed file. */
static void extract(Analysis *an, int jobs)
{
    Program *p = &an->prog;
    facts_program_extract(&an->fp, p, jobs);
    an->facts = xcalloc(p->nfiles + 1, sizeof(void *)); /* FileFacts pointers */
    an->sites = xcalloc(p->nfiles + 1, sizeof *an->sites);
    an->modules = xcalloc(p->nfiles + 1, sizeof *an->modules);
    an->sup = xcalloc(p->nfiles + 1, sizeof *an->sup);
    for (uint32_t k = 0; k < an->fp.nunits; k++) {
        uint32_t i = an->fp.file_of[k];
        ProjFile *f = &p->files[i];
        an->sup[i] = (SupFile){&f->src, &f->parse.tokens};
        an->facts[k] = an->fp.units[k].ff;
        an->sites[k] = (FindingSite){&f->src, f->path, i};
        an->modules[k] = f->module;
    }
}

/* Findings with an automatic fix that `fix` would leave alone become manual, with the reason;
 * only files holding a finding that claims a fix are converted to decide. */
static void annotate(Analysis *an)
{
    bool *claims = xcalloc(an->prog.nfiles + 1, sizeof *claims);
    for (uint32_t i = 0; i < an->findings.n; i++) {
        const Finding *f = &an->findings.items[i];
        if (f->file < an->prog.nfiles && f->fix != FIX_MANUAL && fix_handles(f->code))
            claims[f->file] = true;
    }
    FixNames joined = {0};
    for (uint32_t k = 0; k < an->fp.nunits; k++)
        fix_joined_classes(an->facts[k], &joined);
    FixProject fxp = {joined.items, joined.n};
    for (uint32_t k = 0; k < an->fp.nunits; k++) {
        uint32_t i = an->fp.file_of[k];
        if (!claims[i]) continue;
        ProjFile *f = &an->prog.files[i];
        FixInput in = {&f->src, &f->parse, an->facts[k], &fxp, &f->arena};
        fix_annotate(&in, &an->findings, i);
    }
    VEC_FREE(joined);
    free(claims);
}

static void select_findings(FindingList *out, const Config *cfg)
{
    bool *keep = xcalloc(out->n + 1, sizeof *keep);
    for (uint32_t i = 0; i < out->n; i++)
        keep[i] = rule_selected(out->items[i].code, cfg->select.items, cfg->select.n,
                                cfg->ignore.items, cfg->ignore.n);
    finding_filter(out, keep);
    free(keep);
}

static void run_rules(Analysis *an, const Config *cfg, bool cwd_paths)
{
    FindingList *out = &an->findings;
    uint32_t n = an->fp.nunits;
    for (uint32_t k = 0; k < n; k++)
        rule_run_file(an->facts[k], &an->sites[k], out);
    dep_scan(&an->deps, an->prog.walk.configs.items, an->prog.walk.configs.n);
    RuleProject rp = {
        an->facts, an->sites, an->modules, n, &an->deps, cfg->jobs, cwd_paths ? an->shown : ""};
    rule_run_project(&rp, out);
    tm_phase("file and project rules");
    an->graph = graph_rules_run(&an->prog, &rp, &an->fp.link, out); /* SA202-SA205 SA302-SA304 */
    select_findings(out, cfg);
    sup_filter(out, an->sup, an->prog.nfiles);
    annotate(an);
    finding_sort(out);
    tm_phase("annotate and sort");
}

int an_run(Analysis *an, const AnInput *in)
{
    memset(an, 0, sizeof *an);
    int rc = load(an, in);
    extract(an, in->cfg->jobs);
    if (!in->facts_only) run_rules(an, in->cfg, in->cwd_paths);
    return rc;
}

void an_free(Analysis *an)
{
    finding_list_free(&an->findings);
    free(an->facts);
    free(an->sites);
    free(an->modules);
    free(an->sup);
    facts_program_free(&an->fp);
    dep_free(&an->deps);
    proj_free(&an->prog);
    free(an->root);
    free(an->shown);
    memset(an, 0, sizeof *an);
}

int an_run_one(Analysis *an, const char *cmd, const char *path, const Config *cfg, bool facts_only)
{
    if (an_stat_path(cmd, path) != 0) return 3;
    const char *paths[1] = {path};
    AnInput in = {paths, 1, cfg, facts_only, false};
    if (an_run(an, &in) == 0) return 0;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "sqlasync %s: ", cmd);
    an_print_walk_issues(an, prefix);
    return 3;
}

int an_write_out(const char *cmd, const char *output, const Buf *b)
{
    if (!output) {
        fwrite(b->data ? b->data : "", 1, b->len, stdout);
        return fflush(stdout) == 0 ? 0 : 3;
    }
    FILE *f = fopen(output, "wb");
    bool ok = f && fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
    if (f && fclose(f) != 0) ok = false;
    if (!ok) {
        fprintf(stderr, "sqlasync %s: %s: %s\n", cmd, output, strerror(errno));
        return 3;
    }
    return 0;
}
