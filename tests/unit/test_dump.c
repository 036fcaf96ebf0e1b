/* Unit tests for src/syntax/ast_dump: trees built by hand with ast_new, dumped, and compared
 * with the text ast.dump(ast.parse(src), include_attributes=True) printed for the same source
 * under Debian's /usr/bin/python3 (3.11.2) and, for the 3.12 layout, CPython 3.12.1. */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/source.h"
#include "base/strtab.h"
#include "syntax/ast.h"
#include "syntax/ast_dump.h"

static Arena A;
static Source S;

static void set_source(const char *text)
{
    source_free(&S);
    source_from_mem(&S, "t.py", text, strlen(text));
}

/* The span of the nth (0-based) occurrence of needle in the source. */
static Span at(const char *needle, int nth)
{
    const char *p = S.text;
    for (;; nth--) {
        p = strstr(p, needle);
        if (!p || nth == 0) break;
        p++;
    }
    if (!p) {
        fprintf(stderr, "test_dump: '%s' not in source\n", needle);
        abort();
    }
    uint32_t start = (uint32_t)(p - S.text);
    return (Span){start, start + (uint32_t)strlen(needle)};
}

static Span sp(uint32_t start, uint32_t end)
{
    return (Span){start, end};
}

static NodeList list(int n, ...)
{
    NodeList l = {(uint32_t)n, ARENA_ARRAY(&A, Node *, n ? n : 1)};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        l.items[i] = va_arg(ap, Node *);
    va_end(ap);
    return l;
}

static Node *name(const char *id, ExprCtx ctx, Span s)
{
    Node *n = ast_new(&A, AST_NAME, s);
    n->Name.id = str_intern_c(id);
    n->Name.ctx = (uint8_t)ctx;
    return n;
}

static Node *constant(ConstKind kind, const char *text, Span s)
{
    Node *n = ast_new(&A, AST_CONSTANT, s);
    n->Constant.value.kind = (uint8_t)kind;
    n->Constant.value.text = text;
    n->Constant.value.len = text ? (uint32_t)strlen(text) : 0;
    return n;
}

static Node *module(NodeList body)
{
    Node *m = ast_new(&A, AST_MODULE, sp(0, S.len));
    m->Module.body = body;
    return m;
}

static Node *expr_stmt(Node *value)
{
    Node *n = ast_new(&A, AST_EXPR, value->span);
    n->Expr.value = value;
    return n;
}

static Node *assign(Node *target, Node *value)
{
    Node *n = ast_new(&A, AST_ASSIGN, sp(target->span.start, value->span.end));
    n->Assign.targets = list(1, target);
    n->Assign.value = value;
    return n;
}

static Node *fvalue(Node *value, int conversion, Node *spec, Span s)
{
    Node *n = ast_new(&A, AST_FORMATTEDVALUE, s);
    n->FormattedValue.value = value;
    n->FormattedValue.conversion = conversion;
    n->FormattedValue.format_spec = spec;
    return n;
}

static Node *joined(NodeList values, Span s)
{
    Node *n = ast_new(&A, AST_JOINEDSTR, s);
    n->JoinedStr.values = values;
    return n;
}

static char *dump(const Node *root, int pyver)
{
    static Buf b;
    buf_clear(&b);
    ast_dump(&b, &S, root, pyver);
    return b.data;
}

static void test_assign(void)
{
    set_source("x = 1\n");
    Node *m = module(
        list(1, assign(name("x", CTX_STORE, at("x", 0)), constant(CONST_INT, "1", at("1", 0)))));
    CHECK_STR(dump(m, 311),
              "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, "
              "end_lineno=1, end_col_offset=1)], value=Constant(value=1, lineno=1, col_offset=4, "
              "end_lineno=1, end_col_offset=5), lineno=1, col_offset=0, end_lineno=1, "
              "end_col_offset=5)], type_ignores=[])");
}

