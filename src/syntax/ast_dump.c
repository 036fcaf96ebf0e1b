/* ast_dump: the text of CPython's ast.dump(tree, include_attributes=True).
 *
 * The per-kind field printing is generated from ast.def (one case per kind, fields in ASDL
 * order). Values go through pyrepr. Positions come from source_linecol(): 1-based lines, 0-based
 * byte columns.
 *
 * pyver 311 reproduces CPython 3.11's f-string positions (Parser/string_parser.c):
 *  - the outermost JoinedStr of a (possibly implicitly concatenated) string spans the whole
 *    string, W; its Constant and FormattedValue children carry W too;
 *  - a format_spec JoinedStr spans only the string token that holds it, T; inside it the
 *    FormattedValues and the Constants before them carry W, a trailing Constant carries T;
 *  - Constants of a group whose first token starts with a lowercase 'u' get kind='u', except a
 *    format spec's trailing Constant; empty Constants are dropped;
 *  - an expression inside braces was parsed by a sub-parser from the text after the '{', with a
 *    column offset added to the tokens ending on the brace's line; a token starting on that line
 *    but ending later (a multi-line string) gets no offset, so its column counts from the '{';
 *  - that text was parsed as "(text)", so a bare tuple (`f'{a, b}'`) spans from the '{' to one
 *    past the '}', '!', ':' or '=' that ends it.
 * The dumper keeps the chain of ancestors to apply these rules; it never changes the tree.
 *
 * The dump recurses once per tree level. Below DUMP_MAX_DEPTH levels (a chain of tens of
 * thousands of binary operators; CPython's own ast.dump gives up near 1000) a node is printed as
 * "..." so that the C stack cannot overflow. */
#include "ast_dump.h"

#include <string.h>

#include "../base/vec.h"
#include "pyrepr.h"

typedef struct Pos {
    uint32_t line, col, end_line, end_col;
} Pos;

/* A CPython 3.11 f-string sub-parser: the expression inside one pair of braces. */
typedef struct FsCtx {
    uint32_t line;      /* line of the '{': the sub-parser's first line */
    uint32_t brace_col; /* byte column of the '{' */
    uint32_t base;      /* starting_col_offset: added to columns counted from the '{' */
} FsCtx;

typedef struct Frame {
    const Node *node;
} Frame;

typedef struct Dumper {
    Buf *out;
    Source *src;
    int pyver;
    Vec(Frame) stack; /* the node being dumped and its ancestors; heap, freed at end */
    const FsCtx *ctx; /* innermost f-string expression (3.11), or NULL */
    Span group;       /* 3.11: source span of the current outermost JoinedStr */
    Pos whole;        /* 3.11: its position, W */
} Dumper;

#define DUMP_MAX_DEPTH 10000

static void dump_node(Dumper *d, const Node *n);

/* ---- source scanning (3.11 f-string rules) ------------------------------------------------ */

static bool is_nl(char c)
{
    return c == '\n' || c == '\r';
}

/* If a string literal starts at off, returns its end offset; otherwise off. Follows the 3.11
 * tokenizer: prefix letters, a quote (single or tripled), backslash escapes the next byte. */
static uint32_t string_end(const Source *src, uint32_t off)
{
    const char *t = src->text;
    uint32_t len = src->len, i = off;
    while (i < len && i - off < 3 && t[i] && strchr("bBrRuUfF", t[i]))
        i++;
    if (i >= len || (t[i] != '\'' && t[i] != '"')) return off;
    char q = t[i];
    bool triple = i + 2 < len && t[i + 1] == q && t[i + 2] == q;
    for (i += triple ? 3 : 1; i < len; i++) {
        if (t[i] == '\\')
            i++;
        else if (t[i] == q && (!triple || (i + 2 < len && t[i + 1] == q && t[i + 2] == q)))
            return i + (triple ? 3 : 1);
    }
    return len;
}

static bool has_newline(const Source *src, uint32_t start, uint32_t end)
{
    for (uint32_t i = start; i < end && i < src->len; i++)
        if (is_nl(src->text[i])) return true;
    return false;
}

/* Skips what may separate two string tokens of one group: blanks, line breaks, backslash
 * continuations and comments. */
