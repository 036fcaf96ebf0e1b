/* report_plan.c: building the plan for a report, then Markdown (sections 7-10 and the Summary's
 * lines), JSON and DOT writers over it (see the header). */
#include "report_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "../model/category.h"
#include "report_md.h"

#define LIST_SHOWN 8 /* names listed in a sentence before "and N more" */

/* ---- building ------------------------------------------------------------------------------ */

static void first_cycle(PlanReport *pr)
{
    const DgGraph *g = &pr->graph;
    for (uint32_t c = 0; c < g->ncomps; c++) {
        if (g->comps[c].cycle != 0) continue;
        const DgNode *n = &g->nodes[g->comps[c].members[0]];
        pr->in.cycle_name = g->comps[c].name;
        pr->in.cycle_path = n->path, pr->in.cycle_line = n->line;
    }
}

static void est_files(PlanReport *pr, const Metrics *m)
{
    pr->files = xcalloc(m->nfiles + 1, sizeof *pr->files);
    for (uint32_t i = 0; i < m->nfiles; i++) {
        const MetFile *f = &m->files[i];
        pr->files[i] = (EstFile){f->path, (uint8_t)f->cat, f->is_python, f->to_modify,
                                 met_file_count(f, "sessions.mode.sync") +
                                     met_file_count(f, "sessions.mode.unknown")};
    }
}

void rp_build(PlanReport *pr, const Metrics *m, const RpInput *in)
{
    memset(pr, 0, sizeof *pr);
    dg_build_program(&pr->graph, in->prog, in->facts);
    est_files(pr, m);
    pr->in.files = pr->files, pr->in.nfiles = m->nfiles;
    pr->in.findings = m->findings, pr->in.nfindings = m->nfindings, pr->in.owner = m->owner;
    pr->in.cycles = pr->graph.ncycles;
    pr->params = xcalloc(in->nparams + 1, sizeof *pr->params); /* the caller's array may go */
    if (in->nparams) memcpy(pr->params, in->params, sizeof *pr->params * in->nparams);
    pr->in.params = pr->params, pr->in.nparams = in->nparams;
    first_cycle(pr);
    est_build(&pr->est, &pr->in);
    PhInput pi = {&pr->graph, &pr->est, &pr->in, (const FileFacts *const *)in->facts,
                  in->prog->nfiles};
    ph_build(&pr->plan, &pi);
}

void rp_free(PlanReport *pr)
{
    ph_free(&pr->plan);
    est_free(&pr->est);
    dg_free(&pr->graph);
    free(pr->files);
    free(pr->params);
    memset(pr, 0, sizeof *pr);
}

/* ---- Markdown helpers ---------------------------------------------------------------------- */

static void code(Buf *b, const char *s, unsigned flags)
{
    md_escape(b, s, strlen(s), MD_CODE | flags);
}

static void text(Buf *b, const char *s, unsigned flags)
{
    md_escape(b, s, strlen(s), flags & ~MD_CODE);
}

/* Text with `code` spans (rule summaries): plain parts escaped, code parts as code spans. */
static void rich(Buf *b, const char *s, unsigned flags)
{
    while (*s) {
        const char *open = strchr(s, '`');
        const char *close = open ? strchr(open + 1, '`') : NULL;
        if (!close) {
            text(b, s, flags);
            return;
        }
        md_escape(b, s, (size_t)(open - s), flags & ~MD_CODE);
        md_escape(b, open + 1, (size_t)(close - open - 1), flags | MD_CODE);
        s = close + 1;
    }
}

static void ref(Buf *b, const char *path, uint32_t line, unsigned flags)
{
    char tmp[32];
    Buf t;
    buf_init(&t);
    buf_puts(&t, path);
    if (line) {
        snprintf(tmp, sizeof tmp, ":%u", line);
        buf_puts(&t, tmp);
    }
    md_escape(b, t.data, t.len, MD_CODE | flags);
    buf_free(&t);
}

/* Points: at most two decimals, trailing zeros dropped ("44.5", "0.25", "48"). */
static void pts(Buf *b, double v)
{
    char s[64];
    snprintf(s, sizeof s, "%.2f", round(v * 100) / 100 + 0.0);
    char *end = s + strlen(s);
    while (end > s && end[-1] == '0')
        *--end = '\0';
    if (end > s && end[-1] == '.') end[-1] = '\0';
    buf_puts(b, strcmp(s, "-0") == 0 ? "0" : s);
}

/* Weeks: one decimal, two below one week (a small project is not "0.0 weeks"). */
static void wks(Buf *b, double v)
{
    if (round(v * 10) < 10)
        buf_printf(b, "%.2f", round(v * 100) / 100 + 0.0);
    else
        buf_printf(b, "%.1f", round(v * 10) / 10 + 0.0);
}

