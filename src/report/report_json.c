/* report_json.c: the JSON report, one function per top-level key (see the header).
 *
 * The baseline comparison reuses the baseline reader on the report's own "totals" and
 * "categories": both sides are then flattened by the same code into the same dotted keys, so
 * every number of either report is compared and none is missed. */
#include "report_json.h"

#include <stdio.h>
#include <string.h>

#include "../base/json.h"
#include "../rules/graph_rules.h"
#include "report_plan.h"

/* ---- totals -------------------------------------------------------------------------------- */

static void totals_counts(JsonWriter *w, const Metrics *m)
{
    json_w_key(w, "counts");
    json_w_begin_object(w);
    for (uint32_t i = 0; i < m->ntotals; i++) {
        json_w_key(w, m->totals[i].key);
        json_w_begin_object(w);
        json_w_kv_uint(w, "instances", m->totals[i].instances);
        json_w_kv_uint(w, "files", m->totals[i].files);
        json_w_end_object(w);
    }
    json_w_end_object(w);
}

static void totals_items(JsonWriter *w, const Metrics *m)
{
    json_w_key(w, "architecture");
    json_w_begin_object(w);
    for (int i = 0; i < MET_ITEM__COUNT; i++) {
        json_w_key(w, m->items[i].key);
        json_w_begin_object(w);
        json_w_kv_uint(w, "done", m->items[i].ndone);
        json_w_kv_uint(w, "todo", m->items[i].ntodo);
        json_w_end_object(w);
    }
    json_w_end_object(w);
    json_w_key(w, "critical");
    json_w_begin_object(w);
    for (int g = 0; g < MET_GROUP__COUNT; g++) {
        json_w_key(w, m->groups[g].key);
        json_w_begin_object(w);
        json_w_kv_uint(w, "findings", m->groups[g].n);
        json_w_kv_uint(w, "files", m->groups[g].nfiles);
        json_w_end_object(w);
    }
    json_w_end_object(w);
}

static void totals(JsonWriter *w, const Metrics *m)
{
    json_w_key(w, "totals");
    json_w_begin_object(w);
    json_w_kv_uint(w, "python_files", m->python_files);
    json_w_kv_uint(w, "parsed_files", m->parsed_files);
    json_w_kv_uint(w, "skipped_files", m->skipped_files);
    json_w_kv_uint(w, "lines", m->lines);
    json_w_kv_uint(w, "files_with_db_access", m->files_db);
    json_w_kv_uint(w, "files_to_modify", m->files_modify);
    json_w_kv_uint(w, "config_files_to_modify", m->config_files_modify);
    json_w_kv_uint(w, "files_importing_select", m->files_select);
    json_w_kv_uint(w, "findings", m->findings_total);
    json_w_kv_uint(w, "fixable_findings", m->findings_fixable);
    json_w_kv_uint(w, "safe_fixes", m->findings_safe);
    totals_counts(w, m);
    totals_items(w, m);
    json_w_end_object(w);
}

static void categories(JsonWriter *w, const Metrics *m)
{
    json_w_key(w, "categories");
    json_w_begin_object(w);
    for (int c = 0; c < FCAT__COUNT; c++) {
        const MetCategory *mc = &m->cats[c];
        json_w_key(w, cat_name((FileCategory)c));
        json_w_begin_object(w);
        json_w_kv_str(w, "title", cat_title((FileCategory)c));
        json_w_kv_uint(w, "files", mc->files);
        json_w_kv_uint(w, "lines", mc->lines);
        json_w_kv_uint(w, "files_with_db_access", mc->db_files);
        json_w_kv_uint(w, "files_to_modify", mc->modify_files);
        json_w_key(w, "paths");
        json_w_begin_array(w);
        for (uint32_t i = 0; i < mc->files; i++)
            json_w_str(w, mc->paths[i]);
        json_w_end_array(w);
        json_w_end_object(w);
    }
    json_w_end_object(w);
}

/* ---- files --------------------------------------------------------------------------------- */

