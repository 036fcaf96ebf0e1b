/* parse_fstring: string literals, implicit concatenation and f-strings (PEP 701), following
 * CPython 3.12's Parser/action_helpers.c (_PyPegen_joined_str, _PyPegen_formatted_value,
 * _PyPegen_setup_full_format_spec, _PyPegen_concatenate_strings).
 *
 * `strings` collects the values of all its pieces on the scratch stack: a STRING gives one
 * Constant, an f-string gives its decoded literal parts (empty ones dropped), its FormattedValues
 * and, for a `=` field, the Constant with the field's source text. Then runs of adjacent
 * Constants are merged (kind and start from the first, end from the last) and empty ones are
 * dropped. Without any f-string the result is one Constant. Literal parts span their
 * FSTRING_MIDDLE tokens (doubled braces included, as CPython's token positions do).
 * A format spec JoinedStr spans ':' to the end of the spec (see format_spec for its parts); its
 * hidden `token` field is the span of the f-string (FSTRING_START..FSTRING_END) that holds it,
 * for the CPython 3.11 dump. */
#include "parser_impl.h"

#include <string.h>

static void replacement_field(Parser *p, StrPrefix pre);

typedef struct StrFlags {
    bool fstring, bytes, str;
} StrFlags;

/* A str or bytes Constant; text NULL means the decoded text in p->buf (copied to the arena). */
static Node *str_const(Parser *p, Span span, bool bytes, const char *kind, const char *text,
                       uint32_t len)
{
    Node *c = ast_new(p->a, AST_CONSTANT, span);
    Const *v = &c->Constant.value;
    v->kind = bytes ? CONST_BYTES : CONST_STR;
    v->len = len;
    v->text = text ? text : len ? arena_memdup(p->a, p->buf.data, len) : "";
    c->Constant.kind = kind;
    return c;
}

/* True when the body decodes to itself: no escape, line break to normalize, brace to undouble
 * or non-ASCII byte in bytes (the common case, which needs no copy). */
static bool is_verbatim(const char *s, uint32_t len, StrPrefix pre, bool in_f)
{
    if (!pre.bytes && !in_f) return (pre.raw || !memchr(s, '\\', len)) && !memchr(s, '\r', len);
    for (uint32_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 ? pre.bytes
                      : (c == '\\' && !pre.raw) || c == '\r' || (in_f && (c == '{' || c == '}')))
            return false;
    }
    return true;
}

/* Decodes a literal body into p->buf; returns the decoded text, pointing into the source when
 * the body is verbatim. */
static const char *decode(Parser *p, Span tok, uint32_t body, uint32_t *len, StrPrefix pre,
                          bool in_f)
{
    if (is_verbatim(p->text + body, *len, pre, in_f)) return p->text + body;
    LitError err;
    buf_clear(&p->buf);
    if (lit_decode(&p->buf, p->text + body, *len, pre, in_f, &err) != 0)
        parse_error(p, tok, "%s", err.msg);
    *len = (uint32_t)p->buf.len;
    return NULL;
}

/* string: STRING */
static void string(Parser *p, StrFlags *fl)
{
    Span sp = p->toks[p->pos++].span;
    const char *tok = p->text + sp.start;
    uint32_t len = sp.end - sp.start;
    StrPrefix pre = lit_prefix(tok, len);
    uint32_t skip = pre.len + pre.quote, n = len - skip - pre.quote;
    const char *text = decode(p, sp, sp.start + skip, &n, pre, false);
    px_push(p, str_const(p, sp, pre.bytes, tok[0] == 'u' ? "u" : NULL, text, n));
    fl->bytes |= pre.bytes;
    fl->str |= !pre.bytes;
}

/* fstring_middle: FSTRING_MIDDLE   fstring_format_spec: FSTRING_MIDDLE (decoded as not raw) */
static void fstring_middle(Parser *p, StrPrefix pre, bool in_spec)
{
    Span sp = p->toks[p->pos++].span;
    if (in_spec) pre.raw = false;
    uint32_t n = sp.end - sp.start;
    const char *text = decode(p, sp, sp.start, &n, pre, true);
    if (n == 0) return;
    px_push(p, str_const(p, sp, false, NULL, text, n));
}

/* Merges the Constants stack[from..to) into one (kind and start of the first, end of the
 * last). */
static Node *merge_consts(Parser *p, uint32_t from, uint32_t to)
{
    Node *first = p->stack.items[from], *last = p->stack.items[to - 1];
    buf_clear(&p->buf);
    for (uint32_t i = from; i < to; i++) {
        const Const *v = &p->stack.items[i]->Constant.value;
        buf_put(&p->buf, v->text, v->len);
    }
    Span span = {first->span.start, last->span.end};
    return str_const(p, span, first->Constant.value.kind == CONST_BYTES, first->Constant.kind, NULL,
                     (uint32_t)p->buf.len);
}

