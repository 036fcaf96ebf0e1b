/* report_plan: sections 7-10 of the migration report (dependency order, estimate, plan,
 * strategies), the Summary's estimate and risk lines, their JSON keys, and the `sqlasync graph`
 * outputs (Graphviz DOT and JSON).
 *
 * rp_build() runs the plan layer on an analysed project: the dependency graph from the facts
 * (plan/depgraph.h), the estimate from the report's Metrics (files to modify, sessions not async
 * yet, findings) and the `[tool.sqlasync.estimate]` parameters (plan/estimate.h), and the
 * phases and strategies (plan/phases.h). The writers only format what those computed: every
 * number comes from them, every claim about the code carries `path:line` evidence, and a
 * section with nothing to show is left out. Markdown text goes through md_escape() (report_md.h);
 * DOT strings through dot_escape() here, the only DOT escaping function.
 *
 * Memory: a PlanReport owns the graph, the estimate, the plan, its file table and a copy of the
 * parameter array until rp_free(); it borrows the Metrics, the Program, the facts and the
 * parameters' key strings, which must outlive it. Output is
 * deterministic. Nothing is printed: the caller writes the Buf. */
#ifndef REPORT_PLAN_H
#define REPORT_PLAN_H

#include <stdint.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "../model/facts.h"
#include "../model/project.h"
#include "../plan/baseline.h"
#include "../plan/depgraph.h"
#include "../plan/estimate.h"
#include "../plan/phases.h"
#include "metrics.h"

typedef struct PlanReport {
    DgGraph graph;
    Estimate est;
    Plan plan;
    EstFile *files;   /* heap: one per Metrics file */
    EstParam *params; /* heap copy of the parameters (their keys stay borrowed) */
    EstInput in;
} PlanReport;

typedef struct RpInput {
    Program *prog;
    FileFacts *const *facts; /* per Program file, NULL when not parsed */
    const EstParam *params;  /* [tool.sqlasync.estimate]; borrowed */
    uint32_t nparams;
} RpInput;

void rp_build(PlanReport *pr, const Metrics *m, const RpInput *in);
void rp_free(PlanReport *pr);

/* The Summary's lines: "- **Estimate:** ..." and "- **Risk level:** ...". */
void rp_md_summary(Buf *b, const PlanReport *pr);
/* A baseline report's numbers and this report's (report_json_numbers), for sections 7-10 to
 * end with "### Since the baseline" tables of their headline numbers. */
typedef struct RpCompare {
    const Baseline *old, *cur;
} RpCompare;

/* Sections 7-10; cmp NULL without a baseline. */
void rp_md_sections(Buf *b, const PlanReport *pr, const RpCompare *cmp);
/* The keys "graph", "order", "estimate", "plan" and "strategies" of the JSON report, written
 * into the object being built. */
void rp_json(JsonWriter *w, const PlanReport *pr);

/* `sqlasync graph`: the whole document. root is the path as shown. */
void rp_graph_dot(Buf *b, const DgGraph *g, const char *root);
void rp_graph_json(Buf *b, const DgGraph *g, const char *root, const char *version);

#endif
