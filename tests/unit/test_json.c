/* Unit tests for src/base/json: the reader (values, escapes, surrogate pairs, errors with
 * positions, depth limit) and the writer (json_escape, JsonWriter layout, round trip). */
#include "test.h"

#include <stdlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/json.h"

static Arena arena;

static const JsonValue *parse_ok(const char *text)
{
    JsonValue *v = NULL;
    JsonError err;
    int rc = json_parse(&v, "t.json", text, strlen(text), &arena, &err);
    if (rc != 0) fprintf(stderr, "unexpected error: %s\n", err.text);
    CHECK(rc == 0);
    return v;
}

/* The error text for a document that must fail ("" when it parsed). */
static const char *parse_err(const char *text)
{
    static JsonError err;
    JsonValue *v = NULL;
    if (json_parse(&v, "t.json", text, strlen(text), &arena, &err) == 0) return "";
    CHECK(v == NULL);
    return err.text;
}

static void test_values(void)
{
    const JsonValue *v =
        parse_ok(" {\"a\": [1, -2.5e1, true, false, null], \"b\": {}, \"c\": []}\n");
    CHECK(json_is(v, JSON_OBJECT) && json_len(v) == 3);
    CHECK_STR(json_key_at(v, 1), "b");
    const JsonValue *a = json_get(v, "a");
    CHECK(json_len(a) == 5);
    double d = 0;
    CHECK(json_number(json_at(a, 1), &d) && d == -25.0);
    uint64_t u = 0;
    CHECK(json_uint(json_at(a, 0), &u) && u == 1);
    CHECK(!json_uint(json_at(a, 1), &u));
    CHECK(json_is(json_at(a, 2), JSON_BOOL) && json_at(a, 2)->u.b);
    CHECK(json_is(json_at(a, 3), JSON_BOOL) && !json_at(a, 3)->u.b);
    CHECK(json_is(json_at(a, 4), JSON_NULL));
    CHECK(json_len(json_get(v, "b")) == 0 && json_is(json_get(v, "c"), JSON_ARRAY));
    CHECK(json_get(v, "zz") == NULL && json_get(a, "a") == NULL);
    CHECK(a->line == 1 && a->col == 8);
    CHECK(json_is(parse_ok("0"), JSON_NUMBER) && json_is(parse_ok("\"x\""), JSON_STRING));
    CHECK(json_number(parse_ok("1E+2"), &d) && d == 100.0);
    CHECK(json_number(parse_ok("-0.5"), &d) && d == -0.5);
}

static void test_strings(void)
{
    const JsonValue *v = parse_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\"");
    CHECK_STR(json_str(v), "a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xe2\x82\xac");
    v = parse_ok("\"\\ud83d\\ude00 \xf0\x9f\x98\x80\"");
    CHECK_STR(json_str(v), "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80");
    v = parse_ok("\"nul\\u0000x\"");
    CHECK(v->u.str.len == 5 && v->u.str.s[3] == '\0' && v->u.str.s[4] == 'x');
    v = parse_ok("{\"k\\u00e9y\": 1}");
    CHECK(json_get(v, "k\xc3\xa9y") != NULL);
}