static uint32_t skip_gap(const Source *src, uint32_t i, uint32_t end)
{
    const char *t = src->text;
    while (i < end) {
        if (t[i] == '#') {
            while (i < end && !is_nl(t[i]))
                i++;
        } else if (strchr(" \t\f\r\n\\", t[i]) && t[i]) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* The string token of the group that contains off (the group itself if scanning fails). */
static Span token_at(const Source *src, Span group, uint32_t off)
{
    uint32_t i = group.start;
    while (i < group.end) {
        uint32_t e = string_end(src, i);
        if (e == i) break;
        if (off < e) return (Span){i, e};
        i = skip_gap(src, e, group.end);
    }
    return group;
}

/* ---- positions ---------------------------------------------------------------------------- */

/* The column CPython reports for a token boundary at off (is_start: a token's first byte). */
static uint32_t app_col(Dumper *d, uint32_t off, bool is_start, uint32_t *line)
{
    LineCol lc = source_linecol(d->src, off);
    *line = lc.line;
    const FsCtx *c = d->ctx;
    if (!c || lc.line != c->line) return lc.col_byte;
    if (is_start && has_newline(d->src, off, string_end(d->src, off)))
        return lc.col_byte - c->brace_col;
    return c->base + lc.col_byte - c->brace_col;
}

static Pos app_pos(Dumper *d, Span s)
{
    Pos p;
    p.col = app_col(d, s.start, true, &p.line);
    p.end_col = app_col(d, s.end, false, &p.end_line);
    return p;
}

static const Node *ancestor(const Dumper *d, uint32_t k)
{
    return d->stack.n > k ? d->stack.items[d->stack.n - 1 - k].node : NULL;
}

static bool is_spec(const Node *js, const Node *parent)
{
    return parent && parent->kind == AST_FORMATTEDVALUE && parent->FormattedValue.format_spec == js;
}

static bool is_empty_str(const Node *n)
{
    return n && n->kind == AST_CONSTANT && n->Constant.value.kind == CONST_STR &&
           n->Constant.value.len == 0;
}

/* The last value of a JoinedStr that 3.11 keeps (empty Constants dropped). */
static const Node *last_value(const Node *js)
{
    for (uint32_t i = js->JoinedStr.values.n; i-- > 0;)
        if (!is_empty_str(js->JoinedStr.values.items[i])) return js->JoinedStr.values.items[i];
    return NULL;
}

/* T: the string token holding a format spec (the parser's hidden field, else found by scan). */
static Span spec_token(const Dumper *d, const Node *spec)
{
    Span t = spec->JoinedStr.token;
    return t.end > t.start ? t : token_at(d->src, d->group, spec->span.start);
}

/* True if the '(' at s.start is closed by the ')' at s.end - 1 (a parenthesized tuple). */
static bool in_own_parens(const Source *src, Span s)
{
    const char *t = src->text;
    if (s.end < s.start + 2 || t[s.start] != '(' || t[s.end - 1] != ')') return false;
    int depth = 0;
    for (uint32_t i = s.start; i < s.end; i++) {
        if (t[i] == '\'' || t[i] == '"')
            i = string_end(src, i) - 1;
        else if (t[i] == '(' || t[i] == '[' || t[i] == '{')
            depth++;
        else if ((t[i] == ')' || t[i] == ']' || t[i] == '}') && --depth == 0)
            return i == s.end - 1;
    }
    return false;
}

static uint32_t find_brace(const Dumper *d, const Node *fv);

/* 3.11 parses the text between '{' and the '}', '!', ':' or '=' that ends the expression as
 * "(text)", so a bare tuple spans from the '{' to one past that terminator. */
static Span bare_tuple_span(Dumper *d, const Node *fv, const Node *tuple)
{
    uint32_t end = tuple->span.end;
    while (end < d->src->len && strchr(" \t\f\r\n", d->src->text[end]) && d->src->text[end])
        end++;
    return (Span){find_brace(d, fv), end + 1};
}

static Pos node_pos(Dumper *d, const Node *n)
{
    if (d->pyver >= 312) return app_pos(d, n->span);
    const Node *parent = ancestor(d, 1), *grand = ancestor(d, 2);
    if (parent && parent->kind == AST_FORMATTEDVALUE && parent->FormattedValue.value == n &&
        n->kind == AST_TUPLE && !in_own_parens(d->src, n->span))
        return app_pos(d, bare_tuple_span(d, parent, n));
    if (n->kind == AST_JOINEDSTR)
        return is_spec(n, parent) ? app_pos(d, spec_token(d, n)) : d->whole;
    if (!parent || parent->kind != AST_JOINEDSTR) return app_pos(d, n->span);
    if (n->kind == AST_CONSTANT && is_spec(parent, grand) && last_value(parent) == n)
        return app_pos(d, spec_token(d, parent));
    return d->whole;
}

/* The '{' opening a FormattedValue: its span start, or found backwards from its value. */
static uint32_t find_brace(const Dumper *d, const Node *fv)
{
    const char *t = d->src->text;
    uint32_t i = fv->span.start;
    if (i < d->src->len && t[i] == '{') return i;
    i = fv->FormattedValue.value->span.start;
    while (i > 0 && t[i] != '{' && strchr(" \t\f\r\n(", t[i - 1]) && t[i - 1])
        i--;
    return i > 0 && t[i] != '{' && t[i - 1] == '{' ? i - 1 : i;
}

static bool newline_after_brace(const Source *src, uint32_t brace)
{
    for (uint32_t i = brace + 1; i < src->len && src->text[i] != '}'; i++) {
        char c = src->text[i];
        if (is_nl(c)) break;
        if (c != ' ' && c != '\t' && c != '\f') return false;
    }
    return true;
}

/* fstring_compile_expr: the sub-parser for the value of fv, whose parent JoinedStr is js. */
static FsCtx make_ctx(Dumper *d, const Node *fv, const Node *js, const Node *js_parent)
{
    uint32_t brace = find_brace(d, fv), tline;
    Span tok = is_spec(js, js_parent) ? spec_token(d, js) : token_at(d->src, d->group, brace);
    uint32_t tcol = app_col(d, tok.start, true, &tline);
    bool lines = has_newline(d->src, tok.start, brace);
    LineCol bl = source_linecol(d->src, brace);
    FsCtx c = {bl.line, bl.col_byte, 0};
    if (newline_after_brace(d->src, brace))
        c.base = lines ? 0 : tcol;
    else
        c.base = lines ? bl.col_byte : tcol + (brace - tok.start);
    return c;
}

/* ---- printing ----------------------------------------------------------------------------- */

/* Each put_* prints one field as `name=value`, after ", " unless it is the node's first. */
static void put_name(Dumper *d, int *nf, const char *name)
{
    if ((*nf)++) buf_puts(d->out, ", ");
    buf_puts(d->out, name);
    buf_putc(d->out, '=');
}

static void put_ident(Dumper *d, const char *s)
{
    if (s)
        repr_str(d->out, s, strlen(s));
    else
        buf_puts(d->out, "None");
}

static void put_node(Dumper *d, int *nf, const char *name, const Node *child)
{
    put_name(d, nf, name);
    dump_node(d, child);
}

static void put_list(Dumper *d, int *nf, const char *name, const NodeList *l)
{
    bool drop_empty = d->pyver < 312 && ancestor(d, 0)->kind == AST_JOINEDSTR;
    uint32_t printed = 0;
    put_name(d, nf, name);
    buf_putc(d->out, '[');
    for (uint32_t i = 0; i < l->n; i++) {
        if (drop_empty && is_empty_str(l->items[i])) continue;
        if (printed++) buf_puts(d->out, ", ");
        if (l->items[i])
            dump_node(d, l->items[i]);
        else
            buf_puts(d->out, "None");
    }
    buf_putc(d->out, ']');
}

static void put_str(Dumper *d, int *nf, const char *name, const char *s)
{
    put_name(d, nf, name);
    put_ident(d, s);
}

static void put_idents(Dumper *d, int *nf, const char *name, const IdentList *l)
{
    put_name(d, nf, name);
    buf_putc(d->out, '[');
    for (uint32_t i = 0; i < l->n; i++) {
        if (i) buf_puts(d->out, ", ");
        put_ident(d, l->items[i]);
    }
    buf_putc(d->out, ']');
}

static void put_const(Dumper *d, int *nf, const char *name, const Const *c)
{
    put_name(d, nf, name);
    repr_const(d->out, c);
}

/* Constant.kind: in 3.11 every Constant of a JoinedStr takes 'u' from the group's first token,
 * except a format spec's trailing one. */
static const char *const_kind(const Dumper *d, const Node *n)
{
    const Node *parent = ancestor(d, 1);
    if (d->pyver >= 312 || !parent || parent->kind != AST_JOINEDSTR) return n->Constant.kind;
    if (is_spec(parent, ancestor(d, 2)) && last_value(parent) == n) return NULL;
    return d->group.end > d->group.start && d->src->text[d->group.start] == 'u' ? "u" : NULL;
}

/* An optional string field (Constant.kind, type_comment, TypeIgnore.tag): omitted if None. */
static void put_opt_str(Dumper *d, int *nf, const char *name, const Node *n, const char *s)
{
    if (n->kind == AST_CONSTANT) s = const_kind(d, n);
    if (s) put_str(d, nf, name, s);
}

static void put_int(Dumper *d, int *nf, const char *name, int v)
{
    put_name(d, nf, name);
    buf_printf(d->out, "%d", v);
}

/* An expr_context or operator: printed as an empty node, e.g. Load() or Add(). */
static void put_singleton(Dumper *d, int *nf, const char *name, const char *cls)
{
    put_name(d, nf, name);
    buf_printf(d->out, "%s()", cls);
}

static void put_cmpops(Dumper *d, int *nf, const char *name, const OpList *l)
{
    put_name(d, nf, name);
    buf_putc(d->out, '[');
    for (uint32_t i = 0; i < l->n; i++)
        buf_printf(d->out, "%s%s()", i ? ", " : "", ast_cmpop_name((CmpOpKind)l->items[i]));
    buf_putc(d->out, ']');
}

static const char *op_name_BINOP(uint8_t op)
{
    return ast_binop_name((BinOpKind)op);
}

static const char *op_name_BOOLOP(uint8_t op)
{
    return ast_boolop_name((BoolOpKind)op);
}

static const char *op_name_UNARYOP(uint8_t op)
{
    return ast_unaryop_name((UnaryOpKind)op);
}

/* clang-format off */
#define N(f)       put_node(d, nf, #f, k->f);
#define O(f)       if (k->f) put_node(d, nf, #f, k->f);
#define L(f)       put_list(d, nf, #f, &k->f);
#define TP(f)      if (d->pyver >= 312) put_list(d, nf, #f, &k->f);
#define I(f)       put_str(d, nf, #f, k->f);
#define IO(f)      if (k->f) put_str(d, nf, #f, k->f);
#define IL(f)      put_idents(d, nf, #f, &k->f);
#define V(f)       put_const(d, nf, #f, &k->f);
#define SO(f)      put_opt_str(d, nf, #f, n, k->f);
#define INT(f)     put_int(d, nf, #f, k->f);
#define CTX(f)     put_singleton(d, nf, #f, ast_ctx_name((ExprCtx)k->f));
#define OP(f, fam) put_singleton(d, nf, #f, op_name_##fam(k->f));
#define OPS(f)     put_cmpops(d, nf, #f, &k->f);
#define H(f)
#define NONE
/* clang-format on */

// NOLINTNEXTLINE(readability-function-size): one generated case per node kind
static void dump_fields(Dumper *d, const Node *n, int *nf)
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
        default: buf_puts(d->out, "?"); break;
    }
}

