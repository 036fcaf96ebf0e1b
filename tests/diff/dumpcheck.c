/* dumpcheck: checks ast_dump alone, without our parser.
 *
 * Reads on stdin the AST that tests/diff/dumpcheck_emit.py serialized from CPython 3.12 (true
 * positions as byte offsets), builds it with ast_new, and prints ast_dump(tree, pyver) for the
 * source file named on the command line. tests/diff/dumpcheck.py compares that with CPython
 * 3.11's ast.dump, which checks the 3.11 f-string position rules and every repr.
 *
 * Usage: dumpcheck [--python 3.11|3.12] FILE < FILE.ast
 * Build (after make): cc -std=c11 -D_GNU_SOURCE -Isrc -o build/dumpcheck tests/diff/dumpcheck.c
 *   build/obj/base/{arena,buf,source,strtab,xmalloc}.o build/obj/syntax/{ast,ast_dump,pyrepr}.o
 *   -lpthread -lm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/source.h"
#include "base/strtab.h"
#include "base/vec.h"
#include "base/xmalloc.h"
#include "syntax/ast.h"
#include "syntax/ast_dump.h"

typedef struct Reader {
    const char *p;
    Arena *a;
} Reader;

/* The next space-separated token; n is its length. */
static const char *next(Reader *r, size_t *n)
{
    while (*r->p == ' ' || *r->p == '\n')
        r->p++;
    const char *s = r->p;
    while (*r->p && *r->p != ' ' && *r->p != '\n')
        r->p++;
    *n = (size_t)(r->p - s);
    if (*n == 0) die("dumpcheck: unexpected end of input");
    return s;
}

static bool is(const char *s, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(s, want, n) == 0;
}

static char *unhex(Reader *r, const char *s, size_t n, uint32_t *len)
{
    char *out = arena_alloc(r->a, n / 2 + 1);
    for (size_t i = 0; i + 1 < n; i += 2) {
        char b[3] = {s[i], s[i + 1], 0};
        out[i / 2] = (char)strtol(b, NULL, 16);
    }
    *len = (uint32_t)(n / 2);
    return out;
}

static const char *read_str(Reader *r)
{
    size_t n;
    const char *s = next(r, &n);
    if (is(s, n, "-")) return NULL;
    if (s[0] != 's') die("dumpcheck: expected a string");
    uint32_t len;
    char *t = unhex(r, s + 1, n - 1, &len);
    return str_intern(t, len);
}

/* "(Name)" -> index of Name in names(i), i < count. */
static uint8_t read_enum(Reader *r, const char *(*name)(int), int count)
{
    size_t n;
    const char *s = next(r, &n);
    for (int i = 0; i < count; i++)
        if (n >= 2 && strlen(name(i)) == n - 2 && memcmp(s + 1, name(i), n - 2) == 0)
            return (uint8_t)i;
    die("dumpcheck: unknown operator %.*s", (int)n, s);
}

static const char *ctx_name(int i)
{
    return ast_ctx_name((ExprCtx)i);
}

static const char *binop_name(int i)
{
    return ast_binop_name((BinOpKind)i);
}

static const char *boolop_name(int i)
{
    return ast_boolop_name((BoolOpKind)i);
}

static const char *unaryop_name(int i)
{
    return ast_unaryop_name((UnaryOpKind)i);
}

static const char *cmpop_name(int i)
{
    return ast_cmpop_name((CmpOpKind)i);
}

static void expect(Reader *r, const char *want)
{
    size_t n;
    const char *s = next(r, &n);
    if (!is(s, n, want)) die("dumpcheck: expected '%s', got '%.*s'", want, (int)n, s);
}

static bool peek_is(Reader *r, const char *want)
{
    while (*r->p == ' ')
        r->p++;
    return strncmp(r->p, want, strlen(want)) == 0 &&
           (r->p[strlen(want)] == ' ' || r->p[strlen(want)] == '\n' || !r->p[strlen(want)]);
}

static Node *read_node(Reader *r);

static NodeList read_list(Reader *r)
{
    Vec(Node *) v = {0};
    expect(r, "[");
    while (!peek_is(r, "]"))
        VEC_PUSH(v, read_node(r));
    expect(r, "]");
    NodeList l = {v.n, VEC_FREEZE(r->a, v)};
    VEC_FREE(v);
    return l;
}

static IdentList read_idents(Reader *r)
{
    Vec(const char *) v = {0};
    expect(r, "[");
    while (!peek_is(r, "]"))
        VEC_PUSH(v, read_str(r));
    expect(r, "]");
    IdentList l = {v.n, VEC_FREEZE(r->a, v)};
    VEC_FREE(v);
    return l;
}

