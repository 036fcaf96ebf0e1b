/* Unit tests for src/plan/baseline (reports and check output, errors, fingerprints as a
 * multiset, percent changes, category diffs) and src/rules/fingerprint. */
#include "test.h"

#include "base/source.h"
#include "plan/baseline.h"
#include "rules/fingerprint.h"

static const char *report_text =
    "{\n"
    "  \"schema_version\": 1,\n"
    "  \"tool\": {\"name\": \"sqlasync\", \"version\": \"0.1.0\"},\n"
    "  \"root\": \"app\",\n"
    "  \"baseline\": null,\n"
    "  \"totals\": {\"python_files\": 10, \"lines\": 400,\n"
    "    \"counts\": {\"sessions.form.with\": {\"instances\": 7, \"files\": 3}}},\n"
    "  \"categories\": {\"services\": {\"files\": 2, \"paths\": [\"b.py\", \"a.py\"]},\n"
    "                  \"future\": {\"files\": 1, \"paths\": [\"z.py\"]}},\n"
    "  \"findings\": [{\"fingerprint\": \"aa\"}, {\"fingerprint\": \"bb\"},\n"
    "               {\"fingerprint\": \"aa\"}]\n"
    "}\n";

static int parse(Baseline *bl, const char *text, char *err, size_t n)
{
    return bl_parse(bl, "old.json", text, strlen(text), err, n);
}

static void test_load_report(void)
{
    Baseline bl;
    char err[256] = "";
    CHECK(parse(&bl, report_text, err, sizeof err) == 0);
    CHECK(bl.is_report);
    CHECK_STR(bl.tool_version, "0.1.0");
    CHECK_STR(bl.root, "app");
    double v = 0;
    CHECK(bl_number(&bl, "python_files", &v) && v == 10);
    CHECK(bl_number(&bl, "counts.sessions.form.with.instances", &v) && v == 7);
    CHECK(bl_number(&bl, "counts.sessions.form.with.files", &v) && v == 3);
    CHECK(bl_number(&bl, "categories.services.files", &v) && v == 2);
    CHECK(bl_number(&bl, "categories.future.files", &v) && v == 1);
    CHECK(!bl_number(&bl, "categories.tests.files", &v));
    CHECK(bl.cat_paths[FCAT_SERVICES].n == 2);
    CHECK_STR(bl.cat_paths[FCAT_SERVICES].items[0], "a.py");
    CHECK(bl.nfindings == 3 && bl.prints.n == 2);
    /* a multiset: "aa" twice, "bb" once */
    CHECK(bl_take(&bl, "aa") && bl_take(&bl, "aa") && !bl_take(&bl, "aa"));
    CHECK(!bl_take(&bl, "cc"));
    CHECK(bl_untaken(&bl) == 1);
    bl_reset(&bl);
    CHECK(bl_untaken(&bl) == 3);
    const char *now[] = {"a.py", "c.py"};
    BlPaths added = {0}, removed = {0};
    bl_cat_diff(&bl, FCAT_SERVICES, now, 2, &added, &removed);
    CHECK(added.n == 1 && strcmp(added.items[0], "c.py") == 0);
    CHECK(removed.n == 1 && strcmp(removed.items[0], "b.py") == 0);
    VEC_FREE(added);
    VEC_FREE(removed);
    bl_free(&bl);
}

/* The whole-program sections are compared too: call graph, graph counts, estimate, strategies
 * by key; arrays and strings in them are skipped, and a report without them has none. */
static void test_plan_numbers(void)
{
    const char *text =
        "{\"schema_version\": 1, \"totals\": {\"lines\": 5},\n"
        " \"call_graph\": {\"coverage\": 0.5, \"unresolved_sample\": [{\"line\": 3}]},\n"
        " \"graph\": {\"counts\": {\"components\": 4, \"cycles\": 1}, \"nodes\": [1, 2]},\n"
        " \"estimate\": {\"weeks\": 3.25, \"risk_level\": \"high\", \"rows\": [{\"points\": 9}]},\n"
        " \"strategies\": [{\"key\": \"hybrid\", \"weeks\": 2.5}, {\"weeks\": 7},\n"
        "                {\"key\": \"full_async\", \"weeks\": 3.25, \"sync_files\": [\"a\"]}]}\n";
    Baseline bl;
    char err[256] = "";
    CHECK(parse(&bl, text, err, sizeof err) == 0);
    double v = 0;
    CHECK(bl_number(&bl, "call_graph.coverage", &v) && v == 0.5);
    CHECK(bl_number(&bl, "graph.counts.components", &v) && v == 4);
    CHECK(bl_number(&bl, "estimate.weeks", &v) && v == 3.25);
    CHECK(bl_number(&bl, "strategies.hybrid.weeks", &v) && v == 2.5);
    CHECK(bl_number(&bl, "strategies.full_async.weeks", &v) && v == 3.25);
    CHECK(!bl_number(&bl, "estimate.rows.0.points", &v));
    CHECK(!bl_number(&bl, "graph.nodes.0", &v));
    CHECK(bl_has_prefix(&bl, "estimate.") && bl_has_prefix(&bl, "strategies."));
    CHECK(bl_has_prefix(&bl, "graph.counts.") && !bl_has_prefix(&bl, "plan."));
    bl_free(&bl);
    CHECK(parse(&bl, report_text, err, sizeof err) == 0);
    CHECK(!bl_has_prefix(&bl, "estimate.") && !bl_has_prefix(&bl, "graph.counts."));
    CHECK(bl_has_prefix(&bl, "counts.sessions."));
    bl_free(&bl);
}