static void file_entry(JsonWriter *w, const MetFile *f)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "path", f->path);
    json_w_kv_bool(w, "python", f->is_python);
    json_w_kv_str(w, "category", f->is_python ? cat_name(f->cat) : NULL);
    json_w_kv_uint(w, "lines", f->lines);
    json_w_kv_bool(w, "parsed", f->parsed);
    if (f->skip_reason) json_w_kv_str(w, "skip_reason", f->skip_reason);
    json_w_kv_bool(w, "db_access", f->db_access);
    json_w_kv_bool(w, "to_modify", f->to_modify);
    json_w_kv_bool(w, "imports_select", f->imports_select);
    json_w_kv_uint(w, "findings", f->nfindings);
    json_w_kv_uint(w, "fixable_findings", f->nfixable);
    json_w_key(w, "counts");
    json_w_begin_object(w);
    for (uint32_t i = 0; i < f->ncounts; i++)
        json_w_kv_uint(w, f->counts[i].key, f->counts[i].n);
    json_w_end_object(w);
    json_w_end_object(w);
}

static void files(JsonWriter *w, const Metrics *m)
{
    json_w_key(w, "files");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < m->nfiles; i++)
        file_entry(w, &m->files[i]);
    json_w_end_array(w);
}

/* ---- architecture and critical findings ---------------------------------------------------- */

static void item(JsonWriter *w, const MetItem *it)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "key", it->key);
    json_w_kv_str(w, "title", it->title);
    json_w_kv_uint(w, "done", it->ndone);
    json_w_kv_uint(w, "todo", it->ntodo);
    json_w_key(w, "evidence");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < it->nev; i++) {
        json_w_begin_object(w);
        json_w_kv_str(w, "path", it->ev[i].path);
        json_w_kv_uint(w, "line", it->ev[i].line);
        json_w_kv_bool(w, "done", it->ev[i].done);
        json_w_kv_str(w, "text", it->ev[i].text);
        json_w_end_object(w);
    }
    json_w_end_array(w);
    json_w_end_object(w);
}

static void group(JsonWriter *w, const MetGroup *g)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "key", g->key);
    json_w_kv_str(w, "title", g->title);
    json_w_key(w, "codes");
    json_w_begin_array(w);
    char codes[128];
    snprintf(codes, sizeof codes, "%s", g->codes);
    for (char *c = strtok(codes, " "); c; c = strtok(NULL, " "))
        json_w_str(w, c);
    json_w_end_array(w);
    json_w_kv_uint(w, "findings", g->n);
    json_w_kv_uint(w, "files", g->nfiles);
    json_w_key(w, "finding_indexes");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < g->n; i++)
        json_w_uint(w, g->findings[i]);
    json_w_end_array(w);
    json_w_end_object(w);
}

static void architecture_and_critical(JsonWriter *w, const Metrics *m)
{
    json_w_key(w, "architecture");
    json_w_begin_array(w);
    for (int i = 0; i < MET_ITEM__COUNT; i++)
        item(w, &m->items[i]);
    json_w_end_array(w);
    json_w_key(w, "critical");
    json_w_begin_array(w);
    for (int g = 0; g < MET_GROUP__COUNT; g++)
        group(w, &m->groups[g]);
    json_w_end_array(w);
}

/* ---- findings ------------------------------------------------------------------------------ */

static void finding(JsonWriter *w, const Finding *f, const char *status)
{
    json_w_begin_object(w);
    json_w_kv_str(w, "path", f->path);
    json_w_kv_uint(w, "line", f->line);
    json_w_kv_uint(w, "col", f->col);
    json_w_kv_uint(w, "end_line", f->end_line);
    json_w_kv_str(w, "code", f->code);
    json_w_kv_str(w, "message", f->message);
    json_w_kv_str(w, "function", f->qualname);
    json_w_kv_str(w, "fix", finding_fix_name(f->fix));
    json_w_kv_str(w, "fingerprint", f->fingerprint);
    if (status) json_w_kv_str(w, "baseline", status);
    json_w_end_object(w);
}

static void findings(JsonWriter *w, const Metrics *m, Baseline *bl)
{
    json_w_key(w, "findings");
    json_w_begin_array(w);
    if (bl) bl_reset(bl);
    for (uint32_t i = 0; i < m->nfindings; i++) {
        const char *status = NULL;
        if (bl) status = bl_take(bl, m->findings[i].fingerprint) ? "existing" : "new";
        finding(w, &m->findings[i], status);
    }
    json_w_end_array(w);
    if (bl) bl_reset(bl);
}

/* ---- baseline comparison ------------------------------------------------------------------- */

/* The report's own numbers, flattened as a baseline would be. */
static void call_graph(JsonWriter *w, const Metrics *m);

