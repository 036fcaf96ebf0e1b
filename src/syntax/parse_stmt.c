/* parse_stmt: statements of Python 3.12 (Grammar/python.gram "STARTING RULES" to "Type
 * statement"), one function per rule, the rule quoted above it.
 *
 * A simple statement is dispatched on its first token; an expression statement is parsed once as
 * annotated_rhs and becomes an assignment when '=', ':' or an augmented operator follows (its
 * targets are then checked and given ctx Store). Soft keywords: "match" starts a match statement
 * only if "match" subject ':' NEWLINE INDENT parses (tried speculatively); "type" starts a type
 * alias only when followed by NAME and '=' or '['. A compound statement ends where its last
 * block ends (CPython: the last non-whitespace token, a trailing ';' included). */
#include "parser_impl.h"

#include <string.h>

static void statement(Parser *p);
static void simple_stmts(Parser *p);

/* file: [statements] ENDMARKER */
Node *px_file(Parser *p)
{
    uint32_t base = p->stack.n;
    while (px_peek(p) != TK_ENDMARKER)
        statement(p);
    Node *m = ast_new(p->a, AST_MODULE, (Span){0, p->src->len});
    m->Module.body = px_take(p, base);
    return m;
}

/* block: NEWLINE INDENT statements DEDENT | simple_stmts
 * what names the statement for "expected an indented block after ..." (kw: its first token). */
NodeList px_block(Parser *p, const char *what, uint32_t kw)
{
    uint32_t base = p->stack.n;
    if (!px_accept(p, TK_NEWLINE)) {
        simple_stmts(p);
        return px_take(p, base);
    }
    if (px_peek(p) != TK_INDENT) {
        LineCol lc = source_linecol(p->src, p->toks[kw].span.start);
        parse_error(p, p->toks[p->pos].span, "expected an indented block after %s on line %u", what,
                    lc.line);
    }
    p->pos++;
    px_enter(p);
    while (!px_accept(p, TK_DEDENT))
        statement(p);
    px_leave(p);
    return px_take(p, base);
}

/* ':' block. CPython forces the ':' after def, try, finally and else (&&':': "expected ':'"
 * whatever follows); after the other keywords only a line break gets that message. */
static NodeList colon_block(Parser *p, const char *what, uint32_t kw)
{
    TokenKind k = (TokenKind)p->toks[kw].kind;
    bool forced = k == TK_KW_DEF || k == TK_KW_ASYNC || k == TK_KW_TRY || k == TK_KW_FINALLY ||
                  k == TK_KW_ELSE;
    if (!px_accept(p, TK_COLON)) {
        if (!forced && px_peek(p) != TK_NEWLINE) px_syntax_error(p);
        parse_error(p, p->toks[p->pos].span, "expected ':'");
    }
    return px_block(p, what, kw);
}

/* ---- simple statements ------------------------------------------------------------------- */

static Node *keyword_stmt(Parser *p, AstKind kind)
{
    uint32_t start = p->pos++;
    return px_new(p, kind, start);
}

/* return_stmt: 'return' [star_expressions] */
static Node *return_stmt(Parser *p)
{
    uint32_t start = p->pos++;
    Node *value = px_starts_expr(px_peek(p)) ? px_star_expressions(p) : NULL;
    Node *n = px_new(p, AST_RETURN, start);
    n->Return.value = value;
    return n;
}

/* raise_stmt: 'raise' expression 'from' expression | 'raise' expression | 'raise' */
static Node *raise_stmt(Parser *p)
{
    uint32_t start = p->pos++;
    Node *exc = NULL, *cause = NULL;
    if (px_starts_expr(px_peek(p))) {
        exc = px_expression(p);
        if (px_accept(p, TK_KW_FROM)) cause = px_expression(p);
    }
    Node *n = px_new(p, AST_RAISE, start);
    n->Raise.exc = exc;
    n->Raise.cause = cause;
    return n;
}

/* global_stmt: 'global' ','.NAME+   nonlocal_stmt: 'nonlocal' ','.NAME+ */
static Node *global_stmt(Parser *p, AstKind kind)
{
    uint32_t start = p->pos++;
    uint32_t base = p->idstack.n;
    do
        px_push_ident(p, px_expect_name(p));
    while (px_accept(p, TK_COMMA));
    Node *n = px_new(p, kind, start);
    n->Global.names = px_take_idents(p, base); /* Global and Nonlocal share their layout */
    return n;
}

