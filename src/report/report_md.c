/* report_md.c: the Markdown report, one function per section (see the header).
 *
 * Text that comes from the analysis (paths, names, messages, evidence) goes through md_rich(),
 * which splits it on backticks into plain text and code spans and hands each to md_escape().
 * Numbers go through put_num(), which adds the baseline comparison when there is one. */
#include "report_md.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "../rules/graph_rules.h"
#include "report_json.h"
#include "report_plan.h"

#define EVIDENCE_SHOWN 10 /* evidence entries described in full; the rest as path:line refs */

typedef struct MdWriter {
    Buf *b;
    const Metrics *m;
    Baseline *bl;                  /* a report baseline, or NULL */
    const struct PlanReport *plan; /* sections 7-10 (report_plan.c), or NULL */
} MdWriter;

/* ---- escaping ------------------------------------------------------------------------------ */

static size_t longest_backtick_run(const char *s, size_t n)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

static void code_span(Buf *b, const char *s, size_t n, unsigned flags)
{
    size_t ticks = longest_backtick_run(s, n) + 1;
    bool pad = ticks > 1 || (n && (s[0] == ' ' || s[n - 1] == ' '));
    for (size_t i = 0; i < ticks; i++)
        buf_putc(b, '`');
    if (pad) buf_putc(b, ' ');
    for (size_t i = 0; i < n; i++) {
        char c = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
        if (c == '|' && (flags & MD_CELL)) buf_putc(b, '\\');
        buf_putc(b, c);
    }
    if (pad) buf_putc(b, ' ');
    for (size_t i = 0; i < ticks; i++)
        buf_putc(b, '`');
}

void md_escape(Buf *b, const char *s, size_t n, unsigned flags)
{
    if (flags & MD_CODE) {
        code_span(b, s, n, flags);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r' || c == '\t') {
            buf_putc(b, ' ');
            continue;
        }
        if (strchr("\\`*_[]<>#|~", c) && c != '\0') buf_putc(b, '\\');
        buf_putc(b, c);
    }
}

/* Text with `code` spans (evidence, messages): plain parts escaped, code parts as code spans.
 * An unpaired backtick is escaped as text. */
static void md_rich(Buf *b, const char *s, unsigned flags)
{
    while (*s) {
        const char *open = strchr(s, '`');
        const char *close = open ? strchr(open + 1, '`') : NULL;
        if (!close) {
            md_escape(b, s, strlen(s), flags & ~MD_CODE);
            return;
        }
        md_escape(b, s, (size_t)(open - s), flags & ~MD_CODE);
        md_escape(b, open + 1, (size_t)(close - open - 1), flags | MD_CODE);
        s = close + 1;
    }
}

static void code(Buf *b, const char *s)
{
    md_escape(b, s, strlen(s), MD_CODE);
}

/* ---- numbers ------------------------------------------------------------------------------- */

static double old_value(const MdWriter *w, const char *key)
{
    double v = 0;
    bl_number(w->bl, key, &v); /* absent from a report: zero then */
    return v;
}

void md_change(Buf *b, double old, double now)
{
    double pct;
    if (bl_percent(old, now, &pct))
        buf_printf(b, "%s%.1f%%", pct > 0 ? "+" : "", pct);
    else
        buf_puts(b, now != 0 ? "new" : "0.0%");
}

/* now, or "old → now (+x.y%)" with a baseline; key names the number in the JSON totals. */
static void put_num(MdWriter *w, const char *key, uint64_t now)
{
    if (!w->bl) {
        buf_printf(w->b, "%llu", (unsigned long long)now);
        return;
    }
    double old = old_value(w, key);
    buf_printf(w->b, "%.0f → %llu (", old, (unsigned long long)now);
    md_change(w->b, old, (double)now);
    buf_putc(w->b, ')');
}

