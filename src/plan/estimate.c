/* estimate.c: the defaults table, the rows of the points table, the risk rules and the weeks
 * (see the header; docs/estimate.md shows the seed calibration behind every default). */
#include "estimate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "../model/category.h"
#include "../rules/rules.h"

/* The defaults. 1 point is about one focused engineer-hour, review and test run included;
 * velocity is what reproduces the seed report's 8-10 weeks (docs/estimate.md). */
static const EstParam defaults[] = {
    {"velocity", 125},
    {"file", 1},
    {"session", 0.5},
    {"sync_removal", 1},
    {"finding", 1},
    {"review_safe", 0.2},
    {"review_unsafe", 0.5},
    {"spread_low", 0.10},
    {"spread_medium", 0.15},
    {"spread_high", 0.20},
    {"spread_very_high", 0.25},
    {"risk_medium", 2},
    {"risk_high", 4},
    {"risk_very_high", 6},
    {"risk_scale_files", 100},
    {"hybrid_shared", 0.5},
    {"second_pass", 0.5},
    {"core_fan_in", 2},
    {"SA101", 0.5},
    {"SA102", 0.25},
    {"SA103", 0.5},
    {"SA104", 1},
    {"SA105", 0.25},
    {"SA106", 0.25},
    {"SA107", 0.25},
    {"SA201", 2},
    {"SA202", 2},
    {"SA203", 2},
    {"SA204", 1},
    {"SA205", 3},
    {"SA206", 1},
    {"SA207", 1},
    {"SA301", 1},
    {"SA302", 1},
    {"SA303", 1},
    {"SA304", 2},
    {"SA305", 2},
    {"SA401", 4},
    {"SA402", 2},
    {"SA403", 0.5},
    {"SA404", 6},
    {"SA405", 2},
    {"SA406", 0.5},
    {"SA407", 4},
    {"SA408", 0.5},
    {"SA409", 16},
};

#define NDEFAULTS (sizeof defaults / sizeof defaults[0])

typedef Vec(EstRow) RowVec;

static const char *const level_names[] = {"low", "medium", "high", "very high"};
static const char *const spread_keys[] = {"spread_low", "spread_medium", "spread_high",
                                          "spread_very_high"};

bool est_default(const char *key, double *out)
{
    for (size_t i = 0; i < NDEFAULTS; i++) {
        if (strcmp(defaults[i].key, key) != 0) continue;
        *out = defaults[i].value;
        return true;
    }
    return false;
}

/* A usable configured value: points and shares >= 0, velocity > 0, shares <= 1. */
static bool valid_value(const char *key, double v)
{
    if (v < 0 || v != v) return false;
    if (strcmp(key, "velocity") == 0) return v > 0;
    if (strncmp(key, "review_", 7) == 0 || strncmp(key, "spread_", 7) == 0) return v <= 1;
    return true;
}

static const EstParam *configured(const Estimate *e, const char *key)
{
    const EstParam *found = NULL;
    for (uint32_t i = 0; i < e->nparams; i++)
        if (strcmp(e->params[i].key, key) == 0 && valid_value(key, e->params[i].value))
            found = &e->params[i];
    return found;
}

bool est_configured(const Estimate *e, const char *key)
{
    return configured(e, key) != NULL;
}

double est_param(const Estimate *e, const char *key)
{
    const EstParam *p = configured(e, key);
    double v = 0;
    if (p) return p->value;
    if (est_default(key, &v)) return v;
    if (rule_find(key)) return est_param(e, "finding");
    return 0;
}

const char *est_level_name(EstLevel level)
{
    return (unsigned)level < EST_LEVEL__COUNT ? level_names[level] : "?";
}

const char *est_row_title(const char *key)
{
    if (strcmp(key, "file") == 0) return "files to modify";
    if (strcmp(key, "session") == 0) return "session acquisitions not async yet";
    if (strcmp(key, "sync_removal") == 0)
        return "files holding a sync engine or session factory, cleaned up last";
    const RuleInfo *r = rule_find(key);
    return r ? r->summary : key;
}

bool est_is_sync_factory_code(const char *code)
{
    return strcmp(code, "SA401") == 0 || strcmp(code, "SA402") == 0;
}

/* ---- points -------------------------------------------------------------------------------- */

double est_finding_points(const Estimate *e, const Finding *f, double *fix_removes)
{
    double each = est_param(e, f->code);
    double removed = 0;
    if (f->fix == FIX_SAFE) removed = each * (1 - e->review_safe);
    if (f->fix == FIX_UNSAFE) removed = each * (1 - e->review_unsafe);
    if (fix_removes) *fix_removes = removed;
    return each;
}