/* del_stmt: 'del' del_targets &(';' | NEWLINE)   del_targets: ','.del_target+ [','] */
static Node *del_stmt(Parser *p)
{
    uint32_t start = p->pos++;
    uint32_t base = p->stack.n;
    do {
        Node *t = px_star_expression(p);
        px_set_target(p, t, CTX_DEL);
        px_push(p, t);
    } while (px_accept(p, TK_COMMA) && px_peek(p) != TK_SEMI && px_peek(p) != TK_NEWLINE);
    Node *n = px_new(p, AST_DELETE, start);
    n->Delete.targets = px_take(p, base);
    return n;
}

/* assert_stmt: 'assert' expression [',' expression] */
static Node *assert_stmt(Parser *p)
{
    uint32_t start = p->pos++;
    Node *test = px_expression(p);
    Node *msg = px_accept(p, TK_COMMA) ? px_expression(p) : NULL;
    Node *n = px_new(p, AST_ASSERT, start);
    n->Assert.test = test;
    n->Assert.msg = msg;
    return n;
}

/* dotted_name: dotted_name '.' NAME | NAME  (joined with dots, spaces dropped) */
static const char *dotted_name(Parser *p)
{
    const char *name = px_expect_name(p);
    if (px_peek(p) != TK_DOT) return name;
    buf_clear(&p->buf);
    buf_puts(&p->buf, name);
    while (px_accept(p, TK_DOT)) {
        buf_putc(&p->buf, '.');
        buf_puts(&p->buf, px_expect_name(p));
    }
    return px_intern(p, p->buf.data, (uint32_t)p->buf.len);
}

static Node *alias(Parser *p, uint32_t start, const char *name)
{
    const char *asname = px_accept(p, TK_KW_AS) ? px_expect_name(p) : NULL;
    Node *a = px_new(p, AST_ALIAS, start);
    a->alias.name = name;
    a->alias.asname = asname;
    return a;
}

/* import_name: 'import' dotted_as_names   dotted_as_name: dotted_name ['as' NAME] */
static Node *import_name(Parser *p)
{
    uint32_t start = p->pos++;
    uint32_t base = p->stack.n;
    do {
        uint32_t s = p->pos;
        px_push(p, alias(p, s, dotted_name(p)));
    } while (px_accept(p, TK_COMMA));
    Node *n = px_new(p, AST_IMPORT, start);
    n->Import.names = px_take(p, base);
    return n;
}

/* import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names !',' | '*'
 * import_from_as_name: NAME ['as' NAME] */
static NodeList import_from_targets(Parser *p)
{
    uint32_t base = p->stack.n;
    if (px_peek(p) == TK_STAR) {
        uint32_t s = p->pos++;
        px_push(p, alias(p, s, px_intern(p, "*", 1)));
        return px_take(p, base);
    }
    uint32_t lpar = p->pos;
    bool paren = px_accept(p, TK_LPAR);
    do {
        if (p->stack.n > base && px_peek(p) == (paren ? TK_RPAR : TK_NEWLINE)) break;
        uint32_t s = p->pos;
        px_push(p, alias(p, s, px_expect_name(p)));
    } while (px_accept(p, TK_COMMA));
    if (paren)
        px_expect_close(p, TK_RPAR, lpar, UINT32_MAX);
    else if (p->toks[p->pos - 1].kind == TK_COMMA)
        parse_error(p, p->toks[p->pos].span,
                    "trailing comma not allowed without surrounding parentheses");
    return px_take(p, base);
}

/* import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets |
 *              'from' ('.' | '...')+ 'import' import_from_targets */
static Node *import_from(Parser *p)
{
    uint32_t start = p->pos++;
    int level = 0;
    for (;; p->pos++) {
        if (px_peek(p) == TK_DOT)
            level += 1;
        else if (px_peek(p) == TK_ELLIPSIS)
            level += 3;
        else
            break;
    }
    const char *module = NULL;
    if (level == 0 || px_peek(p) != TK_KW_IMPORT) module = dotted_name(p);
    px_expect(p, TK_KW_IMPORT);
    NodeList names = import_from_targets(p);
    Node *n = px_new(p, AST_IMPORTFROM, start);
    n->ImportFrom.module = module;
    n->ImportFrom.names = names;
    n->ImportFrom.level = level;
    return n;
}