static void test_compare_dict(void)
{
    set_source("a < b == c");
    Node *c = ast_new(&A, AST_COMPARE, sp(0, 10));
    c->Compare.left = name("a", CTX_LOAD, at("a", 0));
    c->Compare.ops.n = 2;
    c->Compare.ops.items = ARENA_ARRAY(&A, uint8_t, 2);
    c->Compare.ops.items[0] = CMPOP_LT;
    c->Compare.ops.items[1] = CMPOP_EQ;
    c->Compare.comparators =
        list(2, name("b", CTX_LOAD, at("b", 0)), name("c", CTX_LOAD, at("c", 0)));
    CHECK_STR(dump(c, 312), "Compare(left=Name(id='a', ctx=Load(), lineno=1, col_offset=0, "
                            "end_lineno=1, end_col_offset=1), ops=[Lt(), Eq()], "
                            "comparators=[Name(id='b', ctx=Load(), lineno=1, col_offset=4, "
                            "end_lineno=1, end_col_offset=5), Name(id='c', ctx=Load(), lineno=1, "
                            "col_offset=9, end_lineno=1, end_col_offset=10)], lineno=1, "
                            "col_offset=0, end_lineno=1, end_col_offset=10)");

    set_source("{**d, \"k\": 1.5}");
    Node *d = ast_new(&A, AST_DICT, sp(0, 15));
    Node *f = constant(CONST_FLOAT, NULL, at("1.5", 0));
    f->Constant.value.f = 1.5;
    d->Dict.keys = list(2, NULL, constant(CONST_STR, "k", at("\"k\"", 0)));
    d->Dict.values = list(2, name("d", CTX_LOAD, at("d", 0)), f);
    CHECK_STR(dump(d, 311), "Dict(keys=[None, Constant(value='k', lineno=1, col_offset=6, "
                            "end_lineno=1, end_col_offset=9)], values=[Name(id='d', ctx=Load(), "
                            "lineno=1, col_offset=3, end_lineno=1, end_col_offset=4), "
                            "Constant(value=1.5, lineno=1, col_offset=11, end_lineno=1, "
                            "end_col_offset=14)], lineno=1, col_offset=0, end_lineno=1, "
                            "end_col_offset=15)");
}

static void test_optional_fields(void)
{
    set_source("from . import (a as b)\nglobal g, h\nf(*a, k=2, **kw)");
    Node *al = ast_new(&A, AST_ALIAS, at("a as b", 0));
    al->alias.name = str_intern_c("a");
    al->alias.asname = str_intern_c("b");
    Node *imp = ast_new(&A, AST_IMPORTFROM, sp(0, 22));
    imp->ImportFrom.names = list(1, al);
    imp->ImportFrom.level = 1;
    Node *gl = ast_new(&A, AST_GLOBAL, at("global g, h", 0));
    gl->Global.names.n = 2;
    gl->Global.names.items = ARENA_ARRAY(&A, const char *, 2);
    gl->Global.names.items[0] = str_intern_c("g");
    gl->Global.names.items[1] = str_intern_c("h");
    Node *star = ast_new(&A, AST_STARRED, at("*a", 0));
    star->Starred.value = name("a", CTX_LOAD, at("a", 3));
    star->Starred.ctx = CTX_LOAD;
    Node *k = ast_new(&A, AST_KEYWORD, at("k=2", 0));
    k->keyword.arg = str_intern_c("k");
    k->keyword.value = constant(CONST_INT, "2", at("2", 0));
    Node *kw = ast_new(&A, AST_KEYWORD, at("**kw", 0));
    kw->keyword.value = name("kw", CTX_LOAD, at("kw", 0));
    Node *call = ast_new(&A, AST_CALL, at("f(*a, k=2, **kw)", 0));
    call->Call.func = name("f", CTX_LOAD, at("f", 1));
    call->Call.args = list(1, star);
    call->Call.keywords = list(2, k, kw);
    CHECK_STR(
        dump(module(list(3, imp, gl, expr_stmt(call))), 311),
        "Module(body=[ImportFrom(names=[alias(name='a', asname='b', lineno=1, col_offset=15, "
        "end_lineno=1, end_col_offset=21)], level=1, lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=22), Global(names=['g', 'h'], lineno=2, col_offset=0, end_lineno=2, "
        "end_col_offset=11), Expr(value=Call(func=Name(id='f', ctx=Load(), lineno=3, col_offset=0, "
        "end_lineno=3, end_col_offset=1), args=[Starred(value=Name(id='a', ctx=Load(), lineno=3, "
        "col_offset=3, end_lineno=3, end_col_offset=4), ctx=Load(), lineno=3, col_offset=2, "
        "end_lineno=3, end_col_offset=4)], keywords=[keyword(arg='k', value=Constant(value=2, "
        "lineno=3, col_offset=8, end_lineno=3, end_col_offset=9), lineno=3, col_offset=6, "
        "end_lineno=3, end_col_offset=9), keyword(value=Name(id='kw', ctx=Load(), lineno=3, "
        "col_offset=13, end_lineno=3, end_col_offset=15), lineno=3, col_offset=11, end_lineno=3, "
        "end_col_offset=15)], lineno=3, col_offset=0, end_lineno=3, end_col_offset=16), lineno=3, "
        "col_offset=0, end_lineno=3, end_col_offset=16)], type_ignores=[])");
}