double est_file_points(const Estimate *e, const EstFile *f, bool holds_sync_factory)
{
    double p = holds_sync_factory ? est_param(e, "sync_removal") : 0;
    if (!f->is_python) return p;
    if (f->to_modify) p += est_param(e, "file");
    return p + f->sessions * est_param(e, "session");
}

static EstRow *new_row(RowVec *rows, const Estimate *e, const char *key)
{
    EstRow r = {0};
    r.key = key;
    r.each = est_param(e, key);
    r.configured = est_configured(e, key);
    VEC_PUSH(*rows, r);
    return &VEC_LAST(*rows);
}

static void file_rows(RowVec *rows, const Estimate *e, const EstInput *in, const bool *sync_factory)
{
    EstRow *fr = new_row(rows, e, "file");
    for (uint32_t i = 0; i < in->nfiles; i++) {
        const EstFile *f = &in->files[i];
        if (!f->is_python || !f->to_modify) continue;
        fr->count++, fr->files++;
        if (!fr->path) fr->path = f->path;
    }
    EstRow *sr = new_row(rows, e, "session");
    for (uint32_t i = 0; i < in->nfiles; i++) {
        const EstFile *f = &in->files[i];
        if (!f->is_python || !f->sessions) continue;
        sr->count += f->sessions, sr->files++;
        if (!sr->path) sr->path = f->path;
    }
    EstRow *cr = new_row(rows, e, "sync_removal");
    for (uint32_t i = 0; i < in->nfiles; i++) {
        if (!sync_factory[i]) continue;
        cr->count++, cr->files++;
        if (!cr->path) cr->path = in->files[i].path;
    }
}

static int code_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The distinct codes of the findings, sorted. */
static uint32_t codes_of(const EstInput *in, const char ***out)
{
    const char **codes = xcalloc(in->nfindings + 1, sizeof *codes);
    for (uint32_t i = 0; i < in->nfindings; i++)
        codes[i] = in->findings[i].code;
    if (in->nfindings > 1) qsort(codes, in->nfindings, sizeof *codes, code_cmp);
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->nfindings; i++)
        if (n == 0 || strcmp(codes[n - 1], codes[i]) != 0) codes[n++] = codes[i];
    *out = codes;
    return n;
}

static void code_row(RowVec *rows, const Estimate *e, const EstInput *in, const char *code)
{
    EstRow *r = new_row(rows, e, code);
    uint32_t last_file = UINT32_MAX;
    for (uint32_t i = 0; i < in->nfindings; i++) {
        const Finding *f = &in->findings[i];
        if (strcmp(f->code, code) != 0) continue;
        r->count++;
        r->safe += f->fix == FIX_SAFE;
        r->unsafe += f->fix == FIX_UNSAFE;
        if (in->owner[i] != last_file) r->files++; /* findings are sorted by path */
        last_file = in->owner[i];
        if (!r->path) r->path = f->path, r->line = f->line;
    }
}

static void finish_rows(Estimate *e, EstRow *rows, uint32_t n)
{
    e->rows = ARENA_ARRAY(&e->arena, EstRow, n + 1);
    for (uint32_t i = 0; i < n; i++) {
        EstRow *r = &rows[i];
        if (!r->count) continue;
        r->points = r->count * r->each;
        r->fix_removes =
            r->each * (r->safe * (1 - e->review_safe) + r->unsafe * (1 - e->review_unsafe));
        e->total += r->points;
        e->fix_removes += r->fix_removes;
        e->rows[e->nrows++] = *r;
    }
}

static void make_rows(Estimate *e, const EstInput *in)
{
    bool *sync_factory = xcalloc(in->nfiles + 1, sizeof *sync_factory);
    for (uint32_t i = 0; i < in->nfindings; i++)
        if (est_is_sync_factory_code(in->findings[i].code)) sync_factory[in->owner[i]] = true;
    RowVec rows = {0};
    file_rows(&rows, e, in, sync_factory);
    const char **codes;
    uint32_t ncodes = codes_of(in, &codes);
    for (uint32_t c = 0; c < ncodes; c++)
        code_row(&rows, e, in, codes[c]);
    finish_rows(e, rows.items, rows.n);
    VEC_FREE(rows);
    free(codes);
    free(sync_factory);
}