static void test_errors(void)
{
    CHECK_STR(parse_err(""), "t.json:1:1: empty document (expected a JSON value)");
    CHECK_STR(parse_err("{\"a\" 1}"), "t.json:1:6: expected ':' after key, found '1'");
    CHECK_STR(parse_err("[1,\n 2,]"), "t.json:2:4: expected a value, found ']'");
    CHECK_STR(parse_err("[1 2]"), "t.json:1:4: expected ',' or ']' in array, found '2'");
    CHECK_STR(parse_err("{1: 2}"), "t.json:1:2: expected a string key, found '1'");
    CHECK_STR(parse_err("{\"a\": 1,\n \"a\": 2}"), "t.json:2:7: duplicate key 'a'");
    CHECK_STR(parse_err("\"abc"), "t.json:1:1: unterminated string");
    CHECK_STR(parse_err("\"a\nb\""), "t.json:1:3: control character (byte 0x0a) in string");
    CHECK_STR(parse_err("\"\\x\""), "t.json:1:2: invalid escape: backslash followed by 'x'");
    CHECK_STR(parse_err("\"\\u12\""), "t.json:1:2: invalid \\u escape (expected 4 hex digits)");
    CHECK_STR(parse_err("\"\\ud800\""),
              "t.json:1:2: invalid \\u escape (high surrogate not followed by a low one)");
    CHECK_STR(parse_err("\"\\ud800\\u0041\""),
              "t.json:1:2: invalid \\u escape (high surrogate not followed by a low one)");
    CHECK_STR(parse_err("\"\\udc00\""), "t.json:1:2: invalid \\u escape (lone low surrogate)");
    CHECK_STR(parse_err("\"\xff\""), "t.json:1:2: invalid UTF-8 in string");
    CHECK_STR(parse_err("\"\xed\xa0\x80\""), "t.json:1:2: invalid UTF-8 in string");
    CHECK_STR(parse_err("01"), "t.json:1:1: invalid number (leading zero)");
    CHECK_STR(parse_err("1."), "t.json:1:1: invalid number (expected digits after '.')");
    CHECK_STR(parse_err("1e"), "t.json:1:1: invalid number (expected digits in the exponent)");
    CHECK_STR(parse_err("-"), "t.json:1:1: invalid number");
    CHECK_STR(parse_err("tru"), "t.json:1:1: expected a value, found 't'");
    CHECK_STR(parse_err("{} x"), "t.json:1:4: expected end of input after the value, found 'x'");
    CHECK_STR(parse_err("NaN"), "t.json:1:1: expected a value, found 'N'");
}

static void test_depth(void)
{
    char deep[2 * JSON_MAX_DEPTH + 8];
    int n = JSON_MAX_DEPTH;
    memset(deep, '[', (size_t)n);
    memset(deep + n, ']', (size_t)n);
    deep[2 * n] = '\0';
    CHECK(json_is(parse_ok(deep), JSON_ARRAY));
    char deeper[2 * JSON_MAX_DEPTH + 8];
    memset(deeper, '[', (size_t)n + 1);
    memset(deeper + n + 1, ']', (size_t)n + 1);
    deeper[2 * n + 2] = '\0';
    char want[80];
    snprintf(want, sizeof want, "t.json:1:%d: too deeply nested (more than %d levels)", n + 1,
             JSON_MAX_DEPTH);
    CHECK_STR(parse_err(deeper), want);
}

static void test_load(void)
{
    JsonValue *v = NULL;
    JsonError err;
    CHECK(json_load(&v, "/nonexistent/x.json", &arena, &err) == -1);
    CHECK(strncmp(err.text, "/nonexistent/x.json: ", 21) == 0);
    CHECK(err.line == 0);
}

static void test_escape(void)
{
    Buf b;
    buf_init(&b);
    json_escape(&b, "a\"b\\c\n\x01\x7f\xc3\xa9\xff/", 12);
    CHECK_STR(b.data, "\"a\\\"b\\\\c\\n\\u0001\x7f\xc3\xa9\\ufffd/\"");
    buf_clear(&b);
    json_escape(&b, "x\0y", 3);
    CHECK_STR(b.data, "\"x\\u0000y\"");
    buf_free(&b);
}

static void test_writer(void)
{
    Buf b;
    buf_init(&b);
    JsonWriter w;
    json_w_init(&w, &b);
    json_w_begin_object(&w);
    json_w_key(&w, "n");
    json_w_uint(&w, 3);
    json_w_key(&w, "list");
    json_w_begin_array(&w);
    json_w_str(&w, "a\tb");
    json_w_int(&w, -1);
    json_w_double(&w, 12.5);
    json_w_bool(&w, true);
    json_w_str(&w, NULL);
    json_w_end_array(&w);
    json_w_key(&w, "empty");
    json_w_begin_object(&w);
    json_w_end_object(&w);
    json_w_end_object(&w);
    json_w_finish(&w);
    CHECK_STR(b.data, "{\n  \"n\": 3,\n  \"list\": [\n    \"a\\tb\",\n    -1,\n    12.5,\n"
                      "    true,\n    null\n  ],\n  \"empty\": {}\n}\n");
    const JsonValue *v = parse_ok(b.data);
    CHECK_STR(json_str(json_at(json_get(v, "list"), 0)), "a\tb");
    buf_free(&b);
}

int main(void)
{
    arena_init(&arena);
    test_values();
    test_strings();
    test_errors();
    test_depth();
    test_load();
    test_escape();
    test_writer();
    arena_free(&arena);
    return test_report("json");
}
