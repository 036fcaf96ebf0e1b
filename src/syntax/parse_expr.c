/* parse_expr: expressions of Python 3.12 (Grammar/python.gram, "EXPRESSIONS" to "ASSIGNMENT
 * TARGETS"), one function per rule, the rule quoted above it.
 *
 * The binary operators from bitwise_or down to term share one precedence table and one loop.
 * Targets (for, comprehension, with ... as) are parsed as expressions at bitwise_or level and
 * then checked and given ctx Store (px_set_target), as CPython's _PyPegen_set_expr_context.
 * A parenthesized expression keeps the span of its content and gets NODE_PARENTHESIZED; the
 * nodes around it start at the '(' because spans come from token positions (px_new). */
#include "parser_impl.h"

#include <string.h>

static Node *primary(Parser *p);
static Node *factor(Parser *p);
static Node *disjunction_from(Parser *p, uint32_t start, Node *e);
static Node *binary(Parser *p, int min_prec);

/* ---- targets ----------------------------------------------------------------------------- */

const char *px_expr_name(const Node *e)
{
    switch ((AstKind)e->kind) {
        case AST_ATTRIBUTE: return "attribute";
        case AST_SUBSCRIPT: return "subscript";
        case AST_STARRED: return "starred";
        case AST_NAME: return "name";
        case AST_LIST: return "list";
        case AST_TUPLE: return "tuple";
        case AST_LAMBDA: return "lambda";
        case AST_CALL: return "function call";
        case AST_BOOLOP:
        case AST_BINOP:
        case AST_UNARYOP: return "expression";
        case AST_GENERATOREXP: return "generator expression";
        case AST_YIELD:
        case AST_YIELDFROM: return "yield expression";
        case AST_AWAIT: return "await expression";
        case AST_LISTCOMP: return "list comprehension";
        case AST_SETCOMP: return "set comprehension";
        case AST_DICTCOMP: return "dict comprehension";
        case AST_DICT: return "dict literal";
        case AST_SET: return "set display";
        case AST_JOINEDSTR:
        case AST_FORMATTEDVALUE: return "f-string expression";
        case AST_COMPARE: return "comparison";
        case AST_IFEXP: return "conditional expression";
        case AST_NAMEDEXPR: return "named expression";
        case AST_CONSTANT: break;
        default: return "expression";
    }
    switch (e->Constant.value.kind) {
        case CONST_NONE: return "None";
        case CONST_TRUE: return "True";
        case CONST_FALSE: return "False";
        case CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
    }
}

static Node *invalid_in_list(NodeList *l, ExprCtx ctx)
{
    for (uint32_t i = 0; i < l->n; i++) {
        Node *bad = px_invalid_target(l->items[i], ctx);
        if (bad) return bad;
    }
    return NULL;
}

Node *px_invalid_target(Node *e, ExprCtx ctx)
{
    switch ((AstKind)e->kind) {
        case AST_NAME: e->Name.ctx = (uint8_t)ctx; return NULL;
        case AST_ATTRIBUTE: e->Attribute.ctx = (uint8_t)ctx; return NULL;
        case AST_SUBSCRIPT: e->Subscript.ctx = (uint8_t)ctx; return NULL;
        case AST_TUPLE: e->Tuple.ctx = (uint8_t)ctx; return invalid_in_list(&e->Tuple.elts, ctx);
        case AST_LIST: e->List.ctx = (uint8_t)ctx; return invalid_in_list(&e->List.elts, ctx);
        case AST_STARRED:
            if (ctx == CTX_DEL) return e;
            e->Starred.ctx = (uint8_t)ctx;
            return px_invalid_target(e->Starred.value, ctx);
        default: return e;
    }
}

void px_set_target(Parser *p, Node *e, ExprCtx ctx)
{
    Node *bad = px_invalid_target(e, ctx);
    if (bad)
        parse_error(p, bad->span, ctx == CTX_DEL ? "cannot delete %s" : "cannot assign to %s",
                    px_expr_name(bad));
}

/* star_target: '*' (!'*' star_target) | target_with_star_atom */
Node *px_star_target(Parser *p)
{
    if (px_peek(p) != TK_STAR) {
        Node *e = px_bitwise_or(p);
        px_set_target(p, e, CTX_STORE);
        return e;
    }
    uint32_t start = p->pos++;
    if (px_peek(p) == TK_STAR) px_syntax_error(p);
    px_enter(p);
    Node *value = px_star_target(p);
    px_leave(p);
    Node *n = px_new(p, AST_STARRED, start);
    n->Starred.value = value;
    n->Starred.ctx = CTX_STORE;
    return n;
}