/* type_param: NAME [type_param_bound] | '*' NAME | '**' NAME
 * type_param_bound: ':' expression */
static Node *type_param(Parser *p)
{
    uint32_t start = p->pos;
    AstKind kind = AST_TYPEVAR;
    if (px_accept(p, TK_STAR))
        kind = AST_TYPEVARTUPLE;
    else if (px_accept(p, TK_DOUBLESTAR))
        kind = AST_PARAMSPEC;
    const char *name = px_expect_name(p);
    Node *bound = NULL;
    if (px_peek(p) == TK_COLON) {
        if (kind != AST_TYPEVAR)
            parse_error(p, p->toks[p->pos].span, "cannot use %s with %s",
                        px_peek_at(p, 2) == TK_COMMA ? "constraints" : "bound",
                        kind == AST_TYPEVARTUPLE ? "TypeVarTuple" : "ParamSpec");
        p->pos++;
        bound = px_expression(p);
    }
    Node *n = px_new(p, kind, start);
    n->TypeVar.name = name; /* TypeVar, ParamSpec and TypeVarTuple start alike */
    if (kind == AST_TYPEVAR) n->TypeVar.bound = bound;
    return n;
}

/* type_params: '[' type_param_seq ']'   type_param_seq: ','.type_param+ [','] */
static NodeList type_params(Parser *p, bool def)
{
    uint32_t lsqb = p->pos;
    if (!px_accept(p, TK_LSQB)) return (NodeList){0, NULL};
    uint32_t base = p->stack.n;
    if (px_peek(p) == TK_RSQB) /* CPython 3.12 does not know the brackets then */
        parse_error(p, def ? p->toks[lsqb].span : p->toks[p->pos].span,
                    def ? "expected '('" : "invalid syntax");
    do {
        if (px_peek(p) == TK_RSQB && p->stack.n > base) break;
        px_push(p, type_param(p));
    } while (px_accept(p, TK_COMMA));
    px_expect_close(p, TK_RSQB, lsqb, UINT32_MAX);
    return px_take(p, base);
}

/* type_alias: "type" NAME [type_params] '=' expression */
static Node *type_alias(Parser *p)
{
    uint32_t start = p->pos++;
    Node *name = px_name(p, CTX_STORE);
    NodeList tparams = type_params(p, false);
    px_expect(p, TK_EQUAL);
    Node *value = px_expression(p);
    Node *n = px_new(p, AST_TYPEALIAS, start);
    n->TypeAlias.name = name;
    n->TypeAlias.type_params = tparams;
    n->TypeAlias.value = value;
    return n;
}

static bool at_type_alias(Parser *p)
{
    TokenKind k = px_peek_at(p, 2);
    return px_peek_at(p, 1) == TK_NAME && (k == TK_EQUAL || k == TK_LSQB) &&
           px_soft(p, p->pos, "type");
}

/* ---- assignments ------------------------------------------------------------------------- */

static int aug_op(TokenKind k)
{
    switch (k) {
        case TK_PLUSEQUAL: return BINOP_ADD;
        case TK_MINEQUAL: return BINOP_SUB;
        case TK_STAREQUAL: return BINOP_MULT;
        case TK_ATEQUAL: return BINOP_MATMULT;
        case TK_SLASHEQUAL: return BINOP_DIV;
        case TK_PERCENTEQUAL: return BINOP_MOD;
        case TK_AMPEREQUAL: return BINOP_BITAND;
        case TK_VBAREQUAL: return BINOP_BITOR;
        case TK_CIRCUMFLEXEQUAL: return BINOP_BITXOR;
        case TK_LEFTSHIFTEQUAL: return BINOP_LSHIFT;
        case TK_RIGHTSHIFTEQUAL: return BINOP_RSHIFT;
        case TK_DOUBLESTAREQUAL: return BINOP_POW;
        case TK_DOUBLESLASHEQUAL: return BINOP_FLOORDIV;
        default: return -1;
    }
}