/* ---- risk ---------------------------------------------------------------------------------- */

static bool code_in(const char *codes, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = strstr(codes, code); p; p = strstr(p + 1, code))
        if ((p == codes || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

static void risk_from_codes(EstRisk *r, const EstInput *in)
{
    r->threshold = 1;
    for (uint32_t i = 0; i < in->nfindings; i++) {
        if (!code_in(r->codes, in->findings[i].code)) continue;
        if (!r->count++) r->path = in->findings[i].path, r->line = in->findings[i].line;
    }
}

static void risks(Estimate *e, const EstInput *in, uint32_t files_to_modify)
{
    static const char *const keys[][3] = {
#define X(id, key, title, codes) {key, title, codes},
        EST_RISKS(X)
#undef X
    };
    for (int k = 0; k < EST_RISK__COUNT; k++) {
        EstRisk *r = &e->risks[k];
        r->key = keys[k][0], r->title = keys[k][1], r->codes = keys[k][2];
        if (*r->codes) risk_from_codes(r, in);
    }
    EstRisk *c = &e->risks[EST_RISK_CYCLES];
    c->threshold = 1, c->count = in->cycles;
    c->path = in->cycle_path, c->line = in->cycle_line, c->detail = in->cycle_name;
    EstRisk *s = &e->risks[EST_RISK_SCALE];
    s->threshold = (uint32_t)est_param(e, "risk_scale_files");
    s->count = files_to_modify;
    for (int k = 0; k < EST_RISK__COUNT; k++) {
        EstRisk *r = &e->risks[k];
        r->holds = r->count >= r->threshold && r->count > 0;
        e->nholding += r->holds;
    }
}

EstLevel est_level(const Estimate *e, uint32_t holding)
{
    EstLevel l = EST_LOW;
    for (int k = EST_MEDIUM; k < EST_LEVEL__COUNT; k++)
        if (holding >= e->level_at[k]) l = (EstLevel)k;
    return l;
}

double est_spread(const Estimate *e, EstLevel level)
{
    return est_param(e, spread_keys[level]);
}

/* ---- configuration keys the model ignores -------------------------------------------------- */

static const char *why_invalid(const char *key)
{
    if (strcmp(key, "velocity") == 0) return "must be greater than 0";
    if (strncmp(key, "review_", 7) == 0 || strncmp(key, "spread_", 7) == 0)
        return "must be from 0 to 1";
    return "must not be negative";
}

static void ignored_keys(Estimate *e)
{
    e->unknown = ARENA_ARRAY(&e->arena, const char *, e->nparams + 1);
    for (uint32_t i = 0; i < e->nparams; i++) {
        const EstParam *p = &e->params[i];
        double d;
        const char *why = NULL;
        if (!est_default(p->key, &d) && !rule_find(p->key))
            why = "unknown key";
        else if (!valid_value(p->key, p->value))
            why = why_invalid(p->key);
        if (!why) continue;
        char text[200];
        snprintf(text, sizeof text, "%s (%s)", p->key, why);
        e->unknown[e->nunknown++] = arena_strndup(&e->arena, text, strlen(text));
    }
}

void est_build(Estimate *e, const EstInput *in)
{
    memset(e, 0, sizeof *e);
    arena_init(&e->arena);
    e->params = in->params, e->nparams = in->nparams;
    e->review_safe = est_param(e, "review_safe");
    e->review_unsafe = est_param(e, "review_unsafe");
    e->velocity = est_param(e, "velocity");
    e->velocity_configured = est_configured(e, "velocity");
    e->level_at[EST_MEDIUM] = (uint32_t)est_param(e, "risk_medium");
    e->level_at[EST_HIGH] = (uint32_t)est_param(e, "risk_high");
    e->level_at[EST_VERY_HIGH] = (uint32_t)est_param(e, "risk_very_high");
    ignored_keys(e);
    make_rows(e, in);
    e->remaining = e->total - e->fix_removes;
    e->weeks = e->remaining / e->velocity;
    e->weeks_by_hand = e->total / e->velocity;
    risks(e, in, e->nrows && strcmp(e->rows[0].key, "file") == 0 ? e->rows[0].count : 0);
    e->level = est_level(e, e->nholding);
    e->spread = est_spread(e, e->level);
    e->low = e->weeks * (1 - e->spread);
    e->high = e->weeks * (1 + e->spread);
}

void est_free(Estimate *e)
{
    arena_free(&e->arena);
    memset(e, 0, sizeof *e);
}
