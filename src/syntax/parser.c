/* parser: the driver (parse_source), syntax errors, speculation, and the helpers every rule uses.
 *
 * The grammar rules live in parse_stmt.c, parse_expr.c, parse_args.c, parse_pattern.c and
 * parse_fstring.c, one function per rule of CPython 3.12's Grammar/python.gram. This file owns
 * the single setjmp of a parse: parse_error() longjmps here (or to the innermost px_try()).
 * Scratch stacks and the identifier table are heap memory freed before parse_source returns;
 * everything the AST refers to is in the caller's arena. */
#include "parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "encoding.h"
#include "parser_impl.h"
#include "unicode.h"

/* ---- errors ------------------------------------------------------------------------------ */

/* An error at the end of input (DEDENT, ENDMARKER) is reported, as CPython does, on the final
 * line break rather than past it. */
static Span eof_span(const Parser *p, Span span)
{
    uint32_t len = p->src->len;
    if (span.start < len || len == 0 || (p->text[len - 1] != '\n' && p->text[len - 1] != '\r'))
        return span;
    uint32_t at = len - 1 - (len >= 2 && p->text[len - 2] == '\r' && p->text[len - 1] == '\n');
    return (Span){at, at + 1};
}

_Noreturn void parse_error(Parser *p, Span span, const char *fmt, ...)
{
    span = eof_span(p, span);
    if (!p->speculative && p->diags->n == 0) {
        char msg[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        diag_add(p->diags, DIAG_ERROR, "E001", span, "%s", msg);
        LineCol lc = source_linecol(p->src, span.start);
        VEC_LAST(*p->diags).line = lc.line;
        VEC_LAST(*p->diags).col = lc.col_byte;
    }
    longjmp(*p->on_error, 1);
}

/* Like CPython, a generic error points at the furthest token the parser has looked at. */
_Noreturn void px_syntax_error(Parser *p)
{
    uint32_t at = p->far > p->pos && p->far < p->ntoks ? p->far : p->pos;
    const Token *t = &p->toks[at];
    p->indent_error = !p->speculative &&
                      (t->kind == TK_INDENT || t->kind == TK_DEDENT ||
                       (t->kind == TK_ENDMARKER && at > 0 && p->toks[at - 1].kind == TK_DEDENT));
    if (t->kind == TK_INDENT) /* CPython reports the last column of the indentation */
        parse_error(p, (Span){t->span.end - (t->span.end > t->span.start), t->span.end},
                    "unexpected indent");
    if (t->kind == TK_DEDENT ||
        (t->kind == TK_ENDMARKER && at > 0 && p->toks[at - 1].kind == TK_DEDENT))
        parse_error(p, t->span, "unexpected unindent");
    parse_error(p, t->span, "invalid syntax");
}

/* The stack grows down: below stack_limit (PARSE_MAX_STACK under parse_source's frame) is too
 * deep. */
void px_enter(Parser *p)
{
    if (++p->depth > PARSE_MAX_DEPTH || (uintptr_t)__builtin_frame_address(0) < p->stack_limit)
        parse_error(p, p->toks[p->pos].span, "too deeply nested");
}

typedef struct Mark {
    uint32_t pos, stack, idstack, ops;
    int depth, level;
} Mark;

static Mark mark(const Parser *p)
{
    return (Mark){p->pos, p->stack.n, p->idstack.n, p->ops.n, p->depth, p->level};
}

static void reset(Parser *p, Mark m)
{
    p->pos = m.pos;
    p->stack.n = m.stack;
    p->idstack.n = m.idstack;
    p->ops.n = m.ops;
    p->depth = m.depth;
    p->level = m.level;
}

bool px_try(Parser *p, PxAttempt fn, void *ud)
{
    jmp_buf jb;
    jmp_buf *outer = p->on_error;
    bool outer_spec = p->speculative;
    Mark m = mark(p);
    p->on_error = &jb;
    p->speculative = true;
    if (setjmp(jb) == 0) {
        fn(p, ud);
        p->on_error = outer;
        p->speculative = outer_spec;
        return true;
    }
    p->on_error = outer;
    p->speculative = outer_spec;
    if (p->pos > p->far) p->far = p->pos;
    reset(p, m);
    return false;
}

/* ---- tokens ------------------------------------------------------------------------------ */

bool px_starts_expr(TokenKind k)
{
    switch (k) {
        case TK_NAME:
        case TK_NUMBER:
        case TK_STRING:
        case TK_FSTRING_START:
        case TK_LPAR:
        case TK_LSQB:
        case TK_LBRACE:
        case TK_MINUS:
        case TK_PLUS:
        case TK_TILDE:
        case TK_STAR:
        case TK_ELLIPSIS:
        case TK_KW_NOT:
        case TK_KW_LAMBDA:
        case TK_KW_AWAIT:
        case TK_KW_NONE:
        case TK_KW_TRUE:
        case TK_KW_FALSE: return true;
        default: return false;
    }
}

bool px_at_comprehension(Parser *p)
{
    TokenKind k = px_peek(p);
    return k == TK_KW_FOR || (k == TK_KW_ASYNC && px_peek_at(p, 1) == TK_KW_FOR);
}

void px_expect(Parser *p, TokenKind k)
{
    if (!px_accept(p, k)) px_syntax_error(p);
}

void px_expect_close(Parser *p, TokenKind close, uint32_t open, uint32_t last)
{
    if (px_accept(p, close)) return;
    const Token *t = &p->toks[p->pos];
    if (last != UINT32_MAX && px_starts_expr((TokenKind)t->kind) && t->kind != TK_STAR &&
        t->kind != TK_MINUS && t->kind != TK_PLUS)
        parse_error(p, (Span){p->toks[last].span.start, t->span.end},
                    "invalid syntax. Perhaps you forgot a comma?");
    LineCol lc = source_linecol(p->src, p->toks[open].span.start);
    parse_error(p, t->span, "expected '%s' to close '%s' at line %u", tok_text(close),
                tok_text((TokenKind)p->toks[open].kind), lc.line);
}

const char *px_expect_name(Parser *p)
{
    if (px_peek(p) != TK_NAME) px_syntax_error(p);
    return px_ident(p, p->pos++);
}

/* ---- nodes and lists --------------------------------------------------------------------- */

uint32_t px_prev_end(const Parser *p)
{
    for (uint32_t i = p->pos; i > 0; i--) {
        TokenKind k = (TokenKind)p->toks[i - 1].kind;
        if (k != TK_NEWLINE && k != TK_INDENT && k != TK_DEDENT) return p->toks[i - 1].span.end;
    }
    return 0;
}

Span px_span(const Parser *p, uint32_t start)
{
    return (Span){p->toks[start].span.start, px_prev_end(p)};
}

Node *px_new(Parser *p, AstKind kind, uint32_t start)
{
    return ast_new(p->a, kind, px_span(p, start));
}

NodeList px_copy(Parser *p, uint32_t from, uint32_t to)
{
    NodeList l = {to - from, NULL};
    if (l.n) l.items = arena_memdup(p->a, p->stack.items + from, l.n * sizeof(Node *));
    return l;
}

NodeList px_take(Parser *p, uint32_t base)
{
    NodeList l = px_copy(p, base, p->stack.n);
    p->stack.n = base;
    return l;
}

NodeList px_list1(Parser *p, Node *n)
{
    NodeList l = {1, ARENA_NEW(p->a, Node *)};
    l.items[0] = n;
    return l;
}

IdentList px_take_idents(Parser *p, uint32_t base)
{
    IdentList l = {p->idstack.n - base, NULL};
    if (l.n) l.items = arena_memdup(p->a, p->idstack.items + base, l.n * sizeof(const char *));
    p->idstack.n = base;
    return l;
}

/* ---- identifiers: one arena copy per distinct name --------------------------------------- */

/* The first min(len, 8) bytes of s, zero-padded; avail bytes are readable at s. */
static uint64_t head_word(const char *s, uint32_t len, uint32_t avail)
{
    uint64_t w = 0;
    if (avail >= 8) {
        memcpy(&w, s, 8);
        return len >= 8 ? w : w & ((UINT64_C(1) << (8 * len)) - 1);
    }
    memcpy(&w, s, len < 8 ? len : 8);
    return w;
}

static uint32_t hash_name(const char *s, uint32_t len, uint64_t head)
{
    uint64_t h = (head ^ len) * 0x9E3779B97F4A7C15u;
    for (uint32_t i = 8; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
    }
    if (len > 8 && len % 8) {
        uint64_t w = 0;
        memcpy(&w, s + len - len % 8, len % 8);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    }
    return (uint32_t)(h >> 32);
}

static void grow_names(Parser *p)
{
    uint32_t cap = p->names_cap * 2;
    if (cap == 0) /* distinct names are usually about a twentieth of the tokens */
        for (cap = 64; cap < p->ntoks / 16; cap *= 2)
            ;
    NameSlot *slots = xcalloc(cap, sizeof *slots);
    for (uint32_t i = 0; i < p->names_cap; i++) {
        NameSlot s = p->names[i];
        if (!s.s) continue;
        uint32_t j = s.hash & (cap - 1);
        while (slots[j].s)
            j = (j + 1) & (cap - 1);
        slots[j] = s;
    }
    free(p->names);
    p->names = slots;
    p->names_cap = cap;
}

static bool is_ascii(const char *s, uint32_t len)
{
    uint32_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u) return false;
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] & 0x80) return false;
    return true;
}