static bool is_single_target(const Node *e)
{
    return e->kind == AST_NAME || e->kind == AST_ATTRIBUTE || e->kind == AST_SUBSCRIPT;
}

static void check_assign_target(Parser *p, Node *t, bool sole)
{
    if (t->kind == AST_YIELD || t->kind == AST_YIELDFROM)
        parse_error(p, t->span, "assignment to yield expression not possible");
    Node *bad = px_invalid_target(t, CTX_STORE);
    if (!bad) return;
    if (bad == t && sole && px_maybe_comparison(t))
        parse_error(p, t->span, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                    px_expr_name(t));
    parse_error(p, bad->span, "cannot assign to %s", px_expr_name(bad));
}

/* assignment: (star_targets '=')+ (yield_expr | star_expressions) !'=' */
static Node *assign_stmt(Parser *p, uint32_t start, Node *first)
{
    uint32_t base = p->stack.n;
    Node *value = first;
    while (px_accept(p, TK_EQUAL)) {
        px_push(p, value);
        value = px_annotated_rhs(p);
    }
    uint32_t ntargets = p->stack.n - base;
    for (uint32_t i = 0; i < ntargets; i++)
        check_assign_target(p, p->stack.items[base + i], ntargets == 1);
    Node *n = px_new(p, AST_ASSIGN, start);
    n->Assign.targets = px_take(p, base);
    n->Assign.value = value;
    return n;
}

/* assignment: NAME ':' expression ['=' annotated_rhs] |
 *   ('(' single_target ')' | single_subscript_attribute_target) ':' expression
 *   ['=' annotated_rhs] */
static Node *ann_assign(Parser *p, uint32_t start, Node *target)
{
    uint32_t colon = p->pos++;
    if (!is_single_target(target) && !px_starts_expr(px_peek(p)))
        parse_error(p, p->toks[colon].span, "invalid syntax"); /* where CPython stops */
    Node *ann = px_expression(p); /* first: CPython's invalid_assignment needs it */
    if (target->kind == AST_TUPLE || target->kind == AST_LIST)
        parse_error(p, target->span, "only single target (not %s) can be annotated",
                    target->kind == AST_TUPLE ? "tuple" : "list");
    if (!is_single_target(target)) parse_error(p, target->span, "illegal target for annotation");
    px_set_target(p, target, CTX_STORE);
    Node *value = px_accept(p, TK_EQUAL) ? px_annotated_rhs(p) : NULL;
    Node *n = px_new(p, AST_ANNASSIGN, start);
    n->AnnAssign.target = target;
    n->AnnAssign.annotation = ann;
    n->AnnAssign.value = value;
    n->AnnAssign.simple = target->kind == AST_NAME && !(target->flags & NODE_PARENTHESIZED);
    return n;
}

/* assignment: single_target augassign ~ (yield_expr | star_expressions) */
static Node *aug_assign(Parser *p, uint32_t start, Node *target, int op)
{
    if (!is_single_target(target))
        parse_error(p, target->span, "'%s' is an illegal expression for augmented assignment",
                    px_expr_name(target));
    px_set_target(p, target, CTX_STORE);
    p->pos++;
    Node *value = px_annotated_rhs(p);
    Node *n = px_new(p, AST_AUGASSIGN, start);
    n->AugAssign.target = target;
    n->AugAssign.op = (uint8_t)op;
    n->AugAssign.value = value;
    return n;
}

/* An expression statement not followed by ';' or NEWLINE: CPython's invalid_legacy_expression
 * ("print x") or a generic error. */
_Noreturn static void bad_stmt_end(Parser *p, uint32_t start, Node *e)
{
    bool name = e->kind == AST_NAME && !(e->flags & NODE_PARENTHESIZED);
    if (px_peek(p) == TK_COLONEQUAL && !name)
        parse_error(p, e->span, "cannot use assignment expressions with %s", px_expr_name(e));
    if (e->kind == AST_NAME && px_starts_expr(px_peek(p)) &&
        (strcmp(e->Name.id, "print") == 0 || strcmp(e->Name.id, "exec") == 0))
        parse_error(p, px_span(p, start),
                    "Missing parentheses in call to '%s'. Did you mean %s(...)?", e->Name.id,
                    e->Name.id);
    if (px_starts_expr(px_peek(p)) && p->toks[p->pos].kind != TK_STAR &&
        p->toks[p->pos].kind != TK_MINUS && p->toks[p->pos].kind != TK_PLUS && p->level > 0)
        parse_error(p, p->toks[start].span, "invalid syntax. Perhaps you forgot a comma?");
    px_syntax_error(p);
}

