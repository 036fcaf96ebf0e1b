/* baseline.c: reading an earlier report or check output (see the header for what is accepted).
 *
 * The JSON tree lives in a scratch arena while the Baseline copies what it keeps into its own,
 * so the tree is freed as soon as loading ends. Validation stops at the first problem and names
 * the position of the offending value. */
#include "baseline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/source.h"

typedef struct Loader {
    Baseline *bl;
    const char *path;
    char *err;
    size_t errlen;
} Loader;

static int fail(Loader *ld, const JsonValue *at, const char *fmt, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    if (at)
        snprintf(ld->err, ld->errlen, "%s:%u:%u: %s", ld->path, at->line, at->col, msg);
    else
        snprintf(ld->err, ld->errlen, "%s: %s", ld->path, msg);
    return -1;
}

/* ---- numbers ------------------------------------------------------------------------------- */

static int number_cmp(const void *x, const void *y)
{
    return strcmp(((const BlNumber *)x)->key, ((const BlNumber *)y)->key);
}

static void push_number(Baseline *bl, const char *key, double value)
{
    BlNumber n = {arena_strndup(&bl->arena, key, strlen(key)), value};
    VEC_PUSH(bl->numbers, n);
}

static void push_print(Baseline *bl, const JsonValue *fp)
{
    BlPrint p = {arena_strndup(&bl->arena, fp->u.str.s, fp->u.str.len), 1, 1};
    VEC_PUSH(bl->prints, p);
}

static void push_path(Baseline *bl, BlPaths *out, const JsonValue *s)
{
    VEC_PUSH(*out, arena_strndup(&bl->arena, s->u.str.s, s->u.str.len));
}

/* Records every number under v with its dotted key; arrays and other values are skipped. */
static void flatten(Loader *ld, const JsonValue *v, const char *prefix)
{
    if (json_is(v, JSON_NUMBER)) {
        push_number(ld->bl, prefix, v->u.num);
        return;
    }
    for (uint32_t i = 0; json_is(v, JSON_OBJECT) && i < v->n; i++) {
        const char *k = json_key_at(v, i);
        size_t n = strlen(prefix) + strlen(k) + 2;
        char *key = xmalloc(n);
        snprintf(key, n, "%s%s%s", prefix, *prefix ? "." : "", k);
        flatten(ld, json_at(v, i), key);
        free(key);
    }
}

/* ---- fingerprints -------------------------------------------------------------------------- */

static int print_cmp(const void *x, const void *y)
{
    return strcmp(((const BlPrint *)x)->fingerprint, ((const BlPrint *)y)->fingerprint);
}

/* Sorts the fingerprints and merges duplicates into counts. */
static void merge_prints(Baseline *bl)
{
    if (bl->prints.n == 0) return;
    qsort(bl->prints.items, bl->prints.n, sizeof *bl->prints.items, print_cmp);
    uint32_t out = 0;
    for (uint32_t i = 0; i < bl->prints.n; i++) {
        BlPrint *p = &bl->prints.items[i];
        if (out > 0 && strcmp(bl->prints.items[out - 1].fingerprint, p->fingerprint) == 0) {
            bl->prints.items[out - 1].count++;
            bl->prints.items[out - 1].left++;
            continue;
        }
        bl->prints.items[out++] = *p;
    }
    bl->prints.n = out;
}

static int load_findings(Loader *ld, const JsonValue *arr)
{
    if (!json_is(arr, JSON_ARRAY))
        return fail(ld, arr, "\"findings\" must be an array, not %s", json_kind_name(arr->kind));
    for (uint32_t i = 0; i < arr->n; i++) {
        const JsonValue *f = json_at(arr, i);
        const JsonValue *fp = json_get(f, "fingerprint");
        if (!json_is(f, JSON_OBJECT))
            return fail(ld, f, "a finding must be an object, not %s", json_kind_name(f->kind));
        if (!json_str(fp))
            return fail(ld, fp ? fp : f, "%s", "finding without a \"fingerprint\" string");
        push_print(ld->bl, fp);
    }
    ld->bl->nfindings = arr->n;
    merge_prints(ld->bl);
    return 0;
}

