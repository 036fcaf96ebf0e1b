/* report_md: the migration report in Markdown (GitHub-flavoured: tables, code spans).
 *
 * report_md() writes, in order: 1 the header (root, Python files and lines, tool version,
 * baseline), 2 the summary (files to modify, the share of findings `sqlasync fix` fixes),
 * 3 scope by category, 4 database operations, 5 architecture state, 6 critical findings and
 * 11 the appendix (every finding by file). Sections 7-10 (dependency order, estimate, plan,
 * strategies) and the Summary's estimate and risk lines come from report_plan.c, through
 * report_md_plan(). Every number comes from the
 * Metrics; every claim about the code carries `path:line` evidence; a group or item with
 * nothing to show is left out. With a baseline (a report), each number reads
 * "old → new (+x.y%)" and each category lists the files added and removed since.
 *
 * md_escape() is the only function that escapes text for Markdown. Output is deterministic and
 * depends only on its inputs. Nothing is printed: the caller writes the Buf. */
#ifndef REPORT_MD_H
#define REPORT_MD_H

#include <stddef.h>

#include "../base/buf.h"
#include "../plan/baseline.h"
#include "metrics.h"

/* md_escape flags. */
#define MD_CODE 1u /* write s as a code span, with its delimiters (longer ones when s has '`') */
#define MD_CELL 2u /* inside a table cell: '|' is escaped in code spans too */

/* Appends s[0..n) escaped for Markdown text (\ ` * _ [ ] < > # | ~ and line breaks), or as a
 * code span with MD_CODE. */
void md_escape(Buf *b, const char *s, size_t n, unsigned flags);
/* The change from old to now as the report shows it: "+12.5%", "-3.0%", "new" (old 0, now
 * not) or "0.0%" (both 0). */
void md_change(Buf *b, double old, double now);

/* The report. version: the tool's version; bl: a baseline report, or NULL (its fingerprint
 * counters are used to count new and fixed findings, and reset). */
void report_md(Buf *out, const Metrics *m, const char *version, Baseline *bl);

/* The same with sections 7-10 and the Summary's estimate and risk lines written from plan
 * (report_plan.h); plan NULL gives report_md(). */
struct PlanReport;
void report_md_plan(Buf *out, const Metrics *m, const char *version, Baseline *bl,
                    const struct PlanReport *plan);

#endif