/* assignment | star_expressions (an expression statement) */
static Node *expr_stmt(Parser *p)
{
    uint32_t start = p->pos;
    Node *e = px_annotated_rhs(p);
    TokenKind k = px_peek(p);
    if (k == TK_EQUAL) return assign_stmt(p, start, e);
    if (k == TK_COLON) return ann_assign(p, start, e);
    int op = aug_op(k);
    if (op >= 0) return aug_assign(p, start, e, op);
    if (k != TK_NEWLINE && k != TK_SEMI) bad_stmt_end(p, start, e);
    Node *n = px_new(p, AST_EXPR, start);
    n->Expr.value = e;
    return n;
}

/* simple_stmt: assignment | type_alias | star_expressions | return_stmt | import_stmt |
 *   raise_stmt | 'pass' | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue' |
 *   global_stmt | nonlocal_stmt */
static Node *simple_stmt(Parser *p)
{
    switch (px_peek(p)) {
        case TK_KW_RETURN: return return_stmt(p);
        case TK_KW_IMPORT: return import_name(p);
        case TK_KW_FROM: return import_from(p);
        case TK_KW_RAISE: return raise_stmt(p);
        case TK_KW_PASS: return keyword_stmt(p, AST_PASS);
        case TK_KW_BREAK: return keyword_stmt(p, AST_BREAK);
        case TK_KW_CONTINUE: return keyword_stmt(p, AST_CONTINUE);
        case TK_KW_DEL: return del_stmt(p);
        case TK_KW_ASSERT: return assert_stmt(p);
        case TK_KW_GLOBAL: return global_stmt(p, AST_GLOBAL);
        case TK_KW_NONLOCAL: return global_stmt(p, AST_NONLOCAL);
        case TK_NAME:
            if (at_type_alias(p)) return type_alias(p);
            return expr_stmt(p);
        default: return expr_stmt(p);
    }
}

/* simple_stmts: simple_stmt !';' NEWLINE | ';'.simple_stmt+ [';'] NEWLINE */
static void simple_stmts(Parser *p)
{
    do
        px_push(p, simple_stmt(p));
    while (px_accept(p, TK_SEMI) && px_peek(p) != TK_NEWLINE);
    if (!px_accept(p, TK_NEWLINE)) px_syntax_error(p);
}

/* ---- compound statements ----------------------------------------------------------------- */

/* else_block: 'else' &&':' block */
static NodeList else_block(Parser *p)
{
    if (px_peek(p) != TK_KW_ELSE) return (NodeList){0, NULL};
    uint32_t kw = p->pos++;
    return colon_block(p, "'else' statement", kw);
}

/* 'if' named_expression ':' block   (or 'elif'); the span's end is set by if_stmt */
static Node *if_clause(Parser *p, const char *what)
{
    uint32_t start = p->pos++;
    Node *test = px_named_expression(p);
    NodeList body = colon_block(p, what, start);
    Node *n = ast_new(p->a, AST_IF, p->toks[start].span);
    n->If.test = test;
    n->If.body = body;
    return n;
}

/* if_stmt: 'if' named_expression ':' block elif_stmt | 'if' named_expression ':' block
 *   [else_block]
 * elif_stmt: 'elif' named_expression ':' block elif_stmt | 'elif' named_expression ':' block
 *   [else_block]
 * The elif chain is built in a loop; every If of it ends where the whole statement ends. */
static Node *if_stmt(Parser *p)
{
    Node *first = if_clause(p, "'if' statement"), *last = first;
    while (px_peek(p) == TK_KW_ELIF) {
        Node *n = if_clause(p, "'elif' statement");
        last->If.orelse = px_list1(p, n);
        last = n;
    }
    last->If.orelse = else_block(p);
    uint32_t end = px_prev_end(p);
    for (Node *n = first;; n = n->If.orelse.items[0]) {
        n->span.end = end;
        if (n == last) break;
    }
    return first;
}