/* "N point" or "N points". */
static void pts_unit(Buf *b, double v)
{
    pts(b, v);
    buf_puts(b, round(v * 100) == 100 ? " point" : " points");
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

static void node_label(Buf *b, const DgNode *n, unsigned flags)
{
    code(b, n->name, flags);
    if (n->kind == DG_MODULE) buf_puts(b, " (module)");
}

/* ---- 2. summary lines ---------------------------------------------------------------------- */

static void holding_names(Buf *b, const Estimate *e)
{
    bool first = true;
    for (int k = 0; k < EST_RISK__COUNT; k++) {
        if (!e->risks[k].holds) continue;
        buf_puts(b, first ? ": " : ", ");
        text(b, e->risks[k].title, 0);
        first = false;
    }
}

void rp_md_summary(Buf *b, const PlanReport *pr)
{
    const Estimate *e = &pr->est;
    if (e->total <= 0) return;
    buf_puts(b, "- **Estimate:** **");
    wks(b, e->weeks);
    buf_puts(b, " weeks** (range ");
    wks(b, e->low);
    buf_puts(b, "–");
    wks(b, e->high);
    buf_puts(b, ") at ");
    pts(b, e->velocity);
    buf_puts(b, " points per week: ");
    pts(b, e->remaining);
    buf_puts(b, " points after `sqlasync fix`, ");
    pts(b, e->total);
    buf_puts(b, " by hand (see Estimate)\n- **Risk level:** **");
    buf_puts(b, est_level_name(e->level));
    buf_printf(b, "**, %u of %u risk rules hold%s", e->nholding, (unsigned)EST_RISK__COUNT,
               e->nholding == 1 ? "s" : "");
    holding_names(b, e);
    buf_puts(b, "\n");
}

/* ---- since the baseline -------------------------------------------------------------------- */

typedef struct RpRow {
    const char *key;   /* bl_number key, as in the JSON report's baseline.changes */
    const char *title; /* backticks delimit code */
} RpRow;

static double number_of(const Baseline *bl, const char *key)
{
    double v = 0;
    bl_number(bl, key, &v); /* absent from a report: zero then */
    return v;
}

static void since_row(Buf *b, const RpCompare *c, const char *key, const char *title)
{
    double old = number_of(c->old, key), now = number_of(c->cur, key);
    buf_puts(b, "| ");
    rich(b, title, MD_CELL);
    buf_puts(b, " | ");
    code(b, key, MD_CELL);
    buf_puts(b, " | ");
    pts(b, old);
    buf_puts(b, " | ");
    pts(b, now);
    buf_puts(b, " | ");
    md_change(b, old, now);
    buf_puts(b, " |\n");
}

static void since_head(Buf *b)
{
    buf_puts(b, "### Since the baseline\n\n| Number | Key | Baseline | Now | Change |\n"
                "|---|---|---:|---:|---:|\n");
}

/* Is there a baseline with numbers of that section ("estimate.")? A report from an older
 * sqlasync may have none: its numbers are not zeros, and no table is shown. */
static bool compared(const RpCompare *c, const char *prefix)
{
    return c && c->old && bl_has_prefix(c->old, prefix);
}

/* The table of rows[0..n), whose keys start with prefix (nothing without a baseline holding
 * that section). */
static void since_table(Buf *b, const RpCompare *c, const char *prefix, const RpRow *rows, size_t n)
{
    if (!compared(c, prefix)) return;
    since_head(b);
    for (size_t i = 0; i < n; i++)
        since_row(b, c, rows[i].key, rows[i].title);
    buf_puts(b, "\n");
}

static void order_since(Buf *b, const RpCompare *c)
{
    static const RpRow rows[] = {
        {"graph.counts.nodes", "classes and modules in the order"},
        {"graph.counts.edges", "dependencies between them"},
        {"graph.counts.components", "components"},
        {"graph.counts.cycles", "cycles"},
        {"graph.counts.waves", "waves"},
    };
    since_table(b, c, "graph.counts.", rows, sizeof rows / sizeof rows[0]);
}

static void estimate_since(Buf *b, const RpCompare *c)
{
    static const RpRow rows[] = {
        {"estimate.points", "points of the work by hand"},
        {"estimate.fix_removes", "points `sqlasync fix` removes"},
        {"estimate.remaining", "points after `sqlasync fix`"},
        {"estimate.weeks", "weeks"},
        {"estimate.weeks_low", "weeks, low end"},
        {"estimate.weeks_high", "weeks, high end"},
        {"estimate.risk_rules_holding", "risk rules holding"},
    };
    since_table(b, c, "estimate.", rows, sizeof rows / sizeof rows[0]);
}

static void strategies_since(Buf *b, const RpCompare *c, const Plan *p)
{
    if (!compared(c, "strategies.")) return;
    since_head(b);
    for (int k = 0; k < PH_STRAT__COUNT; k++) {
        const PhStrategy *s = &p->strategies[k];
        char key[96], title[160];
        snprintf(key, sizeof key, "strategies.%s.remaining", s->key);
        snprintf(title, sizeof title, "%s: points after `sqlasync fix`", s->title);
        since_row(b, c, key, title);
        snprintf(key, sizeof key, "strategies.%s.weeks", s->key);
        snprintf(title, sizeof title, "%s: weeks", s->title);
        since_row(b, c, key, title);
    }
    buf_puts(b, "\n");
}

/* ---- 7. dependency order ------------------------------------------------------------------- */

static uint32_t waves(const DgGraph *g)
{
    uint32_t w = 0;
    for (uint32_t c = 0; c < g->ncomps; c++)
        if (g->comps[c].level + 1 > w) w = g->comps[c].level + 1;
    return w;
}

static void members(Buf *b, const DgGraph *g, const DgComp *c, unsigned flags)
{
    for (uint32_t m = 0; m < c->n; m++) {
        if (m) buf_puts(b, " ↔ ");
        node_label(b, &g->nodes[c->members[m]], flags);
    }
}

static void comp_name(Buf *b, const DgGraph *g, const DgComp *c, unsigned flags)
{
    if (c->cycle >= 0) buf_printf(b, "cycle %d: ", c->cycle + 1);
    members(b, g, c, flags);
}

static void db_work_cell(Buf *b, const DgGraph *g, const DgComp *c)
{
    for (uint32_t m = 0; m < c->n; m++) {
        const DgNode *n = &g->nodes[c->members[m]];
        if (m) buf_puts(b, "; ");
        if (n->db_ops)
            buf_printf(b, "%u direct, from line %u", n->db_ops, n->db_line);
        else if (n->via >= 0) {
            buf_puts(b, "through ");
            code(b, g->nodes[n->via].name, MD_CELL);
        }
        if (n->is_db_layer) buf_puts(b, " (database layer)");
    }
}

static void order_row(Buf *b, const DgGraph *g, uint32_t k)
{
    const DgComp *c = &g->comps[k];
    buf_printf(b, "| %u | %u | ", k + 1, c->level + 1);
    comp_name(b, g, c, MD_CELL);
    buf_puts(b, " | ");
    for (uint32_t m = 0; m < c->n; m++) {
        const DgNode *n = &g->nodes[c->members[m]];
        if (m) buf_puts(b, ", ");
        ref(b, n->path, n->line, MD_CELL);
    }
    buf_puts(b, " | ");
    db_work_cell(b, g, c);
    buf_printf(b, " | %u | ", c->fan_in);
    for (uint32_t d = 0; d < c->ndeps; d++)
        buf_printf(b, "%s%u", d ? ", " : "", c->deps[d] + 1);
    buf_puts(b, c->ndeps ? " |\n" : "— |\n");
}

static const char *edge_phrase(DgEdgeKind k)
{
    switch (k) {
        case DG_EDGE_INIT_PARAM: return "constructor parameter";
        case DG_EDGE_INIT_INSTANCE: return "instance built in `__init__`";
        case DG_EDGE_ATTR: return "attribute";
        case DG_EDGE_PARAM: return "parameter";
        case DG_EDGE_CALL: return "call";
        case DG_EDGE_DEPENDS: return "`Depends()`";
        default: return "?";
    }
}

static void cycle_edges(Buf *b, const DgGraph *g, const DgComp *c)
{
    for (uint32_t i = 0; i < g->nedges; i++) {
        const DgEdge *e = &g->edges[i];
        if (g->nodes[e->from].comp != g->nodes[e->to].comp ||
            &g->comps[g->nodes[e->from].comp] != c)
            continue;
        buf_puts(b, "\n  - ");
        code(b, g->nodes[e->from].name, 0);
        buf_puts(b, " → ");
        code(b, g->nodes[e->to].name, 0);
        buf_puts(b, " at ");
        ref(b, g->nodes[e->from].path, e->line, 0);
        buf_puts(b, " ");
        code(b, e->text, 0);
        buf_puts(b, " (");
        rich(b, edge_phrase(e->kind), 0);
        if (e->count > 1) buf_printf(b, ", %u sites", e->count);
        buf_puts(b, ")");
    }
}

static void cycles(Buf *b, const DgGraph *g)
{
    if (!g->ncycles) return;
    buf_puts(b, "### Cycles\n\n");
    for (uint32_t k = 0; k < g->ncomps; k++) {
        const DgComp *c = &g->comps[k];
        if (c->cycle < 0) continue;
        buf_printf(b, "- **Cycle %d** (step %u, %u members): ", c->cycle + 1, k + 1, c->n);
        members(b, g, c, 0);
        buf_puts(b, "; switch its members together, or break one of these edges first:");
        cycle_edges(b, g, c);
        buf_puts(b, "\n");
    }
    buf_puts(b, "\n");
}

static void order_section(Buf *b, const PlanReport *pr, const RpCompare *cmp)
{
    const DgGraph *g = &pr->graph;
    if (!g->nnodes) return;
    buf_printf(b,
               "## Dependency order\n\n**%u** %s database work or depend%s on one that does "
               "(%u class%s, %u module%s, of %u examined), with **%u** dependenc%s between them",
               g->nnodes, g->nnodes == 1 ? "class or module does" : "classes and modules do",
               g->nnodes == 1 ? "s" : "", g->nclasses, g->nclasses == 1 ? "" : "es", g->nmodules,
               plural(g->nmodules), g->candidates, g->nedges, g->nedges == 1 ? "y" : "ies");
    buf_printf(b, "; condensed into **%u** component%s, **%u** of them %s, in **%u** wave%s. ",
               g->ncomps, plural(g->ncomps), g->ncycles, g->ncycles == 1 ? "a cycle" : "cycles",
               waves(g), plural(waves(g)));
    buf_puts(b, "Migrate them leaves first, in this order (components of one wave do not depend on "
                "each other):\n\n| Step | Wave | Component | Defined at | Database work | Fan-in | "
                "Depends on (steps) |\n|---:|---:|---|---|---|---:|---|\n");
    for (uint32_t k = 0; k < g->ncomps; k++)
        order_row(b, g, k);
    buf_puts(b, "\n");
    cycles(b, g);
    order_since(b, cmp);
}

/* ---- 8. estimate --------------------------------------------------------------------------- */

static void estimate_row(Buf *b, const EstRow *r)
{
    buf_puts(b, "| ");
    rich(b, est_row_title(r->key), MD_CELL);
    buf_puts(b, " | ");
    code(b, r->key, MD_CELL);
    buf_printf(b, " | %u | %u | ", r->count, r->files);
    pts(b, r->each);
    buf_puts(b, r->configured ? "\\* | " : " | ");
    pts(b, r->points);
    buf_puts(b, " | ");
    pts(b, r->fix_removes);
    if (r->safe + r->unsafe) buf_printf(b, " (%u safe, %u unsafe)", r->safe, r->unsafe);
    buf_puts(b, " | ");
    if (r->path) ref(b, r->path, r->line, MD_CELL);
    buf_puts(b, " |\n");
}

static void estimate_table(Buf *b, const Estimate *e)
{
    buf_puts(b, "| Work | Key | Count | Files | Points each | Points | `sqlasync fix` removes | "
                "First at |\n|---|---|---:|---:|---:|---:|---:|---|\n");
    for (uint32_t i = 0; i < e->nrows; i++)
        estimate_row(b, &e->rows[i]);
    buf_puts(b, "| **Total** | | | | | **");
    pts(b, e->total);
    buf_puts(b, "** | **");
    pts(b, e->fix_removes);
    buf_puts(b, "** | |\n\n");
}

static void risk_line(Buf *b, const EstRisk *r)
{
    buf_puts(b, r->holds ? "  - holds: **" : "  - does not hold: **");
    text(b, r->title, 0);
    buf_puts(b, "**");
    if (*r->codes) {
        buf_puts(b, " (");
        for (const char *c = r->codes; *c; c++)
            buf_puts(b, *c == ' ' ? ", " : (char[2]){*c, 0});
        buf_printf(b, "): %u finding%s", r->count, plural(r->count));
    } else if (strcmp(r->key, "dependency_cycles") == 0) {
        buf_printf(b, ": %u cycle%s", r->count, plural(r->count));
    } else {
        buf_printf(b, ": %u (holds from %u)", r->count, r->threshold);
    }
    if (r->detail) {
        buf_puts(b, ", ");
        code(b, r->detail, 0);
    }
    if (r->path) {
        buf_puts(b, r->detail ? " at " : ", first at ");
        ref(b, r->path, r->line, 0);
    }
    buf_puts(b, "\n");
}

static void weeks_lines(Buf *b, const Estimate *e)
{
    buf_puts(b, "- **After `sqlasync fix`:** ");
    pts(b, e->total);
    buf_puts(b, " − ");
    pts(b, e->fix_removes);
    buf_puts(b, " = **");
    pts(b, e->remaining);
    buf_puts(b, "** points (a fixed finding keeps ");
    pts(b, e->review_safe * 100);
    buf_puts(b, "% of its points for review when the fix is safe, ");
    pts(b, e->review_unsafe * 100);
    buf_puts(b, "% when it is unsafe)\n- **Weeks:** ");
    pts(b, e->remaining);
    buf_puts(b, " / ");
    pts(b, e->velocity);
    buf_puts(b, " = **");
    wks(b, e->weeks);
    buf_puts(b, "** weeks; by hand ");
    pts(b, e->total);
    buf_puts(b, " / ");
    pts(b, e->velocity);
    buf_puts(b, " = ");
    wks(b, e->weeks_by_hand);
    buf_puts(b, " weeks\n- **Range:** ");
    wks(b, e->weeks);
    buf_puts(b, " × (1 ± ");
    pts(b, e->spread);
    buf_puts(b, ") = **");
    wks(b, e->low);
    buf_puts(b, "–");
    wks(b, e->high);
    buf_printf(b, "** weeks, the spread for risk level %s\n", est_level_name(e->level));
}

static void risk_lines(Buf *b, const Estimate *e)
{
    buf_printf(b,
               "- **Risk level: %s**, %u of %u risk rules hold%s (medium from %u, high from %u, "
               "very high from %u):\n",
               est_level_name(e->level), e->nholding, (unsigned)EST_RISK__COUNT,
               e->nholding == 1 ? "s" : "", e->level_at[EST_MEDIUM], e->level_at[EST_HIGH],
               e->level_at[EST_VERY_HIGH]);
    for (int k = 0; k < EST_RISK__COUNT; k++)
        risk_line(b, &e->risks[k]);
    for (uint32_t i = 0; i < e->nunknown; i++) {
        buf_puts(b, i ? ", " : "- **Ignored in `[tool.sqlasync.estimate]`:** ");
        code(b, e->unknown[i], 0);
    }
    if (e->nunknown) buf_puts(b, "\n");
}

static void estimate_section(Buf *b, const PlanReport *pr, const RpCompare *cmp)
{
    const Estimate *e = &pr->est;
    if (e->total <= 0) return;
    buf_puts(b, "## Estimate\n\nPoints per kind of work, at a velocity of **");
    pts(b, e->velocity);
    buf_puts(b, e->velocity_configured ? "** points per week (configured)"
                                       : "** points per week (default)");
    buf_puts(b, "; defaults and their calibration in `docs/estimate.md`, a value set in "
                "`[tool.sqlasync.estimate]` is marked \\*.\n\n");
    estimate_table(b, e);
    weeks_lines(b, e);
    risk_lines(b, e);
    buf_puts(b, "\n");
    estimate_since(b, cmp);
}

/* ---- 9. plan ------------------------------------------------------------------------------- */

static uint32_t shown_phases(const Plan *p, uint32_t *number)
{
    uint32_t n = 0;
    for (int k = 0; k < PH__COUNT; k++) {
        const Phase *ph = &p->phases[k];
        number[k] = ph->nfiles || ph->nsteps ? ++n : 0;
    }
    return n;
}

static void phase_row(Buf *b, const Phase *ph, uint32_t number)
{
    buf_printf(b, "| %u. ", number);
    rich(b, ph->title, MD_CELL);
    buf_printf(b, " | %u | %u | %u | ", ph->nsteps, ph->nfiles, ph->findings);
    pts(b, ph->points);
    buf_puts(b, " | ");
    pts(b, ph->remaining);
    buf_puts(b, " | ");
    wks(b, ph->weeks);
    buf_puts(b, " | ");
    wks(b, ph->start);
    buf_puts(b, "–");
    wks(b, ph->end);
    buf_puts(b, " |\n");
}

static void step_line(Buf *b, const DgGraph *g, uint32_t k, bool needed_by_core)
{
    const DgComp *c = &g->comps[k];
    buf_printf(b, "- Step %u (wave %u): ", k + 1, c->level + 1);
    comp_name(b, g, c, 0);
    buf_puts(b, " at ");
    for (uint32_t m = 0; m < c->n; m++) {
        const DgNode *n = &g->nodes[c->members[m]];
        if (m) buf_puts(b, ", ");
        ref(b, n->path, n->line, 0);
    }
    buf_printf(b, ", fan-in %u", c->fan_in);
    if (needed_by_core) buf_puts(b, " (a dependency of core services)");
    buf_puts(b, "\n");
}

static void file_line(Buf *b, const PhFile *f)
{
    buf_puts(b, "- ");
    ref(b, f->path, f->line, 0);
    const char *sep = " — ";
    if (*f->codes) {
        buf_puts(b, sep);
        text(b, f->codes, 0);
        sep = "; ";
    }
    if (f->home) {
        buf_printf(b, "%sthe file's own work", sep);
        if (f->sessions) buf_printf(b, " and %u session%s", f->sessions, plural(f->sessions));
        sep = "; ";
    }
    if (f->cleanup) buf_printf(b, "%ssync engine or session factory removed", sep);
    buf_puts(b, ": ");
    pts_unit(b, f->points);
    if (f->fix_removes > 0) {
        buf_puts(b, ", ");
        pts(b, f->remaining);
        buf_puts(b, " after `sqlasync fix`");
    }
    buf_puts(b, "\n");
}

static void name_list(Buf *b, const DgGraph *g, const uint32_t *nodes, uint32_t n)
{
    for (uint32_t i = 0; i < n && i < LIST_SHOWN; i++) {
        if (i) buf_puts(b, ", ");
        code(b, g->nodes[nodes[i]].name, 0);
    }
    if (n > LIST_SHOWN) buf_printf(b, " and %u more", n - LIST_SHOWN);
}

/* Computed facts particular to a phase, before its steps and files. */
static void phase_notes(Buf *b, const PlanReport *pr, const Phase *ph)
{
    const Plan *p = &pr->plan;
    if (ph->kind == PH_ASYNC_ENGINE && p->nasync_engines) {
        buf_puts(b, "Async engine already created at ");
        for (uint32_t i = 0; i < p->nasync_engines; i++) {
            if (i) buf_puts(b, ", ");
            ref(b, pr->files[p->async_engines[i]].path, p->async_lines[i], 0);
        }
        buf_puts(b, ".\n\n");
    }
    const PhStrategy *h = &p->strategies[PH_STRAT_HYBRID];
    if (ph->kind == PH_WORKER && h->applicable && h->nshared) {
        buf_printf(b, "The worker shares %u service%s with async code: ", h->nshared,
                   plural(h->nshared));
        name_list(b, &pr->graph, h->shared, h->nshared);
        buf_puts(b, "; section Strategies compares keeping it sync.\n\n");
    }
    if (ph->fix_removes > 0) {
        buf_puts(b, "`sqlasync fix` removes ");
        pts(b, ph->fix_removes);
        buf_puts(b, " of ");
        pts(b, ph->points);
        buf_puts(b, " points here.\n\n");
    }
}

static void phase_detail(Buf *b, const PlanReport *pr, const Phase *ph, uint32_t number)
{
    buf_printf(b, "### Phase %u: ", number);
    rich(b, ph->title, 0);
    buf_puts(b, " (weeks ");
    wks(b, ph->start);
    buf_puts(b, "–");
    wks(b, ph->end);
    buf_puts(b, ")\n\n");
    phase_notes(b, pr, ph);
    for (uint32_t s = 0; s < ph->nsteps; s++) {
        const DgComp *c = &pr->graph.comps[ph->steps[s]];
        step_line(b, &pr->graph, ph->steps[s],
                  ph->kind == PH_CORE && c->fan_in < pr->plan.core_fan_in);
    }
    if (ph->nsteps) buf_puts(b, "\n");
    for (uint32_t i = 0; i < ph->nfiles; i++)
        file_line(b, &ph->files[i]);
    if (ph->nfiles) buf_puts(b, "\n");
}

static void plan_section(Buf *b, const PlanReport *pr)
{
    const Plan *p = &pr->plan;
    uint32_t number[PH__COUNT];
    if (!shown_phases(p, number)) return;
    buf_puts(b, "## Plan\n\nEach phase holds the estimate's points for its work, so the phases add "
                "up to ");
    pts(b, pr->est.remaining);
    buf_puts(b, " points after `sqlasync fix`; weeks at ");
    pts(b, pr->est.velocity);
    buf_puts(b, " points per week, one phase after another.\n\n| Phase | Steps | Files | "
                "Findings | Points | After `sqlasync fix` | Weeks | Calendar (weeks) |\n"
                "|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (int k = 0; k < PH__COUNT; k++)
        if (number[k]) phase_row(b, &p->phases[k], number[k]);
    buf_puts(b, "\n");
    for (int k = 0; k < PH__COUNT; k++)
        if (number[k]) phase_detail(b, pr, &p->phases[k], number[k]);
}

/* ---- 10. strategies ------------------------------------------------------------------------ */

static void strategy_row(Buf *b, const PlanReport *pr, const PhStrategy *s)
{
    buf_puts(b, "| ");
    text(b, s->title, MD_CELL);
    if (!s->applicable) {
        buf_puts(b, " | — | — | — | — | not applicable |\n");
        return;
    }
    buf_puts(b, " | ");
    pts(b, s->remaining);
    buf_puts(b, " | ");
    wks(b, s->weeks);
    buf_puts(b, " | ");
    wks(b, s->low);
    buf_puts(b, "–");
    wks(b, s->high);
    buf_printf(b, " | %s (%u rule%s) | ", est_level_name(s->level), s->holding, plural(s->holding));
    for (uint32_t i = 0; i < s->nsync_files; i++) {
        if (i) buf_puts(b, ", ");
        code(b, pr->files[s->sync_files[i]].path, MD_CELL);
    }
    buf_puts(b, s->nsync_files ? " |\n" : "— |\n");
}

static void hybrid_text(Buf *b, const PlanReport *pr, const PhStrategy *s)
{
    const Estimate *e = &pr->est;
    buf_puts(b, "- **Hybrid (worker stays sync):** ");
    pts(b, e->remaining);
    buf_puts(b, " − ");
    pts(b, s->saved);
    buf_puts(b, " (kept sync: ");
    for (uint32_t i = 0; i < s->nsync_files; i++) {
        if (i) buf_puts(b, ", ");
        code(b, pr->files[s->sync_files[i]].path, 0);
    }
    for (uint32_t i = 0; i < s->nkept_engines; i++) {
        buf_puts(b, i || s->nsync_files ? ", " : "");
        buf_puts(b, "the sync engine of ");
        code(b, pr->files[s->kept_engines[i]].path, 0);
    }
    buf_puts(b, ")");
    if (s->nshared_files) {
        buf_puts(b, " + ");
        pts(b, s->added);
        buf_printf(b, " (%u file%s holding ", s->nshared_files, plural(s->nshared_files));
        name_list(b, &pr->graph, s->shared, s->nshared);
        buf_puts(b, ", which the worker shares with async code, keep a sync path: ");
        pts(b, est_param(e, "hybrid_shared"));
        buf_puts(b, " × their points)");
    }
    buf_puts(b, " = ");
    pts_unit(b, s->remaining);
    buf_printf(b, "; the worker-threads rule no longer holds: risk %s\n", est_level_name(s->level));
}

static void v2_text(Buf *b, const PlanReport *pr, const PhStrategy *s)
{
    const Estimate *e = &pr->est;
    const Plan *p = &pr->plan;
    buf_puts(b, "- **2.0-first:** a 2.0 project under sync first: ");
    pts(b, p->phases[PH_SELECT].remaining);
    buf_puts(b, " (`select()` phase) + ");
    pts(b, p->phases[PH_LOADING].remaining);
    buf_puts(b, " (loading phase) + ");
    pts(b, est_param(e, "second_pass"));
    buf_puts(b, " × ");
    pts(b, est_param(e, "file"));
    buf_printf(b, " × %u Python file%s opened again by the async project = ", s->pass1_python,
               plural(s->pass1_python));
    pts_unit(b, s->pass1);
    buf_puts(b, ", ");
    wks(b, s->pass1_weeks);
    buf_printf(b, " weeks at risk %s; then the async project: ", est_level_name(s->pass1_level));
    pts_unit(b, s->pass2);
    buf_puts(b, ", ");
    wks(b, s->pass2_weeks);
    buf_printf(b, " weeks at risk %s\n", est_level_name(s->level));
}

static void strategies_section(Buf *b, const PlanReport *pr, const RpCompare *cmp)
{
    const Plan *p = &pr->plan;
    if (pr->est.total <= 0) return;
    buf_puts(b, "## Strategies compared\n\n| Strategy | Points after `sqlasync fix` | Weeks | "
                "Range | Risk | Stays sync |\n|---|---:|---:|---|---|---|\n");
    for (int k = 0; k < PH_STRAT__COUNT; k++)
        strategy_row(b, pr, &p->strategies[k]);
    buf_puts(b, "\n- **Full async:** the plan above, ");
    pts_unit(b, pr->est.remaining);
    buf_puts(b, "\n");
    const PhStrategy *h = &p->strategies[PH_STRAT_HYBRID];
    if (h->applicable)
        hybrid_text(b, pr, h);
    else
        buf_puts(b, "- **Hybrid (worker stays sync):** not applicable: no thread or thread pool "
                    "in a class or module doing database work\n");
    const PhStrategy *v = &p->strategies[PH_STRAT_V2_FIRST];
    if (v->applicable) v2_text(b, pr, v);
    buf_puts(b, "\n");
    strategies_since(b, cmp, p);
}

void rp_md_sections(Buf *b, const PlanReport *pr, const RpCompare *cmp)
{
    order_section(b, pr, cmp);
    estimate_section(b, pr, cmp);
    plan_section(b, pr);
    strategies_section(b, pr, cmp);
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static double r2(double v)
{
    return round(v * 100) / 100 + 0.0;
}

static void kv_num(JsonWriter *w, const char *k, double v)
{
    json_w_key(w, k);
    json_w_double(w, r2(v));
}

static void json_chain(JsonWriter *w, const DgGraph *g, uint32_t i)
{
    json_w_key(w, "chain");
    json_w_begin_array(w);
    for (int32_t v = g->nodes[i].via; v >= 0; v = g->nodes[v].via)
        json_w_str(w, g->nodes[v].id);
    json_w_end_array(w);
}

static void json_node(JsonWriter *w, const DgGraph *g, uint32_t i)
{
    const DgNode *n = &g->nodes[i];
    json_w_begin_object(w);
    json_w_kv_str(w, "id", n->id);
    json_w_kv_str(w, "name", n->name);
    json_w_kv_str(w, "kind", n->kind == DG_CLASS ? "class" : "module");
    json_w_kv_str(w, "path", n->path);
    json_w_kv_uint(w, "line", n->line);
    json_w_kv_uint(w, "db_ops", n->db_ops);
    json_w_kv_uint(w, "db_line", n->db_line);
    json_w_kv_bool(w, "database_layer", n->is_db_layer);
    json_w_kv_bool(w, "routes", n->has_routes);
    json_w_kv_bool(w, "background_loops", n->has_loops);
    json_w_kv_bool(w, "threads", n->has_threads);
    json_w_kv_bool(w, "async", n->has_async);
    json_w_kv_uint(w, "fan_in", n->fan_in);
    json_w_kv_uint(w, "fan_out", n->fan_out);
    json_w_kv_uint(w, "step", n->comp + 1);
    json_chain(w, g, i);
    json_w_end_object(w);
}

static void json_edge(JsonWriter *w, const DgGraph *g, const DgEdge *e)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "from", g->nodes[e->from].id);
    json_w_kv_str(w, "to", g->nodes[e->to].id);
    json_w_kv_str(w, "kind", dg_edge_kind_name(e->kind));
    json_w_kv_str(w, "path", g->nodes[e->from].path);
    json_w_kv_uint(w, "line", e->line);
    json_w_kv_str(w, "text", e->text);
    json_w_kv_uint(w, "sites", e->count);
    json_w_end_object(w);
}

static void json_members(JsonWriter *w, const DgGraph *g, const DgComp *c)
{
    json_w_key(w, "members");
    json_w_begin_array(w);
    for (uint32_t m = 0; m < c->n; m++)
        json_w_str(w, g->nodes[c->members[m]].id);
    json_w_end_array(w);
}

static void json_step(JsonWriter *w, const DgGraph *g, uint32_t k)
{
    const DgComp *c = &g->comps[k];
    json_w_begin_object(w);
    json_w_kv_uint(w, "step", k + 1);
    json_w_kv_uint(w, "wave", c->level + 1);
    json_w_kv_str(w, "name", c->name);
    json_members(w, g, c);
    json_w_key(w, "cycle");
    if (c->cycle >= 0)
        json_w_uint(w, (uint64_t)c->cycle + 1);
    else
        json_w_null(w);
    json_w_kv_uint(w, "fan_in", c->fan_in);
    json_w_key(w, "depends_on");
    json_w_begin_array(w);
    for (uint32_t d = 0; d < c->ndeps; d++)
        json_w_uint(w, c->deps[d] + 1);
    json_w_end_array(w);
    json_w_end_object(w);
}

static void json_cycle(JsonWriter *w, const DgGraph *g, uint32_t k)
{
    const DgComp *c = &g->comps[k];
    json_w_begin_object(w);
    json_w_kv_uint(w, "cycle", (uint64_t)c->cycle + 1);
    json_w_kv_uint(w, "step", k + 1);
    json_w_kv_str(w, "name", c->name);
    json_members(w, g, c);
    json_w_key(w, "edges");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < g->nedges; i++)
        if (g->nodes[g->edges[i].from].comp == k && g->nodes[g->edges[i].to].comp == k)
            json_edge(w, g, &g->edges[i]);
    json_w_end_array(w);
    json_w_end_object(w);
}

