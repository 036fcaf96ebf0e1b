/* Unit tests for src/syntax/parser: tree shapes, fields and positions that the dump does not
 * show (flags, hidden fields, NULL list items), soft keywords, error messages with their
 * positions, and the depth limit. Whole-file trees are checked by tests/golden/ast and
 * tests/diff. */
#include "test.h"

#include <stdlib.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/source.h"
#include "syntax/parser.h"

typedef struct Parsed {
    Source src;
    Arena arena;
    DiagList diags;
    Node *module;
} Parsed;

static Parsed *parse(const char *text)
{
    Parsed *r = calloc(1, sizeof *r);
    source_from_mem(&r->src, "t.py", text, strlen(text));
    arena_init(&r->arena);
    ParseOutput out;
    if (parse_source(&r->src, &r->arena, &out, &r->diags) == 0) r->module = out.module;
    return r;
}

static void done(Parsed *r)
{
    diag_list_free(&r->diags);
    arena_free(&r->arena);
    source_free(&r->src);
    free(r);
}

/* The first statement of text. */
static Node *stmt0(Parsed *r)
{
    return r->module && r->module->Module.body.n ? r->module->Module.body.items[0] : NULL;
}

/* The source text of a node's span, for comparing positions. */
static const char *text_of(Parsed *r, const Node *n)
{
    static char buf[256];
    uint32_t len = n->span.end - n->span.start;
    if (len >= sizeof buf) len = sizeof buf - 1;
    memcpy(buf, r->src.text + n->span.start, len);
    buf[len] = '\0';
    return buf;
}

/* Parses text that must fail; checks the message and the 1-based line and column. */
static void check_error(const char *text, const char *msg, uint32_t line, uint32_t col)
{
    Parsed *r = parse(text);
    CHECK(r->module == NULL);
    CHECK(r->diags.n == 1);
    if (r->diags.n == 1) {
        CHECK_STR(r->diags.items[0].message, msg);
        CHECK_STR(r->diags.items[0].code, "E001");
        CHECK(r->diags.items[0].line == line);
        CHECK(r->diags.items[0].col + 1 == col);
        if (r->diags.items[0].line != line || r->diags.items[0].col + 1 != col)
            fprintf(stderr, "  at %u:%u, want %u:%u\n", r->diags.items[0].line,
                    r->diags.items[0].col + 1, line, col);
    }
    done(r);
}

static void test_empty_inputs(void)
{
    const char *inputs[] = {"", "\n", "# only a comment\n", "\n\n   \n", "x = 1", "x = 1\r\n"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        Parsed *r = parse(inputs[i]);
        CHECK(r->module != NULL && r->module->kind == AST_MODULE);
        CHECK(r->diags.n == 0);
        done(r);
    }
}

static void test_positions(void)
{
    Parsed *r = parse("@dec\ndef f():\n    pass;\nx = (1)\ny = (1, 2)\nz = 1, 2,\n");
    Node *f = stmt0(r);
    CHECK(f && f->kind == AST_FUNCTIONDEF);
    CHECK_STR(text_of(r, f), "def f():\n    pass;"); /* from 'def', through the ';' */
    Node *x = r->module->Module.body.items[1];
    CHECK_STR(text_of(r, x->Assign.value), "1");
    CHECK(x->Assign.value->flags & NODE_PARENTHESIZED);
    Node *y = r->module->Module.body.items[2];
    CHECK_STR(text_of(r, y->Assign.value), "(1, 2)");
    Node *z = r->module->Module.body.items[3];
    CHECK_STR(text_of(r, z->Assign.value), "1, 2,");
    CHECK(!(z->Assign.value->flags & NODE_PARENTHESIZED));
    done(r);

    r = parse("f(x for x in y)\n(a).b\n");
    Node *call = stmt0(r)->Expr.value;
    CHECK_STR(text_of(r, call->Call.args.items[0]), "(x for x in y)");
    CHECK_STR(text_of(r, r->module->Module.body.items[1]->Expr.value), "(a).b");
    done(r);
}