/* while_stmt: 'while' named_expression ':' block [else_block] */
static Node *while_stmt(Parser *p)
{
    uint32_t start = p->pos++;
    Node *test = px_named_expression(p);
    NodeList body = colon_block(p, "'while' statement", start);
    NodeList orelse = else_block(p);
    Node *n = px_new(p, AST_WHILE, start);
    n->While.test = test;
    n->While.body = body;
    n->While.orelse = orelse;
    return n;
}

/* for_stmt: ['async'] 'for' star_targets 'in' ~ star_expressions ':' [TYPE_COMMENT] block
 *   [else_block] */
static Node *for_stmt(Parser *p, uint32_t start)
{
    bool is_async = px_accept(p, TK_KW_ASYNC);
    uint32_t kw = p->pos++;
    Node *target = px_star_targets(p);
    px_expect(p, TK_KW_IN);
    Node *iter = px_star_expressions(p);
    NodeList body = colon_block(p, "'for' statement", kw);
    NodeList orelse = else_block(p);
    Node *n = px_new(p, is_async ? AST_ASYNCFOR : AST_FOR, start);
    n->For.target = target; /* For and AsyncFor share their layout */
    n->For.iter = iter;
    n->For.body = body;
    n->For.orelse = orelse;
    return n;
}

/* with_item: expression 'as' star_target &(',' | ')' | ':') | expression */
static Node *with_item(Parser *p)
{
    uint32_t start = p->pos;
    Node *e = px_expression(p);
    Node *target = NULL;
    if (px_accept(p, TK_KW_AS)) {
        target = px_star_target(p);
        TokenKind k = px_peek(p);
        if (k != TK_COMMA && k != TK_RPAR && k != TK_COLON) px_syntax_error(p);
    }
    Node *w = px_new(p, AST_WITHITEM, start);
    w->withitem.context_expr = e;
    w->withitem.optional_vars = target;
    return w;
}

/* 'with' '(' ','.with_item+ ','? ')' ':'  (tried first, speculatively) */
static void paren_with_items(Parser *p, void *ud)
{
    uint32_t lpar = p->pos++, base = p->stack.n;
    do {
        if (px_peek(p) == TK_RPAR && p->stack.n > base) break;
        px_push(p, with_item(p));
    } while (px_accept(p, TK_COMMA));
    px_expect_close(p, TK_RPAR, lpar, UINT32_MAX);
    if (px_peek(p) != TK_COLON) px_syntax_error(p);
    *(NodeList *)ud = px_take(p, base);
}

/* with_stmt: ['async'] 'with' '(' ','.with_item+ ','? ')' ':' block |
 *            ['async'] 'with' ','.with_item+ ':' block */
static Node *with_stmt(Parser *p, uint32_t start)
{
    bool is_async = px_accept(p, TK_KW_ASYNC);
    uint32_t kw = p->pos++;
    NodeList items = {0, NULL};
    if (px_peek(p) != TK_LPAR || !px_try(p, paren_with_items, &items)) {
        uint32_t base = p->stack.n;
        do
            px_push(p, with_item(p));
        while (px_accept(p, TK_COMMA));
        items = px_take(p, base);
    }
    NodeList body = colon_block(p, "'with' statement", kw);
    Node *n = px_new(p, is_async ? AST_ASYNCWITH : AST_WITH, start);
    n->With.items = items; /* With and AsyncWith share their layout */
    n->With.body = body;
    return n;
}

/* except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
 * except_star_block: 'except' '*' expression ['as' NAME] ':' block */
static Node *except_block(Parser *p, bool star)
{
    uint32_t start = p->pos++;
    p->pos += star;
    Node *type = NULL;
    const char *name = NULL;
    if (px_peek(p) != TK_COLON || star) {
        if (star && px_peek(p) == TK_COLON)
            parse_error(p, p->toks[p->pos].span, "expected one or more exception types");
        type = px_expression(p);
        if (px_peek(p) == TK_COMMA)
            parse_error(p, type->span, "multiple exception types must be parenthesized");
        if (px_accept(p, TK_KW_AS)) name = px_expect_name(p);
    }
    NodeList body = colon_block(p, star ? "'except*' statement" : "'except' statement", start);
    Node *h = px_new(p, AST_EXCEPTHANDLER, start);
    h->ExceptHandler.type = type;
    h->ExceptHandler.name = name;
    h->ExceptHandler.body = body;
    return h;
}

