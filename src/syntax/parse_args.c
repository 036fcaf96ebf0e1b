/* parse_args: parameter lists of def and lambda, and the arguments of calls and class bases
 * (Grammar/python.gram "Function parameters", "Lambda functions", "FUNCTION CALL ARGUMENTS").
 *
 * Parameters are read left to right in one pass instead of through CPython's alternatives
 * (slash_no_default, slash_with_default, star_etc, ...): every named parameter is pushed on the
 * scratch stack as a pair (arg, default-or-NULL), and the positions of '/' and '*' split the
 * pairs into posonlyargs, args and kwonlyargs at the end, as _PyPegen_make_arguments does. */
#include "parser_impl.h"

typedef struct Params {
    uint32_t base;      /* stack index of the first (arg, default) pair */
    uint32_t slash;     /* pairs before '/', or UINT32_MAX */
    uint32_t star;      /* pairs before '*' or '*args', or UINT32_MAX */
    uint32_t bare_star; /* token of a bare '*', or UINT32_MAX */
    Node *vararg, *kwarg;
    Node *last;        /* the last annotation or default (for the "forgot a comma" hint) */
    bool seen_default; /* a positional parameter had a default */
} Params;

static uint32_t npairs(const Parser *p, const Params *ps)
{
    return (p->stack.n - ps->base) / 2;
}

/* param: NAME annotation?   annotation: ':' expression   star_annotation: ':' star_expression
 * lambda_param: NAME */
static Node *param(Parser *p, bool is_lambda, bool star_annotation)
{
    uint32_t start = p->pos;
    const char *name = px_expect_name(p);
    Node *ann = NULL;
    if (!is_lambda && px_accept(p, TK_COLON))
        ann = star_annotation ? px_star_expression(p) : px_expression(p);
    Node *a = px_new(p, AST_ARG, start);
    a->arg.arg = name;
    a->arg.annotation = ann;
    return a;
}

_Noreturn static void param_error(Parser *p, const char *msg)
{
    parse_error(p, p->toks[p->pos].span, "%s", msg);
}

/* '/' after positional parameters */
static void slash(Parser *p, Params *ps)
{
    if (ps->star != UINT32_MAX || ps->kwarg)
        param_error(p, ps->kwarg ? "arguments cannot follow var-keyword argument"
                                 : "/ must be ahead of *");
    if (ps->slash != UINT32_MAX) param_error(p, "/ may appear only once");
    if (npairs(p, ps) == 0) param_error(p, "at least one argument must precede /");
    ps->slash = npairs(p, ps);
    p->pos++;
}

/* star_etc: '*' param_no_default param_maybe_default* [kwds] | '*' ',' param_maybe_default+
 * [kwds] | kwds */
static void star(Parser *p, Params *ps, bool is_lambda)
{
    if (ps->kwarg) param_error(p, "arguments cannot follow var-keyword argument");
    if (ps->star != UINT32_MAX) param_error(p, "* argument may appear only once");
    ps->star = npairs(p, ps);
    uint32_t tok = p->pos++;
    if (px_peek(p) != TK_NAME) {
        ps->bare_star = tok;
        return;
    }
    ps->vararg = param(p, is_lambda, !is_lambda);
    ps->last = ps->vararg->arg.annotation;
    if (px_peek(p) == TK_EQUAL) param_error(p, "var-positional argument cannot have default value");
}

/* kwds: '**' param_no_default */
static void double_star(Parser *p, Params *ps, bool is_lambda)
{
    if (ps->kwarg) param_error(p, "arguments cannot follow var-keyword argument");
    p->pos++;
    ps->kwarg = param(p, is_lambda, false);
    ps->last = ps->kwarg->arg.annotation;
    if (px_peek(p) == TK_EQUAL) param_error(p, "var-keyword argument cannot have default value");
}

/* param_no_default | param_with_default | param_maybe_default: param [default]
 * default: '=' expression */
static void named_param(Parser *p, Params *ps, bool is_lambda)
{
    if (ps->kwarg) param_error(p, "arguments cannot follow var-keyword argument");
    uint32_t start = p->pos;
    Node *a = param(p, is_lambda, false);
    Node *def = NULL;
    if (px_accept(p, TK_EQUAL)) {
        if (px_peek(p) == TK_COMMA || px_peek(p) == TK_RPAR || px_peek(p) == TK_COLON)
            parse_error(p, p->toks[p->pos - 1].span, "expected default value expression");
        def = px_expression(p);
    }
    if (ps->star == UINT32_MAX) {
        if (def)
            ps->seen_default = true;
        else if (ps->seen_default)
            parse_error(p, p->toks[start].span,
                        "parameter without a default follows parameter with a default");
    }
    ps->last = def ? def : a->arg.annotation;
    px_push(p, a);
    px_push(p, def);
}