static void test_check_output(void)
{
    Baseline bl;
    char err[256] = "";
    CHECK(parse(&bl,
                "{\"tool\": \"sqlasync\", \"findings\": [{\"code\": \"SA101\", "
                "\"fingerprint\": \"0123\"}]}",
                err, sizeof err) == 0);
    CHECK(!bl.is_report && bl.nfindings == 1 && bl_take(&bl, "0123"));
    bl_free(&bl);
    CHECK(parse(&bl, "[{\"fingerprint\": \"x\"}, {\"fingerprint\": \"y\"}]", err, sizeof err) == 0);
    CHECK(!bl.is_report && bl.nfindings == 2);
    bl_free(&bl);
    CHECK(parse(&bl, "{\"schema_version\": 1, \"findings\": []}", err, sizeof err) == 0);
    bl_free(&bl);
}

static const char *error_of(const char *text)
{
    static char err[256];
    Baseline bl;
    err[0] = '\0';
    int rc = parse(&bl, text, err, sizeof err);
    bl_free(&bl);
    return rc == 0 ? "" : err;
}

static void test_errors(void)
{
    CHECK_STR(error_of("{\"a\": }"), "old.json:1:7: expected a value, found '}'");
    CHECK_STR(error_of("{\"schema_version\": 2, \"totals\": {}}"),
              "old.json:1:20: unsupported schema_version 2 (this sqlasync reads 1)");
    CHECK_STR(error_of("{\"schema_version\": \"1\"}"),
              "old.json:1:20: \"schema_version\" must be a number, not a string");
    CHECK_STR(error_of("{\"x\": 1}"), "old.json:1:1: not a sqlasync report or check output (no "
                                      "\"schema_version\" or \"findings\")");
    CHECK_STR(error_of("3"), "old.json:1:1: expected a JSON report or check output (an "
                             "object), not a number");
    CHECK_STR(error_of("{\"findings\": {}}"),
              "old.json:1:14: \"findings\" must be an array, not an object");
    CHECK_STR(error_of("{\"findings\": [{\"code\": \"SA101\"}]}"),
              "old.json:1:15: finding without a \"fingerprint\" string");
    CHECK_STR(error_of("{\"findings\": [{\"fingerprint\": 5}]}"),
              "old.json:1:31: finding without a \"fingerprint\" string");
    CHECK_STR(error_of("{\"schema_version\": 1, \"totals\": []}"),
              "old.json:1:33: \"totals\" must be an object, not an array");
    CHECK_STR(error_of("{\"schema_version\": 1, \"totals\": {}, \"categories\": {\"tests\": "
                       "{\"paths\": [1]}}}"),
              "old.json:1:72: a path must be a string, not a number");
    Baseline bl;
    char err[256];
    CHECK(bl_load(&bl, "/nonexistent/old.json", err, sizeof err) == -1);
    CHECK(strncmp(err, "/nonexistent/old.json: ", 23) == 0);
    bl_free(&bl);
}

static void test_percent(void)
{
    double p = 99;
    CHECK(bl_percent(38, 61, &p) && p == 60.5);
    CHECK(bl_percent(10, 8, &p) && p == -20.0);
    CHECK(bl_percent(3, 3, &p) && p == 0.0);
    CHECK(bl_percent(3, 1, &p) && p == -66.7);
    CHECK(!bl_percent(0, 5, &p));
}

static void test_fingerprint(void)
{
    char out[64];
    size_t n = fp_normalise("  a  =\t b ( c )  \n", 18, out);
    out[n] = '\0';
    CHECK_STR(out, "a = b ( c )");
    char a[FP_HEX_LEN + 1], b[FP_HEX_LEN + 1], c[FP_HEX_LEN + 1];
    Source s1, s2;
    source_from_mem(&s1, "x.py", "def f():\n    q = s.query(X)\n", 28);
    source_from_mem(&s2, "x.py", "\n\n# moved\ndef f():\n        q  =  s.query(X)\n", 43);
    finding_fingerprint("SA101", "x.py", "f", &s1, 2, a);
    finding_fingerprint("SA101", "x.py", "f", &s2, 5, b);
    CHECK_STR(a, b);
    CHECK(strlen(a) == FP_HEX_LEN);
    finding_fingerprint("SA101", "x.py", "g", &s1, 2, c);
    CHECK(strcmp(a, c) != 0);
    finding_fingerprint("SA102", "x.py", "f", &s1, 2, c);
    CHECK(strcmp(a, c) != 0);
    finding_fingerprint("SA101", "y.py", "f", &s1, 2, c);
    CHECK(strcmp(a, c) != 0);
    /* FNV-1a 64 of the empty input is the offset basis */
    fp_hex(0xcbf29ce484222325ULL, c);
    CHECK_STR(c, "cbf29ce484222325");
    finding_fingerprint("SA406", "pyproject.toml", NULL, NULL, 0, c);
    CHECK(strlen(c) == FP_HEX_LEN);
    source_free(&s1);
    source_free(&s2);
}

int main(void)
{
    test_load_report();
    test_plan_numbers();
    test_check_output();
    test_errors();
    test_percent();
    test_fingerprint();
    return test_report("baseline");
}