static void put_numf(MdWriter *w, uint64_t now, const char *fmt, const char *arg, const char *field)
{
    char key[200];
    snprintf(key, sizeof key, fmt, arg, field);
    put_num(w, key, now);
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

static void put_share(Buf *b, uint64_t part, uint64_t whole)
{
    if (whole) buf_printf(b, " (%.1f%%)", (double)part * 100.0 / (double)whole);
}

/* ---- 1. header ----------------------------------------------------------------------------- */

static void skipped_files(MdWriter *w)
{
    const Metrics *m = w->m;
    if (!m->skipped_files) return;
    buf_printf(w->b, "- **Files not analysed:** %u\n", m->skipped_files);
    for (uint32_t i = 0; i < m->nprog; i++) {
        const MetFile *f = &m->files[i];
        if (f->parsed) continue;
        buf_puts(w->b, "  - ");
        code(w->b, f->skip_reason ? f->skip_reason : f->path);
        buf_putc(w->b, '\n');
    }
}

static void header(MdWriter *w, const char *version)
{
    Buf *b = w->b;
    buf_puts(b, "# Async SQLAlchemy migration report\n\n- **Root:** ");
    code(b, w->m->root);
    buf_puts(b, "\n- **Python files scanned:** ");
    put_num(w, "python_files", w->m->python_files);
    buf_puts(b, ", ");
    put_num(w, "lines", w->m->lines);
    buf_puts(b, " lines\n");
    skipped_files(w);
    buf_printf(b, "- **Tool:** sqlasync %s\n- **Baseline:** ", version);
    if (!w->bl) {
        buf_puts(b, "none\n\n");
        return;
    }
    code(b, w->bl->path);
    if (w->bl->tool_version) buf_printf(b, " (sqlasync %s)", w->bl->tool_version);
    buf_puts(b, "\n\n");
}

/* ---- 2. summary ---------------------------------------------------------------------------- */

static void config_files(MdWriter *w)
{
    const Metrics *m = w->m;
    if (!m->config_files_modify) return;
    buf_printf(w->b, "; and %u configuration file%s:", m->config_files_modify,
               m->config_files_modify == 1 ? "" : "s");
    for (uint32_t i = m->nprog; i < m->nfiles; i++) {
        buf_puts(w->b, i > m->nprog ? ", " : " ");
        code(w->b, m->files[i].path);
    }
}

/* With a baseline: how many findings are new (fingerprint not in it) and how many are gone. */
static void findings_vs_baseline(MdWriter *w)
{
    uint32_t fresh = 0;
    bl_reset(w->bl);
    for (uint32_t i = 0; i < w->m->nfindings; i++)
        fresh += !bl_take(w->bl, w->m->findings[i].fingerprint);
    buf_printf(w->b, "; %u new since the baseline, %u fixed or changed", fresh, bl_untaken(w->bl));
    bl_reset(w->bl);
}

/* The estimate and risk lines (report_plan.c), when there is a plan. */
static void plan_summary(MdWriter *w)
{
    if (w->plan) rp_md_summary(w->b, w->plan);
}

static void summary(MdWriter *w)
{
    const Metrics *m = w->m;
    Buf *b = w->b;
    uint32_t files_with = 0;
    for (uint32_t i = 0; i < m->nfiles; i++)
        files_with += m->files[i].nfindings > 0;
    buf_puts(b, "## Summary\n\n- **Files to modify:** ");
    put_num(w, "files_to_modify", m->files_modify);
    buf_printf(b, " of %u Python file%s", m->python_files, plural(m->python_files));
    put_share(b, m->files_modify, m->python_files);
    buf_puts(b, ", with a finding or with synchronous or legacy database code");
    config_files(w);
    buf_puts(b, "\n- **Findings:** ");
    put_num(w, "findings", m->findings_total);
    buf_printf(b, " in %u file%s", files_with, plural(files_with));
    if (w->bl && w->bl->nfindings + m->nfindings > 0) findings_vs_baseline(w);
    buf_puts(b, "\n");
    if (!m->findings_total) {
        plan_summary(w);
        buf_puts(b, "\n");
        return;
    }
    buf_puts(b, "- **Automatic fixes:** `sqlasync fix` fixes ");
    put_num(w, "fixable_findings", m->findings_fixable);
    buf_printf(b, " of %u finding%s", m->findings_total, plural(m->findings_total));
    put_share(b, m->findings_fixable, m->findings_total);
    buf_printf(b, ": %u safe, %u unsafe (with `--unsafe-fixes`); %u need a manual change\n",
               m->findings_safe, m->findings_fixable - m->findings_safe,
               m->findings_total - m->findings_fixable);
    plan_summary(w);
    buf_puts(b, "\n");
}

/* ---- 3. scope by category ------------------------------------------------------------------ */

static void scope_row(MdWriter *w, const char *name, const char *title, const MetCategory *c)
{
    buf_printf(w->b, "| %s | ", title);
    put_numf(w, c->files, "categories.%s.%s", name, "files");
    buf_puts(w->b, " | ");
    put_numf(w, c->lines, "categories.%s.%s", name, "lines");
    buf_puts(w->b, " | ");
    put_numf(w, c->db_files, "categories.%s.%s", name, "files_with_db_access");
    buf_puts(w->b, " | ");
    put_numf(w, c->modify_files, "categories.%s.%s", name, "files_to_modify");
    buf_puts(w->b, " |\n");
}

static void path_list(Buf *b, const BlPaths *p)
{
    for (uint32_t i = 0; i < p->n; i++) {
        buf_puts(b, i ? ", " : ": ");
        code(b, p->items[i]);
    }
}

static bool category_changes(MdWriter *w, FileCategory c)
{
    BlPaths added = {0}, removed = {0};
    const MetCategory *mc = &w->m->cats[c];
    bl_cat_diff(w->bl, c, mc->paths, mc->files, &added, &removed);
    bool any = added.n || removed.n;
    if (any) {
        buf_printf(w->b, "- **%s:** %u new", cat_title(c), added.n);
        path_list(w->b, &added);
        buf_printf(w->b, "; %u removed", removed.n);
        path_list(w->b, &removed);
        buf_puts(w->b, "\n");
    }
    VEC_FREE(added);
    VEC_FREE(removed);
    return any;
}

static void scope(MdWriter *w)
{
    const Metrics *m = w->m;
    buf_puts(w->b, "## Scope by category\n\n| Category | Files | Lines | Files with database "
                   "access | Files to modify |\n|---|---:|---:|---:|---:|\n");
    for (int c = 0; c < FCAT__COUNT; c++)
        scope_row(w, cat_name((FileCategory)c), cat_title((FileCategory)c), &m->cats[c]);
    MetCategory all = {m->python_files, m->files_db, m->files_modify, m->lines, NULL};
    buf_puts(w->b, "| **Total** | ");
    put_num(w, "python_files", all.files);
    buf_puts(w->b, " | ");
    put_num(w, "lines", all.lines);
    buf_puts(w->b, " | ");
    put_num(w, "files_with_db_access", all.db_files);
    buf_puts(w->b, " | ");
    put_num(w, "files_to_modify", all.modify_files);
    buf_puts(w->b, " |\n\n");
    if (!w->bl) return;
    buf_puts(w->b, "Files added and removed since the baseline:\n\n");
    bool any = false;
    for (int c = 0; c < FCAT__COUNT; c++)
        any = category_changes(w, (FileCategory)c) || any;
    if (!any) buf_puts(w->b, "- none in any category\n");
    buf_puts(w->b, "\n");
}

/* ---- 4. database operations ---------------------------------------------------------------- */

typedef struct Row {
    const char *key; /* full metric key */
    uint64_t instances;
    uint64_t files;
} Row;

/* Baseline keys "counts.<prefix>X.instances" whose X is not among rows[0..n): zero now. */
static uint32_t baseline_rows(const MdWriter *w, const char *prefix, Row **rows, uint32_t n)
{
    char head[160];
    snprintf(head, sizeof head, "counts.%s", prefix);
    size_t hn = strlen(head), tail = strlen(".instances");
    for (uint32_t i = 0; w->bl && i < w->bl->numbers.n; i++) {
        const char *k = w->bl->numbers.items[i].key;
        size_t kn = strlen(k);
        if (strncmp(k, head, hn) != 0 || kn <= hn + tail ||
            strcmp(k + kn - tail, ".instances") != 0)
            continue;
        const char *key = k + strlen("counts.");
        size_t keylen = kn - strlen("counts.") - tail;
        bool seen = false;
        for (uint32_t r = 0; r < n && !seen; r++)
            seen = strlen((*rows)[r].key) == keylen && strncmp((*rows)[r].key, key, keylen) == 0;
        if (seen || memchr(key + strlen(prefix), '.', keylen - strlen(prefix))) continue;
        *rows = xrealloc(*rows, sizeof **rows * (n + 1));
        (*rows)[n++] = (Row){xstrndup(key, keylen), 0, 0};
    }
    return n;
}

/* The rows of a family: the totals under prefix (by instances), then baseline-only keys. */
static uint32_t family_rows(const MdWriter *w, const char *prefix, Row **rows, uint32_t *nnow)
{
    const MetTotal **fam;
    uint32_t n = met_family(w->m, prefix, &fam);
    *rows = xmalloc(sizeof **rows * (n + 1));
    for (uint32_t i = 0; i < n; i++)
        (*rows)[i] = (Row){fam[i]->key, fam[i]->instances, fam[i]->files};
    free(fam);
    *nnow = n;
    return baseline_rows(w, prefix, rows, n);
}

static const char *const labels[][2] = {
    {"sessions.form.with", "`with provider() as session`"},
    {"sessions.form.async_with", "`async with provider() as session`"},
    {"sessions.form.no_with", "context manager called without `with`"},
    {"sessions.form.session_ctor", "`Session(...)` constructed"},
    {"sessions.form.factory_call", "session factory called (`SessionLocal()`)"},
    {"sessions.form.param", "parameter annotated `Session` or `AsyncSession`"},
    {"sessions.form.self_attr", "session stored on `self`"},
    {"sessions.form.depends", "FastAPI `Depends()` parameter"},
    {"sessions.form.decorator", "oslo.db enginefacade reader/writer decorator"},
    {"queries.terminal.none", "not consumed where built (returned or passed on)"},
    {"queries.terminal.iter", "iteration (`for row in query`)"},
    {"queries.terminal.other", "another method"},
    {"statements.select", "`select()`"},
    {"statements.insert", "`insert()`"},
    {"statements.update", "`update()`"},
    {"statements.delete", "`delete()`"},
    {"statements.execute", "`session.execute()`"},
    {"statements.scalars", "`session.scalars()`"},
    {"statements.scalar", "`session.scalar()`"},
    {"statements.get", "`session.get()`"},
    {"statements.select_list_form", "`select([...])` list form"},
    {"raw_sql.text", "`text()`"},
    {"raw_sql.string", "SQL string executed without `text()`"},
    {"raw_sql.engine_execute", "implicit execution (`engine.execute()`)"},
    {"engine_io.connect", "`engine.connect()`"},
    {"engine_io.begin", "`engine.begin()`"},
    {"engine_io.raw_connection", "`engine.raw_connection()`"},
    {"engine_io.create_all", "`metadata.create_all(engine)`"},
    {"engine_io.drop_all", "`metadata.drop_all(engine)`"},
    {"engine_io.reflect", "`metadata.reflect(engine)`"},
    {"engine_io.execute", "`connection.execute()`"},
};

static void row_label(Buf *b, const char *key, const char *prefix, const char *fmt)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        if (strcmp(labels[i][0], key) == 0) {
            md_rich(b, labels[i][1], MD_CELL);
            return;
        }
    }
    char text[200];
    snprintf(text, sizeof text, fmt, key + strlen(prefix));
    md_rich(b, text, MD_CELL);
}