static NodeList pair_args(Parser *p, const Params *ps, uint32_t from, uint32_t to)
{
    NodeList l = {to - from, to > from ? ARENA_ARRAY(p->a, Node *, to - from) : NULL};
    for (uint32_t i = from; i < to; i++)
        l.items[i - from] = p->stack.items[ps->base + 2 * i];
    return l;
}

/* _PyPegen_make_arguments: splits the pairs at '/' and '*' into an arguments node. */
static Node *make_arguments(Parser *p, const Params *ps, Span span)
{
    uint32_t n = npairs(p, ps);
    uint32_t slash_n = ps->slash == UINT32_MAX ? 0 : ps->slash;
    uint32_t star_n = ps->star == UINT32_MAX ? n : ps->star;
    Node *args = ast_new(p->a, AST_ARGUMENTS, span);
    args->arguments.posonlyargs = pair_args(p, ps, 0, slash_n);
    args->arguments.args = pair_args(p, ps, slash_n, star_n);
    args->arguments.kwonlyargs = pair_args(p, ps, star_n, n);
    args->arguments.vararg = ps->vararg;
    args->arguments.kwarg = ps->kwarg;
    NodeList defs = {0, star_n ? ARENA_ARRAY(p->a, Node *, star_n) : NULL};
    for (uint32_t i = 0; i < star_n; i++)
        if (p->stack.items[ps->base + 2 * i + 1])
            defs.items[defs.n++] = p->stack.items[ps->base + 2 * i + 1];
    args->arguments.defaults = defs.n ? defs : (NodeList){0, NULL};
    NodeList kwd = {n - star_n, n > star_n ? ARENA_ARRAY(p->a, Node *, n - star_n) : NULL};
    for (uint32_t i = star_n; i < n; i++)
        kwd.items[i - star_n] = p->stack.items[ps->base + 2 * i + 1];
    args->arguments.kw_defaults = kwd;
    p->stack.n = ps->base;
    return args;
}

/* params: parameters   lambda_params: lambda_parameters
 * parameters: slash_no_default param_no_default* param_with_default* [star_etc] |
 *   slash_with_default param_with_default* [star_etc] | param_no_default+ param_with_default*
 *   [star_etc] | param_with_default+ [star_etc] | star_etc
 * Stops before ')' (def) or ':' (lambda), which the caller expects. */
Node *px_params(Parser *p, bool is_lambda)
{
    TokenKind close = is_lambda ? TK_COLON : TK_RPAR;
    Params ps = {p->stack.n, UINT32_MAX, UINT32_MAX, UINT32_MAX, NULL, NULL, NULL, false};
    uint32_t start = p->pos;
    while (px_peek(p) != close) {
        switch (px_peek(p)) {
            case TK_SLASH: slash(p, &ps); break;
            case TK_STAR: star(p, &ps, is_lambda); break;
            case TK_DOUBLESTAR: double_star(p, &ps, is_lambda); break;
            case TK_NAME: named_param(p, &ps, is_lambda); break;
            case TK_LPAR:
                parse_error(p, p->toks[p->pos].span, "%s cannot be parenthesized",
                            is_lambda ? "Lambda expression parameters" : "Function parameters");
            default: px_syntax_error(p);
        }
        if (!px_accept(p, TK_COMMA)) break;
    }
    TokenKind k = px_peek(p);
    if (k != close && ps.last && px_starts_expr(k) && k != TK_STAR && k != TK_MINUS && k != TK_PLUS)
        parse_error(p, (Span){ps.last->span.start, p->toks[p->pos].span.end},
                    "invalid syntax. Perhaps you forgot a comma?");
    if (ps.bare_star != UINT32_MAX && npairs(p, &ps) == ps.star) /* lambda: where it stops */
        parse_error(p, p->toks[is_lambda ? p->pos : ps.bare_star].span,
                    "named arguments must follow bare *");
    Span span = {p->toks[start].span.start, p->toks[p->pos].span.start};
    return make_arguments(p, &ps, span);
}

/* ---- call arguments ---------------------------------------------------------------------- */

typedef struct ArgState {
    bool seen_kw, seen_dstar;
    uint32_t nkw; /* keyword nodes pushed */
} ArgState;

/* kwarg_or_starred: NAME '=' expression   kwarg_or_double_starred: '**' expression */
static Node *keyword(Parser *p, ArgState *st)
{
    uint32_t start = p->pos;
    const char *arg = NULL;
    if (px_accept(p, TK_DOUBLESTAR)) {
        st->seen_dstar = true;
    } else {
        TokenKind k = px_peek(p);
        if (k != TK_NAME)
            parse_error(p, (Span){p->toks[start].span.start, p->toks[start + 1].span.end},
                        "cannot assign to %s", tok_text(k));
        arg = px_ident(p, p->pos);
        p->pos += 2;
        st->seen_kw = true;
        if (px_peek(p) == TK_COMMA || px_peek(p) == TK_RPAR)
            parse_error(p, px_span(p, start), "expected argument value expression");
    }
    Node *value = px_expression(p);
    if (!arg && px_peek(p) == TK_EQUAL)
        parse_error(p, p->toks[start].span, "cannot assign to keyword argument unpacking");
    Node *kw = px_new(p, AST_KEYWORD, start);
    kw->keyword.arg = arg;
    kw->keyword.value = value;
    st->nkw++;
    return kw;
}