static Node *arg(const char *id, int nth)
{
    Node *n = ast_new(&A, AST_ARG, at(id, nth));
    n->arg.arg = str_intern_c(id);
    return n;
}

static void test_function_def(void)
{
    set_source("def f(a, /, b=2, *c, d, e=None, **g) -> r:\n    pass\n");
    Node *args = ast_new(&A, AST_ARGUMENTS, sp(6, 35));
    args->arguments.posonlyargs = list(1, arg("a", 0));
    args->arguments.args = list(1, arg("b", 0));
    args->arguments.vararg = arg("c", 0);
    args->arguments.kwonlyargs = list(2, arg("d", 1), arg("e", 1));
    args->arguments.kw_defaults = list(2, NULL, constant(CONST_NONE, NULL, at("None", 0)));
    args->arguments.kwarg = arg("g", 0);
    args->arguments.defaults = list(1, constant(CONST_INT, "2", at("2", 0)));
    Node *fn = ast_new(&A, AST_FUNCTIONDEF, sp(0, (uint32_t)(strstr(S.text, "pass") - S.text) + 4));
    fn->FunctionDef.name = str_intern_c("f");
    fn->FunctionDef.args = args;
    fn->FunctionDef.body = list(1, ast_new(&A, AST_PASS, at("pass", 0)));
    fn->FunctionDef.returns = name("r", CTX_LOAD, at("r", 0));
    const char *head =
        "FunctionDef(name='f', args=arguments(posonlyargs=[arg(arg='a', lineno=1, col_offset=6, "
        "end_lineno=1, end_col_offset=7)], args=[arg(arg='b', lineno=1, col_offset=12, "
        "end_lineno=1, end_col_offset=13)], vararg=arg(arg='c', lineno=1, col_offset=18, "
        "end_lineno=1, end_col_offset=19), kwonlyargs=[arg(arg='d', lineno=1, col_offset=21, "
        "end_lineno=1, end_col_offset=22), arg(arg='e', lineno=1, col_offset=24, end_lineno=1, "
        "end_col_offset=25)], kw_defaults=[None, Constant(value=None, lineno=1, col_offset=26, "
        "end_lineno=1, end_col_offset=30)], kwarg=arg(arg='g', lineno=1, col_offset=34, "
        "end_lineno=1, end_col_offset=35), defaults=[Constant(value=2, lineno=1, col_offset=14, "
        "end_lineno=1, end_col_offset=15)]), body=[Pass(lineno=2, col_offset=4, end_lineno=2, "
        "end_col_offset=8)], decorator_list=[], returns=Name(id='r', ctx=Load(), lineno=1, "
        "col_offset=40, end_lineno=1, end_col_offset=41), ";
    char want[2048];
    snprintf(want, sizeof want, "%slineno=1, col_offset=0, end_lineno=2, end_col_offset=8)", head);
    CHECK_STR(dump(fn, 311), want);
    snprintf(want, sizeof want,
             "%stype_params=[], lineno=1, col_offset=0, end_lineno=2, end_col_offset=8)", head);
    CHECK_STR(dump(fn, 312), want);
}