/* A table of a family: label, instances, files. fmt makes a label from the key's last part. */
static void family_table(MdWriter *w, const char *prefix, const char *head, const char *fmt)
{
    Row *rows;
    uint32_t nnow, n = family_rows(w, prefix, &rows, &nnow);
    if (n) buf_printf(w->b, "| %s | Instances | Files |\n|---|---:|---:|\n", head);
    for (uint32_t i = 0; i < n; i++) {
        buf_puts(w->b, "| ");
        row_label(w->b, rows[i].key, prefix, fmt);
        buf_puts(w->b, " | ");
        put_numf(w, rows[i].instances, "counts.%s.%s", rows[i].key, "instances");
        buf_puts(w->b, " | ");
        put_numf(w, rows[i].files, "counts.%s.%s", rows[i].key, "files");
        buf_puts(w->b, " |\n");
    }
    if (n) buf_puts(w->b, "\n");
    for (uint32_t i = nnow; i < n; i++)
        free((char *)rows[i].key);
    free(rows);
}

/* "<what>: **N** in **K** files" for a counts key. */
static void total_line(MdWriter *w, const char *key, const char *what)
{
    const MetTotal *t = met_total(w->m, key);
    md_rich(w->b, what, 0);
    buf_puts(w->b, ": **");
    put_numf(w, t ? t->instances : 0, "counts.%s.%s", key, "instances");
    buf_puts(w->b, "** in **");
    put_numf(w, t ? t->files : 0, "counts.%s.%s", key, "files");
    buf_printf(w->b, "** file%s", plural(t ? t->files : 0));
}