static const char *intern(Parser *p, const char *s, uint32_t len, uint32_t avail, bool nfkc);

/* CPython stores identifiers NFKC-normalized (_PyPegen_new_identifier). Returns the interned
 * NFKC form of s, in which case its slot also serves s when the two are equal. */
static const char *nfkc_ident(Parser *p, const char *s, uint32_t len)
{
    buf_clear(&p->norm);
    uni_nfkc(&p->norm, s, len);
    return intern(p, p->norm.data, (uint32_t)p->norm.len, (uint32_t)p->norm.len, false);
}

/* The slow path of intern: a new name (the table grows first if half full). With nfkc, a
 * non-ASCII name maps to its NFKC form, computed here once per distinct name. */
__attribute__((noinline)) static const char *intern_new(Parser *p, const char *s, uint32_t len,
                                                        uint64_t head, uint32_t h, bool nfkc)
{
    const char *id = NULL;
    if (nfkc && !is_ascii(s, len)) {
        id = nfkc_ident(p, s, len);
        if (strlen(id) == len && memcmp(id, s, len) == 0) return id; /* its slot is s's */
    }
    if (2 * (p->names_n + 1) > p->names_cap) grow_names(p);
    uint32_t mask = p->names_cap - 1, i = h & mask;
    while (p->names[i].s)
        i = (i + 1) & mask;
    const char *copy = arena_strndup(p->a, s, len);
    p->names[i] = (NameSlot){copy, id ? id : copy, head, len, h};
    p->names_n++;
    return p->names[i].id;
}