static void json_graph_counts(JsonWriter *w, const DgGraph *g)
{
    json_w_key(w, "counts");
    json_w_begin_object(w);
    json_w_kv_uint(w, "examined", g->candidates);
    json_w_kv_uint(w, "nodes", g->nnodes);
    json_w_kv_uint(w, "classes", g->nclasses);
    json_w_kv_uint(w, "modules", g->nmodules);
    json_w_kv_uint(w, "edges", g->nedges);
    json_w_kv_uint(w, "components", g->ncomps);
    json_w_kv_uint(w, "cycles", g->ncycles);
    json_w_kv_uint(w, "waves", waves(g));
    json_w_end_object(w);
}

/* "graph" and "order", as the report and `sqlasync graph --format json` write them. */
static void json_graph_keys(JsonWriter *w, const DgGraph *g)
{
    json_w_key(w, "graph");
    json_w_begin_object(w);
    json_graph_counts(w, g);
    json_w_key(w, "nodes");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < g->nnodes; i++)
        json_node(w, g, i);
    json_w_end_array(w);
    json_w_key(w, "edges");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < g->nedges; i++)
        json_edge(w, g, &g->edges[i]);
    json_w_end_array(w);
    json_w_key(w, "cycles");
    json_w_begin_array(w);
    for (uint32_t k = 0; k < g->ncomps; k++)
        if (g->comps[k].cycle >= 0) json_cycle(w, g, k);
    json_w_end_array(w);
    json_w_end_object(w);
    json_w_key(w, "order");
    json_w_begin_array(w);
    for (uint32_t k = 0; k < g->ncomps; k++)
        json_step(w, g, k);
    json_w_end_array(w);
}