/* try_stmt: 'try' &&':' block finally_block |
 *   'try' &&':' block except_block+ [else_block] [finally_block] |
 *   'try' &&':' block except_star_block+ [else_block] [finally_block] */
static Node *try_stmt(Parser *p)
{
    uint32_t start = p->pos++;
    NodeList body = colon_block(p, "'try' statement", start);
    uint32_t base = p->stack.n;
    bool star = px_peek_at(p, 1) == TK_STAR;
    while (px_peek(p) == TK_KW_EXCEPT) {
        if ((px_peek_at(p, 1) == TK_STAR) != star)
            parse_error(p, p->toks[p->pos].span,
                        "cannot have both 'except' and 'except*' on the same 'try'");
        px_push(p, except_block(p, star));
    }
    NodeList handlers = px_take(p, base);
    NodeList orelse = handlers.n ? else_block(p) : (NodeList){0, NULL};
    NodeList finalbody = {0, NULL};
    if (px_peek(p) == TK_KW_FINALLY) {
        uint32_t kw = p->pos++;
        finalbody = colon_block(p, "'finally' statement", kw);
    }
    if (!handlers.n && !finalbody.n)
        parse_error(p, p->toks[p->pos].span, "expected 'except' or 'finally' block");
    Node *n = px_new(p, star && handlers.n ? AST_TRYSTAR : AST_TRY, start);
    n->Try.body = body; /* Try and TryStar share their layout */
    n->Try.handlers = handlers;
    n->Try.orelse = orelse;
    n->Try.finalbody = finalbody;
    return n;
}

/* function_def_raw: ['async'] 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':'
 *   [func_type_comment] block */
static Node *function_def(Parser *p, NodeList decorators)
{
    uint32_t start = p->pos;
    bool is_async = px_accept(p, TK_KW_ASYNC);
    p->pos++;
    const char *name = px_expect_name(p);
    NodeList tparams = type_params(p, true);
    uint32_t lpar = p->pos;
    if (!px_accept(p, TK_LPAR)) parse_error(p, p->toks[p->pos].span, "expected '('");
    Node *args = px_params(p, false);
    px_expect_close(p, TK_RPAR, lpar, UINT32_MAX);
    Node *returns = px_accept(p, TK_RARROW) ? px_expression(p) : NULL;
    NodeList body = colon_block(p, "function definition", start);
    Node *n = px_new(p, is_async ? AST_ASYNCFUNCTIONDEF : AST_FUNCTIONDEF, start);
    n->FunctionDef.name = name; /* FunctionDef and AsyncFunctionDef share their layout */
    n->FunctionDef.args = args;
    n->FunctionDef.body = body;
    n->FunctionDef.decorator_list = decorators;
    n->FunctionDef.returns = returns;
    n->FunctionDef.type_params = tparams;
    return n;
}

/* class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block */
static Node *class_def(Parser *p, NodeList decorators)
{
    uint32_t start = p->pos++;
    const char *name = px_expect_name(p);
    NodeList tparams = type_params(p, false);
    NodeList bases = {0, NULL}, kws = {0, NULL};
    uint32_t lpar = p->pos;
    if (px_accept(p, TK_LPAR)) px_call_args(p, lpar, false, &bases, &kws);
    NodeList body = colon_block(p, "class definition", start);
    Node *n = px_new(p, AST_CLASSDEF, start);
    n->ClassDef.name = name;
    n->ClassDef.bases = bases;
    n->ClassDef.keywords = kws;
    n->ClassDef.body = body;
    n->ClassDef.decorator_list = decorators;
    n->ClassDef.type_params = tparams;
    return n;
}

/* decorators: ('@' named_expression NEWLINE)+  followed by class_def_raw or function_def_raw
 * (the statement starts at 'def'/'class', not at the first decorator) */
