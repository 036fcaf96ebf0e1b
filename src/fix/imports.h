/* imports: the sqlalchemy names that rewritten code needs, spelled so they resolve, and the
 * edits that import them.
 *
 * im_init() reads a module's top-level imports once. im_spell() answers how code inside a given
 * function may name select/func/update/delete: through an existing top-level import from
 * sqlalchemy (keeping its alias: `from sqlalchemy import select as sa_select` gives
 * "sa_select"), through `from sqlalchemy import *`, as a new bare import when the name is free
 * (bound nowhere at module level, nor in the function or its enclosing functions), or through
 * `import sqlalchemy as sa` ("sa.select"); NULL when none of these is safe. A name required
 * with im_require() is then added by im_edits() to the first top-level
 * `from sqlalchemy import ...` (appended, in that statement's style: one line, parentheses one
 * name per line, trailing comma) or as a new `from sqlalchemy import ...` line after the last
 * top-level import that precedes the first rewritten code (else at the top, after a
 * docstring). Names are never imported twice.
 *
 * Memory: the plan borrows the module, its source and its tokens, and allocates edit texts in
 * the arena given to im_init. */
#ifndef IMPORTS_H
#define IMPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"
#include "../syntax/ast.h"
#include "../syntax/lexer.h"
#include "edit.h"

typedef enum { IM_DELETE, IM_FUNC, IM_SELECT, IM_TEXT, IM_UPDATE, IM__COUNT } ImName;

typedef struct ImportPlan {
    const Node *module;
    const Source *src;
    const TokenArray *toks;
    Arena *a;
    const Node *from_stmt;           /* first top-level `from sqlalchemy import a, b`, or NULL */
    bool star;                       /* top-level `from sqlalchemy import *` */
    const char *sa_alias;            /* bound by top-level `import sqlalchemy [as sa]`, or NULL */
    const char *existing[IM__COUNT]; /* local name from a top-level sqlalchemy import, or NULL */
    bool add[IM__COUNT];             /* to be imported by im_edits */
    const char *async_attrs; /* local name of a top-level `from sqlalchemy.ext.asyncio import
                                AsyncAttrs [as X]`, or NULL */
    bool add_async_attrs;    /* im_edits adds `from sqlalchemy.ext.asyncio import AsyncAttrs` */
    const char *bound[2 * IM__COUNT + 1]; /* names asked about at module level (cache) */
    bool is_bound[2 * IM__COUNT + 1];     /* their answers */
    uint32_t nbound;
} ImportPlan;

void im_init(ImportPlan *ip, const Node *module, const Source *src, const TokenArray *toks,
             Arena *a);
/* scopes: the function the code is in, then its enclosing functions (FunctionDef nodes); may
 * be empty for module-level code. Sets *needs when the spelling relies on a new import, which
 * im_require() then records (so a caller that gives up adds nothing). */
const char *im_spell(ImportPlan *ip, ImName name, const Node *const *scopes, uint32_t nscopes,
                     bool *needs);
void im_require(ImportPlan *ip, ImName name);
/* How module-level code may name sqlalchemy.ext.asyncio's AsyncAttrs: its existing import, or a
 * new one (sets *needs; im_require_async_attrs records it) when the name is free; else NULL. */
const char *im_spell_async_attrs(ImportPlan *ip, bool *needs);
void im_require_async_attrs(ImportPlan *ip);
/* Adds the import edits for every name answered as a new import; first_use is the offset of
 * the first rewritten code in the file. */
void im_edits(ImportPlan *ip, EditList *l, uint32_t first_use);
const char *im_name_text(ImName name); /* "select", ... */
/* Whether name is bound in the scope of def (parameters, assignments, imports, loop and with
 * targets, nested def/class names), not counting nested scopes' own bodies. */
bool im_binds(const Node *def, const char *name);

#endif
