/* parser_impl: the parser's private interface, shared by parser.c (driver, errors, helpers),
 * parse_stmt.c, parse_expr.c, parse_args.c, parse_pattern.c and parse_fstring.c. Nothing outside
 * src/syntax/parse*.c includes it.
 *
 * Rules read the lexer's token array through Parser.pos; backtracking is restoring pos (px_try).
 * A node's span runs from the first byte of the token where its rule started to the end of the
 * last token the rule consumed, NEWLINE/INDENT/DEDENT excluded (CPython's EXTRA). Nodes, lists
 * and identifiers live in the caller's arena; lists are built on the scratch stack (px_push) and
 * copied to the arena once complete (px_take), so no list is ever reallocated in the arena.
 * parse_error() never returns: it records one Diag (not while speculating) and longjmps to the
 * innermost px_try() or to parse_source(). The arena owns everything, so nothing leaks. */
#ifndef PARSER_IMPL_H
#define PARSER_IMPL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/vec.h"
#include "literal.h"
#include "parser.h"

typedef struct NameSlot {
    const char *s;  /* arena copy of the name as written, NUL-terminated */
    const char *id; /* the identifier: s, or the interned NFKC form of a non-ASCII s */
    uint64_t head;  /* the first 8 bytes, zero-padded: most names compare without memcmp */
    uint32_t len, hash;
} NameSlot;

typedef struct Parser {
    Source *src;
    const char *text; /* src->text */
    Arena *a;
    const Token *toks; /* ends with TK_ENDMARKER, which is never consumed */
    uint32_t ntoks;
    uint32_t pos; /* index of the current token */
    uint32_t far; /* furthest token CPython would have read (px_look): "invalid syntax" there */
    int depth;    /* nesting of recursive rules, at most PARSE_MAX_DEPTH */
    uintptr_t stack_limit; /* px_enter fails below this frame address (PARSE_MAX_STACK) */
    int level;             /* brackets open around the current token (error hints) */
    bool speculative;      /* inside px_try: errors are not recorded */
    bool indent_error;     /* the error is "unexpected indent" or "unexpected unindent" */
    jmp_buf *on_error;
    DiagList *diags;
    Vec(Node *) stack;         /* scratch: lists under construction */
    Vec(const char *) idstack; /* scratch: identifier lists */
    Vec(uint8_t) ops;          /* scratch: comparison operators */
    Buf buf;                   /* scratch: decoded literals, dotted names */
    Buf norm;                  /* scratch: NFKC of a new non-ASCII identifier */
    NameSlot *names;           /* identifiers interned into the arena (open addressing) */
    uint32_t names_cap, names_n;
} Parser;

/* ---- tokens ------------------------------------------------------------------------------ */

static inline TokenKind px_peek(const Parser *p)
{
    return (TokenKind)p->toks[p->pos].kind;
}

static inline TokenKind px_peek_at(const Parser *p, uint32_t ahead)
{
    uint32_t i = p->pos + ahead;
    return i < p->ntoks ? (TokenKind)p->toks[i].kind : TK_ENDMARKER;
}

/* px_peek_at for a lookahead that CPython's parser also makes, so that a generic error later
 * points where CPython's does (at the furthest token its first pass read). */
static inline TokenKind px_look(Parser *p, uint32_t ahead)
{
    if (p->pos + ahead > p->far) p->far = p->pos + ahead;
    return px_peek_at(p, ahead);
}

static inline bool px_accept(Parser *p, TokenKind k)
{
    if (p->toks[p->pos].kind != k) return false;
    p->pos++;
    return true;
}

/* True when token i is the NAME kw (a soft keyword: match, case, type, _). */
static inline bool px_soft(const Parser *p, uint32_t i, const char *kw)
{
    const Token *t = &p->toks[i];
    size_t n = strlen(kw);
    return t->kind == TK_NAME && t->span.end - t->span.start == n &&
           memcmp(p->text + t->span.start, kw, n) == 0;
}
/* True when the token can start an expression (atom, unary operator, '*', lambda, not, await). */
bool px_starts_expr(TokenKind k);
/* 'for' or 'async' 'for' at the current token. */
bool px_at_comprehension(Parser *p);

