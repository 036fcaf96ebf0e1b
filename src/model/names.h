/* names: dotted names, annotation text and import resolution.
 *
 * Small pure helpers shared by the facts pass and the whole-program pass: the dotted text of a
 * Name/Attribute chain, normalised annotation text, the core type of an annotation
 * (`Optional["Session"]` -> "Session"), and names followed through a file's imports
 * ("orm.Session" with `from sqlalchemy import orm` -> "sqlalchemy.orm.Session"). Every string
 * returned is allocated in the arena given (or points into an argument that lives as long); the
 * helpers never change the AST and keep no state. */
#ifndef NAMES_H
#define NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"
#include "../syntax/ast.h"
#include "facts.h"

/* "a.b.c" for a Name/Attribute chain of plain names; NULL for anything else. */
const char *nm_dotted(const Node *e, Arena *a);
/* nm_dotted of e, or of e's callee when e is a Call (decorators: `@router.get("/")` ->
 * "router.get"). */
const char *nm_callee_dotted(const Node *e, Arena *a);
/* Normalised expression text for annotations: names, attributes, subscripts, `|`, tuples,
 * lists, None, string annotations inlined without quotes, ", " between items. */
const char *nm_annotation(const Node *e, Arena *a);
/* The core type of a normalised annotation: unwraps Optional[X], Union[X, None], X | None,
 * Annotated[X, ...] and quotes; returns X if it is a dotted name, else NULL. Sets *nullable. */
const char *nm_core_type(const char *ann, Arena *a, bool *nullable);
/* For generator/context-manager return annotations: Iterator[X], Generator[X, ...],
 * AsyncIterator[X], AsyncGenerator[X, ...], ContextManager[X], AsyncContextManager[X] -> core
 * type of X; otherwise nm_core_type(ann). */
const char *nm_yield_type(const char *ann, Arena *a);
/* The verbatim source text of a span. */
const char *nm_text(const Source *src, Span s, Arena *a);
/* A NUL-terminated copy of a str Constant's value; NULL when e is not a str Constant. */
const char *nm_str(const Node *e, Arena *a);
/* The last dotted component (pointer into d). */
const char *nm_last(const char *d);
/* The first dotted component (a copy). */
const char *nm_first(const char *d, Arena *a);
/* x + "." + y. */
const char *nm_join(const char *x, const char *y, Arena *a);
/* Follows the first component of dotted through imports[0..n): the import's target plus the
 * rest; NULL when the first component is not bound by an import. */
const char *nm_resolve(const FxImport *imports, uint32_t n, const char *dotted, Arena *a);
/* True when resolved names SQLAlchemy's (or SQLModel's) `name`: "sqlalchemy.orm.Session",
 * "sqlalchemy.orm.session.Session", "sqlalchemy.Session" for name "Session". */
bool nm_is_sa(const char *resolved, const char *name);
/* Is s (may be NULL) one of the strings of the NULL-terminated set? */
bool nm_in_set(const char *s, const char *const *set);
/* True when resolved is exactly module + "." + name (e.g. "asyncio", "sleep"). */
bool nm_is(const char *resolved, const char *module, const char *name);
/* The absolute module for a relative reference: the importing module `module` (dotted; a
 * package's own name for its __init__), is_package, level dots and the rest ("db.Session").
 * NULL when the dots go above the top package. */
const char *nm_absolute(const char *module, bool is_package, uint32_t level, const char *rest,
                        Arena *a);

#endif
