/* query_to_select: legacy Query chains to SQLAlchemy 2.0 select() statements, as edits.
 *
 * From one FxQuery of a file's facts, qs_convert() produces the byte edits that rewrite the
 * chain following SQLAlchemy's 2.0 migration table (docs/fix.md has the full mapping):
 *   s.query(X).filter(a).all()        -> s.scalars(select(X).where(a)).all()
 *   s.query(A, B.c).all()             -> s.execute(select(A, B.c)).all()
 *   .first()                          -> s.scalars(select(X)....limit(1)).first()
 *   .one() / .one_or_none()           -> s.scalars(...).one() / .one_or_none()
 *   .scalar() of aggregates           -> s.scalar(select(func.count(X.id))...)
 *   .scalar() otherwise               -> s.execute(select(...)).scalar_one_or_none()
 *   .count()                          -> s.scalar(select(func.count()).select_from(X).where(a))
 *                                        (or ...select_from(select(...).subquery()))
 *   .get(i)                           -> s.get(X, i)
 *   .update(v, synchronize_session=k) -> s.execute(update(X).where(a).values(v)
 *                                                 .execution_options(synchronize_session=k)).rowcount
 *   .delete()                         -> s.execute(delete(X).where(a)).rowcount
 *   for x in s.query(X)...:           -> for x in s.scalars(select(X)...):
 *   .subquery() / .exists() / in_()   -> select(...) without the session
 * and `.unique()` wherever legacy Query de-duplicated entities that 2.0 would repeat (entity
 * queries with joins or joined eager loading). Only method names and the head and tail of a
 * chain are edited, so arguments, line breaks, comments and parentheses stay. A chain built
 * across statements of one function (q = s.query(X); q = q.filter(a); q.all()) is converted as
 * a whole, and only when every use of its variable is understood. A chain that cannot be
 * converted gets a reason instead (FxQuery.manual, or one found here) and no edits.
 *
 * Memory: the context borrows the file's Source, tokens, AST and facts; strings (edit texts,
 * reasons) live in the arena given to qs_init. The parent index is heap-owned until qs_free. */
#ifndef QUERY_TO_SELECT_H
#define QUERY_TO_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"
#include "../base/vec.h"
#include "../model/facts.h"
#include "../syntax/ast.h"
#include "../syntax/lexer.h"
#include "edit.h"
#include "imports.h"

typedef struct QsOutcome {
    const char *code;   /* "SA101" chain, "SA102" get(), "SA103" bulk update/delete */
    const char *manual; /* why it was left alone, or NULL */
    bool converted;     /* edits were appended */
    bool done;          /* handled (with the other queries of its group) */
} QsOutcome;

typedef struct QsParents QsParents; /* node -> parent index, private */

typedef struct QsContext {
    Source *src;
    const TokenArray *toks;
    const Node *module;
    const FileFacts *ff;
    Arena *a;
    ImportPlan imports;
    QsParents *parents;
    /* Classes (by name) with a collection relationship loaded with lazy="joined", from every
     * file of the project: their queries need .unique(). Borrowed; may be empty. */
    const char *const *joined_classes;
    uint32_t njoined;
    uint32_t first_edit; /* smallest offset edited so far (for im_edits) */
    uint32_t *by_root;   /* query indexes sorted by (root, index): groups are runs; heap */
    uint32_t *rank;      /* rank[k]: position of query k in by_root; heap */
    Vec(Span) done;      /* spans of the committed edits, sorted by start; heap */
    uint32_t max_len;    /* longest of them */
} QsContext;

void qs_init(QsContext *qc, Source *src, const TokenArray *toks, const Node *module,
             const FileFacts *ff, Arena *a);
void qs_free(QsContext *qc);

/* The function f (an index of ff->funcs, or -1) and the functions enclosing it, innermost
 * first: the scopes whose names code in f can see (im_spell). At most cap; returns how many. */
uint32_t qs_scopes(const FileFacts *ff, int32_t f, const Node **scopes, uint32_t cap);

/* The rule code of a query by its terminal method. */
const char *qs_code(const FxQuery *q);

/* The queries converted together with query k (k itself and, for a chain across statements,
 * every query of the facts with the same root), written to group; returns their number. */
uint32_t qs_group(const QsContext *qc, uint32_t k, uint32_t *group, uint32_t cap);

/* Converts query k with its group: on success appends the edits to l and marks every query of
 * the group converted; otherwise marks them with the reason. out has one slot per query of the
 * facts. Edits that would overlap edits already in l make the group manual. */
void qs_convert(QsContext *qc, uint32_t k, EditList *l, QsOutcome *out);

/* Adds the import edits the converted chains need (call once, after the conversions). */
void qs_finish(QsContext *qc, EditList *l);

#endif
