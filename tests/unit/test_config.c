/* Unit tests for src/cli/config: finding pyproject.toml, reading [tool.sqlasync], errors with
 * positions, and merging command-line flags. Fixtures are built under mkdtemp. */
#include "test.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/config.h"

static void put(const char *root, const char *rel, const char *text)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void rm_tree(const char *dir)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

static const char full[] = "[project]\n"
                           "name = \"app\"\n"
                           "[tool.sqlasync]\n"
                           "exclude = [\"migrations\", \"app/legacy/**\"]\n"
                           "extend-exclude = [\"*_pb2.py\"]\n"
                           "select = [\"SA1\", \"SA201\"]\n"
                           "extend-select = [\"SA4\"]\n"
                           "ignore = [\"SA105\"]\n"
                           "jobs = 3\n"
                           "colour = \"blue\"\n"
                           "[tool.sqlasync.categories]\n"
                           "services = [\"app/core/**\"]\n"
                           "infra = [\"app/db/**\", \"app/settings.py\"]\n"
                           "[tool.sqlasync.estimate]\n"
                           "velocity = 12.5\n"
                           "SA101 = 2\n";

/* Loads text as root/pyproject.toml with the working folder at root; returns the error text or
 * "" on success. */
static const char *load_text(const char *root, const char *text, Config *cfg)
{
    static char err[600]; /* test-only scratch, read right after the call */
    char cwd[PATH_MAX];
    err[0] = '\0';
    put(root, "pyproject.toml", text);
    if (!getcwd(cwd, sizeof cwd) || chdir(root) != 0) return "chdir failed";
    int rc = cfg_load(cfg, ".", err, sizeof err);
    if (chdir(cwd) != 0) return "chdir back failed";
    return rc == 0 ? "" : err;
}

static void test_full(const char *root)
{
    Config cfg;
    CHECK_STR(load_text(root, full, &cfg), "");
    CHECK(cfg.has_table);
    CHECK_STR(cfg.path, "pyproject.toml");
    CHECK(cfg.excludes.n == 3);
    CHECK_STR(cfg.excludes.items[2], "*_pb2.py");
    CHECK(cfg.select.n == 3);
    CHECK_STR(cfg.select.items[2], "SA4");
    CHECK(cfg.ignore.n == 1 && cfg.jobs == 3);
    CHECK(cfg.categories.nglobs[FCAT_SERVICES] == 1 && cfg.categories.nglobs[FCAT_INFRA] == 2);
    CHECK_STR(cfg.categories.globs[FCAT_INFRA][1], "app/settings.py");
    CHECK(cfg_estimate(&cfg, "velocity", 0) == 12.5 && cfg_estimate(&cfg, "SA101", 0) == 2);
    CHECK(cfg_estimate(&cfg, "missing", 7) == 7);
    CHECK(cfg.warnings.n == 1);
    if (cfg.warnings.n == 1)
        CHECK_STR(cfg.warnings.items[0],
                  "pyproject.toml:10:10: unknown key 'colour' in [tool.sqlasync], ignored");

    const char *const ex[] = {"only"}, *const ext[] = {"more"}, *const sel[] = {"SA2"};
    CfgFlags flags = {0};
    flags.exclude = ex, flags.nexclude = 1;
    flags.extend_exclude = ext, flags.nextend_exclude = 1;
    flags.select = sel, flags.nselect = 1;
    flags.jobs = 8;
    char err[300];
    CHECK(cfg_merge(&cfg, &flags, err, sizeof err) == 0);
    CHECK(cfg.excludes.n == 3);
    CHECK_STR(cfg.excludes.items[0], "only");
    CHECK_STR(cfg.excludes.items[1], "*_pb2.py");
    CHECK_STR(cfg.excludes.items[2], "more");
    CHECK(cfg.select.n == 1 && cfg.ignore.n == 1 && cfg.jobs == 8);
    const char *const bad_sel[] = {"sa2"};
    CfgFlags bad = {0};
    bad.ignore = bad_sel, bad.nignore = 1;
    CHECK(cfg_merge(&cfg, &bad, err, sizeof err) == -1);
    CHECK_STR(err, "invalid rule selector 'sa2' for --ignore (expected a code such as SA201, a "
                   "prefix such as SA2, or ALL)");
    cfg_free(&cfg);
}

static void check_error(const char *root, const char *text, const char *want)
{
    Config cfg;
    CHECK_STR(load_text(root, text, &cfg), want);
    cfg_free(&cfg);
}

static void test_errors(const char *root)
{
    check_error(root, "[tool.sqlasync]\nexclude = \"migrations\"\n",
                "pyproject.toml:2:11: 'exclude' must be an array of strings, not a string");
    check_error(root, "[tool.sqlasync]\nselect = [\"SA1\", 2]\n",
                "pyproject.toml:2:18: 'select' must be an array of strings, but holds an integer");
    check_error(root, "[tool.sqlasync]\nignore = [\"E501x\"]\n",
                "pyproject.toml:2:11: invalid rule selector 'E501x' in 'ignore' (expected a code "
                "such as SA201, a prefix such as SA2, or ALL)");
    check_error(root, "[tool.sqlasync]\njobs = 0\n",
                "pyproject.toml:2:8: 'jobs' must be an integer from 1 to 1024");
    check_error(root, "[tool.sqlasync.categories]\nmodels = [\"x\"]\n",
                "pyproject.toml:2:10: unknown category 'models' (expected services, routes, "
                "tests, infra or other)");
    check_error(root, "[tool.sqlasync.estimate]\nvelocity = \"fast\"\n",
                "pyproject.toml:2:12: estimate value 'velocity' must be a number, not a string");
    check_error(root, "[tool.sqlasync]\nexclude = [\"a\"\n",
                "pyproject.toml:3:1: expected ']' to close '[' at line 2");
    check_error(root, "[tool.sqlasync\n",
                "pyproject.toml:1:15: expected ']' to close the table header, found end of line");
}

