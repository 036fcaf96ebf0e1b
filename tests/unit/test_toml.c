/* Unit tests for src/base/toml: the subset pyproject.toml uses, and exact error positions. */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/toml.h"

static Arena arena_for_tests(void)
{
    Arena a;
    arena_init(&a);
    return a;
}

/* Parses text; returns the root or NULL (err filled). */
static TomlValue *parse(Arena *a, const char *text, TomlError *err)
{
    TomlValue *root = NULL;
    toml_parse(&root, "pyproject.toml", text, strlen(text), a, err);
    return root;
}

/* The error text for a document that must fail. */
static const char *error_of(const char *text)
{
    static TomlError err; /* test-only scratch, read right after the call */
    Arena a = arena_for_tests();
    TomlValue *root = parse(&a, text, &err);
    arena_free(&a);
    return root ? "(parsed)" : err.text;
}

static void test_pyproject(void)
{
    const char *text = "# comment\n"
                       "[project]\n"
                       "name = \"app\"  # trailing\n"
                       "dependencies = [\n"
                       "    \"SQLAlchemy[asyncio]>=2.0\",\n"
                       "    'asyncpg',  # literal\n"
                       "]\n"
                       "\n"
                       "[tool.sqlasync]\n"
                       "exclude = [\"migrations/**\", \"legacy\"]\n"
                       "jobs = 4\n"
                       "[tool.sqlasync.estimate]\n"
                       "velocity = 2.5\n"
                       "sa101 = 1\n";
    Arena a = arena_for_tests();
    TomlError err;
    TomlValue *root = parse(&a, text, &err);
    CHECK(root != NULL);
    CHECK_STR(toml_str(toml_get(root, "project.name")), "app");
    const TomlValue *deps = toml_get(root, "project.dependencies");
    CHECK(toml_len(deps) == 2);
    CHECK_STR(toml_str(toml_at(deps, 0)), "SQLAlchemy[asyncio]>=2.0");
    CHECK(toml_at(deps, 0)->line == 5 && toml_at(deps, 0)->col == 5);
    CHECK_STR(toml_str(toml_at(deps, 1)), "asyncpg");
    CHECK(toml_len(toml_get(root, "tool.sqlasync.exclude")) == 2);
    CHECK(toml_get(root, "tool.sqlasync.jobs")->u.i == 4);
    double d = 0;
    CHECK(toml_number(toml_get(root, "tool.sqlasync.estimate.velocity"), &d) && d == 2.5);
    CHECK(toml_number(toml_get(root, "tool.sqlasync.estimate.sa101"), &d) && d == 1);
    CHECK(toml_get(root, "tool.missing") == NULL);
    CHECK(toml_get(root, "project.name.x") == NULL);
    const TomlValue *tool = toml_get(root, "tool");
    CHECK(toml_len(tool) == 1 && strcmp(toml_key_at(tool, 0), "sqlasync") == 0);
    arena_free(&a);
}

static void test_keys_and_tables(void)
{
    const char *text = "a.b.c = 1\n"
                       "\"quoted.key\" = 2\n"
                       "'lit' . x = 3\n"
                       "site.\"google.com\" = true\n"
                       "[[fruit]]\n"
                       "name = \"apple\"\n"
                       "[fruit.physical]\n"
                       "color = \"red\"\n"
                       "[[fruit]]\n"
                       "name = \"banana\"\n"
                       "[x.y]\n"
                       "[x]\n"
                       "z = {p = 1, q.r = \"s\"}\n"
                       "empty = {}\n";
    Arena a = arena_for_tests();
    TomlError err;
    TomlValue *root = parse(&a, text, &err);
    CHECK(root != NULL);
    if (!root) {
        fprintf(stderr, "%s\n", err.text);
        arena_free(&a);
        return;
    }
    CHECK(toml_get(root, "a.b.c")->u.i == 1);
    CHECK(toml_get(root, "\"quoted.key\"")->u.i == 2);
    CHECK(toml_get(root, "lit.x")->u.i == 3);
    CHECK(toml_get(root, "site.\"google.com\"")->u.b);
    const TomlValue *fruit = toml_get(root, "fruit");
    CHECK(toml_is(fruit, TOML_ARRAY) && toml_len(fruit) == 2);
    CHECK_STR(toml_str(toml_table_get(toml_at(fruit, 0), "name")), "apple");
    CHECK_STR(toml_str(toml_get(toml_at(fruit, 0), "physical.color")), "red");
    CHECK_STR(toml_str(toml_table_get(toml_at(fruit, 1), "name")), "banana");
    CHECK(toml_get(root, "x.z.p")->u.i == 1);
    CHECK_STR(toml_str(toml_get(root, "x.z.q.r")), "s");
    CHECK(toml_len(toml_get(root, "x.empty")) == 0 &&
          toml_is(toml_get(root, "x.empty"), TOML_TABLE));
    CHECK(toml_is(toml_get(root, "x.y"), TOML_TABLE));
    arena_free(&a);
}