/* ---- categories ---------------------------------------------------------------------------- */

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int load_paths(Loader *ld, FileCategory c, const JsonValue *arr)
{
    if (!arr) return 0;
    if (!json_is(arr, JSON_ARRAY))
        return fail(ld, arr, "\"paths\" must be an array, not %s", json_kind_name(arr->kind));
    BlPaths *out = &ld->bl->cat_paths[c];
    for (uint32_t i = 0; i < arr->n; i++) {
        const JsonValue *s = json_at(arr, i);
        if (!json_str(s))
            return fail(ld, s, "a path must be a string, not %s", json_kind_name(s->kind));
        push_path(ld->bl, out, s);
    }
    if (out->n) qsort(out->items, out->n, sizeof *out->items, str_cmp);
    return 0;
}

static int load_categories(Loader *ld, const JsonValue *cats)
{
    if (!cats) return 0;
    if (!json_is(cats, JSON_OBJECT))
        return fail(ld, cats, "\"categories\" must be an object, not %s",
                    json_kind_name(cats->kind));
    flatten(ld, cats, "categories");
    for (uint32_t i = 0; i < cats->n; i++) {
        FileCategory c;
        if (!cat_parse(json_key_at(cats, i), &c))
            continue; /* a category this version does not know: its numbers are still kept */
        if (load_paths(ld, c, json_get(json_at(cats, i), "paths")) != 0) return -1;
    }
    return 0;
}

/* ---- sections 7-10 and the call graph ------------------------------------------------------ */

/* The numbers of the whole-program sections: "call_graph.coverage", "graph.counts.components",
 * "estimate.weeks", "strategies.hybrid.weeks" (strategies by their "key"). Objects of another
 * shape are skipped: these sections are compared when present, never required. */
static void load_plan_numbers(Loader *ld, const JsonValue *doc)
{
    const JsonValue *cg = json_get(doc, "call_graph");
    if (json_is(cg, JSON_OBJECT)) flatten(ld, cg, "call_graph");
    const JsonValue *counts = json_get(json_get(doc, "graph"), "counts");
    if (json_is(counts, JSON_OBJECT)) flatten(ld, counts, "graph.counts");
    const JsonValue *est = json_get(doc, "estimate");
    if (json_is(est, JSON_OBJECT)) flatten(ld, est, "estimate");
    const JsonValue *strats = json_get(doc, "strategies");
    for (uint32_t i = 0; json_is(strats, JSON_ARRAY) && i < strats->n; i++) {
        const JsonValue *s = json_at(strats, i);
        const JsonValue *key = json_get(s, "key");
        if (!json_is(s, JSON_OBJECT) || !json_str(key)) continue;
        char prefix[96];
        snprintf(prefix, sizeof prefix, "strategies.%.*s", (int)key->u.str.len, key->u.str.s);
        flatten(ld, s, prefix);
    }
}

/* ---- the document -------------------------------------------------------------------------- */

static int check_version(Loader *ld, const JsonValue *ver)
{
    double v;
    if (!json_number(ver, &v))
        return fail(ld, ver, "\"schema_version\" must be a number, not %s",
                    json_kind_name(ver->kind));
    if (v != BL_SCHEMA_VERSION) {
        char num[32];
        snprintf(num, sizeof num, "%g", v);
        return fail(ld, ver, "unsupported schema_version %s (this sqlasync reads 1)", num);
    }
    return 0;
}

static const char *copy_str(Baseline *bl, const JsonValue *v)
{
    return json_str(v) ? arena_strndup(&bl->arena, v->u.str.s, v->u.str.len) : NULL;
}

static int load_report(Loader *ld, const JsonValue *doc)
{
    const JsonValue *totals = json_get(doc, "totals");
    if (totals && !json_is(totals, JSON_OBJECT))
        return fail(ld, totals, "\"totals\" must be an object, not %s",
                    json_kind_name(totals->kind));
    ld->bl->is_report = totals != NULL;
    ld->bl->tool_version = copy_str(ld->bl, json_get(json_get(doc, "tool"), "version"));
    ld->bl->root = copy_str(ld->bl, json_get(doc, "root"));
    if (totals) flatten(ld, totals, "");
    if (load_categories(ld, json_get(doc, "categories")) != 0) return -1;
    if (totals) load_plan_numbers(ld, doc);
    if (ld->bl->numbers.n)
        qsort(ld->bl->numbers.items, ld->bl->numbers.n, sizeof *ld->bl->numbers.items, number_cmp);
    const JsonValue *findings = json_get(doc, "findings");
    return findings ? load_findings(ld, findings) : 0;
}