/* f"a{x!r:>{w}} b" "c" with the spans CPython 3.12.1 gives (its empty trailing Constant too). */
static void test_fstring_spec(void)
{
    set_source("f\"a{x!r:>{w}} b\" \"c\"");
    Node *spec = joined(list(3, constant(CONST_STR, ">", sp(8, 9)),
                             fvalue(name("w", CTX_LOAD, sp(10, 11)), -1, NULL, sp(9, 12)),
                             constant(CONST_STR, "", sp(12, 12))),
                        sp(7, 12));
    spec->JoinedStr.token = sp(0, 16);
    Node *js = joined(list(3, constant(CONST_STR, "a", sp(2, 3)),
                           fvalue(name("x", CTX_LOAD, sp(4, 5)), 'r', spec, sp(3, 13)),
                           constant(CONST_STR, " bc", sp(13, 20))),
                      sp(0, 20));
    CHECK_STR(
        dump(js, 311),
        "JoinedStr(values=[Constant(value='a', lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=20), FormattedValue(value=Name(id='x', ctx=Load(), lineno=1, col_offset=4, "
        "end_lineno=1, end_col_offset=5), conversion=114, format_spec=JoinedStr(values=["
        "Constant(value='>', lineno=1, col_offset=0, end_lineno=1, end_col_offset=20), "
        "FormattedValue(value=Name(id='w', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, "
        "end_col_offset=11), conversion=-1, lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=20)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=16), lineno=1, "
        "col_offset=0, end_lineno=1, end_col_offset=20), Constant(value=' bc', lineno=1, "
        "col_offset=0, end_lineno=1, end_col_offset=20)], lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=20)");
    CHECK_STR(
        dump(js, 312),
        "JoinedStr(values=[Constant(value='a', lineno=1, col_offset=2, end_lineno=1, "
        "end_col_offset=3), FormattedValue(value=Name(id='x', ctx=Load(), lineno=1, col_offset=4, "
        "end_lineno=1, end_col_offset=5), conversion=114, format_spec=JoinedStr(values=["
        "Constant(value='>', lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), "
        "FormattedValue(value=Name(id='w', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, "
        "end_col_offset=11), conversion=-1, lineno=1, col_offset=9, end_lineno=1, "
        "end_col_offset=12), Constant(value='', lineno=1, col_offset=12, end_lineno=1, "
        "end_col_offset=12)], lineno=1, col_offset=7, end_lineno=1, end_col_offset=12), lineno=1, "
        "col_offset=3, end_lineno=1, end_col_offset=13), Constant(value=' bc', lineno=1, "
        "col_offset=13, end_lineno=1, end_col_offset=20)], lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=20)");
    spec->JoinedStr.token = sp(0, 0); /* without the parser's hint the token is found by scan */
    CHECK(strstr(dump(js, 311), "end_col_offset=20)], lineno=1, col_offset=0, end_lineno=1, "
                                "end_col_offset=16)") != NULL);
}

/* u"a" f"{x:a{y}b}": 3.11 gives kind='u' to every Constant but the spec's trailing one. */
static void test_fstring_kind(void)
{
    set_source("u\"a\" f\"{x:a{y}b}\"");
    Node *spec = joined(list(3, constant(CONST_STR, "a", sp(10, 11)),
                             fvalue(name("y", CTX_LOAD, sp(12, 13)), -1, NULL, sp(11, 14)),
                             constant(CONST_STR, "b", sp(14, 15))),
                        sp(9, 15));
    spec->JoinedStr.token = sp(5, 17);
    Node *first = constant(CONST_STR, "a", sp(0, 4));
    first->Constant.kind = "u";
    Node *js = joined(list(2, first, fvalue(name("x", CTX_LOAD, sp(8, 9)), -1, spec, sp(7, 16))),
                      sp(0, 17));
    CHECK_STR(dump(js, 311),
              "JoinedStr(values=[Constant(value='a', kind='u', lineno=1, col_offset=0, "
              "end_lineno=1, end_col_offset=17), FormattedValue(value=Name(id='x', ctx=Load(), "
              "lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), conversion=-1, "
              "format_spec=JoinedStr(values=[Constant(value='a', kind='u', lineno=1, "
              "col_offset=0, end_lineno=1, end_col_offset=17), FormattedValue(value=Name(id='y', "
              "ctx=Load(), lineno=1, col_offset=12, end_lineno=1, end_col_offset=13), "
              "conversion=-1, lineno=1, col_offset=0, end_lineno=1, end_col_offset=17), "
              "Constant(value='b', lineno=1, col_offset=5, end_lineno=1, end_col_offset=17)], "
              "lineno=1, col_offset=5, end_lineno=1, end_col_offset=17), lineno=1, col_offset=0, "
              "end_lineno=1, end_col_offset=17)], lineno=1, col_offset=0, end_lineno=1, "
              "end_col_offset=17)");
}

/* w = f"""{'''\na'''} {b}""": a multi-line string starting on the brace's line is placed by
 * CPython 3.11 at its column counted from the '{' (1, not 9). */
static void test_fstring_multiline(void)
{
    set_source("w = f\"\"\"{'''\na'''} {b}\"\"\"");
    Node *inner = constant(CONST_STR, "\na", at("'''\na'''", 0));
    Node *js =
        joined(list(3, fvalue(inner, -1, NULL, sp(8, 18)), constant(CONST_STR, " ", sp(18, 19)),
                    fvalue(name("b", CTX_LOAD, at("b", 0)), -1, NULL, sp(19, 22))),
               sp(4, 25));
    Node *m = module(list(1, assign(name("w", CTX_STORE, at("w", 0)), js)));
    CHECK_STR(dump(m, 311),
              "Module(body=[Assign(targets=[Name(id='w', ctx=Store(), lineno=1, col_offset=0, "
              "end_lineno=1, end_col_offset=1)], value=JoinedStr(values=[FormattedValue("
              "value=Constant(value='\\na', lineno=1, col_offset=1, end_lineno=2, "
              "end_col_offset=4), conversion=-1, lineno=1, col_offset=4, end_lineno=2, "
              "end_col_offset=12), Constant(value=' ', lineno=1, col_offset=4, end_lineno=2, "
              "end_col_offset=12), FormattedValue(value=Name(id='b', ctx=Load(), lineno=2, "
              "col_offset=7, end_lineno=2, end_col_offset=8), conversion=-1, lineno=1, "
              "col_offset=4, end_lineno=2, end_col_offset=12)], lineno=1, col_offset=4, "
              "end_lineno=2, end_col_offset=12), lineno=1, col_offset=0, end_lineno=2, "
              "end_col_offset=12)], type_ignores=[])");
}

