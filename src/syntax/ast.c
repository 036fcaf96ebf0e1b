#include "ast.h"

#include <stddef.h>

#include "../base/xmalloc.h"

#define N(f)       Node *f;
#define O(f)       Node *f;
#define L(f)       NodeList f;
#define I(f)       const char *f;
#define IO(f)      const char *f;
#define IL(f)      IdentList f;
#define V(f)       Const f;
#define SO(f)      const char *f;
#define INT(f)     int f;
#define CTX(f)     uint8_t f;
#define OP(f, fam) uint8_t f;
#define OPS(f)     OpList f;
#define TP(f)      NodeList f;
#define H(f)       Span f;
#define NONE       char none_;

static const uint16_t node_size[] = {
#define X(up, py, cat, fields) offsetof(Node, py) + sizeof(struct {fields}),
#include "ast.def"
#undef X
};

#undef N
#undef O
#undef L
#undef I
#undef IO
#undef IL
#undef V
#undef SO
#undef INT
#undef CTX
#undef OP
#undef OPS
#undef TP
#undef H
#undef NONE

static const char *const kind_name[] = {
#define X(up, py, cat, fields) #py,
#include "ast.def"
#undef X
};

static const uint8_t kind_cat[] = {
#define X(up, py, cat, fields) CAT_##cat,
#include "ast.def"
#undef X
};

Node *ast_new(Arena *a, AstKind kind, Span span)
{
    Node *n = arena_alloc(a, node_size[kind]);
    n->kind = (uint8_t)kind;
    n->span = span;
    return n;
}

const char *ast_kind_name(AstKind kind)
{
    return kind < AST__COUNT ? kind_name[kind] : "?";
}

AstCategory ast_category(AstKind kind)
{
    return (AstCategory)kind_cat[kind];
}

bool ast_has_attributes(AstKind kind)
{
    return kind_cat[kind] <= CAT_TYPEPARAM && kind_cat[kind] != CAT_MOD;
}

#define X(up, py) #py,
static const char *const binop_names[] = {AST_BINOPS(X)};
static const char *const boolop_names[] = {AST_BOOLOPS(X)};
static const char *const unaryop_names[] = {AST_UNARYOPS(X)};
static const char *const cmpop_names[] = {AST_CMPOPS(X)};
#undef X

const char *ast_binop_name(BinOpKind op)
{
    return binop_names[op];
}

const char *ast_boolop_name(BoolOpKind op)
{
    return boolop_names[op];
}

const char *ast_unaryop_name(UnaryOpKind op)
{
    return unaryop_names[op];
}

const char *ast_cmpop_name(CmpOpKind op)
{
    return cmpop_names[op];
}

const char *ast_ctx_name(ExprCtx ctx)
{
    static const char *const names[] = {"Load", "Store", "Del"};
    return names[ctx];
}

static void visit_list(const NodeList *l, AstVisit fn, void *ud)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->items[i]) fn(l->items[i], ud);
}

#define N(f) \
    if (k->f) fn(k->f, ud);
#define O(f) \
    if (k->f) fn(k->f, ud);
#define L(f)  visit_list(&k->f, fn, ud);
#define TP(f) visit_list(&k->f, fn, ud);
#define I(f)
#define IO(f)
#define IL(f)
#define V(f)
#define SO(f)
#define INT(f)
#define CTX(f)
#define OP(f, fam)
#define OPS(f)
#define H(f)
#define NONE

// NOLINTNEXTLINE(readability-function-size): one generated case per node kind
void ast_children(const Node *n, AstVisit fn, void *ud)
{
    switch ((AstKind)n->kind) {
        // NOLINTBEGIN(bugprone-macro-parentheses): fields is a list of statements
#define X(up, py, cat, fields)               \
    case AST_##up: {                         \
        const __typeof__(n->py) *k = &n->py; \
        (void)k;                             \
        fields break;                        \
    }
#include "ast.def"
#undef X
        // NOLINTEND(bugprone-macro-parentheses)
        default: UNREACHABLE();
    }
}