static void json_row(JsonWriter *w, const EstRow *r)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "key", r->key);
    json_w_kv_str(w, "title", est_row_title(r->key));
    json_w_kv_uint(w, "count", r->count);
    json_w_kv_uint(w, "files", r->files);
    kv_num(w, "points_each", r->each);
    json_w_kv_bool(w, "configured", r->configured);
    kv_num(w, "points", r->points);
    json_w_kv_uint(w, "safe_fixes", r->safe);
    json_w_kv_uint(w, "unsafe_fixes", r->unsafe);
    kv_num(w, "fix_removes", r->fix_removes);
    json_w_kv_str(w, "path", r->path);
    json_w_kv_uint(w, "line", r->line);
    json_w_end_object(w);
}

static void json_risk(JsonWriter *w, const EstRisk *r)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "key", r->key);
    json_w_kv_str(w, "title", r->title);
    json_w_key(w, "codes");
    json_w_begin_array(w);
    char codes[64];
    snprintf(codes, sizeof codes, "%s", r->codes);
    for (char *c = strtok(codes, " "); c; c = strtok(NULL, " "))
        json_w_str(w, c);
    json_w_end_array(w);
    json_w_kv_bool(w, "holds", r->holds);
    json_w_kv_uint(w, "count", r->count);
    json_w_kv_uint(w, "threshold", r->threshold);
    json_w_kv_str(w, "detail", r->detail);
    json_w_kv_str(w, "path", r->path);
    json_w_kv_uint(w, "line", r->line);
    json_w_end_object(w);
}

