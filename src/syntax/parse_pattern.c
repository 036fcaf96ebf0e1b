/* parse_pattern: the patterns of match statements (Grammar/python.gram "Match statement"), one
 * function per rule. Every pattern kind is decided by at most two tokens of lookahead, so nothing
 * here backtracks. A group pattern '(' pattern ')' keeps the span of its content, like a
 * parenthesized expression; patterns around it start at the '('. */
#include "parser_impl.h"

static Node *closed_pattern(Parser *p);
static Node *pattern(Parser *p);

static Node *new_match_as(Parser *p, uint32_t start, Node *pat, const char *name)
{
    Node *n = px_new(p, AST_MATCHAS, start);
    n->MatchAs.pattern = pat;
    n->MatchAs.name = name;
    return n;
}

/* pattern_capture_target: !"_" NAME !('.' | '(' | '=') */
static const char *capture_target(Parser *p)
{
    if (px_peek(p) != TK_NAME) px_syntax_error(p);
    if (px_soft(p, p->pos, "_")) parse_error(p, p->toks[p->pos].span, "cannot use '_' as a target");
    return px_ident(p, p->pos++);
}

/* signed_number: NUMBER | '-' NUMBER */
static Node *signed_number(Parser *p)
{
    uint32_t start = p->pos;
    bool neg = px_accept(p, TK_MINUS);
    if (px_peek(p) != TK_NUMBER) px_syntax_error(p);
    Node *num = px_number(p);
    if (!neg) return num;
    Node *n = px_new(p, AST_UNARYOP, start);
    n->UnaryOp.op = UNARYOP_USUB;
    n->UnaryOp.operand = num;
    return n;
}

static bool is_imaginary(const Node *e)
{
    if (e->kind == AST_UNARYOP) e = e->UnaryOp.operand;
    return e->kind == AST_CONSTANT && e->Constant.value.kind == CONST_COMPLEX;
}

/* literal_expr / literal_pattern numbers: signed_number !('+' | '-') | complex_number
 * complex_number: signed_real_number ('+' | '-') imaginary_number */
static Node *number_expr(Parser *p)
{
    uint32_t start = p->pos;
    Node *real = signed_number(p);
    TokenKind k = px_peek(p);
    if (k != TK_PLUS && k != TK_MINUS) return real;
    if (is_imaginary(real)) parse_error(p, real->span, "real number required in complex literal");
    p->pos++;
    if (px_peek(p) != TK_NUMBER) px_syntax_error(p);
    Node *imag = px_number(p);
    if (!is_imaginary(imag))
        parse_error(p, imag->span, "imaginary number required in complex literal");
    Node *n = px_new(p, AST_BINOP, start);
    n->BinOp.left = real;
    n->BinOp.op = k == TK_PLUS ? BINOP_ADD : BINOP_SUB;
    n->BinOp.right = imag;
    return n;
}

/* name_or_attr: attr | NAME   attr: name_or_attr '.' NAME */
static Node *name_or_attr(Parser *p)
{
    uint32_t start = p->pos;
    Node *e = px_name(p, CTX_LOAD);
    while (px_accept(p, TK_DOT)) {
        const char *attr = px_expect_name(p);
        Node *n = px_new(p, AST_ATTRIBUTE, start);
        n->Attribute.value = e;
        n->Attribute.attr = attr;
        e = n;
    }
    return e;
}

static Node *new_value(Parser *p, uint32_t start, Node *value)
{
    Node *n = px_new(p, AST_MATCHVALUE, start);
    n->MatchValue.value = value;
    return n;
}

static Node *new_singleton(Parser *p, ConstKind kind)
{
    Node *n = ast_new(p->a, AST_MATCHSINGLETON, p->toks[p->pos++].span);
    n->MatchSingleton.value.kind = (uint8_t)kind;
    return n;
}

/* class_pattern: name_or_attr '(' [positional_patterns ','] [keyword_patterns] ','? ')'
 * keyword_pattern: NAME '=' pattern */
static Node *class_pattern(Parser *p, uint32_t start, Node *cls)
{
    uint32_t lpar = p->pos++, base = p->stack.n, ibase = p->idstack.n, npos = 0;
    uint32_t last = UINT32_MAX;
    while (px_peek(p) != TK_RPAR) {
        last = p->pos;
        if (px_peek(p) == TK_NAME && px_peek_at(p, 1) == TK_EQUAL) {
            px_push_ident(p, px_ident(p, p->pos));
            p->pos += 2;
        } else if (p->idstack.n > ibase) {
            parse_error(p, p->toks[p->pos].span, "positional patterns follow keyword patterns");
        } else {
            npos++;
        }
        px_push(p, pattern(p));
        if (!px_accept(p, TK_COMMA)) break;
    }
    px_expect_close(p, TK_RPAR, lpar, last);
    Node *n = px_new(p, AST_MATCHCLASS, start);
    n->MatchClass.cls = cls;
    n->MatchClass.patterns = px_copy(p, base, base + npos);
    n->MatchClass.kwd_patterns = px_copy(p, base + npos, p->stack.n);
    n->MatchClass.kwd_attrs = px_take_idents(p, ibase);
    p->stack.n = base;
    return n;
}