int report_json_numbers(const Metrics *m, const struct PlanReport *plan, Baseline *cur)
{
    Buf b;
    buf_init(&b);
    JsonWriter w;
    json_w_init(&w, &b);
    json_w_begin_object(&w);
    json_w_kv_uint(&w, "schema_version", REPORT_JSON_SCHEMA);
    totals(&w, m);
    categories(&w, m);
    call_graph(&w, m);
    if (plan) rp_json(&w, plan);
    json_w_end_object(&w);
    char err[256];
    int rc = bl_parse(cur, "(this report)", b.data, b.len, err, sizeof err);
    buf_free(&b);
    return rc;
}

static void change(JsonWriter *w, const char *key, double old, double now)
{
    double pct;
    json_w_begin_object(w);
    json_w_kv_str(w, "key", key);
    json_w_key(w, "old");
    json_w_double(w, old);
    json_w_key(w, "new");
    json_w_double(w, now);
    json_w_key(w, "percent");
    if (bl_percent(old, now, &pct))
        json_w_double(w, pct);
    else
        json_w_null(w);
    json_w_end_object(w);
}

/* -1: the old list's key comes first (or the new list is done), 1: the new one's, 0: same key. */
static int key_order(const Baseline *old, uint32_t i, const Baseline *cur, uint32_t j)
{
    if (i >= old->numbers.n) return 1;
    if (j >= cur->numbers.n) return -1;
    int c = strcmp(old->numbers.items[i].key, cur->numbers.items[j].key);
    return (c > 0) - (c < 0);
}

/* Every number of either report, merged by key (both lists are sorted). */
static void changes(JsonWriter *w, const Baseline *old, const Baseline *cur)
{
    json_w_key(w, "changes");
    json_w_begin_array(w);
    uint32_t i = 0, j = 0;
    while (i < old->numbers.n || j < cur->numbers.n) {
        int order = key_order(old, i, cur, j);
        const BlNumber *o = order <= 0 ? &old->numbers.items[i++] : NULL;
        const BlNumber *c = order >= 0 ? &cur->numbers.items[j++] : NULL;
        const char *key = o ? o->key : c ? c->key : "";
        change(w, key, o ? o->value : 0, c ? c->value : 0);
    }
    json_w_end_array(w);
}

static void path_array(JsonWriter *w, const char *key, const BlPaths *p)
{
    json_w_key(w, key);
    json_w_begin_array(w);
    for (uint32_t i = 0; i < p->n; i++)
        json_w_str(w, p->items[i]);
    json_w_end_array(w);
}

static void category_changes(JsonWriter *w, const Metrics *m, const Baseline *bl)
{
    json_w_key(w, "categories");
    json_w_begin_object(w);
    for (int c = 0; c < FCAT__COUNT; c++) {
        BlPaths added = {0}, removed = {0};
        bl_cat_diff(bl, (FileCategory)c, m->cats[c].paths, m->cats[c].files, &added, &removed);
        json_w_key(w, cat_name((FileCategory)c));
        json_w_begin_object(w);
        path_array(w, "added", &added);
        path_array(w, "removed", &removed);
        json_w_end_object(w);
        VEC_FREE(added);
        VEC_FREE(removed);
    }
    json_w_end_object(w);
}

static void finding_counts(JsonWriter *w, const Metrics *m, Baseline *bl)
{
    uint32_t fresh = 0;
    bl_reset(bl);
    for (uint32_t i = 0; i < m->nfindings; i++)
        fresh += !bl_take(bl, m->findings[i].fingerprint);
    json_w_kv_uint(w, "new_findings", fresh);
    json_w_kv_uint(w, "fixed_findings", bl_untaken(bl));
    bl_reset(bl);
}

static void baseline(JsonWriter *w, const Metrics *m, Baseline *bl, const PlanReport *plan)
{
    json_w_key(w, "baseline");
    if (!bl) {
        json_w_null(w);
        return;
    }
    json_w_begin_object(w);
    json_w_kv_str(w, "path", bl->path);
    json_w_kv_str(w, "tool_version", bl->tool_version);
    json_w_kv_str(w, "root", bl->root);
    finding_counts(w, m, bl);
    Baseline cur;
    if (report_json_numbers(m, plan, &cur) == 0) changes(w, bl, &cur);
    bl_free(&cur);
    category_changes(w, m, bl);
    json_w_end_object(w);
}