static const char *intern(Parser *p, const char *s, uint32_t len, uint32_t avail, bool nfkc)
{
    uint64_t head = head_word(s, len, avail);
    uint32_t h = hash_name(s, len, head), mask = p->names_cap - 1;
    for (uint32_t i = h & mask; p->names[i].s; i = (i + 1) & mask) {
        const NameSlot *n = &p->names[i];
        if (n->head == head && n->len == len && (len <= 8 || memcmp(n->s, s, len) == 0))
            return n->id;
    }
    return intern_new(p, s, len, head, h, nfkc);
}

const char *px_intern(Parser *p, const char *s, uint32_t len)
{
    return intern(p, s, len, len, false);
}

const char *px_ident(Parser *p, uint32_t tok)
{
    Span s = p->toks[tok].span;
    return intern(p, p->text + s.start, s.end - s.start, p->src->len + 1 - s.start, true);
}

/* ---- driver ------------------------------------------------------------------------------ */

static void lex_error(Source *src, DiagList *diags, const LexError *err)
{
    diag_add(diags, DIAG_ERROR, "E001", err->span, "%s", err->msg);
    LineCol lc = source_linecol(src, err->span.start);
    VEC_LAST(*diags).line = lc.line;
    VEC_LAST(*diags).col = lc.col_byte;
}