static void part(MdWriter *w, const char *key, const char *what)
{
    buf_printf(w->b, "; %s: ", what);
    put_numf(w, met_instances(w->m, key), "counts.%s.%s", key, "instances");
}

static void sessions_and_queries(MdWriter *w)
{
    buf_puts(w->b, "### Session acquisitions\n\n");
    total_line(w, "sessions", "Session acquisitions");
    buf_puts(w->b, ".\n\n");
    family_table(w, "sessions.form.", "Form", "%s");
    family_table(w, "sessions.provider.", "Provider called", "`%s()`");
    buf_puts(w->b, "### Legacy Query chains\n\n");
    total_line(w, "queries", "`session.query()` chains");
    part(w, "queries.multiline", "spanning several lines");
    part(w, "queries.across_statements", "built across statements");
    part(w, "queries.manual", "needing a manual rewrite");
    buf_puts(w->b, ".\n\n");
    family_table(w, "queries.terminal.", "Terminal method", "`.%s()`");
    family_table(w, "queries.method.", "Method in the chain", "`.%s()`");
}

static void statements_and_ops(MdWriter *w)
{
    buf_puts(w->b, "### SQLAlchemy 2.0 style\n\n");
    total_line(w, "statements", "2.0-style statements and executions");
    buf_puts(w->b, "; files importing `select`: **");
    put_num(w, "files_importing_select", w->m->files_select);
    buf_puts(w->b, "**.\n\n");
    family_table(w, "statements.", "Statement", "`%s`");
    family_table(w, "raw_sql.", "Raw SQL", "`%s`");
    family_table(w, "engine_io.", "Sync engine and connection IO", "`.%s()`");
    buf_puts(w->b, "### Other session operations\n\n");
    total_line(w, "session_ops", "Session operations");
    buf_puts(w->b, ".\n\n");
    family_table(w, "session_ops.", "Operation", "`session.%s()`");
}