static void test_targets(void)
{
    Parsed *r = parse("(a): int = 1\nb: int\nc.d: int\n[e, *f] = g\ndel h, i[0]\n");
    Node *ann = stmt0(r);
    CHECK(ann->kind == AST_ANNASSIGN && ann->AnnAssign.simple == 0);
    CHECK(ann->AnnAssign.target->Name.ctx == CTX_STORE);
    CHECK(r->module->Module.body.items[1]->AnnAssign.simple == 1);
    CHECK(r->module->Module.body.items[2]->AnnAssign.simple == 0);
    Node *lst = r->module->Module.body.items[3]->Assign.targets.items[0];
    CHECK(lst->kind == AST_LIST && lst->List.ctx == CTX_STORE);
    CHECK(lst->List.elts.items[1]->kind == AST_STARRED);
    CHECK(lst->List.elts.items[1]->Starred.ctx == CTX_STORE);
    CHECK(lst->List.elts.items[1]->Starred.value->Name.ctx == CTX_STORE);
    Node *del = r->module->Module.body.items[4];
    CHECK(del->Delete.targets.n == 2);
    CHECK(del->Delete.targets.items[1]->Subscript.ctx == CTX_DEL);
    done(r);
}

static void test_null_items(void)
{
    Parsed *r = parse("d = {**a, 'k': v}\ndef f(*, a, b=1): pass\n");
    Node *dict = stmt0(r)->Assign.value;
    CHECK(dict->Dict.keys.n == 2 && dict->Dict.keys.items[0] == NULL);
    CHECK(dict->Dict.values.items[0] != NULL);
    Node *args = r->module->Module.body.items[1]->FunctionDef.args;
    CHECK(args->arguments.kwonlyargs.n == 2);
    CHECK(args->arguments.kw_defaults.n == 2);
    CHECK(args->arguments.kw_defaults.items[0] == NULL);
    CHECK(args->arguments.kw_defaults.items[1] != NULL);
    done(r);
}

static void test_soft_keywords(void)
{
    Parsed *r = parse("match = 1\nmatch(x)\nprint(match)\ntype = 2\n_ = 3\n"
                      "match x:\n    case _:\n        pass\ntype T = int\n");
    NodeList *body = &r->module->Module.body;
    CHECK(body->n == 7);
    CHECK(body->items[0]->kind == AST_ASSIGN);
    CHECK(body->items[1]->kind == AST_EXPR && body->items[1]->Expr.value->kind == AST_CALL);
    CHECK(body->items[3]->kind == AST_ASSIGN);
    CHECK(body->items[5]->kind == AST_MATCH);
    Node *wild = body->items[5]->Match.cases.items[0]->match_case.pattern;
    CHECK(wild->kind == AST_MATCHAS && !wild->MatchAs.name && !wild->MatchAs.pattern);
    CHECK(body->items[6]->kind == AST_TYPEALIAS);
    done(r);
}

static void test_with_items(void)
{
    Parsed *r = parse("with (a, b): pass\nwith (a, b) as c: pass\nwith (a as b, c,): pass\n");
    NodeList *body = &r->module->Module.body;
    CHECK(body->items[0]->With.items.n == 2);
    CHECK(body->items[1]->With.items.n == 1);
    CHECK(body->items[1]->With.items.items[0]->withitem.context_expr->kind == AST_TUPLE);
    CHECK(body->items[2]->With.items.n == 2);
    CHECK(body->items[2]->With.items.items[0]->withitem.optional_vars != NULL);
    done(r);
}

