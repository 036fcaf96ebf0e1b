/* parser: tokens to AST for Python 3.12, recursive descent with one function per grammar rule.
 *
 * parse_source() lexes and parses a whole file into a Module node allocated in the caller's
 * arena, with exactly the nodes, fields and positions CPython's ast.parse() produces. On a syntax
 * error it returns NULL and appends one Diag with code "E001" (span, line and byte column set,
 * message lowercase: "expected ')' to close '(' at line 3"). Nesting deeper than
 * PARSE_MAX_DEPTH recursive rules, or recursion using more than PARSE_MAX_STACK bytes of C
 * stack, is a syntax error ("too deeply nested"), never a stack overflow. The parser never
 * modifies the source and keeps no global state, so files can be parsed in parallel. */
#ifndef PARSER_H
#define PARSER_H

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/source.h"
#include "ast.h"
#include "lexer.h"

/* CPython 3.11's parser stops at 6000 nested rule calls (MAXSTACK): it accepts 5969 unary
 * minus or `not` and 2984 nested lambdas or '**' (we accept 5999 and 2999: a lambda and a '**'
 * count twice here too; CPython 3.12's compiler stops unary chains at 2993, RecursionError).
 * Brackets stop earlier, in the lexer, at 200 ("too many nested parentheses", MAXLEVEL), and blocks
 * at 100 ("too many levels of indentation"). A nesting level costs at most a few hundred bytes of
 * stack (-O2: 54 bytes per unary minus, 390 per nested call; clang ASan: 75 and 780), so 6000
 * levels fit easily in the default 8 MB main stack and the project loader's 16 MB threads;
 * PARSE_MAX_STACK bounds it regardless. */
#define PARSE_MAX_DEPTH 6000
#define PARSE_MAX_STACK ((uintptr_t)4 << 20)

typedef struct ParseOutput {
    Node *module;      /* AST_MODULE, or NULL on error */
    TokenArray tokens; /* arena-owned; kept for the rewriter */
    bool transcoded;   /* src was decoded from a PEP 263 encoding: its text is no longer the
                          file's bytes, so the rewriter must not write it back */
} ParseOutput;

/* Parses src (UTF-8; a UTF-8 BOM is skipped). A file with a coding cookie naming another
 * encoding (latin-1, cp1252, ...) is first decoded: src->text is replaced by its UTF-8 text and
 * out->transcoded is set. Returns 0, or -1 with one Diag appended. */
int parse_source(Source *src, Arena *a, ParseOutput *out, DiagList *diags);

#endif