static void db_operations(MdWriter *w)
{
    buf_puts(w->b, "## Database operations\n\n");
    sessions_and_queries(w);
    statements_and_ops(w);
}

/* ---- 5. architecture state ----------------------------------------------------------------- */

static void ref(Buf *b, const char *path, uint32_t line, uint32_t col)
{
    char tmp[32];
    Buf t;
    buf_init(&t);
    buf_puts(&t, path);
    snprintf(tmp, sizeof tmp, col ? ":%u:%u" : ":%u", line, col);
    buf_puts(&t, tmp);
    md_escape(b, t.data, t.len, MD_CODE);
    buf_free(&t);
}

typedef struct Ref {
    const char *path;
    uint32_t line;
} Ref;

/* References past the described ones, one line per file: "also in `path`: lines 3, 9". */
static void also_list(Buf *b, const Ref *refs, uint32_t n, const char *indent)
{
    for (uint32_t i = 0; i < n; i++) {
        bool first = i == 0 || strcmp(refs[i - 1].path, refs[i].path) != 0;
        bool last = i + 1 == n || strcmp(refs[i + 1].path, refs[i].path) != 0;
        if (first) {
            buf_printf(b, "%s- also in ", indent);
            code(b, refs[i].path);
            buf_puts(b, last ? ": line " : ": lines ");
        }
        buf_printf(b, "%u%s", refs[i].line, last ? "\n" : ", ");
    }
}