static OpList read_cmpops(Reader *r)
{
    Vec(uint8_t) v = {0};
    expect(r, "[");
    while (!peek_is(r, "]"))
        VEC_PUSH(v, read_enum(r, cmpop_name, CMPOP__COUNT));
    expect(r, "]");
    OpList l = {v.n, VEC_FREEZE(r->a, v)};
    VEC_FREE(v);
    return l;
}

static void read_const(Reader *r, Const *c)
{
    size_t n;
    const char *s = next(r, &n);
    switch (s[1]) {
        case 'N': c->kind = CONST_NONE; break;
        case 'T': c->kind = CONST_TRUE; break;
        case 'F': c->kind = CONST_FALSE; break;
        case 'E': c->kind = CONST_ELLIPSIS; break;
        case 'i':
            c->kind = CONST_INT;
            c->text = arena_strndup(r->a, s + 2, n - 2);
            c->len = (uint32_t)(n - 2);
            break;
        case 'f':
        case 'j':
            c->kind = s[1] == 'f' ? CONST_FLOAT : CONST_COMPLEX;
            c->f = strtod(arena_strndup(r->a, s + 2, n - 2), NULL);
            break;
        case 's':
        case 'b':
            c->kind = s[1] == 's' ? CONST_STR : CONST_BYTES;
            c->text = unhex(r, s + 2, n - 2, &c->len);
            break;
        default: die("dumpcheck: bad constant %.*s", (int)n, s);
    }
}

static int read_int(Reader *r)
{
    size_t n;
    const char *s = next(r, &n);
    return atoi(s + 1);
}

#define N(f)       k->f = read_node(r);
#define O(f)       k->f = read_node(r);
#define L(f)       k->f = read_list(r);
#define TP(f)      k->f = read_list(r);
#define I(f)       k->f = read_str(r);
#define IO(f)      k->f = read_str(r);
#define SO(f)      k->f = read_str(r);
#define IL(f)      k->f = read_idents(r);
#define V(f)       read_const(r, &k->f);
#define INT(f)     k->f = read_int(r);
#define CTX(f)     k->f = read_enum(r, ctx_name, 3);
#define OP(f, fam) k->f = read_enum(r, fam##_NAME, fam##_COUNT);
#define OPS(f)     k->f = read_cmpops(r);
#define H(f)
#define NONE
#define BINOP_NAME    binop_name
#define BINOP_COUNT   BINOP__COUNT
#define BOOLOP_NAME   boolop_name
#define BOOLOP_COUNT  BOOLOP__COUNT
#define UNARYOP_NAME  unaryop_name
#define UNARYOP_COUNT UNARYOP__COUNT

static void read_fields(Reader *r, Node *n)
{
    switch ((AstKind)n->kind) {
#define X(up, py, cat, fields)         \
    case AST_##up: {                   \
        __typeof__(n->py) *k = &n->py; \
        (void)k;                       \
        fields break;                  \
    }
#include "syntax/ast.def"
#undef X
        default: die("dumpcheck: bad kind");
    }
}

static Node *read_node(Reader *r)
{
    size_t n;
    const char *s = next(r, &n);
    if (is(s, n, "-")) return NULL;
    int kind = 0;
    while (kind < AST__COUNT && !is(s + 1, n - 1, ast_kind_name((AstKind)kind)))
        kind++;
    if (s[0] != '(' || kind == AST__COUNT) die("dumpcheck: unknown node %.*s", (int)n, s);
    Span span;
    span.start = (uint32_t)strtoul(next(r, &n), NULL, 10);
    span.end = (uint32_t)strtoul(next(r, &n), NULL, 10);
    Node *node = ast_new(r->a, (AstKind)kind, span);
    read_fields(r, node);
    expect(r, ")");
    return node;
}

int main(int argc, char **argv)
{
    int pyver = 311;
    if (argc == 4 && strcmp(argv[1], "--python") == 0) {
        pyver = strcmp(argv[2], "3.12") == 0 ? 312 : 311;
        argv += 2;
        argc -= 2;
    }
    if (argc != 2) {
        fputs("usage: dumpcheck [--python 3.11|3.12] FILE < FILE.ast\n", stderr);
        return 2;
    }
    Source src;
    char err[256];
    if (source_load(&src, argv[1], err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 3;
    }
    Buf in, out;
    buf_init(&in);
    buf_init(&out);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        buf_put(&in, chunk, got);
    Arena a;
    arena_init(&a);
    Reader r = {in.data ? in.data : "", &a};
    ast_dump(&out, &src, read_node(&r), pyver);
    fwrite(out.data, 1, out.len, stdout);
    putchar('\n');
    arena_free(&a);
    buf_free(&in);
    buf_free(&out);
    source_free(&src);
    return 0;
}