static void parser_free(Parser *p)
{
    VEC_FREE(p->stack);
    VEC_FREE(p->idstack);
    VEC_FREE(p->ops);
    buf_free(&p->buf);
    buf_free(&p->norm);
    free(p->names);
}

/* Applies the file's coding cookie (encoding.c); a transcoded text replaces src's. */
static int decode_source(Source *src, ParseOutput *out, DiagList *diags)
{
    LexError err;
    int rc = enc_decode_source(src, &err);
    if (rc < 0) {
        lex_error(src, diags, &err);
        return -1;
    }
    out->transcoded = rc == 1;
    return 0;
}

static void parser_init(Parser *p, Source *src, Arena *a, const TokenArray *toks)
{
    memset(p, 0, sizeof *p);
    p->src = src;
    p->text = src->text;
    p->a = a;
    p->toks = toks->items;
    p->ntoks = toks->n;
    buf_init(&p->buf);
    buf_init(&p->norm);
    grow_names(p);
}

/* CPython's tokenizer runs on demand: its error is raised when the parser reaches it. After an
 * earlier parse error CPython tokenizes the rest of the file (_PyPegen_set_syntax_error): a
 * raised error then replaces the parse error, "'(' was never closed" does so when the bracket
 * is on a line before the last token read, and nothing does after "unexpected indent" or
 * "unexpected unindent". */
static bool lex_error_wins(Parser *p, const LexError *err, const Diag *d)
{
    uint32_t last = p->far > p->pos ? p->far : p->pos; /* the last token CPython had read */
    if (last >= err->tok || d->span.start >= p->toks[err->tok].span.start) return true;
    if (p->indent_error) return false;
    if (err->kind == LEXERR_RAISED) return true;
    if (err->kind != LEXERR_UNCLOSED) return false;
    Source *src = p->src;
    return source_linecol(src, err->span.start).line <
           source_linecol(src, p->toks[last].span.start).line;
}

/* Parses the tokens into out->module; the one syntax error goes to diags. A lexer error
 * (lexrc != 0) is reported instead of the parser's when lex_error_wins. */
static void parse_tokens(Parser *p, ParseOutput *out, int lexrc, const LexError *err,
                         DiagList *diags)
{
    DiagList local = {0};
    p->diags = &local;
    uintptr_t base = (uintptr_t)__builtin_frame_address(0);
    p->stack_limit = base > PARSE_MAX_STACK ? base - PARSE_MAX_STACK : 0;
    jmp_buf jb;
    p->on_error = &jb;
    if (setjmp(jb) == 0) out->module = px_file(p);
    p->on_error = NULL;
    p->diags = NULL;
    if (lexrc != 0 && (local.n == 0 || lex_error_wins(p, err, &local.items[0]))) {
        out->module = NULL;
        diag_list_free(&local);
        lex_error(p->src, &local, err);
    }
    for (uint32_t i = 0; i < local.n; i++)
        VEC_PUSH(*diags, local.items[i]);
    VEC_FREE(local);
}

int parse_source(Source *src, Arena *a, ParseOutput *out, DiagList *diags)
{
    out->module = NULL;
    out->tokens = (TokenArray){NULL, 0};
    if (decode_source(src, out, diags) != 0) return -1;
    LexError err;
    int lexrc = lex_all(src->text, src->len, a, &out->tokens, &err);
    if (lexrc != 0 && err.kind == LEXERR_FATAL) {
        lex_error(src, diags, &err);
        return -1;
    }
    Parser p;
    parser_init(&p, src, a, &out->tokens);
    parse_tokens(&p, out, lexrc, &err, diags);
    parser_free(&p);
    return out->module ? 0 : -1;
}
