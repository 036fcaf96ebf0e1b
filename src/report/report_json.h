/* report_json: the migration report as versioned JSON (docs/report-json.md documents every key).
 *
 * report_json() writes one object: "schema_version" (REPORT_JSON_SCHEMA, bumped on any
 * incompatible change), "tool", "root", "baseline", "totals" (every number of the report, with
 * "counts" per metric key), "categories", "files" (the per-file breakdown: summing a number over
 * "files" gives its total), "architecture" (items with their evidence), "critical" (groups of
 * finding indexes) and "findings" (each with its fingerprint). With a baseline report it adds,
 * under "baseline", old and new values and the percent change of every number of either report,
 * the files added and removed per category, and marks each finding "new" or "existing".
 *
 * Output is pretty-printed (base/json.h JsonWriter), deterministic (files and findings in path
 * order, keys in a fixed or sorted order) and independent of the number of threads used. */
#ifndef REPORT_JSON_H
#define REPORT_JSON_H

#include "../base/buf.h"
#include "../plan/baseline.h"
#include "metrics.h"

#define REPORT_JSON_SCHEMA 1

/* bl: a baseline report, or NULL (its fingerprint counters are used, then reset). */
void report_json(Buf *out, const Metrics *m, const char *version, Baseline *bl);

/* The same with the keys "graph", "order", "estimate", "plan" and "strategies" written from plan
 * (report_plan.h, docs/plan.md), after "critical"; plan NULL gives report_json(). */
struct PlanReport;
void report_json_plan(Buf *out, const Metrics *m, const char *version, Baseline *bl,
                      const struct PlanReport *plan);

/* The numbers of this report as a Baseline holds an old one's (bl_number keys: totals,
 * categories, call graph, dependency graph counts, estimate, strategies), to compare with one.
 * plan may be NULL. Returns 0 (bl_free it in any case). */
int report_json_numbers(const Metrics *m, const struct PlanReport *plan, Baseline *cur);

#endif