/* star_targets: star_target !',' | star_target (',' star_target)* [','] */
Node *px_star_targets(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = px_star_target(p);
    if (px_peek(p) != TK_COMMA) return first;
    uint32_t base = p->stack.n;
    px_push(p, first);
    while (px_accept(p, TK_COMMA) && px_starts_expr(px_peek(p)))
        px_push(p, px_star_target(p));
    Node *t = px_new(p, AST_TUPLE, start);
    t->Tuple.elts = px_take(p, base);
    t->Tuple.ctx = CTX_STORE;
    return t;
}

/* ---- sequences of expressions ------------------------------------------------------------ */

static Node *tuple_rest(Parser *p, uint32_t start, Node *first, Node *(*elem)(Parser *))
{
    uint32_t base = p->stack.n;
    px_push(p, first);
    while (px_accept(p, TK_COMMA) && px_starts_expr(px_peek(p)))
        px_push(p, elem(p));
    Node *t = px_new(p, AST_TUPLE, start);
    t->Tuple.elts = px_take(p, base);
    return t;
}

/* star_expressions: star_expression (',' star_expression)* [','] */
Node *px_star_expressions(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = px_star_expression(p);
    if (px_peek(p) != TK_COMMA) return first;
    return tuple_rest(p, start, first, px_star_expression);
}

static Node *starred(Parser *p, Node *(*operand)(Parser *))
{
    uint32_t start = p->pos++;
    px_enter(p);
    Node *value = operand(p);
    px_leave(p);
    Node *n = px_new(p, AST_STARRED, start);
    n->Starred.value = value;
    return n;
}

/* star_expression: '*' bitwise_or | expression */
Node *px_star_expression(Parser *p)
{
    if (px_peek(p) == TK_STAR) return starred(p, px_bitwise_or);
    return px_expression(p);
}

/* star_named_expression: '*' bitwise_or | named_expression */
Node *px_star_named_expression(Parser *p)
{
    if (px_peek(p) == TK_STAR) return starred(p, px_bitwise_or);
    return px_named_expression(p);
}