static void test_strings(void)
{
    const char *text = "a = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600\"\n"
                       "b = 'C:\\path\\no\\escape'\n"
                       "c = \"\"\"\n"
                       "line1\n"
                       "line2\"\"\"\n"
                       "d = \"\"\"one \\\n"
                       "      two\"\"\"\n"
                       "e = '''\n"
                       "raw \\n text'''\n"
                       "f = \"\"\"quote\"\"\"\"\"\n"
                       "g = \"\"\n";
    Arena a = arena_for_tests();
    TomlError err;
    TomlValue *root = parse(&a, text, &err);
    CHECK(root != NULL);
    if (!root) {
        fprintf(stderr, "%s\n", err.text);
        arena_free(&a);
        return;
    }
    CHECK_STR(toml_str(toml_get(root, "a")), "tab\there \"q\" \\ \xc3\xa9 \xf0\x9f\x98\x80");
    CHECK_STR(toml_str(toml_get(root, "b")), "C:\\path\\no\\escape");
    CHECK_STR(toml_str(toml_get(root, "c")), "line1\nline2");
    CHECK_STR(toml_str(toml_get(root, "d")), "one two");
    CHECK_STR(toml_str(toml_get(root, "e")), "raw \\n text");
    CHECK_STR(toml_str(toml_get(root, "f")), "quote\"\"");
    CHECK_STR(toml_str(toml_get(root, "g")), "");
    CHECK(toml_get(root, "d")->line == 6);
    arena_free(&a);
}

static void test_numbers_and_arrays(void)
{
    const char *text = "i = +1_000\n"
                       "n = -17\n"
                       "h = 0xDEAD_beef\n"
                       "o = 0o755\n"
                       "b = 0b1101\n"
                       "f = 6.626e-34\n"
                       "g = -0.5\n"
                       "inf1 = -inf\n"
                       "nan1 = nan\n"
                       "big = 9223372036854775807\n"
                       "small = -9223372036854775808\n"
                       "dt = 1979-05-27T07:32:00Z\n"
                       "dt2 = 1979-05-27 07:32:00.5+01:00\n"
                       "day = 1979-05-27\n"
                       "t = 07:32:00\n"
                       "arr = [ [1, 2], [\"a\", 'b',], [], ]\n"
                       "multi = [\n"
                       "  1, # one\n"
                       "  # comment line\n"
                       "  2\n"
                       "]\n";
    Arena a = arena_for_tests();
    TomlError err;
    TomlValue *root = parse(&a, text, &err);
    CHECK(root != NULL);
    if (!root) {
        fprintf(stderr, "%s\n", err.text);
        arena_free(&a);
        return;
    }
    CHECK(toml_get(root, "i")->u.i == 1000);
    CHECK(toml_get(root, "n")->u.i == -17);
    CHECK(toml_get(root, "h")->u.i == 0xDEADBEEF);
    CHECK(toml_get(root, "o")->u.i == 0755);
    CHECK(toml_get(root, "b")->u.i == 13);
    CHECK(toml_is(toml_get(root, "f"), TOML_FLOAT) && toml_get(root, "f")->u.f == 6.626e-34);
    CHECK(toml_get(root, "g")->u.f == -0.5);
    CHECK(isinf(toml_get(root, "inf1")->u.f) && toml_get(root, "inf1")->u.f < 0);
    CHECK(isnan(toml_get(root, "nan1")->u.f));
    CHECK(toml_get(root, "big")->u.i == INT64_MAX);
    CHECK(toml_get(root, "small")->u.i == INT64_MIN);
    CHECK(toml_is(toml_get(root, "dt"), TOML_DATETIME));
    CHECK_STR(toml_get(root, "dt2")->u.str.s, "1979-05-27 07:32:00.5+01:00");
    CHECK(toml_is(toml_get(root, "day"), TOML_DATETIME));
    CHECK(toml_is(toml_get(root, "t"), TOML_DATETIME));
    const TomlValue *arr = toml_get(root, "arr");
    CHECK(toml_len(arr) == 3 && toml_len(toml_at(arr, 0)) == 2 && toml_len(toml_at(arr, 2)) == 0);
    CHECK_STR(toml_str(toml_at(toml_at(arr, 1), 1)), "b");
    CHECK(toml_len(toml_get(root, "multi")) == 2);
    arena_free(&a);
}

static void test_crlf_and_bom(void)
{
    Arena a = arena_for_tests();
    TomlError err;
    TomlValue *root = parse(&a, "\xEF\xBB\xBF[t]\r\nk = \"v\"\r\nm = \"\"\"x\r\ny\"\"\"\r\n", &err);
    CHECK(root != NULL);
    CHECK_STR(toml_str(toml_get(root, "t.k")), "v");
    CHECK_STR(toml_str(toml_get(root, "t.m")), "x\ny");
    arena_free(&a);
}