/* The evidence entries of one polarity: the first few described, the rest as references. */
static void evidence_list(MdWriter *w, const MetItem *it, bool done)
{
    uint32_t shown = 0, nrefs = 0;
    Ref *refs = xmalloc(sizeof *refs * (it->nev + 1));
    for (uint32_t i = 0; i < it->nev; i++) {
        const MetEvidence *e = &it->ev[i];
        if (e->done != done) continue;
        if (shown++ >= EVIDENCE_SHOWN) {
            refs[nrefs++] = (Ref){e->path, e->line};
            continue;
        }
        buf_puts(w->b, "  - ");
        ref(w->b, e->path, e->line, 0);
        buf_puts(w->b, " ");
        md_rich(w->b, e->text, 0);
        buf_puts(w->b, "\n");
    }
    also_list(w->b, refs, nrefs, "  ");
    free(refs);
}

static uint32_t evidence_files(const MetItem *it, bool done)
{
    uint32_t n = 0;
    const char *last = NULL;
    for (uint32_t i = 0; i < it->nev; i++) {
        if (it->ev[i].done != done) continue;
        n += !last || strcmp(last, it->ev[i].path) != 0;
        last = it->ev[i].path;
    }
    return n;
}

static bool item_shown(const MdWriter *w, const MetItem *it, bool done)
{
    char key[160];
    snprintf(key, sizeof key, "architecture.%s.%s", it->key, done ? "done" : "todo");
    return (done ? it->ndone : it->ntodo) > 0 || (w->bl && old_value(w, key) > 0);
}

static void item_lines(MdWriter *w, const MetItem *it, bool done)
{
    uint32_t n = done ? it->ndone : it->ntodo;
    buf_printf(w->b, "- **%s:** ", it->title);
    put_numf(w, n, "architecture.%s.%s", it->key, done ? "done" : "todo");
    uint32_t files = evidence_files(it, done);
    buf_printf(w->b, " in %u file%s\n", files, files == 1 ? "" : "s");
    evidence_list(w, it, done);
}

static void architecture_half(MdWriter *w, bool done)
{
    bool any = false;
    for (int i = 0; i < MET_ITEM__COUNT; i++)
        any = any || item_shown(w, &w->m->items[i], done);
    if (!any) return;
    buf_puts(w->b, done ? "### ✅ Already async\n\n" : "### ❌ Still synchronous\n\n");
    for (int i = 0; i < MET_ITEM__COUNT; i++)
        if (item_shown(w, &w->m->items[i], done)) item_lines(w, &w->m->items[i], done);
    buf_puts(w->b, "\n");
}

static void graph_sections(MdWriter *w); /* 5b, below */

static void architecture(MdWriter *w)
{
    bool any = false;
    for (int i = 0; i < MET_ITEM__COUNT; i++)
        any = any || item_shown(w, &w->m->items[i], true) || item_shown(w, &w->m->items[i], false);
    if (!any) return; /* nothing found to show: no claim */
    buf_puts(w->b, "## Architecture state\n\n");
    architecture_half(w, true);
    architecture_half(w, false);
    graph_sections(w); /* 5b */
}

/* ---- 5b. call graph (rules/graph_rules.h): coverage, background loops, expiry idiom ------ */

