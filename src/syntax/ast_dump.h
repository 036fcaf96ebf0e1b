/* ast_dump: prints an AST exactly as CPython's ast.dump(tree, include_attributes=True) does.
 *
 * Values are printed as Python's repr() prints them (shortest round-trip floats, big integers in
 * decimal, str and bytes with Python's quoting and escapes, complex, Ellipsis). pyver selects
 * the layout of a CPython version: 312 (type_params fields, exact f-string positions) or 311
 * (no type_params fields; f-string parts carry the positions CPython 3.11 gives them). Output is
 * appended to out; nothing is printed. */
#ifndef AST_DUMP_H
#define AST_DUMP_H

#include "../base/buf.h"
#include "../base/source.h"
#include "ast.h"

void ast_dump(Buf *out, Source *src, const Node *root, int pyver);

#endif