/* ---- call graph (rules/graph_rules.h) ----------------------------------------------------- */

static void gr_refs(JsonWriter *w, const char *key, const GrRef *refs, uint32_t n)
{
    json_w_key(w, key);
    json_w_begin_array(w);
    for (uint32_t i = 0; i < n; i++) {
        json_w_begin_object(w);
        json_w_kv_str(w, "path", refs[i].path);
        json_w_kv_uint(w, "line", refs[i].line);
        json_w_kv_str(w, "text", refs[i].text);
        if (refs[i].note) json_w_kv_str(w, "note", refs[i].note);
        json_w_end_object(w);
    }
    json_w_end_array(w);
}

static void gr_loops(JsonWriter *w, const GraphSummary *g)
{
    json_w_key(w, "background_loops");
    json_w_begin_array(w);
    for (uint32_t i = 0; i < g->nloops; i++) {
        const GrLoop *l = &g->loops[i];
        json_w_begin_object(w);
        json_w_kv_str(w, "function", l->loop.text);
        json_w_kv_str(w, "path", l->loop.path);
        json_w_kv_uint(w, "line", l->loop.line);
        json_w_key(w, "started_at");
        if (l->started.path) {
            json_w_begin_object(w);
            json_w_kv_str(w, "path", l->started.path);
            json_w_kv_uint(w, "line", l->started.line);
            json_w_kv_str(w, "function", l->started.text);
            json_w_end_object(w);
        } else {
            json_w_null(w);
        }
        gr_refs(w, "reaches", l->reach, l->nreach);
        gr_refs(w, "offloaded", l->offloaded, l->noffloaded);
        json_w_end_object(w);
    }
    json_w_end_array(w);
}

static void call_graph(JsonWriter *w, const Metrics *m)
{
    const GraphSummary *g = m->graph;
    if (!g) return;
    json_w_key(w, "call_graph");
    json_w_begin_object(w);
    json_w_kv_uint(w, "functions", g->functions);
    json_w_kv_uint(w, "edges", g->edges);
    json_w_kv_uint(w, "edges_call", g->edges_by_kind[CG_CALL]);
    json_w_kv_uint(w, "edges_offload", g->edges_by_kind[CG_OFFLOAD]);
    json_w_kv_uint(w, "edges_spawn", g->edges_by_kind[CG_SPAWN]);
    json_w_kv_uint(w, "sites_resolved", g->cov.resolved);
    json_w_kv_uint(w, "sites_unresolved", g->cov.unresolved);
    json_w_kv_uint(w, "sites_external", g->cov.external);
    json_w_key(w, "coverage");
    json_w_double(w, g->coverage);
    json_w_key(w, "unresolved_by_reason");
    json_w_begin_object(w);
    for (int r = 0; r < CG_R__COUNT; r++)
        json_w_kv_uint(w, cg_reason_key((CgReason)r), g->cov.by_reason[r]);
    json_w_end_object(w);
    gr_refs(w, "unresolved_sample", g->unresolved, g->nunresolved);
    gr_loops(w, g);
    gr_refs(w, "refresh_expunge", g->idioms, g->nidioms);
    json_w_end_object(w);
}

void report_json_plan(Buf *out, const Metrics *m, const char *version, Baseline *bl,
                      const struct PlanReport *plan)
{
    JsonWriter w;
    json_w_init(&w, out);
    json_w_begin_object(&w);
    json_w_kv_uint(&w, "schema_version", REPORT_JSON_SCHEMA);
    json_w_key(&w, "tool");
    json_w_begin_object(&w);
    json_w_kv_str(&w, "name", "sqlasync");
    json_w_kv_str(&w, "version", version);
    json_w_end_object(&w);
    json_w_kv_str(&w, "root", m->root);
    baseline(&w, m, bl, plan);
    totals(&w, m);
    categories(&w, m);
    files(&w, m);
    architecture_and_critical(&w, m);
    call_graph(&w, m); /* "call_graph": rules/graph_rules.h */
    /* "graph", "order", "estimate", "plan", "strategies": report/report_plan.h */
    if (plan) rp_json(&w, plan);
    findings(&w, m, bl);
    json_w_end_object(&w);
    json_w_finish(&w);
}

void report_json(Buf *out, const Metrics *m, const char *version, Baseline *bl)
{
    report_json_plan(out, m, version, bl, NULL);
}