/* capture_pattern | wildcard_pattern | value_pattern | class_pattern (all start with NAME) */
static Node *name_pattern(Parser *p)
{
    uint32_t start = p->pos;
    TokenKind next = px_peek_at(p, 1);
    if (next == TK_DOT || next == TK_LPAR) {
        Node *cls = name_or_attr(p);
        if (px_peek(p) == TK_LPAR) return class_pattern(p, start, cls);
        return new_value(p, start, cls);
    }
    bool wildcard = px_soft(p, start, "_");
    const char *name = wildcard ? NULL : px_ident(p, start);
    p->pos++;
    return new_match_as(p, start, NULL, name);
}

/* star_pattern: '*' pattern_capture_target | '*' wildcard_pattern
 * maybe_star_pattern: star_pattern | pattern */
static Node *maybe_star_pattern(Parser *p)
{
    if (px_peek(p) != TK_STAR) return pattern(p);
    uint32_t start = p->pos++;
    if (px_peek(p) != TK_NAME) px_syntax_error(p);
    const char *name = px_soft(p, p->pos, "_") ? NULL : px_ident(p, p->pos);
    p->pos++;
    Node *n = px_new(p, AST_MATCHSTAR, start);
    n->MatchStar.name = name;
    return n;
}

/* maybe_sequence_pattern: ','.maybe_star_pattern+ ','?   (the first one already pushed);
 * returns the start token of the last element */
static uint32_t sequence_rest(Parser *p, TokenKind close, uint32_t last)
{
    while (px_accept(p, TK_COMMA) && px_peek(p) != close) {
        last = p->pos;
        px_push(p, maybe_star_pattern(p));
    }
    return last;
}

static Node *new_sequence(Parser *p, uint32_t start, uint32_t base)
{
    Node *n = px_new(p, AST_MATCHSEQUENCE, start);
    n->MatchSequence.patterns = px_take(p, base);
    return n;
}

/* sequence_pattern: '[' maybe_sequence_pattern? ']' */
static Node *list_pattern(Parser *p)
{
    uint32_t start = p->pos++, base = p->stack.n, last = UINT32_MAX;
    if (px_peek(p) != TK_RSQB) {
        last = p->pos;
        px_push(p, maybe_star_pattern(p));
        last = sequence_rest(p, TK_RSQB, last);
    }
    px_expect_close(p, TK_RSQB, start, last);
    return new_sequence(p, start, base);
}

/* group_pattern: '(' pattern ')'
 * sequence_pattern: '(' open_sequence_pattern? ')' */
static Node *paren_pattern(Parser *p)
{
    uint32_t start = p->pos++, base = p->stack.n, first = p->pos;
    if (px_accept(p, TK_RPAR)) return new_sequence(p, start, base);
    Node *pat = maybe_star_pattern(p);
    if (pat->kind != AST_MATCHSTAR && px_accept(p, TK_RPAR)) return pat;
    if (px_peek(p) != TK_COMMA) px_expect_close(p, TK_RPAR, start, first);
    px_push(p, pat);
    uint32_t last = sequence_rest(p, TK_RPAR, first);
    px_expect_close(p, TK_RPAR, start, last);
    return new_sequence(p, start, base);
}

/* key_value_pattern's key: literal_expr | attr */
static Node *mapping_key(Parser *p)
{
    switch (px_peek(p)) {
        case TK_NUMBER:
        case TK_MINUS: return number_expr(p);
        case TK_STRING:
        case TK_FSTRING_START: return px_strings(p);
        case TK_KW_NONE:
        case TK_KW_TRUE:
        case TK_KW_FALSE: {
            TokenKind k = px_peek(p);
            Node *c = ast_new(p->a, AST_CONSTANT, p->toks[p->pos++].span);
            c->Constant.value.kind = k == TK_KW_NONE   ? CONST_NONE
                                     : k == TK_KW_TRUE ? CONST_TRUE
                                                       : CONST_FALSE;
            return c;
        }
        case TK_NAME:
            if (px_peek_at(p, 1) == TK_DOT) return name_or_attr(p);
            px_syntax_error(p);
        default: px_syntax_error(p);
    }
}