static void json_estimate_numbers(JsonWriter *w, const Estimate *e)
{
    kv_num(w, "velocity", e->velocity);
    json_w_kv_bool(w, "velocity_configured", e->velocity_configured);
    kv_num(w, "points", e->total);
    kv_num(w, "fix_removes", e->fix_removes);
    kv_num(w, "remaining", e->remaining);
    kv_num(w, "review_safe", e->review_safe);
    kv_num(w, "review_unsafe", e->review_unsafe);
    kv_num(w, "weeks", e->weeks);
    kv_num(w, "weeks_by_hand", e->weeks_by_hand);
    kv_num(w, "spread", e->spread);
    kv_num(w, "weeks_low", e->low);
    kv_num(w, "weeks_high", e->high);
    json_w_kv_str(w, "risk_level", est_level_name(e->level));
    json_w_kv_uint(w, "risk_rules_holding", e->nholding);
}

static void json_estimate(JsonWriter *w, const Estimate *e)
{
    json_w_key(w, "estimate");
    json_w_begin_object(w);
    json_estimate_numbers(w, e);
    json_w_key(w, "rows");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < e->nrows; i++)
        json_row(w, &e->rows[i]);
    json_w_end_array(w);
    json_w_key(w, "risks");
    json_w_begin_array(w);
    for (int k = 0; k < EST_RISK__COUNT; k++)
        json_risk(w, &e->risks[k]);
    json_w_end_array(w);
    json_w_key(w, "ignored_keys");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < e->nunknown; i++)
        json_w_str(w, e->unknown[i]);
    json_w_end_array(w);
    json_w_end_object(w);
}