/* genexp as the sole argument: primary genexp; its span is the call's parentheses. */
static Node *call_genexp(Parser *p, uint32_t lpar, Node *elt)
{
    NodeList gens = px_for_if_clauses(p);
    if (px_peek(p) != TK_RPAR)
        parse_error(p, (Span){elt->span.start, px_prev_end(p)},
                    "Generator expression must be parenthesized");
    Node *g =
        ast_new(p->a, AST_GENERATOREXP, (Span){p->toks[lpar].span.start, p->toks[p->pos].span.end});
    g->GeneratorExp.elt = elt;
    g->GeneratorExp.generators = gens;
    return g;
}

/* The token that closes the bracket opened at token open (or the last token). */
static uint32_t matching_close(const Parser *p, uint32_t open)
{
    int depth = 0;
    for (uint32_t i = open; i < p->ntoks; i++) {
        switch (p->toks[i].kind) {
            case TK_LPAR:
            case TK_LSQB:
            case TK_LBRACE: depth++; break;
            case TK_RPAR:
            case TK_RSQB:
            case TK_RBRACE:
                if (--depth == 0) return i;
                break;
            default: break;
        }
    }
    return p->ntoks - 1;
}

/* args: ','.(starred_expression | (assignment_expression | expression !':=') !'=')+
 *       [',' kwargs] | kwargs */
static Node *call_arg(Parser *p, ArgState *st, uint32_t lpar, bool allow_genexp, bool is_class)
{
    uint32_t start = p->pos;
    TokenKind k = px_peek(p);
    if (k == TK_DOUBLESTAR ||
        (px_peek_at(p, 1) == TK_EQUAL &&
         (k == TK_NAME || k == TK_KW_TRUE || k == TK_KW_FALSE || k == TK_KW_NONE)))
        return keyword(p, st);
    if (k == TK_STAR) {
        if (st->seen_dstar)
            parse_error(p, p->toks[start].span,
                        "iterable argument unpacking follows keyword argument unpacking");
        p->pos++;
        Node *value = px_expression(p);
        if (px_peek(p) == TK_EQUAL)
            parse_error(p, p->toks[start].span, "cannot assign to iterable argument unpacking");
        Node *s = px_new(p, AST_STARRED, start);
        s->Starred.value = value;
        return s;
    }
    Node *e = px_arg_expression(p);
    if (st->seen_kw || st->seen_dstar) /* reported where CPython's parser stops: the ')' */
        parse_error(p, p->toks[matching_close(p, lpar)].span,
                    st->seen_dstar ? "positional argument follows keyword argument unpacking"
                                   : "positional argument follows keyword argument");
    if (px_peek(p) == TK_EQUAL)
        parse_error(p, (Span){e->span.start, p->toks[p->pos].span.end},
                    "expression cannot contain assignment, perhaps you meant \"==\"?");
    if (!px_at_comprehension(p)) return e;
    if (is_class) px_syntax_error(p); /* class_def_raw takes arguments, never a genexp */
    if (!allow_genexp) {
        px_for_if_clauses(p);
        parse_error(p, (Span){e->span.start, px_prev_end(p)},
                    "Generator expression must be parenthesized");
    }
    return call_genexp(p, lpar, e);
}

/* arguments: args [','] &')'. Pushes nothing; returns the positional arguments (starred
 * included) and the keywords. Consumes the closing ')'. */
void px_call_args(Parser *p, uint32_t lpar, bool allow_genexp, NodeList *args, NodeList *kws)
{
    ArgState st = {false, false, 0};
    uint32_t base = p->stack.n, last = UINT32_MAX;
    while (px_peek(p) != TK_RPAR) {
        last = p->pos;
        Node *a = call_arg(p, &st, lpar, allow_genexp && p->stack.n == base, !allow_genexp);
        px_push(p, a);
        if (a->kind == AST_GENERATOREXP && a->span.start == p->toks[lpar].span.start) break;
        if (!px_accept(p, TK_COMMA)) break;
    }
    px_expect_close(p, TK_RPAR, lpar, last);
    uint32_t n = p->stack.n - base;
    *args = (NodeList){n - st.nkw, n > st.nkw ? ARENA_ARRAY(p->a, Node *, n - st.nkw) : NULL};
    *kws = (NodeList){st.nkw, st.nkw ? ARENA_ARRAY(p->a, Node *, st.nkw) : NULL};
    for (uint32_t i = 0, ia = 0, ik = 0; i < n; i++) {
        Node *a = p->stack.items[base + i];
        if (a->kind == AST_KEYWORD)
            kws->items[ik++] = a;
        else
            args->items[ia++] = a;
    }
    p->stack.n = base;
}
