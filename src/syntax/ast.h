/* ast: the Python syntax tree, one tagged union per node, as CPython's pycore_ast.h.
 *
 * Every node kind and field is declared once in ast.def; this header derives the kind enum and
 * the per-kind structs from it. Each node carries a byte span into its file's source; line and
 * column come from source_linecol(). All nodes, lists and strings live in the file's arena: the
 * AST is never freed node by node. Passes read the AST and never change it. */
#ifndef AST_H
#define AST_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"

typedef struct Node Node;

typedef struct NodeList {
    uint32_t n;
    Node **items; /* arena-owned; an item may be NULL where the grammar allows None */
} NodeList;

typedef struct IdentList {
    uint32_t n;
    const char **items; /* arena-owned */
} IdentList;

typedef struct OpList {
    uint32_t n;
    uint8_t *items; /* CmpOp values, arena-owned */
} OpList;

typedef enum {
    CONST_NONE,
    CONST_TRUE,
    CONST_FALSE,
    CONST_ELLIPSIS,
    CONST_INT,     /* text: the literal as written (base prefix, underscores) */
    CONST_FLOAT,   /* f: the value */
    CONST_COMPLEX, /* f: the imaginary part (literals are pure imaginary) */
    CONST_STR,     /* text/len: decoded UTF-8; lone surrogates encoded as 3-byte sequences */
    CONST_BYTES,   /* text/len: the decoded bytes */
} ConstKind;

typedef struct Const {
    uint8_t kind; /* ConstKind */
    uint32_t len;
    const char *text; /* arena-owned or pointing into the source; not NUL-terminated */
    double f;
} Const;

typedef enum { CTX_LOAD, CTX_STORE, CTX_DEL } ExprCtx;

/* The operator families, in ASDL order. */
/* clang-format off */
#define AST_BINOPS(X) \
    X(ADD, Add) X(SUB, Sub) X(MULT, Mult) X(MATMULT, MatMult) X(DIV, Div) X(MOD, Mod) \
    X(POW, Pow) X(LSHIFT, LShift) X(RSHIFT, RShift) X(BITOR, BitOr) X(BITXOR, BitXor) \
    X(BITAND, BitAnd) X(FLOORDIV, FloorDiv)
#define AST_BOOLOPS(X)  X(AND, And) X(OR, Or)
#define AST_UNARYOPS(X) X(INVERT, Invert) X(NOT, Not) X(UADD, UAdd) X(USUB, USub)
#define AST_CMPOPS(X) \
    X(EQ, Eq) X(NOTEQ, NotEq) X(LT, Lt) X(LTE, LtE) X(GT, Gt) X(GTE, GtE) X(IS, Is) \
    X(ISNOT, IsNot) X(IN, In) X(NOTIN, NotIn)
/* clang-format on */
#define X(up, py) BINOP_##up,
typedef enum { AST_BINOPS(X) BINOP__COUNT } BinOpKind;
#undef X
#define X(up, py) BOOLOP_##up,
typedef enum { AST_BOOLOPS(X) BOOLOP__COUNT } BoolOpKind;
#undef X
#define X(up, py) UNARYOP_##up,
typedef enum { AST_UNARYOPS(X) UNARYOP__COUNT } UnaryOpKind;
#undef X
#define X(up, py) CMPOP_##up,
typedef enum { AST_CMPOPS(X) CMPOP__COUNT } CmpOpKind;
#undef X

typedef enum {
#define X(up, py, cat, fields) AST_##up,
#include "ast.def"
#undef X
    AST__COUNT
} AstKind;

typedef enum {
    CAT_MOD,
    CAT_STMT,
    CAT_EXPR,
    CAT_HANDLER,
    CAT_ARG,
    CAT_KEYWORD,
    CAT_ALIAS,
    CAT_PATTERN,
    CAT_TYPEPARAM,
    CAT_ARGUMENTS,
    CAT_COMPREHENSION,
    CAT_WITHITEM,
    CAT_MATCHCASE,
    CAT_TYPEIGNORE,
} AstCategory;

/* Node flags (parser-set facts that the tree shape alone cannot tell). */
#define NODE_PARENTHESIZED 0x01 /* the expression was written inside its own parentheses */

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

struct Node {
    uint8_t kind;  /* AstKind */
    uint8_t flags; /* NODE_* */
    Span span;
    union {
#define X(up, py, cat, fields) \
    struct {                   \
        fields                 \
    } py;
#include "ast.def"
#undef X
    };
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

/* Allocates a zeroed node of the given kind with only the bytes that kind needs. */
Node *ast_new(Arena *a, AstKind kind, Span span);
#define AST_NEW(a, up, py, span) ast_new((a), AST_##up, (span))

const char *ast_kind_name(AstKind kind); /* the Python class name, e.g. "FunctionDef" */
AstCategory ast_category(AstKind kind);
bool ast_has_attributes(AstKind kind); /* lineno/col_offset/end_lineno/end_col_offset */
const char *ast_binop_name(BinOpKind op);
const char *ast_boolop_name(BoolOpKind op);
const char *ast_unaryop_name(UnaryOpKind op);
const char *ast_cmpop_name(CmpOpKind op);
const char *ast_ctx_name(ExprCtx ctx);

/* Calls fn on every non-NULL child node of n, in field order. */
typedef void (*AstVisit)(Node *child, void *ud);
void ast_children(const Node *n, AstVisit fn, void *ud);

#endif