static void test_strings(void)
{
    Parsed *r = parse("u'a' 'b'\n'a' u'b'\nf'{x:>{w}}'\nfrom ... import y\n");
    NodeList *body = &r->module->Module.body;
    Node *c = body->items[0]->Expr.value;
    CHECK(c->kind == AST_CONSTANT && c->Constant.kind && strcmp(c->Constant.kind, "u") == 0);
    CHECK(c->Constant.value.len == 2 && memcmp(c->Constant.value.text, "ab", 2) == 0);
    CHECK(body->items[1]->Expr.value->Constant.kind == NULL);
    Node *js = body->items[2]->Expr.value;
    CHECK(js->kind == AST_JOINEDSTR);
    CHECK(js->JoinedStr.token.start == js->span.start && js->JoinedStr.token.end == js->span.end);
    Node *spec = js->JoinedStr.values.items[0]->FormattedValue.format_spec;
    CHECK(spec && spec->kind == AST_JOINEDSTR);
    CHECK_STR(text_of(r, spec), ":>{w}");
    CHECK(spec->JoinedStr.token.start == js->span.start); /* the whole f-string token */
    CHECK(spec->JoinedStr.token.end == js->span.end);
    Node *imp = body->items[3];
    CHECK(imp->ImportFrom.level == 3 && imp->ImportFrom.module == NULL);
    done(r);
}

static void test_errors(void)
{
    check_error("f() = 1\n",
                "cannot assign to function call here. Maybe you meant '==' "
                "instead of '='?",
                1, 1);
    check_error("x = (a, f()) = 1\n", "cannot assign to function call", 1, 9);
    check_error("del f()\n", "cannot delete function call", 1, 5);
    check_error("if x\n    pass\n", "expected ':'", 1, 5);
    check_error("def f():\nreturn\n",
                "expected an indented block after function definition on line 1", 2, 1);
    check_error("x = [1 2]\n", "invalid syntax. Perhaps you forgot a comma?", 1, 6);
    check_error("x = 1 +\n", "invalid syntax", 1, 8);
    check_error("x = b'a' 'b'\n", "cannot mix bytes and nonbytes literals", 1, 13);
    check_error("f(a=1, b)\n", "positional argument follows keyword argument", 1, 9);
    check_error("def f(a=1, b): pass\n",
                "parameter without a default follows parameter with a default", 1, 12);
    check_error("x = (\n", "'(' was never closed", 1, 5); /* a lexer error */
    check_error("match x:\n    case a as _:\n        pass\n", "cannot use '_' as a target", 2, 15);
    check_error("x = {1: 2, 3}\n", "':' expected after dictionary key", 1, 12);
    check_error("x = f'{a;}'\n", "f-string: expecting '=', or '!', or ':', or '}'", 1, 9);
    check_error("def f() x:\n    pass\n", "expected ':'", 1, 9);   /* forced after def */
    check_error("while x y:\n    pass\n", "invalid syntax", 1, 9); /* not after while */
    check_error("if x:\n", "expected an indented block after 'if' statement on line 1", 1, 6);
    check_error("if a not b: pass\n", "invalid syntax", 1, 10); /* where 'not in' was sought */
    check_error("f(a=1, b,\n  c)\n", "positional argument follows keyword argument", 2, 4);
}

static void test_depth_limit(void)
{
    size_t n = 10000;
    char *text = malloc(4 * n + 16);
    char *q = text;
    q += sprintf(q, "x = ");
    memset(q, '-', n);
    q += n;
    memcpy(q, "1\n", 3);
    Parsed *r = parse(text);
    CHECK(r->module == NULL && r->diags.n == 1);
    if (r->diags.n == 1) CHECK_STR(r->diags.items[0].message, "too deeply nested");
    done(r);

    q = text;
    for (size_t i = 0; i < n; i++)
        *q++ = '(';
    for (size_t i = 0; i < n; i++)
        *q++ = ')';
    memcpy(q, "\n", 2);
    r = parse(text);
    CHECK(r->module == NULL && r->diags.n == 1); /* a clean error, never a crash */
    done(r);

    q = text; /* within the limit: parses */
    q += sprintf(q, "x = ");
    memset(q, '[', 150);
    memset(q + 150, ']', 150);
    memcpy(q + 300, "\n", 2);
    r = parse(text);
    CHECK(r->module != NULL);
    done(r);
    free(text);
}

int main(void)
{
    test_empty_inputs();
    test_positions();
    test_targets();
    test_null_items();
    test_soft_keywords();
    test_with_items();
    test_strings();
    test_errors();
    test_depth_limit();
    return test_report("parser");
}