/* Consumes a token of kind k, or fails with "invalid syntax". */
void px_expect(Parser *p, TokenKind k);
/* Expects the closer of the bracket at token open; last is the start token of the last element
 * (for the "forgot a comma" hint) or UINT32_MAX. */
void px_expect_close(Parser *p, TokenKind close, uint32_t open, uint32_t last);
/* Expects a NAME and returns it interned. */
const char *px_expect_name(Parser *p);

/* ---- errors ------------------------------------------------------------------------------ */

_Noreturn void parse_error(Parser *p, Span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "invalid syntax" (or "unexpected indent") at the current token. */
_Noreturn void px_syntax_error(Parser *p);
void px_enter(Parser *p);
static inline void px_leave(Parser *p)
{
    p->depth--;
}
/* For a nesting that costs CPython's parser two levels (a lambda, a '**'): the limits match. */
static inline void px_enter2(Parser *p)
{
    p->depth++;
    px_enter(p);
}
static inline void px_leave2(Parser *p)
{
    p->depth -= 2;
}

/* Runs fn speculatively: on a syntax error inside it, restores the position and scratch state
 * and returns false, recording nothing. */
typedef void (*PxAttempt)(Parser *p, void *ud);
bool px_try(Parser *p, PxAttempt fn, void *ud);

/* ---- nodes, lists, names ------------------------------------------------------------------ */

uint32_t px_prev_end(const Parser *p);
/* Span from token start to the end of the last consumed token. */
Span px_span(const Parser *p, uint32_t start);
Node *px_new(Parser *p, AstKind kind, uint32_t start);
static inline void px_push(Parser *p, Node *n)
{
    VEC_PUSH(p->stack, n);
}
static inline void px_push_ident(Parser *p, const char *id)
{
    VEC_PUSH(p->idstack, id);
}
/* Copies stack[base..] into the arena and pops it. */
NodeList px_take(Parser *p, uint32_t base);
/* Copies stack[from..to) into the arena (the stack is left as is). */
NodeList px_copy(Parser *p, uint32_t from, uint32_t to);
NodeList px_list1(Parser *p, Node *n);
IdentList px_take_idents(Parser *p, uint32_t base);
const char *px_intern(Parser *p, const char *s, uint32_t len);
const char *px_ident(Parser *p, uint32_t tok);

/* ---- rules shared between files ---------------------------------------------------------- */

Node *px_file(Parser *p); /* parse_stmt.c */
NodeList px_block(Parser *p, const char *what, uint32_t kw);

Node *px_expression(Parser *p); /* parse_expr.c */
Node *px_named_expression(Parser *p);
Node *px_arg_expression(Parser *p);
bool px_maybe_comparison(const Node *e);
Node *px_star_expression(Parser *p);
Node *px_star_expressions(Parser *p);
Node *px_star_named_expression(Parser *p);
Node *px_annotated_rhs(Parser *p);
Node *px_yield_expr(Parser *p);
Node *px_disjunction(Parser *p);
Node *px_bitwise_or(Parser *p);
Node *px_number(Parser *p);
Node *px_name(Parser *p, ExprCtx ctx);
NodeList px_for_if_clauses(Parser *p);
Node *px_star_target(Parser *p);
Node *px_star_targets(Parser *p);
/* Sets ctx on a target parsed as an expression; a syntax error if it cannot be one. */
void px_set_target(Parser *p, Node *e, ExprCtx ctx);
/* The first sub-target that cannot take ctx, or NULL (CPython _PyPegen_get_invalid_target). */
Node *px_invalid_target(Node *e, ExprCtx ctx);
const char *px_expr_name(const Node *e);

Node *px_params(Parser *p, bool is_lambda); /* parse_args.c */
void px_call_args(Parser *p, uint32_t lpar, bool allow_genexp, NodeList *args, NodeList *kws);

Node *px_patterns(Parser *p); /* parse_pattern.c */

Node *px_strings(Parser *p); /* parse_fstring.c */

#endif