static void test_errors(void)
{
    CHECK_STR(error_of("name \"x\"\n"), "pyproject.toml:1:6: expected '=' after key, found '\"'");
    CHECK_STR(error_of("a = 1\nb = \"open\n"), "pyproject.toml:2:5: unterminated string");
    CHECK_STR(error_of("a = 1\nb = \"\"\"never\nclosed\n"),
              "pyproject.toml:2:5: unterminated string");
    CHECK_STR(error_of("x = 1\n[t]\ny = 2\nx = 3\nx = 4\n"),
              "pyproject.toml:5:1: duplicate key 'x'");
    CHECK_STR(error_of("[a]\nb.c = 1\nb.c = 2\n"), "pyproject.toml:3:1: duplicate key 'b.c'");
    CHECK_STR(error_of("[a]\n[b]\n[a]\n"), "pyproject.toml:3:1: duplicate table 'a'");
    CHECK_STR(error_of("a = [1, 2\nb = 3\n"),
              "pyproject.toml:2:1: expected ',' or ']' after an array item, found 'b'");
    CHECK_STR(error_of("a = [1,\n"), "pyproject.toml:2:1: expected ']' to close '[' at line 1");
    CHECK_STR(error_of("a = yes\n"),
              "pyproject.toml:1:5: invalid value 'yes' (strings must be quoted)");
    CHECK_STR(error_of("a = 1 2\n"),
              "pyproject.toml:1:7: expected a newline after the value, found '2'");
    CHECK_STR(error_of("a =\n"), "pyproject.toml:1:4: expected a value after '='");
    CHECK_STR(error_of("[tool\n"),
              "pyproject.toml:1:6: expected ']' to close the table header, found end of line");
    CHECK_STR(error_of("a = \"\\q\"\n"),
              "pyproject.toml:1:6: invalid escape sequence: backslash followed by 'q'");
    CHECK_STR(error_of("a = 1\na.b = 2\n"),
              "pyproject.toml:2:1: key 'a' is already defined as an integer");
    CHECK_STR(error_of("a = {x = 1}\n[a]\n"),
              "pyproject.toml:2:2: key 'a' is already defined as an inline table");
    CHECK_STR(error_of("a = {x = 1,}\n"),
              "pyproject.toml:1:12: trailing comma is not allowed in an inline table");
    CHECK_STR(error_of("a = {x = 1,\ny = 2}\n"),
              "pyproject.toml:1:12: newline inside an inline table (opened at line 1)");
    CHECK_STR(error_of("a = 0123\n"),
              "pyproject.toml:1:5: leading zeros are not allowed in '0123'");
    CHECK_STR(error_of("a = 99999999999999999999\n"),
              "pyproject.toml:1:5: integer '99999999999999999999' is out of range");
    CHECK_STR(error_of("a = 1__0\n"), "pyproject.toml:1:5: invalid number '1__0'");
    CHECK_STR(error_of("a = 1.\n"), "pyproject.toml:1:5: invalid number '1.'");
    CHECK_STR(error_of("= 1\n"), "pyproject.toml:1:1: expected a key, found '='");
    CHECK_STR(error_of("[[a]]\n[a]\n"),
              "pyproject.toml:2:2: key 'a' is already defined as an array of tables");
    CHECK_STR(error_of("a = [1]\n[[a]]\n"),
              "pyproject.toml:2:3: key 'a' is already defined as an array");
    CHECK_STR(error_of("a = 1979-13\n"), "pyproject.toml:1:5: invalid number '1979-13'");
    CHECK_STR(error_of("\"\"\"k\"\"\" = 1\n"),
              "pyproject.toml:1:1: a multi-line string cannot be a key");
    CHECK_STR(error_of("a = \"\"\"x\"\"\"\"\"\"\n"),
              "pyproject.toml:1:14: too many quotes at the end of a multi-line string");
}

static void test_deep_nesting(void)
{
    char text[1000];
    strcpy(text, "a = ");
    for (int i = 0; i < 150; i++)
        strcat(text, "[");
    CHECK_STR(error_of(text), "pyproject.toml:1:105: too deeply nested");
}

static void test_load_missing(void)
{
    Arena a = arena_for_tests();
    TomlValue *root;
    TomlError err;
    CHECK(toml_load(&root, "/nonexistent/pyproject.toml", &a, &err) == -1);
    CHECK(err.line == 0);
    CHECK(strncmp(err.text, "/nonexistent/pyproject.toml: cannot open", 40) == 0);
    arena_free(&a);
}

int main(void)
{
    test_pyproject();
    test_keys_and_tables();
    test_strings();
    test_numbers_and_arrays();
    test_crlf_and_bom();
    test_errors();
    test_deep_nesting();
    test_load_missing();
    return test_report("toml");
}