/* mapping_pattern: '{' '}' | '{' double_star_pattern ','? '}' |
 *   '{' items_pattern ',' double_star_pattern ','? '}' | '{' items_pattern ','? '}'
 * double_star_pattern: '**' pattern_capture_target */
static Node *mapping_pattern(Parser *p)
{
    uint32_t start = p->pos++, base = p->stack.n, last = UINT32_MAX;
    const char *rest = NULL;
    while (px_peek(p) != TK_RBRACE) {
        if (rest) px_syntax_error(p);
        last = p->pos;
        if (px_accept(p, TK_DOUBLESTAR)) {
            rest = capture_target(p);
        } else {
            px_push(p, mapping_key(p));
            px_expect(p, TK_COLON);
            px_push(p, pattern(p));
        }
        if (!px_accept(p, TK_COMMA)) break;
    }
    px_expect_close(p, TK_RBRACE, start, last);
    Node *n = px_new(p, AST_MATCHMAPPING, start);
    uint32_t npairs = (p->stack.n - base) / 2;
    n->MatchMapping.keys = (NodeList){npairs, ARENA_ARRAY(p->a, Node *, npairs)};
    n->MatchMapping.patterns = (NodeList){npairs, ARENA_ARRAY(p->a, Node *, npairs)};
    for (uint32_t i = 0; i < npairs; i++) {
        n->MatchMapping.keys.items[i] = p->stack.items[base + 2 * i];
        n->MatchMapping.patterns.items[i] = p->stack.items[base + 2 * i + 1];
    }
    n->MatchMapping.rest = rest;
    p->stack.n = base;
    return n;
}

/* closed_pattern: literal_pattern | capture_pattern | wildcard_pattern | value_pattern |
 *   group_pattern | sequence_pattern | mapping_pattern | class_pattern */
static Node *closed_pattern_inner(Parser *p)
{
    uint32_t start = p->pos;
    switch (px_peek(p)) {
        case TK_NUMBER:
        case TK_MINUS: return new_value(p, start, number_expr(p));
        case TK_STRING:
        case TK_FSTRING_START: return new_value(p, start, px_strings(p));
        case TK_KW_NONE: return new_singleton(p, CONST_NONE);
        case TK_KW_TRUE: return new_singleton(p, CONST_TRUE);
        case TK_KW_FALSE: return new_singleton(p, CONST_FALSE);
        case TK_NAME: return name_pattern(p);
        case TK_LPAR: return paren_pattern(p);
        case TK_LSQB: return list_pattern(p);
        case TK_LBRACE: return mapping_pattern(p);
        default: px_syntax_error(p);
    }
}

static Node *closed_pattern(Parser *p)
{
    px_enter(p);
    Node *n = closed_pattern_inner(p);
    px_leave(p);
    return n;
}

/* or_pattern: '|'.closed_pattern+ */
static Node *or_pattern(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = closed_pattern(p);
    if (px_peek(p) != TK_VBAR) return first;
    uint32_t base = p->stack.n;
    px_push(p, first);
    while (px_accept(p, TK_VBAR))
        px_push(p, closed_pattern(p));
    Node *n = px_new(p, AST_MATCHOR, start);
    n->MatchOr.patterns = px_take(p, base);
    return n;
}

/* pattern: as_pattern | or_pattern   as_pattern: or_pattern 'as' pattern_capture_target */
static Node *pattern(Parser *p)
{
    uint32_t start = p->pos;
    Node *pat = or_pattern(p);
    if (!px_accept(p, TK_KW_AS)) return pat;
    const char *name = capture_target(p);
    return new_match_as(p, start, pat, name);
}

static bool starts_pattern(TokenKind k)
{
    switch (k) {
        case TK_NAME:
        case TK_NUMBER:
        case TK_MINUS:
        case TK_STRING:
        case TK_FSTRING_START:
        case TK_LPAR:
        case TK_LSQB:
        case TK_LBRACE:
        case TK_STAR:
        case TK_KW_NONE:
        case TK_KW_TRUE:
        case TK_KW_FALSE: return true;
        default: return false;
    }
}

/* patterns: open_sequence_pattern | pattern
 * open_sequence_pattern: maybe_star_pattern ',' maybe_sequence_pattern? */
Node *px_patterns(Parser *p)
{
    uint32_t start = p->pos;
    Node *first = maybe_star_pattern(p);
    if (px_peek(p) != TK_COMMA) {
        if (first->kind == AST_MATCHSTAR) px_syntax_error(p);
        return first;
    }
    uint32_t base = p->stack.n;
    px_push(p, first);
    while (px_accept(p, TK_COMMA) && starts_pattern(px_peek(p)))
        px_push(p, maybe_star_pattern(p));
    return new_sequence(p, start, base);
}
