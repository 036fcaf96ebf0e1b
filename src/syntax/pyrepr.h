/* pyrepr: Python's repr() of the values an AST holds, for ast_dump.
 *
 * Each function appends the text CPython 3.11/3.12 prints to a caller-owned Buf and reads its
 * input without keeping it. Strings are UTF-8 in which a lone surrogate is its 3-byte sequence
 * (WTF-8), as literal.c decodes them; integers are the literal's source text (any base,
 * underscores), printed in decimal at any size. Printability follows Python 3.11's
 * str.isprintable() (Unicode 14.0, table in unicode_print.h). Nothing here prints or fails:
 * malformed UTF-8 bytes are shown as \xNN escapes. */
#ifndef PYREPR_H
#define PYREPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "ast.h"

bool repr_isprintable(uint32_t cp);
void repr_str(Buf *out, const char *s, size_t len);         /* 'a\n' or "it's" */
void repr_bytes(Buf *out, const char *s, size_t len);       /* b'\x00' */
void repr_int_text(Buf *out, const char *text, size_t len); /* "0xff" -> 255 */
void repr_float(Buf *out, double v);                        /* 0.1, 1e+16, inf */
void repr_imag(Buf *out, double imag);                      /* 1j, 1.5j, 1e+100j */
void repr_const(Buf *out, const Const *c);                  /* any Constant value */

#endif