static Node *decorated(Parser *p)
{
    uint32_t base = p->stack.n;
    while (px_accept(p, TK_AT)) {
        px_push(p, px_named_expression(p));
        px_expect(p, TK_NEWLINE);
    }
    NodeList decorators = px_take(p, base);
    TokenKind k = px_peek(p);
    if (k == TK_KW_CLASS) return class_def(p, decorators);
    if (k == TK_KW_DEF || (k == TK_KW_ASYNC && px_peek_at(p, 1) == TK_KW_DEF))
        return function_def(p, decorators);
    px_syntax_error(p);
}

/* ---- match statement --------------------------------------------------------------------- */

/* subject_expr: star_named_expression ',' star_named_expressions? | named_expression */
static Node *subject_expr(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = px_star_named_expression(p);
    if (px_peek(p) != TK_COMMA) {
        if (first->kind == AST_STARRED) px_syntax_error(p);
        return first;
    }
    uint32_t base = p->stack.n;
    px_push(p, first);
    while (px_accept(p, TK_COMMA) && px_starts_expr(px_peek(p)))
        px_push(p, px_star_named_expression(p));
    Node *t = px_new(p, AST_TUPLE, start);
    t->Tuple.elts = px_take(p, base);
    return t;
}

/* "match" subject_expr ':' NEWLINE INDENT  (tried speculatively) */
static void match_head(Parser *p, void *ud)
{
    p->pos++;
    Node *subject = subject_expr(p);
    px_expect(p, TK_COLON);
    px_expect(p, TK_NEWLINE);
    px_expect(p, TK_INDENT);
    *(Node **)ud = subject;
}

/* case_block: "case" patterns guard? ':' block   guard: 'if' named_expression */
static Node *case_block(Parser *p)
{
    uint32_t start = p->pos;
    if (!px_soft(p, start, "case")) px_syntax_error(p);
    p->pos++;
    Node *pattern = px_patterns(p);
    Node *guard = px_accept(p, TK_KW_IF) ? px_named_expression(p) : NULL;
    NodeList body = colon_block(p, "'case' statement", start);
    Node *c = px_new(p, AST_MATCH_CASE, start);
    c->match_case.pattern = pattern;
    c->match_case.guard = guard;
    c->match_case.body = body;
    return c;
}

/* match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT */
static Node *match_stmt(Parser *p)
{
    uint32_t start = p->pos;
    Node *subject = NULL;
    if (!px_starts_expr(px_peek_at(p, 1)) || !px_soft(p, start, "match") ||
        !px_try(p, match_head, &subject))
        return NULL;
    uint32_t base = p->stack.n;
    px_enter(p);
    do
        px_push(p, case_block(p));
    while (!px_accept(p, TK_DEDENT));
    px_leave(p);
    Node *n = px_new(p, AST_MATCH, start);
    n->Match.subject = subject;
    n->Match.cases = px_take(p, base);
    return n;
}

/* compound_stmt: function_def | if_stmt | class_def | with_stmt | for_stmt | try_stmt |
 *   while_stmt | match_stmt   (NULL when the statement is not compound) */
static Node *compound_stmt(Parser *p)
{
    switch (px_peek(p)) {
        case TK_KW_DEF: return function_def(p, (NodeList){0, NULL});
        case TK_AT: return decorated(p);
        case TK_KW_IF: return if_stmt(p);
        case TK_KW_CLASS: return class_def(p, (NodeList){0, NULL});
        case TK_KW_WITH: return with_stmt(p, p->pos);
        case TK_KW_FOR: return for_stmt(p, p->pos);
        case TK_KW_TRY: return try_stmt(p);
        case TK_KW_WHILE: return while_stmt(p);
        case TK_NAME: return match_stmt(p);
        case TK_KW_ASYNC:
            switch (px_peek_at(p, 1)) {
                case TK_KW_DEF: return function_def(p, (NodeList){0, NULL});
                case TK_KW_WITH: return with_stmt(p, p->pos);
                case TK_KW_FOR: return for_stmt(p, p->pos);
                default: p->pos++; px_syntax_error(p);
            }
        default: return NULL;
    }
}

/* statement: compound_stmt | simple_stmts */
static void statement(Parser *p)
{
    Node *s = compound_stmt(p);
    if (s)
        px_push(p, s);
    else
        simple_stmts(p);
}