static void graph_refs(MdWriter *w, const GrRef *refs, uint32_t n, const char *indent)
{
    for (uint32_t i = 0; i < n && i < EVIDENCE_SHOWN; i++) {
        buf_printf(w->b, "%s- ", indent);
        ref(w->b, refs[i].path, refs[i].line, 0);
        buf_puts(w->b, " ");
        code(w->b, refs[i].text);
        if (refs[i].note) buf_printf(w->b, " (%s)", refs[i].note);
        buf_puts(w->b, "\n");
    }
    if (n > EVIDENCE_SHOWN) buf_printf(w->b, "%s- and %u more\n", indent, n - EVIDENCE_SHOWN);
}

static void graph_coverage(MdWriter *w, const GraphSummary *g)
{
    Buf *b = w->b;
    uint32_t could = g->cov.resolved + g->cov.unresolved;
    buf_puts(b, "### Call graph coverage\n\n");
    buf_printf(b, "**%u** of **%u** call sites that can reach project code resolved (**%.1f%%**); ",
               g->cov.resolved, could, 100.0 * g->coverage);
    buf_printf(b, "%u more call library or builtin code. ", g->cov.external);
    buf_printf(b,
               "%u edges between %u functions: %u calls, %u handed to threads or executors, "
               "%u spawned as tasks.\n\n",
               g->edges, g->functions, g->edges_by_kind[CG_CALL], g->edges_by_kind[CG_OFFLOAD],
               g->edges_by_kind[CG_SPAWN]);
    if (!g->cov.unresolved) return;
    buf_puts(b, "Unresolved, by reason:");
    const char *sep = " ";
    for (int r = 0; r < CG_R__COUNT; r++) {
        if (!g->cov.by_reason[r]) continue;
        buf_printf(b, "%s%s %u", sep, cg_reason_text((CgReason)r), g->cov.by_reason[r]);
        sep = "; ";
    }
    buf_puts(b, ".\n\n");
    graph_refs(w, g->unresolved, g->nunresolved, "");
    buf_puts(b, "\n");
}

static void graph_loop(MdWriter *w, const GrLoop *l)
{
    buf_puts(w->b, "- ");
    code(w->b, l->loop.text);
    buf_puts(w->b, " (");
    ref(w->b, l->loop.path, l->loop.line, 0);
    if (l->started.path) {
        buf_puts(w->b, "), started at ");
        ref(w->b, l->started.path, l->started.line, 0);
    } else {
        buf_puts(w->b, "), no `create_task()` found for it");
    }
    if (l->nreach)
        buf_printf(w->b, ": sync database work in %u function%s in the event loop", l->nreach,
                   plural(l->nreach));
    else
        buf_puts(w->b, ": no sync database work in the event loop");
    if (l->noffloaded) buf_printf(w->b, ", %u more handed to threads", l->noffloaded);
    buf_puts(w->b, "\n");
    graph_refs(w, l->reach, l->nreach, "  ");
    if (l->noffloaded) buf_puts(w->b, "  - handed to threads:\n");
    graph_refs(w, l->offloaded, l->noffloaded, "    ");
}

static void graph_sections(MdWriter *w)
{
    const GraphSummary *g = w->m->graph;
    if (!g) return;
    graph_coverage(w, g);
    if (g->nloops) {
        buf_printf(w->b, "### Background loops and the database work they reach\n\n");
        for (uint32_t i = 0; i < g->nloops; i++)
            graph_loop(w, &g->loops[i]);
        buf_puts(w->b, "\n");
    }
    if (g->nidioms) {
        buf_printf(w->b,
                   "### Refresh-then-expunge idiom\n\n**%u** site%s work around expiry "
                   "with `session.refresh(obj)` then `session.expunge(obj)`:\n\n",
                   g->nidioms, plural(g->nidioms));
        graph_refs(w, g->idioms, g->nidioms, "");
        buf_puts(w->b, "\n");
    }
}

/* ---- 6. critical findings ------------------------------------------------------------------ */

static void finding_line(Buf *b, const Finding *f)
{
    buf_puts(b, "- ");
    ref(b, f->path, f->line, f->col);
    buf_printf(b, " %s ", f->code);
    md_rich(b, f->message, 0);
    buf_puts(b, "\n");
}

