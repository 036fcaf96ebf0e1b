/* invariants: consistency checks on lexer and parser output, run by the fuzz targets.
 *
 * They catch wrong answers, not only crashes (SQLite test/fuzzinvariants.c). Spans are byte
 * offsets; only nodes with position attributes (ast_has_attributes) carry meaningful spans, so
 * nodes without them (arguments, comprehension, withitem, match_case) are looked through. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/vec.h"

void fuzz_check(const char *msg)
{
    if (!msg) return;
    fprintf(stderr, "invariant violated: %s\n", msg);
    abort();
}

const char *inv_tokens(const TokenArray *toks, uint32_t len)
{
    if (toks->n == 0 || toks->items[toks->n - 1].kind != TK_ENDMARKER)
        return "token array does not end with ENDMARKER";
    uint32_t prev_end = 0;
    for (uint32_t i = 0; i < toks->n; i++) {
        const Token *t = &toks->items[i];
        if (t->kind >= TK__COUNT) return "token kind out of range";
        if (t->span.start > t->span.end || t->span.end > len) return "token span outside the input";
        if (t->span.start < prev_end) return "token overlaps the previous token";
        prev_end = t->span.end;
    }
    return NULL;
}

typedef struct Sibling {
    const Node *node;
} Sibling;

typedef struct Walk {
    Span bound;       /* the span the children must lie in */
    const char *err;  /* first violation found */
    Vec(Sibling) sib; /* positioned children, for the overlap check; heap-owned */
} Walk;

static bool inside(Span s, Span bound)
{
    return s.start <= s.end && s.start >= bound.start && s.end <= bound.end;
}

static const NodeList *decorators(const Node *n)
{
    switch ((AstKind)n->kind) {
        case AST_FUNCTIONDEF: return &n->FunctionDef.decorator_list;
        case AST_ASYNCFUNCTIONDEF: return &n->AsyncFunctionDef.decorator_list;
        case AST_CLASSDEF: return &n->ClassDef.decorator_list;
        default: return NULL;
    }
}

/* A def's decorators come before its 'def'. */
static Span def_bound(const Node *n)
{
    Span s = n->span;
    const NodeList *decos = decorators(n);
    if (decos && decos->n > 0 && decos->items[0] && decos->items[0]->span.start > 0)
        s.start = decos->items[0]->span.start - 1; /* the '@' */
    return s;
}

/* A message naming the node and both spans; valid until the next call (fuzzing is one thread). */
static const char *describe(const char *what, const Node *n, Span other)
{
    static char msg[200];
    snprintf(msg, sizeof msg, "%s %u..%u %s %u..%u", ast_kind_name((AstKind)n->kind), n->span.start,
             n->span.end, what, other.start, other.end);
    return msg;
}

/* Collects the positioned children of a node, looking through unpositioned ones. */
static void collect(Node *child, void *ud)
{
    Walk *w = ud;
    if (w->err) return;
    if (!ast_has_attributes((AstKind)child->kind)) {
        ast_children(child, collect, w);
        return;
    }
    if (!inside(child->span, w->bound)) {
        w->err = describe("span outside its parent's", child, w->bound);
        return;
    }
    VEC_PUSH(w->sib, ((Sibling){child}));
}

static int by_start(const void *a, const void *b)
{
    const Node *x = ((const Sibling *)a)->node, *y = ((const Sibling *)b)->node;
    if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
    return x->span.end < y->span.end ? -1 : x->span.end > y->span.end;
}

/* Siblings, sorted by start, must not overlap. f-string parts are exempt: CPython gives
 * some of them the span of the whole string. */
static const char *check_siblings(const Node *parent, Walk *w)
{
    if (parent->kind == AST_JOINEDSTR || w->sib.n < 2) return NULL;
    qsort(w->sib.items, w->sib.n, sizeof w->sib.items[0], by_start);
    for (uint32_t i = 1; i < w->sib.n; i++)
        if (w->sib.items[i].node->span.start < w->sib.items[i - 1].node->span.end)
            return describe("span overlaps its previous sibling's", w->sib.items[i].node,
                            w->sib.items[i - 1].node->span);
    return NULL;
}

/* The span a node's children must lie in. A def's decorators come before its 'def'. A format
 * spec's parts are held to the replacement field around it: CPython 3.12 gives the spec itself
 * an end that may stop short of its last part (for example before a line break in the spec). */
static Span children_bound(const Node *n, const Node *parent, Span outer)
{
    if (!ast_has_attributes((AstKind)n->kind)) return outer;
    if (n->kind == AST_JOINEDSTR && parent && parent->kind == AST_FORMATTEDVALUE)
        return parent->span;
    return def_bound(n);
}

/* Checks the subtree of n, whose parent is the positioned node parent (NULL for the root) and
 * whose own span was checked against outer. Recursion depth is the AST's positioned depth, which
 * fuzz-sized inputs keep small. */
static const char *check_node(const Node *n, const Node *parent, Span outer)
{
    Walk w = {children_bound(n, parent, outer), NULL, {0}};
    ast_children(n, collect, &w);
    if (!w.err) w.err = check_siblings(n, &w);
    for (uint32_t i = 0; i < w.sib.n && !w.err; i++)
        w.err = check_node(w.sib.items[i].node, n, w.bound);
    VEC_FREE(w.sib);
    return w.err;
}

const char *inv_ast(const Node *root, uint32_t len)
{
    if (!root || root->kind != AST_MODULE) return "parse succeeded without a Module";
    return check_node(root, NULL, (Span){0, len});
}