static void test_values(void)
{
    set_source("x = -0x_FF");
    Node *neg = ast_new(&A, AST_UNARYOP, sp(4, 10));
    neg->UnaryOp.op = UNARYOP_USUB;
    neg->UnaryOp.operand = constant(CONST_INT, "0x_FF", at("0x_FF", 0));
    CHECK_STR(dump(neg, 311), "UnaryOp(op=USub(), operand=Constant(value=255, lineno=1, "
                              "col_offset=5, end_lineno=1, end_col_offset=10), lineno=1, "
                              "col_offset=4, end_lineno=1, end_col_offset=10)");

    set_source("y = b\"\\x00'\" + \"\xc3\xa9\\n\"");
    Node *bytes = constant(CONST_BYTES, NULL, sp(4, 12));
    bytes->Constant.value.text = "\0'";
    bytes->Constant.value.len = 2;
    Node *add = ast_new(&A, AST_BINOP, sp(4, 21));
    add->BinOp.left = bytes;
    add->BinOp.op = BINOP_ADD;
    add->BinOp.right = constant(CONST_STR, "\xc3\xa9\n", sp(15, 21));
    CHECK_STR(dump(add, 311),
              "BinOp(left=Constant(value=b\"\\x00'\", lineno=1, col_offset=4, end_lineno=1, "
              "end_col_offset=12), op=Add(), right=Constant(value='\xc3\xa9\\n', lineno=1, "
              "col_offset=15, end_lineno=1, end_col_offset=21), lineno=1, col_offset=4, "
              "end_lineno=1, end_col_offset=21)");

    set_source("class C(B, metaclass=M):\n    ...");
    Node *k = ast_new(&A, AST_KEYWORD, at("metaclass=M", 0));
    k->keyword.arg = str_intern_c("metaclass");
    k->keyword.value = name("M", CTX_LOAD, at("M", 0));
    Node *cls = ast_new(&A, AST_CLASSDEF, sp(0, S.len));
    cls->ClassDef.name = str_intern_c("C");
    cls->ClassDef.bases = list(1, name("B", CTX_LOAD, at("B", 0)));
    cls->ClassDef.keywords = list(1, k);
    cls->ClassDef.body = list(1, expr_stmt(constant(CONST_ELLIPSIS, NULL, at("...", 0))));
    const char *want =
        "ClassDef(name='C', bases=[Name(id='B', ctx=Load(), lineno=1, col_offset=8, end_lineno=1, "
        "end_col_offset=9)], keywords=[keyword(arg='metaclass', value=Name(id='M', ctx=Load(), "
        "lineno=1, col_offset=21, end_lineno=1, end_col_offset=22), lineno=1, col_offset=11, "
        "end_lineno=1, end_col_offset=22)], body=[Expr(value=Constant(value=Ellipsis, lineno=2, "
        "col_offset=4, end_lineno=2, end_col_offset=7), lineno=2, col_offset=4, end_lineno=2, "
        "end_col_offset=7)], decorator_list=[], %slineno=1, col_offset=0, end_lineno=2, "
        "end_col_offset=7)";
    char buf[1024];
    snprintf(buf, sizeof buf, want, "");
    CHECK_STR(dump(cls, 311), buf);
    snprintf(buf, sizeof buf, want, "type_params=[], ");
    CHECK_STR(dump(cls, 312), buf);
}

/* A UTF-8 BOM is not part of line 1's columns. */
static void test_bom(void)
{
    set_source("\xEF\xBB\xBFx");
    CHECK_STR(dump(name("x", CTX_LOAD, sp(3, 4)), 311),
              "Name(id='x', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)");
}

int main(void)
{
    arena_init(&A);
    test_assign();
    test_compare_dict();
    test_optional_fields();
    test_function_def();
    test_fstring_spec();
    test_fstring_kind();
    test_fstring_multiline();
    test_values();
    test_bom();
    source_free(&S);
    arena_free(&A);
    return test_report("test_dump");
}