static void group_codes(Buf *b, const Metrics *m, const MetGroup *g)
{
    char codes[128];
    snprintf(codes, sizeof codes, "%s", g->codes);
    bool first = true;
    for (char *c = strtok(codes, " "); c; c = strtok(NULL, " ")) {
        bool present = false;
        for (uint32_t i = 0; i < g->n && !present; i++)
            present = strcmp(m->findings[g->findings[i]].code, c) == 0;
        if (!present) continue;
        buf_printf(b, "%s%s", first ? " (" : ", ", c);
        first = false;
    }
    if (!first) buf_puts(b, ")");
}

static void group(MdWriter *w, const MetGroup *g)
{
    buf_printf(w->b, "### %s\n\n**", g->title);
    put_numf(w, g->n, "critical.%s.%s", g->key, "findings");
    buf_printf(w->b, "** finding%s in **", plural(g->n));
    put_numf(w, g->nfiles, "critical.%s.%s", g->key, "files");
    buf_printf(w->b, "** file%s", plural(g->nfiles));
    group_codes(w->b, w->m, g);
    buf_puts(w->b, ".\n\n");
    for (uint32_t i = 0; i < g->n && i < EVIDENCE_SHOWN; i++)
        finding_line(w->b, &w->m->findings[g->findings[i]]);
    uint32_t nrefs = 0;
    Ref *refs = xmalloc(sizeof *refs * (g->n + 1));
    for (uint32_t i = EVIDENCE_SHOWN; i < g->n; i++) {
        const Finding *f = &w->m->findings[g->findings[i]];
        refs[nrefs++] = (Ref){f->path, f->line};
    }
    also_list(w->b, refs, nrefs, "");
    free(refs);
    buf_puts(w->b, g->n ? "\n" : "");
}

static void critical(MdWriter *w)
{
    buf_puts(w->b, "## Critical findings\n\n");
    uint32_t shown = 0;
    for (int i = 0; i < MET_GROUP__COUNT; i++) {
        const MetGroup *g = &w->m->groups[i];
        char key[160];
        snprintf(key, sizeof key, "critical.%s.findings", g->key);
        if (g->n == 0 && !(w->bl && old_value(w, key) > 0)) continue;
        group(w, g);
        shown++;
    }
    if (!shown) buf_puts(w->b, "No finding of the critical rules.\n\n");
}

/* ---- 11. appendix -------------------------------------------------------------------------- */

static void appendix(MdWriter *w)
{
    const Metrics *m = w->m;
    buf_puts(w->b, "## Appendix: findings by file\n");
    if (!m->nfindings) buf_puts(w->b, "\nNo findings.\n");
    for (uint32_t i = 0; i < m->nfindings; i++) {
        if (i == 0 || m->owner[i] != m->owner[i - 1]) {
            const MetFile *f = &m->files[m->owner[i]];
            buf_puts(w->b, "\n### ");
            code(w->b, f->path);
            buf_printf(w->b, " (%u)\n\n", f->nfindings);
        }
        finding_line(w->b, &m->findings[i]);
    }
}

/* Sections 7-10, with a baseline comparing their numbers (report_json_numbers). */
static void plan_sections(Buf *out, const Metrics *m, const Baseline *bl,
                          const struct PlanReport *plan)
{
    if (!bl) {
        rp_md_sections(out, plan, NULL);
        return;
    }
    Baseline cur;
    RpCompare cmp = {bl, &cur};
    report_json_numbers(m, plan, &cur);
    rp_md_sections(out, plan, &cmp);
    bl_free(&cur);
}

void report_md_plan(Buf *out, const Metrics *m, const char *version, Baseline *bl,
                    const struct PlanReport *plan)
{
    MdWriter w = {out, m, bl, plan};
    header(&w, version);
    summary(&w);
    scope(&w);
    db_operations(&w);
    architecture(&w);
    critical(&w);
    if (plan) plan_sections(out, m, bl, plan); /* 7-10: report_plan.c */
    appendix(&w);
}

void report_md(Buf *out, const Metrics *m, const char *version, Baseline *bl)
{
    report_md_plan(out, m, version, bl, NULL);
}