static bool is_empty_str(const Node *n)
{
    return n->kind == AST_CONSTANT && n->Constant.value.kind == CONST_STR &&
           n->Constant.value.len == 0;
}

/* The folding loop of _PyPegen_concatenate_strings over stack[base..]: merges runs of adjacent
 * Constants, drops empty strings, and moves the result into the arena. */
static NodeList fold_values(Parser *p, uint32_t base)
{
    uint32_t out = base, n = p->stack.n;
    for (uint32_t i = base; i < n;) {
        Node *e = p->stack.items[i];
        uint32_t j = i + 1;
        if (e->kind == AST_CONSTANT) {
            while (j < n && p->stack.items[j]->kind == AST_CONSTANT)
                j++;
            if (j - i > 1) e = merge_consts(p, i, j);
        }
        i = j;
        if (!is_empty_str(e)) p->stack.items[out++] = e;
    }
    p->stack.n = out;
    return px_take(p, base);
}

/* fstring_full_format_spec: ':' fstring_format_spec*
 * fstring_format_spec: FSTRING_MIDDLE | fstring_replacement_field
 * As in CPython 3.12 (before gh-110309, which only 3.13 has), the parts are not folded, and a
 * spec that ends with a nested field gets the empty Constant of the empty FSTRING_MIDDLE token
 * CPython's tokenizer emits before the closing '}'. */
static Node *format_spec(Parser *p, StrPrefix pre)
{
    uint32_t colon = p->pos++, base = p->stack.n;
    for (;;) {
        if (px_peek(p) == TK_FSTRING_MIDDLE)
            fstring_middle(p, pre, true);
        else if (px_peek(p) == TK_LBRACE)
            replacement_field(p, pre);
        else
            break;
    }
    if (p->stack.n > base && p->stack.items[p->stack.n - 1]->kind == AST_FORMATTEDVALUE) {
        uint32_t at = p->toks[p->pos].span.start;
        px_push(p, str_const(p, (Span){at, at}, false, NULL, "", 0));
    }
    Node *js = px_new(p, AST_JOINEDSTR, colon);
    js->JoinedStr.values = px_take(p, base);
    return js;
}

/* fstring_conversion: "!" NAME  (-1 when absent)
 * invalid_conversion_character: '!' &(':' | '}') | '!' !NAME */
static int conversion(Parser *p)
{
    if (px_peek(p) != TK_EXCLAMATION) return -1;
    Span bang = p->toks[p->pos++].span;
    TokenKind k = px_peek(p);
    if (k != TK_NAME)
        parse_error(p, p->toks[p->pos].span, "f-string: %s conversion character",
                    k == TK_COLON || k == TK_RBRACE ? "missing" : "invalid");
    Span sp = p->toks[p->pos].span;
    if (sp.start != bang.end)
        parse_error(p, (Span){bang.start, sp.end},
                    "f-string: conversion type must come right after the exclamanation mark");
    char c = p->text[sp.start];
    if (sp.end - sp.start != 1 || (c != 's' && c != 'r' && c != 'a'))
        parse_error(p, sp,
                    "f-string: invalid conversion character '%.*s': expected 's', 'r', "
                    "or 'a'",
                    (int)(sp.end - sp.start), p->text + sp.start);
    p->pos++;
    return c;
}

/* invalid_replacement_field: the token after '{', the expression, '=' or the conversion must
 * be one of `allowed` (a string of '=', '!', ':', '}'); value is the expression, if any. */
static void expect_field_part(Parser *p, const Node *value, const char *allowed)
{
    static const TokenKind kinds[] = {TK_EQUAL, TK_EXCLAMATION, TK_COLON, TK_RBRACE};
    static const char chars[] = "=!:}";
    TokenKind k = px_peek(p);
    for (int i = 0; i < 4; i++)
        if (k == kinds[i] && strchr(allowed, chars[i])) return;
    Span at = p->toks[p->pos].span;
    if (!value) {
        for (int i = 0; i < 4; i++)
            if (k == kinds[i])
                parse_error(p, at, "f-string: valid expression required before '%c'", chars[i]);
        return;
    }
    if (allowed[0] == '=' && px_starts_expr(k) && k != TK_STAR && k != TK_MINUS && k != TK_PLUS)
        parse_error(p, (Span){value->span.start, at.end},
                    "invalid syntax. Perhaps you forgot a comma?");
    if (strcmp(allowed, "}") == 0) parse_error(p, at, "f-string: expecting '}'");
    if (strcmp(allowed, ":}") == 0) parse_error(p, at, "f-string: expecting ':' or '}'");
    parse_error(p, at, "f-string: expecting %s'}'",
                allowed[0] == '=' ? "'=', or '!', or ':', or " : "'!', or ':', or ");
}

