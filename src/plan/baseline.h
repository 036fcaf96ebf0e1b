/* baseline: an earlier JSON report (or `check --format json` output), loaded for comparison.
 *
 * bl_load() reads either
 *   - a report written by `sqlasync report --format json` (docs/report-json.md): an object with
 *     "schema_version": 1, "totals", "categories" and "findings"; or
 *   - findings alone, as `sqlasync check --format json` writes them: an object with a
 *     "findings" array (and optionally "schema_version": 1), or a bare array of findings.
 * Every finding must carry a "fingerprint" string (rules/fingerprint.h). From a report it also
 * keeps every number under "totals" and "categories", flattened into dotted keys
 * ("python_files", "counts.sessions.instances", "categories.tests.files"), and the sorted file
 * list of each category.
 *
 * Fingerprints are a multiset: bl_take() consumes one occurrence, so three identical findings
 * in the baseline excuse three now, not a fourth. Errors read "path:line:col: message" (or
 * "path: message" when the file cannot be read): malformed JSON, an unsupported schema_version,
 * a member of the wrong type. Memory: a Baseline owns everything in it until bl_free(), which is
 * safe after a failed load. Nothing is printed. */
#ifndef BASELINE_H
#define BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "../model/category.h"

#define BL_SCHEMA_VERSION 1

typedef struct BlNumber {
    const char *key; /* dotted, arena-owned */
    double value;
} BlNumber;

typedef struct BlPrint {
    const char *fingerprint; /* arena-owned */
    uint32_t count;          /* occurrences in the baseline */
    uint32_t left;           /* not yet taken */
} BlPrint;

typedef Vec(const char *) BlPaths;

typedef struct Baseline {
    Arena arena;
    const char *path;               /* as given */
    bool is_report;                 /* "totals" present: a full report */
    const char *tool_version;       /* "tool"."version", or NULL */
    const char *root;               /* "root", or NULL */
    Vec(BlNumber) numbers;          /* sorted by key */
    Vec(BlPrint) prints;            /* sorted by fingerprint */
    uint32_t nfindings;             /* findings in the baseline */
    BlPaths cat_paths[FCAT__COUNT]; /* sorted; empty for findings-only files */
} Baseline;

/* Loads path. Returns 0, or -1 with a message in err. */
int bl_load(Baseline *bl, const char *path, char *err, size_t errlen);
/* The same from text in memory (path for messages). */
int bl_parse(Baseline *bl, const char *path, const char *text, size_t len, char *err,
             size_t errlen);
void bl_free(Baseline *bl);

/* A flattened number of a report ("lines", "counts.queries.instances"); false when absent. */
bool bl_number(const Baseline *bl, const char *key, double *out);
/* Does the report hold a number whose key starts with prefix ("estimate.")? (An older report
 * may lack a whole section.) */
bool bl_has_prefix(const Baseline *bl, const char *prefix);
/* Consumes one baseline occurrence of fingerprint; false when none is left (a new finding). */
bool bl_take(Baseline *bl, const char *fingerprint);
/* Baseline findings never taken: fixed (or changed) since the baseline. */
uint32_t bl_untaken(const Baseline *bl);
/* Puts every occurrence back (to compare another finding list). */
void bl_reset(Baseline *bl);

/* Percent change from old to new, rounded to one decimal; false when old is 0 (undefined). */
bool bl_percent(double old_value, double new_value, double *pct);

/* Files of a category now and not in the baseline (added), and the reverse (removed). now must
 * be sorted (strcmp); the results borrow strings from now and from bl. */
void bl_cat_diff(const Baseline *bl, FileCategory c, const char *const *now, uint32_t n,
                 BlPaths *added, BlPaths *removed);

#endif