static void json_phase_file(JsonWriter *w, const PhFile *f)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "path", f->path);
    json_w_kv_uint(w, "line", f->line);
    json_w_kv_str(w, "codes", f->codes);
    json_w_kv_uint(w, "findings", f->findings);
    json_w_kv_bool(w, "own_work", f->home);
    json_w_kv_uint(w, "sessions", f->sessions);
    json_w_kv_bool(w, "sync_removal", f->cleanup);
    kv_num(w, "points", f->points);
    kv_num(w, "remaining", f->remaining);
    json_w_end_object(w);
}

static void json_phase(JsonWriter *w, const Phase *ph)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "key", ph->key);
    json_w_kv_str(w, "title", ph->title);
    kv_num(w, "points", ph->points);
    kv_num(w, "fix_removes", ph->fix_removes);
    kv_num(w, "remaining", ph->remaining);
    kv_num(w, "weeks", ph->weeks);
    kv_num(w, "start_week", ph->start);
    kv_num(w, "end_week", ph->end);
    json_w_kv_uint(w, "findings", ph->findings);
    json_w_key(w, "steps");
    json_w_begin_array(w);
    for (uint32_t s = 0; s < ph->nsteps; s++)
        json_w_uint(w, ph->steps[s] + 1);
    json_w_end_array(w);
    json_w_key(w, "files");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < ph->nfiles; i++)
        json_phase_file(w, &ph->files[i]);
    json_w_end_array(w);
    json_w_end_object(w);
}