/* The Constant of a `=` field: the source text between '{' and the '!', ':' or '}' after the
 * '=', with line breaks normalized to "\n" as CPython's tokenizer reads them. */
static Node *debug_text(Parser *p, uint32_t from, uint32_t to)
{
    buf_clear(&p->buf);
    for (uint32_t i = from; i < to; i++) {
        char c = p->text[i];
        if (c == '\r' && i + 1 < to && p->text[i + 1] == '\n') continue;
        buf_putc(&p->buf, c == '\r' ? '\n' : c);
    }
    return str_const(p, (Span){from, to}, false, NULL, NULL, (uint32_t)p->buf.len);
}

/* fstring_replacement_field: '{' annotated_rhs '='? [fstring_conversion]
 *   [fstring_full_format_spec] '}'
 * Pushes the FormattedValue, preceded by the debug text Constant for '='. */
static void replacement_field(Parser *p, StrPrefix pre)
{
    uint32_t lbrace = p->pos++;
    px_enter(p);
    expect_field_part(p, NULL, "");
    Node *value = px_annotated_rhs(p);
    expect_field_part(p, value, "=!:}");
    bool debug = px_accept(p, TK_EQUAL);
    uint32_t after = p->pos;
    expect_field_part(p, value, "!:}");
    int conv = conversion(p);
    expect_field_part(p, value, ":}");
    Node *spec = px_peek(p) == TK_COLON ? format_spec(p, pre) : NULL;
    expect_field_part(p, value, "}");
    p->pos++;
    if (debug) {
        px_push(p, debug_text(p, p->toks[lbrace].span.end, p->toks[after].span.start));
        if (conv < 0 && !spec) conv = 'r';
    }
    Node *fv = px_new(p, AST_FORMATTEDVALUE, lbrace);
    fv->FormattedValue.value = value;
    fv->FormattedValue.conversion = conv;
    fv->FormattedValue.format_spec = spec;
    px_push(p, fv);
    px_leave(p);
}

/* Sets the hidden token span of the format specs of v (a value of an f-string), and of the
 * specs nested in them, to the span of the f-string. */
static void set_spec_token(Node *v, Span whole)
{
    if (v->kind != AST_FORMATTEDVALUE || !v->FormattedValue.format_spec) return;
    Node *spec = v->FormattedValue.format_spec;
    spec->JoinedStr.token = whole;
    for (uint32_t i = 0; i < spec->JoinedStr.values.n; i++)
        set_spec_token(spec->JoinedStr.values.items[i], whole);
}

/* fstring: FSTRING_START fstring_middle* FSTRING_END */
static void fstring(Parser *p, StrFlags *fl)
{
    uint32_t start = p->pos++, base = p->stack.n;
    Span sp = p->toks[start].span;
    StrPrefix pre = lit_prefix(p->text + sp.start, sp.end - sp.start);
    px_enter(p);
    for (TokenKind k = px_peek(p); k != TK_FSTRING_END; k = px_peek(p)) {
        if (k == TK_FSTRING_MIDDLE)
            fstring_middle(p, pre, false);
        else if (k == TK_LBRACE)
            replacement_field(p, pre);
        else
            px_syntax_error(p);
    }
    p->pos++;
    px_leave(p);
    Span whole = px_span(p, start);
    for (uint32_t i = base; i < p->stack.n; i++)
        set_spec_token(p->stack.items[i], whole);
    fl->fstring = true;
}

/* strings: (fstring|string)+   (_PyPegen_concatenate_strings) */
Node *px_strings(Parser *p)
{
    uint32_t start = p->pos, base = p->stack.n;
    StrFlags fl = {false, false, false};
    for (;;) {
        if (px_peek(p) == TK_STRING)
            string(p, &fl);
        else if (px_peek(p) == TK_FSTRING_START)
            fstring(p, &fl);
        else
            break;
    }
    Span span = px_span(p, start);
    if (fl.bytes && (fl.str || fl.fstring)) /* at the next token, as CPython reports it */
        parse_error(p, p->toks[p->pos].span, "cannot mix bytes and nonbytes literals");
    if (!fl.fstring) {
        Node *c = p->stack.n - base == 1 ? p->stack.items[base] : merge_consts(p, base, p->stack.n);
        p->stack.n = base;
        c->span = span;
        return c;
    }
    Node *js = ast_new(p->a, AST_JOINEDSTR, span);
    js->JoinedStr.values = fold_values(p, base);
    js->JoinedStr.token = span;
    return js;
}
