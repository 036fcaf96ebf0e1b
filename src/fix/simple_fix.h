/* simple_fix: the fixes that are one local edit of a finding's own node.
 *
 *   SA105  session.execute("SELECT 1")   -> session.execute(text("SELECT 1"))    safe
 *          (a constant string only; Session.execute() already coerced a string to text() in
 *          1.4, so the statement runs the same; `text` is imported as query_to_select imports
 *          `select`)
 *   SA107  select([Job.id, Job.name])    -> select(Job.id, Job.name)            safe
 *          (the list is the only argument: select([cols], whereclause) is left manual)
 *   SA305  sessionmaker(engine)          -> sessionmaker(engine, expire_on_commit=False)
 *          `expire_on_commit=True` becomes False                                 unsafe
 *          (objects no longer expire at commit: code that relied on reloading them after
 *          commit reads the old values; left manual with **kwargs or a computed value)
 *   SA403  class Base(DeclarativeBase)   -> class Base(AsyncAttrs, DeclarativeBase)  safe
 *          (imports AsyncAttrs from sqlalchemy.ext.asyncio when the name is free)
 *
 * The finding is matched to its fact by span. Nothing is written; the fixer applies the edits
 * with the Query rewrites, in one pass that re-parses the result.
 *
 * Memory: edit texts live in the QsContext's arena. */
#ifndef SIMPLE_FIX_H
#define SIMPLE_FIX_H

#include <stdbool.h>

#include "../rules/finding.h"
#include "edit.h"
#include "query_to_select.h"

/* Does sf_fix handle findings of this code? */
bool sf_handles(const char *code);

/* Appends the edits fixing f (a finding of qc's file) to l, and records the imports they need in
 * qc->imports; returns NULL, or why f is left manual (then nothing is appended or recorded). */
const char *sf_fix(QsContext *qc, const Finding *f, EditList *l);

#endif