static void json_paths(JsonWriter *w, const char *key, const PlanReport *pr, const uint32_t *f,
                       uint32_t n)
{
    json_w_key(w, key);
    json_w_begin_array(w);
    for (uint32_t i = 0; i < n; i++)
        json_w_str(w, pr->files[f[i]].path);
    json_w_end_array(w);
}

static void json_strategy(JsonWriter *w, const PlanReport *pr, const PhStrategy *s)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "key", s->key);
    json_w_kv_str(w, "title", s->title);
    json_w_kv_bool(w, "applicable", s->applicable);
    kv_num(w, "remaining", s->remaining);
    kv_num(w, "weeks", s->weeks);
    kv_num(w, "weeks_low", s->low);
    kv_num(w, "weeks_high", s->high);
    json_w_kv_str(w, "risk_level", est_level_name(s->level));
    json_w_kv_uint(w, "risk_rules_holding", s->holding);
    kv_num(w, "saved", s->saved);
    kv_num(w, "added", s->added);
    json_paths(w, "sync_files", pr, s->sync_files, s->nsync_files);
    json_paths(w, "shared_files", pr, s->shared_files, s->nshared_files);
    json_w_key(w, "shared_nodes");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < s->nshared; i++)
        json_w_str(w, pr->graph.nodes[s->shared[i]].id);
    json_w_end_array(w);
    kv_num(w, "pass1", s->pass1);
    kv_num(w, "pass1_weeks", s->pass1_weeks);
    json_w_kv_uint(w, "pass1_files", s->pass1_files);
    json_w_kv_str(w, "pass1_risk_level", est_level_name(s->pass1_level));
    kv_num(w, "pass2", s->pass2);
    kv_num(w, "pass2_weeks", s->pass2_weeks);
    json_w_end_object(w);
}