static void test_search(const char *root)
{
    char sub[PATH_MAX], err[600];
    put(root, "repo/.git/HEAD", "ref: refs/heads/main\n");
    put(root, "repo/pyproject.toml", "[tool.sqlasync]\njobs = 2\n");
    put(root, "repo/svc/pyproject.toml", "[project]\nname = \"svc\"\n");
    put(root, "repo/svc/app/main.py", "");
    snprintf(sub, sizeof sub, "%s/repo/svc/app/main.py", root);
    Config cfg;
    CHECK(cfg_load(&cfg, sub, err, sizeof err) == 0);
    CHECK(cfg.has_table && cfg.jobs == 2);
    CHECK(cfg.path && strcmp(cfg.path + strlen(cfg.path) - 20, "/repo/pyproject.toml") == 0);
    cfg_free(&cfg);

    /* No [tool.sqlasync] anywhere below .git: the nearest pyproject.toml, empty settings. */
    put(root, "repo/pyproject.toml", "[project]\nname = \"top\"\n");
    CHECK(cfg_load(&cfg, sub, err, sizeof err) == 0);
    CHECK(!cfg.has_table && cfg.path && strstr(cfg.path, "/svc/pyproject.toml") != NULL);
    CHECK(cfg.excludes.n == 0 && cfg.jobs == 0);
    cfg_free(&cfg);

    /* None at all, below a .git folder. */
    char bare[PATH_MAX];
    snprintf(bare, sizeof bare, "%s/bare", root);
    put(root, "bare/.git/HEAD", "");
    CHECK(cfg_load(&cfg, bare, err, sizeof err) == 0 && cfg.path == NULL);
    cfg_free(&cfg);
}

/* Anchored globs are rebased from the file's folder to the working folder. */
static void test_rebase(const char *root)
{
    char cwd[PATH_MAX], dir[PATH_MAX], err[600];
    put(root, "mono/pyproject.toml",
        "[tool.sqlasync]\nexclude = [\"app/legacy\", \"migrations\", \"./svc/old/**\", "
        "\"**/gen\"]\n[tool.sqlasync.categories]\nroutes = [\"svc/web/*.py\"]\n");
    put(root, "mono/svc/x.py", "");
    if (!getcwd(cwd, sizeof cwd) || chdir(root) != 0) {
        CHECK(!"chdir");
        return;
    }
    Config cfg;
    CHECK(cfg_load(&cfg, "mono", err, sizeof err) == 0);
    CHECK_STR(cfg.path, "mono/pyproject.toml");
    CHECK(cfg.excludes.n == 4);
    if (cfg.excludes.n == 4) {
        CHECK_STR(cfg.excludes.items[0], "mono/app/legacy");
        CHECK_STR(cfg.excludes.items[1], "migrations");
        CHECK_STR(cfg.excludes.items[2], "mono/svc/old/**");
        CHECK_STR(cfg.excludes.items[3], "**/gen");
    }
    CHECK(cfg.categories.nglobs[FCAT_ROUTES] == 1);
    CHECK_STR(cfg.categories.globs[FCAT_ROUTES][0], "mono/svc/web/*.py");
    cfg_free(&cfg);
    snprintf(dir, sizeof dir, "%s/mono/svc", root);
    CHECK(chdir(dir) == 0);
    CHECK(cfg_load(&cfg, ".", err, sizeof err) == 0);
    CHECK(cfg.excludes.n == 4);
    if (cfg.excludes.n == 4) CHECK_STR(cfg.excludes.items[2], "old/**");
    CHECK_STR(cfg.categories.globs[FCAT_ROUTES][0], "web/*.py");
    cfg_free(&cfg);
    CHECK(chdir(cwd) == 0);
}

static void test_selectors(void)
{
    CHECK(cfg_valid_selector("SA"));
    CHECK(cfg_valid_selector("SA2"));
    CHECK(cfg_valid_selector("SA201"));
    CHECK(cfg_valid_selector("ALL"));
    CHECK(cfg_valid_selector("E001"));
    CHECK(!cfg_valid_selector("SA2011"));
    CHECK(!cfg_valid_selector("201"));
    CHECK(!cfg_valid_selector(""));
    CHECK(!cfg_valid_selector("SA 2"));
}

int main(void)
{
    char root[] = "/tmp/sqlasync-cfg-XXXXXX";
    if (!mkdtemp(root)) {
        CHECK(!"mkdtemp");
        return test_report("config");
    }
    put(root, ".git/HEAD", ""); /* keeps the search inside the fixture */
    test_full(root);
    test_errors(root);
    test_search(root);
    test_rebase(root);
    test_selectors();
    rm_tree(root);
    return test_report("config");
}
