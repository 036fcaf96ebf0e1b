/* parser: tokens to AST for Python 3.12, recursive descent with one function per grammar rule.
 *
 * parse_source() lexes and parses a whole file into a Module node allocated in the caller's
 * arena, with exactly the nodes, fields and positions CPython's ast.parse() produces. On a syntax
 * error it returns NULL and appends one Diag with code "E001" (span, line and byte column set,
 * message lowercase: "expected ')' to close '(' at line 3"). Nesting deeper than
 * PARSE_MAX_DEPTH is a syntax error ("too deeply nested"), never a stack overflow. The parser
 * never modifies the source and keeps no global state, so files can be parsed in parallel. */
#ifndef PARSER_H
#define PARSER_H

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/source.h"
#include "ast.h"
#include "lexer.h"

#define PARSE_MAX_DEPTH 200

typedef struct ParseOutput {
    Node *module;      /* AST_MODULE, or NULL on error */
    TokenArray tokens; /* arena-owned; kept for the rewriter */
} ParseOutput;

/* Parses src (UTF-8; a UTF-8 BOM is skipped). Returns 0, or -1 with one Diag appended. */
int parse_source(Source *src, Arena *a, ParseOutput *out, DiagList *diags);

#endif