void rp_json(JsonWriter *w, const PlanReport *pr)
{
    json_graph_keys(w, &pr->graph);
    json_estimate(w, &pr->est);
    json_w_key(w, "plan");
    json_w_begin_object(w);
    kv_num(w, "core_fan_in", pr->plan.core_fan_in);
    json_w_key(w, "phases");
    json_w_begin_array(w);
    for (int k = 0; k < PH__COUNT; k++)
        json_phase(w, &pr->plan.phases[k]);
    json_w_end_array(w);
    json_w_end_object(w);
    json_w_key(w, "strategies");
    json_w_begin_array(w);
    for (int k = 0; k < PH_STRAT__COUNT; k++)
        json_strategy(w, pr, &pr->plan.strategies[k]);
    json_w_end_array(w);
}

/* ---- `sqlasync graph` ---------------------------------------------------------------------- */

void rp_graph_json(Buf *b, const DgGraph *g, const char *root, const char *version)
{
    JsonWriter w;
    json_w_init(&w, b);
    json_w_begin_object(&w);
    json_w_kv_uint(&w, "schema_version", 1);
    json_w_key(&w, "tool");
    json_w_begin_object(&w);
    json_w_kv_str(&w, "name", "sqlasync");
    json_w_kv_str(&w, "version", version);
    json_w_end_object(&w);
    json_w_kv_str(&w, "root", root);
    json_graph_keys(&w, g);
    json_w_end_object(&w);
    json_w_finish(&w);
}

/* The one DOT escaping function: s as a quoted ID, '"' and '\' escaped, line breaks as \n. */
static void dot_escape(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '\n') {
            buf_puts(b, "\\n");
            continue;
        }
        if (*s == '"' || *s == '\\') buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void dot_node(Buf *b, const DgGraph *g, uint32_t i, const char *indent)
{
    const DgNode *n = &g->nodes[i];
    char label[600];
    snprintf(label, sizeof label, "%s%s\n%s:%u\nstep %u, fan-in %u", n->name,
             n->kind == DG_MODULE ? " (module)" : "", n->path, n->line, n->comp + 1, n->fan_in);
    buf_puts(b, indent);
    dot_escape(b, n->id);
    buf_puts(b, " [label=");
    dot_escape(b, label);
    if (n->kind == DG_MODULE) buf_puts(b, ", shape=note");
    if (n->db_ops) buf_puts(b, ", peripheries=2");
    buf_puts(b, "];\n");
}

static void dot_cycles(Buf *b, const DgGraph *g)
{
    for (uint32_t k = 0; k < g->ncomps; k++) {
        const DgComp *c = &g->comps[k];
        if (c->cycle < 0) continue;
        char label[600];
        snprintf(label, sizeof label, "cycle %d: %s", c->cycle + 1, c->name);
        buf_printf(b, "  subgraph cluster_cycle%d {\n    label=", c->cycle + 1);
        dot_escape(b, label);
        buf_puts(b, ";\n    style=dashed;\n");
        for (uint32_t m = 0; m < c->n; m++)
            dot_node(b, g, c->members[m], "    ");
        buf_puts(b, "  }\n");
    }
}

void rp_graph_dot(Buf *b, const DgGraph *g, const char *root)
{
    buf_puts(b, "// sqlasync graph: classes and modules doing database work; an edge points from a "
                "user to what it uses (migrate its head first)\ndigraph sqlasync {\n  label=");
    dot_escape(b, root);
    buf_puts(b, ";\n  node [shape=box];\n");
    dot_cycles(b, g);
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (g->comps[g->nodes[i].comp].cycle < 0) dot_node(b, g, i, "  ");
    for (uint32_t i = 0; i < g->nedges; i++) {
        const DgEdge *e = &g->edges[i];
        buf_puts(b, "  ");
        dot_escape(b, g->nodes[e->from].id);
        buf_puts(b, " -> ");
        dot_escape(b, g->nodes[e->to].id);
        buf_puts(b, " [label=");
        dot_escape(b, dg_edge_kind_name(e->kind));
        buf_puts(b, "];\n");
    }
    buf_puts(b, "}\n");
}