/* annotated_rhs: yield_expr | star_expressions */
Node *px_annotated_rhs(Parser *p)
{
    if (px_peek(p) == TK_KW_YIELD) return px_yield_expr(p);
    return px_star_expressions(p);
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
Node *px_yield_expr(Parser *p)
{
    uint32_t start = p->pos++;
    if (px_accept(p, TK_KW_FROM)) {
        Node *value = px_expression(p);
        Node *n = px_new(p, AST_YIELDFROM, start);
        n->YieldFrom.value = value;
        return n;
    }
    Node *value = px_starts_expr(px_peek(p)) ? px_star_expressions(p) : NULL;
    Node *n = px_new(p, AST_YIELD, start);
    n->Yield.value = value;
    return n;
}

/* ---- expression, named_expression, boolean operators ------------------------------------- */

static Node *lambdef(Parser *p);

/* if_expression: disjunction 'if' disjunction 'else' expression */
static Node *if_expression(Parser *p, uint32_t start, Node *body)
{
    p->pos++;
    Node *test = px_disjunction(p);
    if (!px_accept(p, TK_KW_ELSE))
        parse_error(p, (Span){body->span.start, test->span.end},
                    "expected 'else' after 'if' expression");
    Node *orelse = px_expression(p);
    Node *n = px_new(p, AST_IFEXP, start);
    n->IfExp.test = test;
    n->IfExp.body = body;
    n->IfExp.orelse = orelse;
    return n;
}

/* expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef */
Node *px_expression(Parser *p)
{
    if (px_peek(p) == TK_KW_LAMBDA) return lambdef(p);
    px_enter(p);
    uint32_t start = p->pos;
    Node *e;
    if (px_peek(p) == TK_KW_NOT) {
        e = px_disjunction(p);
    } else {
        e = factor(p);
        e = disjunction_from(p, start, e);
    }
    if (px_peek(p) == TK_KW_IF) e = if_expression(p, start, e);
    px_leave(p);
    return e;
}

/* True for the expressions CPython's invalid_named_expression reports as "cannot assign to %s
 * here. Maybe you meant '==' instead of '='?": a bitwise_or that is no list, tuple, genexp,
 * True, False or None. */
bool px_maybe_comparison(const Node *e)
{
    switch ((AstKind)e->kind) {
        case AST_LIST:
        case AST_TUPLE:
        case AST_GENERATOREXP:
        case AST_BOOLOP:
        case AST_COMPARE:
        case AST_IFEXP:
        case AST_LAMBDA:
        case AST_NAMEDEXPR:
        case AST_STARRED:
        case AST_YIELD:
        case AST_YIELDFROM: return false;
        case AST_UNARYOP: return e->UnaryOp.op != UNARYOP_NOT;
        case AST_CONSTANT: return e->Constant.value.kind > CONST_FALSE;
        default: return true;
    }
}

/* invalid_named_expression: a=NAME '=' b=bitwise_or !('='|':=') |
 *   !(list|tuple|genexp|'True'|'None'|'False') a=bitwise_or b='=' bitwise_or !('='|':=') */
_Noreturn static void assign_in_expression(Parser *p, Node *e)
{
    if (e->kind == AST_NAME && !(e->flags & NODE_PARENTHESIZED))
        parse_error(p, (Span){e->span.start, p->toks[p->pos].span.end},
                    "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    if (px_maybe_comparison(e))
        parse_error(p, e->span, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                    px_expr_name(e));
    px_syntax_error(p);
}

/* named_expression: assignment_expression | invalid_named_expression | expression !':='
 * assignment_expression: NAME ':=' ~ expression
 * With check_eq false (call arguments) a following '=' is left to the caller. */
static Node *named_expression(Parser *p, bool check_eq)
{
    uint32_t start = p->pos;
    Node *e = px_expression(p);
    if (px_peek(p) != TK_COLONEQUAL) {
        if (check_eq && px_peek(p) == TK_EQUAL) assign_in_expression(p, e);
        return e;
    }
    if (e->kind != AST_NAME || (e->flags & NODE_PARENTHESIZED))
        parse_error(p, e->span, "cannot use assignment expressions with %s", px_expr_name(e));
    p->pos++;
    Node *value = px_expression(p);
    e->Name.ctx = CTX_STORE;
    Node *n = px_new(p, AST_NAMEDEXPR, start);
    n->NamedExpr.target = e;
    n->NamedExpr.value = value;
    return n;
}

Node *px_named_expression(Parser *p)
{
    return named_expression(p, true);
}

/* assignment_expression | expression !':='   (an argument of a call) */
Node *px_arg_expression(Parser *p)
{
    return named_expression(p, false);
}

static Node *inversion(Parser *p);
static Node *conjunction(Parser *p);

/* The ('and' inversion)+ or ('or' conjunction)+ loop after a first operand parsed from token
 * start. */
static Node *boolop_rest(Parser *p, uint32_t start, Node *first, TokenKind tk, BoolOpKind op)
{
    if (px_peek(p) != tk) return first;
    uint32_t base = p->stack.n;
    px_push(p, first);
    while (px_accept(p, tk))
        px_push(p, tk == TK_KW_OR ? conjunction(p) : inversion(p));
    Node *n = px_new(p, AST_BOOLOP, start);
    n->BoolOp.op = (uint8_t)op;
    n->BoolOp.values = px_take(p, base);
    return n;
}

static Node *comparison(Parser *p);

/* inversion: 'not' inversion | comparison */
static Node *inversion(Parser *p)
{
    if (px_peek(p) != TK_KW_NOT) return comparison(p);
    uint32_t start = p->pos++;
    px_enter(p);
    Node *operand = inversion(p);
    px_leave(p);
    Node *n = px_new(p, AST_UNARYOP, start);
    n->UnaryOp.op = UNARYOP_NOT;
    n->UnaryOp.operand = operand;
    return n;
}

/* conjunction: inversion ('and' inversion)+ | inversion */
static Node *conjunction(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = inversion(p);
    return boolop_rest(p, start, first, TK_KW_AND, BOOLOP_AND);
}

/* disjunction: conjunction ('or' conjunction)+ | conjunction */
Node *px_disjunction(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = conjunction(p);
    return boolop_rest(p, start, first, TK_KW_OR, BOOLOP_OR);
}

/* ---- comparison and binary operators ----------------------------------------------------- */

/* compare_op_bitwise_or_pair: '==' | '!=' | '<=' | '<' | '>=' | '>' | 'not' 'in' | 'in' |
 * 'is' 'not' | 'is' (each followed by bitwise_or). Consumes the operator; -1 if none. */
static int compare_op(Parser *p)
{
    int op;
    switch (px_peek(p)) {
        case TK_EQEQUAL: op = CMPOP_EQ; break;
        case TK_NOTEQUAL: op = CMPOP_NOTEQ; break;
        case TK_LESS: op = CMPOP_LT; break;
        case TK_LESSEQUAL: op = CMPOP_LTE; break;
        case TK_GREATER: op = CMPOP_GT; break;
        case TK_GREATEREQUAL: op = CMPOP_GTE; break;
        case TK_KW_IN: op = CMPOP_IN; break;
        case TK_KW_IS:
            op = px_look(p, 1) == TK_KW_NOT ? CMPOP_ISNOT : CMPOP_IS;
            p->pos += op == CMPOP_ISNOT;
            break;
        case TK_KW_NOT:
            if (px_look(p, 1) != TK_KW_IN) return -1;
            op = CMPOP_NOTIN;
            p->pos++;
            break;
        default: return -1;
    }
    p->pos++;
    return op;
}

static void push_op(Parser *p, uint8_t op)
{
    VEC_PUSH(p->ops, op);
}

/* compare_op_bitwise_or_pair+ after the left operand, parsed from token start */
static Node *comparison_rest(Parser *p, uint32_t start, Node *left)
{
    int op = compare_op(p);
    if (op < 0) return left;
    uint32_t base = p->stack.n, obase = p->ops.n;
    for (; op >= 0; op = compare_op(p)) {
        push_op(p, (uint8_t)op);
        px_push(p, px_bitwise_or(p));
    }
    Node *n = px_new(p, AST_COMPARE, start);
    n->Compare.left = left;
    n->Compare.comparators = px_take(p, base);
    n->Compare.ops.n = p->ops.n - obase;
    n->Compare.ops.items = arena_memdup(p->a, p->ops.items + obase, p->ops.n - obase);
    p->ops.n = obase;
    return n;
}

/* comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or */
static Node *comparison(Parser *p)
{
    uint32_t start = p->pos;
    Node *left = px_bitwise_or(p);
    return comparison_rest(p, start, left);
}

/* Precedence of the binary operators of bitwise_or, bitwise_xor, bitwise_and, shift_expr, sum
 * and term (0: not a binary operator), and the operator each token means. */
static const uint8_t binop_prec[TK__COUNT] = {
    [TK_VBAR] = 1,       [TK_CIRCUMFLEX] = 2,  [TK_AMPER] = 3,   [TK_LEFTSHIFT] = 4,
    [TK_RIGHTSHIFT] = 4, [TK_PLUS] = 5,        [TK_MINUS] = 5,   [TK_STAR] = 6,
    [TK_SLASH] = 6,      [TK_DOUBLESLASH] = 6, [TK_PERCENT] = 6, [TK_AT] = 6,
};
static const uint8_t binop_kind[TK__COUNT] = {
    [TK_VBAR] = BINOP_BITOR,        [TK_CIRCUMFLEX] = BINOP_BITXOR,
    [TK_AMPER] = BINOP_BITAND,      [TK_LEFTSHIFT] = BINOP_LSHIFT,
    [TK_RIGHTSHIFT] = BINOP_RSHIFT, [TK_PLUS] = BINOP_ADD,
    [TK_MINUS] = BINOP_SUB,         [TK_STAR] = BINOP_MULT,
    [TK_SLASH] = BINOP_DIV,         [TK_DOUBLESLASH] = BINOP_FLOORDIV,
    [TK_PERCENT] = BINOP_MOD,       [TK_AT] = BINOP_MATMULT,
};

/* bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor   (and so on down to)
 * term: term ('*' | '/' | '//' | '%' | '@') factor | factor
 * Left-associative: each operator takes as right operand only tighter-binding operators. */
static Node *binary_rest(Parser *p, uint32_t start, Node *left, int min_prec)
{
    for (;;) {
        TokenKind k = px_peek(p);
        int prec = binop_prec[k];
        if (prec == 0 || prec < min_prec) return left;
        p->pos++;
        Node *right = binary(p, prec + 1);
        Node *n = px_new(p, AST_BINOP, start);
        n->BinOp.left = left;
        n->BinOp.op = binop_kind[k];
        n->BinOp.right = right;
        left = n;
    }
}

static Node *binary(Parser *p, int min_prec)
{
    uint32_t start = p->pos;
    Node *left = factor(p);
    return binary_rest(p, start, left, min_prec);
}

Node *px_bitwise_or(Parser *p)
{
    return binary(p, 1);
}

/* True when the token after an operand continues a disjunction: a binary, comparison or
 * boolean operator ('not' for 'not in'). */
static bool continues_operand(TokenKind k)
{
    if (binop_prec[k]) return true;
    switch (k) {
        case TK_EQEQUAL:
        case TK_NOTEQUAL:
        case TK_LESS:
        case TK_LESSEQUAL:
        case TK_GREATER:
        case TK_GREATEREQUAL:
        case TK_KW_IN:
        case TK_KW_IS:
        case TK_KW_NOT:
        case TK_KW_AND:
        case TK_KW_OR: return true;
        default: return false;
    }
}

/* disjunction, entered with its first factor already parsed (from token start): the levels
 * between them are climbed only when an operator follows, so a plain operand costs one test. */
static Node *disjunction_from(Parser *p, uint32_t start, Node *e)
{
    if (!continues_operand(px_peek(p))) return e;
    e = binary_rest(p, start, e, 1);
    e = comparison_rest(p, start, e);
    e = boolop_rest(p, start, e, TK_KW_AND, BOOLOP_AND);
    return boolop_rest(p, start, e, TK_KW_OR, BOOLOP_OR);
}

/* factor: '+' factor | '-' factor | '~' factor | power */
static Node *factor(Parser *p)
{
    uint8_t op;
    switch (px_peek(p)) {
        case TK_PLUS: op = UNARYOP_UADD; break;
        case TK_MINUS: op = UNARYOP_USUB; break;
        case TK_TILDE: op = UNARYOP_INVERT; break;
        default: return primary(p);
    }
    uint32_t start = p->pos++;
    px_enter(p);
    Node *operand = factor(p);
    px_leave(p);
    Node *n = px_new(p, AST_UNARYOP, start);
    n->UnaryOp.op = op;
    n->UnaryOp.operand = operand;
    return n;
}

/* ---- primary ----------------------------------------------------------------------------- */

static Node *atom(Parser *p);
static Node *slices(Parser *p);

/* primary: primary '(' [arguments] ')' | primary genexp (the genexp's parentheses are the
 * call's) */
static Node *call(Parser *p, uint32_t start, Node *func)
{
    uint32_t lpar = p->pos++;
    NodeList args = {0, NULL}, kws = {0, NULL};
    p->level++;
    px_call_args(p, lpar, true, &args, &kws);
    p->level--;
    Node *n = px_new(p, AST_CALL, start);
    n->Call.func = func;
    n->Call.args = args;
    n->Call.keywords = kws;
    return n;
}

/* primary: primary '[' slices ']' */
static Node *subscript(Parser *p, uint32_t start, Node *value)
{
    uint32_t lsqb = p->pos++;
    p->level++;
    px_enter(p);
    Node *slice = slices(p);
    px_leave(p);
    p->level--;
    px_expect_close(p, TK_RSQB, lsqb, UINT32_MAX);
    Node *n = px_new(p, AST_SUBSCRIPT, start);
    n->Subscript.value = value;
    n->Subscript.slice = slice;
    return n;
}

/* primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')' |
 *          primary '[' slices ']' | atom */
static Node *trailers(Parser *p, uint32_t start, Node *e)
{
    for (;;) {
        switch (px_peek(p)) {
            case TK_DOT: {
                p->pos++;
                const char *attr = px_expect_name(p);
                Node *n = px_new(p, AST_ATTRIBUTE, start);
                n->Attribute.value = e;
                n->Attribute.attr = attr;
                e = n;
                break;
            }
            case TK_LPAR: e = call(p, start, e); break;
            case TK_LSQB: e = subscript(p, start, e); break;
            default: return e;
        }
    }
}

/* power: await_primary '**' factor | await_primary
 * await_primary: 'await' primary | primary */
static Node *primary(Parser *p)
{
    uint32_t start = p->pos;
    Node *e;
    if (px_accept(p, TK_KW_AWAIT)) {
        uint32_t operand = p->pos;
        Node *value = atom(p);
        value = trailers(p, operand, value);
        e = px_new(p, AST_AWAIT, start);
        e->Await.value = value;
    } else {
        e = atom(p);
        e = trailers(p, start, e);
    }
    if (!px_accept(p, TK_DOUBLESTAR)) return e;
    px_enter2(p);
    Node *exp = factor(p);
    px_leave2(p);
    Node *n = px_new(p, AST_BINOP, start);
    n->BinOp.left = e;
    n->BinOp.op = BINOP_POW;
    n->BinOp.right = exp;
    return n;
}

/* ---- slices ------------------------------------------------------------------------------ */

static bool ends_slice_part(TokenKind k)
{
    return k == TK_COLON || k == TK_COMMA || k == TK_RSQB;
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression
 * (also starred_expression, for the elements of slices) */
static Node *slice(Parser *p)
{
    uint32_t start = p->pos;
    if (px_peek(p) == TK_STAR) return starred(p, px_expression);
    Node *lower = NULL;
    if (px_peek(p) != TK_COLON) {
        lower = px_named_expression(p);
        if (px_peek(p) != TK_COLON) return lower;
    }
    p->pos++;
    Node *upper = ends_slice_part(px_peek(p)) ? NULL : px_expression(p);
    Node *step = NULL;
    if (px_accept(p, TK_COLON) && !ends_slice_part(px_peek(p))) step = px_expression(p);
    Node *n = px_new(p, AST_SLICE, start);
    n->Slice.lower = lower;
    n->Slice.upper = upper;
    n->Slice.step = step;
    return n;
}

/* slices: slice !',' | ','.(slice | starred_expression)+ [','] */
static Node *slices(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = slice(p);
    if (px_peek(p) != TK_COMMA && first->kind != AST_STARRED) return first;
    uint32_t base = p->stack.n;
    px_push(p, first);
    while (px_accept(p, TK_COMMA) && px_peek(p) != TK_RSQB)
        px_push(p, slice(p));
    Node *t = px_new(p, AST_TUPLE, start);
    t->Tuple.elts = px_take(p, base);
    return t;
}

/* ---- atoms ------------------------------------------------------------------------------- */

Node *px_name(Parser *p, ExprCtx ctx)
{
    uint32_t i = p->pos++;
    Node *n = ast_new(p->a, AST_NAME, p->toks[i].span);
    n->Name.id = px_ident(p, i);
    n->Name.ctx = (uint8_t)ctx;
    return n;
}

Node *px_number(Parser *p)
{
    uint32_t i = p->pos++;
    Span sp = p->toks[i].span;
    double v = 0;
    NumKind k = lit_number(p->text + sp.start, sp.end - sp.start, &v);
    Node *c = ast_new(p->a, AST_CONSTANT, sp);
    Const *val = &c->Constant.value;
    if (k == NUM_INT) {
        val->kind = CONST_INT;
        val->text = p->text + sp.start;
        val->len = sp.end - sp.start;
    } else {
        val->kind = k == NUM_FLOAT ? CONST_FLOAT : CONST_COMPLEX;
        val->f = v;
    }
    return c;
}

static Node *keyword_const(Parser *p, ConstKind kind)
{
    Node *c = ast_new(p->a, AST_CONSTANT, p->toks[p->pos++].span);
    c->Constant.value.kind = (uint8_t)kind;
    return c;
}

static Node *comprehension_node(Parser *p, AstKind kind, uint32_t start, Node *elt)
{
    if (elt->kind == AST_STARRED)
        parse_error(p, elt->span, "iterable unpacking cannot be used in comprehension");
    NodeList gens = px_for_if_clauses(p);
    Node *n = px_new(p, kind, start);
    n->ListComp.elt = elt; /* ListComp, SetComp and GeneratorExp share their layout */
    n->ListComp.generators = gens;
    return n;
}

/* Elements of a display after the first, up to the closer (not consumed). */
static uint32_t display_rest(Parser *p, TokenKind close, uint32_t first_start)
{
    uint32_t last = first_start;
    while (px_accept(p, TK_COMMA) && px_peek(p) != close) {
        last = p->pos;
        px_push(p, px_star_named_expression(p));
    }
    return last;
}

/* tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
 * group: '(' (yield_expr | named_expression) ')'
 * genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')' */
static Node *paren_atom(Parser *p)
{
    uint32_t start = p->pos++, first_start = p->pos;
    if (px_accept(p, TK_RPAR)) {
        Node *t = px_new(p, AST_TUPLE, start);
        return t;
    }
    p->level++;
    Node *e = px_peek(p) == TK_KW_YIELD ? px_yield_expr(p) : px_star_named_expression(p);
    if (px_at_comprehension(p) && e->kind != AST_YIELD && e->kind != AST_YIELDFROM) {
        e = comprehension_node(p, AST_GENERATOREXP, start, e);
        p->level--;
        px_expect_close(p, TK_RPAR, start, UINT32_MAX);
        e->span = px_span(p, start);
        return e;
    }
    if (px_peek(p) == TK_COMMA && e->kind != AST_YIELD && e->kind != AST_YIELDFROM) {
        uint32_t base = p->stack.n;
        px_push(p, e);
        uint32_t last = display_rest(p, TK_RPAR, first_start);
        p->level--;
        px_expect_close(p, TK_RPAR, start, last);
        Node *t = px_new(p, AST_TUPLE, start);
        t->Tuple.elts = px_take(p, base);
        t->flags |= NODE_PARENTHESIZED;
        return t;
    }
    p->level--;
    px_expect_close(p, TK_RPAR, start, first_start);
    if (e->kind == AST_STARRED) parse_error(p, e->span, "cannot use starred expression here");
    e->flags |= NODE_PARENTHESIZED;
    return e;
}

/* list: '[' [star_named_expressions] ']'
 * listcomp: '[' named_expression for_if_clauses ']' */
static Node *list_atom(Parser *p)
{
    uint32_t start = p->pos++, first_start = p->pos;
    if (px_accept(p, TK_RSQB)) return px_new(p, AST_LIST, start);
    p->level++;
    Node *first = px_star_named_expression(p);
    Node *n;
    if (px_at_comprehension(p)) {
        n = comprehension_node(p, AST_LISTCOMP, start, first);
        p->level--;
        px_expect_close(p, TK_RSQB, start, UINT32_MAX);
    } else {
        uint32_t base = p->stack.n;
        px_push(p, first);
        uint32_t last = display_rest(p, TK_RSQB, first_start);
        p->level--;
        px_expect_close(p, TK_RSQB, start, last);
        n = ast_new(p->a, AST_LIST, (Span){0, 0});
        n->List.elts = px_take(p, base);
    }
    n->span = px_span(p, start);
    return n;
}

/* The value after "key :" (invalid_double_starred_kvpairs for the errors). */
static Node *dict_value(Parser *p)
{
    TokenKind k = px_peek(p);
    if (k == TK_RBRACE || k == TK_COMMA)
        parse_error(p, p->toks[p->pos - 1].span,
                    "expression expected after dictionary key and ':'");
    if (k == TK_STAR)
        parse_error(p, p->toks[p->pos].span,
                    "cannot use a starred expression in a dictionary value");
    return px_expression(p);
}

/* kvpair: expression ':' expression | double_starred_kvpair: '**' bitwise_or | kvpair
 * Pushes key (NULL for '**') and value. */
static void kvpair(Parser *p)
{
    if (px_accept(p, TK_DOUBLESTAR)) {
        px_push(p, NULL);
        px_push(p, px_bitwise_or(p));
        return;
    }
    Node *key = px_expression(p);
    px_push(p, key);
    if (!px_accept(p, TK_COLON)) {
        if (px_peek(p) == TK_RBRACE || px_peek(p) == TK_COMMA)
            parse_error(p, key->span, "':' expected after dictionary key");
        px_syntax_error(p);
    }
    px_push(p, dict_value(p));
}

/* dict: '{' [double_starred_kvpairs] '}'   (the first pair already on the stack)
 * dictcomp: '{' kvpair for_if_clauses '}' */
static Node *dict_rest(Parser *p, uint32_t start, uint32_t base)
{
    if (px_at_comprehension(p) && p->stack.items[base]) {
        NodeList gens = px_for_if_clauses(p);
        p->level--;
        px_expect_close(p, TK_RBRACE, start, UINT32_MAX);
        Node *n = px_new(p, AST_DICTCOMP, start);
        n->DictComp.key = p->stack.items[base];
        n->DictComp.value = p->stack.items[base + 1];
        n->DictComp.generators = gens;
        p->stack.n = base;
        return n;
    }
    uint32_t last = UINT32_MAX;
    while (px_accept(p, TK_COMMA) && px_peek(p) != TK_RBRACE) {
        last = p->pos;
        kvpair(p);
    }
    p->level--;
    px_expect_close(p, TK_RBRACE, start, last);
    Node *n = px_new(p, AST_DICT, start);
    uint32_t npairs = (p->stack.n - base) / 2;
    n->Dict.keys = (NodeList){npairs, ARENA_ARRAY(p->a, Node *, npairs)};
    n->Dict.values = (NodeList){npairs, ARENA_ARRAY(p->a, Node *, npairs)};
    for (uint32_t i = 0; i < npairs; i++) {
        n->Dict.keys.items[i] = p->stack.items[base + 2 * i];
        n->Dict.values.items[i] = p->stack.items[base + 2 * i + 1];
    }
    p->stack.n = base;
    return n;
}

/* set: '{' star_named_expressions '}'   (the first element parsed)
 * setcomp: '{' named_expression for_if_clauses '}' */
static Node *set_rest(Parser *p, uint32_t start, Node *first, uint32_t first_start)
{
    if (px_at_comprehension(p)) {
        Node *n = comprehension_node(p, AST_SETCOMP, start, first);
        p->level--;
        px_expect_close(p, TK_RBRACE, start, UINT32_MAX);
        n->span = px_span(p, start);
        return n;
    }
    uint32_t base = p->stack.n;
    px_push(p, first);
    uint32_t last = display_rest(p, TK_RBRACE, first_start);
    p->level--;
    px_expect_close(p, TK_RBRACE, start, last);
    Node *n = px_new(p, AST_SET, start);
    n->Set.elts = px_take(p, base);
    return n;
}

/* &'{' (dictcomp | setcomp | dict | set) */
static Node *brace_atom(Parser *p)
{
    uint32_t start = p->pos++, first_start = p->pos;
    if (px_accept(p, TK_RBRACE)) return px_new(p, AST_DICT, start);
    p->level++;
    uint32_t base = p->stack.n;
    if (px_peek(p) == TK_DOUBLESTAR) {
        kvpair(p);
        return dict_rest(p, start, base);
    }
    if (px_peek(p) == TK_STAR) return set_rest(p, start, px_star_named_expression(p), first_start);
    Node *first = px_named_expression(p);
    bool walrus = first->kind == AST_NAMEDEXPR && !(first->flags & NODE_PARENTHESIZED);
    if (walrus || !px_accept(p, TK_COLON)) return set_rest(p, start, first, first_start);
    px_push(p, first);
    px_push(p, dict_value(p));
    return dict_rest(p, start, base);
}

/* atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | (tuple | group | genexp) |
 *       (list | listcomp) | (dict | set | dictcomp | setcomp) | '...' */
static Node *atom(Parser *p)
{
    switch (px_peek(p)) {
        case TK_NAME: return px_name(p, CTX_LOAD);
        case TK_NUMBER: return px_number(p);
        case TK_STRING:
        case TK_FSTRING_START: return px_strings(p);
        case TK_LPAR: return paren_atom(p);
        case TK_LSQB: return list_atom(p);
        case TK_LBRACE: return brace_atom(p);
        case TK_KW_TRUE: return keyword_const(p, CONST_TRUE);
        case TK_KW_FALSE: return keyword_const(p, CONST_FALSE);
        case TK_KW_NONE: return keyword_const(p, CONST_NONE);
        case TK_ELLIPSIS: return keyword_const(p, CONST_ELLIPSIS);
        default: px_syntax_error(p);
    }
}

/* ---- comprehensions and lambda ----------------------------------------------------------- */

/* for_if_clause: ['async'] 'for' star_targets 'in' ~ disjunction ('if' disjunction)* */
static Node *for_if_clause(Parser *p)
{
    uint32_t start = p->pos;
    bool is_async = px_accept(p, TK_KW_ASYNC);
    p->pos++;
    uint32_t tstart = p->pos;
    Node *target = px_star_targets(p);
    if (!px_accept(p, TK_KW_IN)) {
        TokenKind k = px_peek(p);
        if (px_starts_expr(k) && k != TK_STAR && k != TK_MINUS && k != TK_PLUS)
            parse_error(p, (Span){p->toks[tstart].span.start, p->toks[p->pos].span.end},
                        "invalid syntax. Perhaps you forgot a comma?");
        parse_error(p, p->toks[p->pos].span, "'in' expected after for-loop variables");
    }
    Node *iter = px_disjunction(p);
    uint32_t base = p->stack.n;
    while (px_accept(p, TK_KW_IF))
        px_push(p, px_disjunction(p));
    Node *c = px_new(p, AST_COMPREHENSION, start);
    c->comprehension.target = target;
    c->comprehension.iter = iter;
    c->comprehension.ifs = px_take(p, base);
    c->comprehension.is_async = is_async;
    return c;
}

/* for_if_clauses: for_if_clause+ */
NodeList px_for_if_clauses(Parser *p)
{
    uint32_t base = p->stack.n;
    while (px_at_comprehension(p))
        px_push(p, for_if_clause(p));
    return px_take(p, base);
}

/* lambdef: 'lambda' [lambda_params] ':' expression */
static Node *lambdef(Parser *p)
{
    uint32_t start = p->pos++;
    px_enter2(p);
    Node *args = px_params(p, true);
    if (!px_accept(p, TK_COLON)) px_syntax_error(p);
    Node *body = px_expression(p);
    px_leave2(p);
    Node *n = px_new(p, AST_LAMBDA, start);
    n->Lambda.args = args;
    n->Lambda.body = body;
    return n;
}