#undef N
#undef O
#undef L
#undef TP
#undef I
#undef IO
#undef IL
#undef V
#undef SO
#undef INT
#undef CTX
#undef OP
#undef OPS
#undef H
#undef NONE

static void put_attrs(Dumper *d, const Node *n, int *nf)
{
    if (!ast_has_attributes((AstKind)n->kind)) return;
    Pos p = node_pos(d, n);
    put_name(d, nf, "lineno");
    buf_printf(d->out, "%u, col_offset=%u, end_lineno=%u, end_col_offset=%u", p.line, p.col,
               p.end_line, p.end_col);
}

/* Sets up the 3.11 f-string state that n and its subtree see; restored by the caller. */
static void enter_fstring(Dumper *d, const Node *n, FsCtx *ctx)
{
    const Node *parent = ancestor(d, 1);
    if (parent && parent->kind == AST_FORMATTEDVALUE && parent->FormattedValue.value == n &&
        ancestor(d, 2) && ancestor(d, 2)->kind == AST_JOINEDSTR) {
        *ctx = make_ctx(d, parent, ancestor(d, 2), ancestor(d, 3));
        d->ctx = ctx;
    }
    if (n->kind == AST_JOINEDSTR && !is_spec(n, parent)) { /* placed by the sub-parser, if any */
        d->group = n->span;
        d->whole = app_pos(d, n->span);
    }
}

static void dump_node(Dumper *d, const Node *n)
{
    if (d->stack.n >= DUMP_MAX_DEPTH) {
        buf_puts(d->out, "...");
        return;
    }
    VEC_PUSH(d->stack, ((Frame){n}));
    const FsCtx *saved_ctx = d->ctx;
    Span saved_group = d->group;
    Pos saved_whole = d->whole;
    FsCtx ctx;
    if (d->pyver < 312) enter_fstring(d, n, &ctx);
    int nf = 0;
    buf_puts(d->out, ast_kind_name((AstKind)n->kind));
    buf_putc(d->out, '(');
    dump_fields(d, n, &nf);
    put_attrs(d, n, &nf);
    buf_putc(d->out, ')');
    d->ctx = saved_ctx;
    d->group = saved_group;
    d->whole = saved_whole;
    d->stack.n--;
}

void ast_dump(Buf *out, Source *src, const Node *root, int pyver)
{
    Dumper d = {.out = out, .src = src, .pyver = pyver};
    if (root)
        dump_node(&d, root);
    else
        buf_puts(out, "None");
    VEC_FREE(d.stack);
}