static int load_doc(Loader *ld, const JsonValue *doc)
{
    if (json_is(doc, JSON_ARRAY)) return load_findings(ld, doc);
    if (!json_is(doc, JSON_OBJECT))
        return fail(ld, doc, "expected a JSON report or check output (an object), not %s",
                    json_kind_name(doc->kind));
    const JsonValue *ver = json_get(doc, "schema_version");
    if (ver && check_version(ld, ver) != 0) return -1;
    if (!ver && !json_get(doc, "findings"))
        return fail(ld, doc, "%s",
                    "not a sqlasync report or check output (no \"schema_version\" or "
                    "\"findings\")");
    return load_report(ld, doc);
}

int bl_parse(Baseline *bl, const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    memset(bl, 0, sizeof *bl);
    arena_init(&bl->arena);
    bl->path = arena_strndup(&bl->arena, path, strlen(path));
    Arena scratch;
    arena_init(&scratch);
    JsonValue *doc;
    JsonError jerr;
    int rc;
    if (json_parse(&doc, path, text, len, &scratch, &jerr) != 0) {
        snprintf(err, errlen, "%s", jerr.text);
        rc = -1;
    } else {
        Loader ld = {bl, path, err, errlen};
        rc = load_doc(&ld, doc);
    }
    arena_free(&scratch);
    return rc;
}

int bl_load(Baseline *bl, const char *path, char *err, size_t errlen)
{
    Source src;
    char msg[200];
    if (source_load(&src, path, msg, sizeof msg) != 0) {
        memset(bl, 0, sizeof *bl);
        arena_init(&bl->arena);
        snprintf(err, errlen, "%s: %s", path, msg);
        return -1;
    }
    int rc = bl_parse(bl, path, src.text, src.len, err, errlen);
    source_free(&src);
    return rc;
}

void bl_free(Baseline *bl)
{
    VEC_FREE(bl->numbers);
    VEC_FREE(bl->prints);
    for (int c = 0; c < FCAT__COUNT; c++)
        VEC_FREE(bl->cat_paths[c]);
    arena_free(&bl->arena);
}

/* ---- queries ------------------------------------------------------------------------------- */

bool bl_number(const Baseline *bl, const char *key, double *out)
{
    BlNumber probe = {key, 0};
    const BlNumber *hit = bl->numbers.n ? bsearch(&probe, bl->numbers.items, bl->numbers.n,
                                                  sizeof *bl->numbers.items, number_cmp)
                                        : NULL;
    if (hit) *out = hit->value;
    return hit != NULL;
}

bool bl_has_prefix(const Baseline *bl, const char *prefix)
{
    size_t n = strlen(prefix);
    uint32_t lo = 0, hi = bl->numbers.n; /* the first key >= prefix */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(bl->numbers.items[mid].key, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < bl->numbers.n && strncmp(bl->numbers.items[lo].key, prefix, n) == 0;
}

bool bl_take(Baseline *bl, const char *fingerprint)
{
    BlPrint probe = {fingerprint, 0, 0};
    BlPrint *hit = bl->prints.n ? bsearch(&probe, bl->prints.items, bl->prints.n,
                                          sizeof *bl->prints.items, print_cmp)
                                : NULL;
    if (!hit || hit->left == 0) return false;
    hit->left--;
    return true;
}

uint32_t bl_untaken(const Baseline *bl)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < bl->prints.n; i++)
        n += bl->prints.items[i].left;
    return n;
}

void bl_reset(Baseline *bl)
{
    for (uint32_t i = 0; i < bl->prints.n; i++)
        bl->prints.items[i].left = bl->prints.items[i].count;
}

bool bl_percent(double old_value, double new_value, double *pct)
{
    if (old_value == 0) return false;
    *pct = round((new_value - old_value) / old_value * 1000.0) / 10.0;
    if (*pct == 0) *pct = 0; /* no "-0.0" */
    return true;
}

static void push_str(BlPaths *out, const char *s)
{
    VEC_PUSH(*out, s);
}

void bl_cat_diff(const Baseline *bl, FileCategory c, const char *const *now, uint32_t n,
                 BlPaths *added, BlPaths *removed)
{
    const BlPaths *old = &bl->cat_paths[c];
    uint32_t i = 0, j = 0;
    while (i < n || j < old->n) {
        int cmp = i == n ? 1 : j == old->n ? -1 : strcmp(now[i], old->items[j]);
        if (cmp != 0) push_str(cmp < 0 ? added : removed, cmp < 0 ? now[i] : old->items[j]);
        i += cmp <= 0;
        j += cmp >= 0;
    }
}
