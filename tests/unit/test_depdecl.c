/* Unit tests for src/model/depdecl: pyproject.toml (PEP 621, Poetry), requirements files with
 * includes, setup.cfg, and the pytest-asyncio mode. Fixtures are built under mkdtemp. */
#include "test.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "model/depdecl.h"
#include "model/walk.h"

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

static void scan_dir(const char *root, DepScan *s)
{
    WalkOptions o = {root, NULL, 0};
    WalkResult r;
    walk_collect(&o, NULL, 0, &r);
    dep_scan(s, r.configs.items, r.configs.n);
    walk_free(&r);
}

/* "name[extras] spec @file:line (where)" per declaration. */
static void decls_of(Buf *b, const DepScan *s)
{
    buf_clear(b);
    for (uint32_t i = 0; i < s->decls.n; i++) {
        const DepDecl *d = &s->decls.items[i];
        buf_printf(b, "%s %s[%s] '%s' %s:%u %s\n", dep_name(d->kind), d->name, d->extras, d->spec,
                   d->file, d->line, d->where);
    }
}

static const char pyproject[] =
    "[project]\n"
    "name = \"app\"\n"
    "dependencies = [\n"
    "    \"SQLAlchemy[asyncio] >= 2.0\",\n"
    "    \"fastapi\",\n"
    "    \"psycopg2-binary==2.9.9\",\n"
    "]\n"
    "[project.optional-dependencies]\n"
    "test = [\"pytest-asyncio>=0.23\", \"aiosqlite\"]\n"
    "[tool.poetry.dependencies]\n"
    "python = \"^3.11\"\n"
    "sqlalchemy = { version = \"^2.0\", extras = [\"asyncio\", \"postgresql_asyncpg\"] }\n"
    "asyncpg = \"^0.29\"\n"
    "[tool.poetry.group.dev.dependencies]\n"
    "alembic = \"*\"\n"
    "[tool.pytest.ini_options]\n"
    "addopts = [\"-q\"]\n"
    "asyncio_mode = \"auto\"\n";

static const char requirements[] = "# base\n"
                                   "-r requirements/base.txt\n"
                                   "--index-url https://example.invalid/simple\n"
                                   "greenlet>=3  # needed for asyncio\n"
                                   "pymysql ; python_version >= \"3.8\"\n"
                                   "-e .\n"
                                   "git+https://example.invalid/y.git#egg=asyncmy\n"
                                   "psycopg[binary] \\\n"
                                   "    >=3.1 --hash=sha256:abc\n"
                                   "-r missing.txt\n";

static const char setup_cfg[] = "[metadata]\n"
                                "name = app\n"
                                "[options]\n"
                                "install_requires =\n"
                                "    sqlalchemy>=1.4\n"
                                "    # a comment\n"
                                "    mysqlclient\n"
                                "[options.extras_require]\n"
                                "async =\n"
                                "    asyncmy\n"
                                "    oracledb>=2\n"
                                "[tool:pytest]\n"
                                "asyncio_mode = strict\n";

static void test_full_project(void)
{
    char root[] = "/tmp/sqlasync-dep-XXXXXX";
    if (!mkdtemp(root)) {
        CHECK(!"mkdtemp");
        return;
    }
    put(root, "pyproject.toml", pyproject);
    put(root, "requirements.txt", requirements);
    put(root, "requirements/base.txt", "-r ../requirements.txt\ncx_Oracle==8.3\n");
    put(root, "setup.cfg", setup_cfg);
    DepScan s;
    scan_dir(root, &s);
    Buf b;
    buf_init(&b);
    decls_of(&b, &s);
    CHECK_STR(b.data,
              "sqlalchemy SQLAlchemy[asyncio] '>= 2.0' pyproject.toml:4 [project] dependencies\n"
              "psycopg2 psycopg2-binary[] '==2.9.9' pyproject.toml:6 [project] dependencies\n"
              "pytest-asyncio pytest-asyncio[] '>=0.23' pyproject.toml:9 "
              "[project.optional-dependencies] test\n"
              "aiosqlite aiosqlite[] '' pyproject.toml:9 [project.optional-dependencies] test\n"
              "sqlalchemy sqlalchemy[asyncio,postgresql_asyncpg] '^2.0' pyproject.toml:12 "
              "[tool.poetry.dependencies]\n"
              "asyncpg asyncpg[] '^0.29' pyproject.toml:13 [tool.poetry.dependencies]\n"
              "alembic alembic[] '*' pyproject.toml:15 [tool.poetry.group.dev.dependencies]\n"
              "greenlet greenlet[] '>=3' requirements.txt:4 requirements\n"
              "pymysql pymysql[] '' requirements.txt:5 requirements\n"
              "psycopg psycopg[binary] '>=3.1' requirements.txt:8 requirements\n"
              "cx-oracle cx_Oracle[] '==8.3' requirements/base.txt:2 requirements\n"
              "sqlalchemy sqlalchemy[] '>=1.4' setup.cfg:5 [options] install_requires\n"
              "mysqlclient mysqlclient[] '' setup.cfg:7 [options] install_requires\n"
              "asyncmy asyncmy[] '' setup.cfg:10 [options.extras_require] async\n"
              "oracledb oracledb[] '>=2' setup.cfg:11 [options.extras_require] async\n");
    CHECK(s.problems.n == 1);
    if (s.problems.n == 1)
        CHECK_STR(s.problems.items[0], "requirements.txt:10: cannot read included file "
                                       "'missing.txt': cannot open: No such file or directory");
    CHECK_STR(s.asyncio_mode.mode, "auto");
    CHECK(!s.asyncio_mode.is_default);
    CHECK_STR(s.asyncio_mode.file, "pyproject.toml");
    CHECK(s.asyncio_mode.line == 18);
    const DepDecl *ev;
    CHECK(dep_greenlet_declared(&s, &ev) && ev->kind == DEP_GREENLET);
    CHECK(dep_find(&s, DEP_SQLALCHEMY)->line == 4);
    CHECK(dep_has_extra(dep_find(&s, DEP_SQLALCHEMY), "ASYNCIO"));
    CHECK(!dep_has_extra(dep_find(&s, DEP_SQLALCHEMY), "asyncpg"));
    dep_free(&s);
    buf_free(&b);
    rm_tree(root);
}

static void test_pytest_ini_and_default(void)
{
    char root[] = "/tmp/sqlasync-dep2-XXXXXX";
    if (!mkdtemp(root)) {
        CHECK(!"mkdtemp");
        return;
    }
    put(root, "pyproject.toml", "[tool.pytest.ini_options]\nasyncio_mode = \"strict\"\n");
    put(root, "pytest.ini", "[pytest]\naddopts =\n    -q\n    --asyncio-mode=AUTO\n");
    put(root, "sub/setup.cfg", "[tool:pytest]\nasyncio_mode = strict\n");
    put(root, "requirements.txt", "sqlalchemy[postgresql-asyncpg]==2.0.30\n");
    DepScan s;
    scan_dir(root, &s);
    CHECK_STR(s.asyncio_mode.mode, "auto");
    CHECK_STR(s.asyncio_mode.config, "pytest.ini");
    CHECK(s.asyncio_mode.line == 4);
    const DepDecl *ev;
    CHECK(dep_greenlet_declared(&s, &ev) && ev->kind == DEP_SQLALCHEMY);
    dep_free(&s);
    rm_tree(root);

    char empty[] = "/tmp/sqlasync-dep3-XXXXXX";
    if (!mkdtemp(empty)) return;
    put(empty, "setup.cfg", "[tool:pytest]\ntestpaths = tests\n");
    put(empty, "requirements.txt", "SQLAlchemy>=2\n");
    scan_dir(empty, &s);
    CHECK_STR(s.asyncio_mode.mode, "strict");
    CHECK(s.asyncio_mode.is_default);
    CHECK_STR(s.asyncio_mode.config, "setup.cfg");
    CHECK(s.asyncio_mode.file == NULL);
    CHECK(!dep_greenlet_declared(&s, &ev) && ev == NULL);
    dep_free(&s);
    rm_tree(empty);
}

static void test_bad_toml(void)
{
    char root[] = "/tmp/sqlasync-dep4-XXXXXX";
    if (!mkdtemp(root)) return;
    put(root, "pyproject.toml", "[project]\ndependencies = [\"sqlalchemy\"\n");
    DepScan s;
    scan_dir(root, &s);
    CHECK(s.decls.n == 0 && s.problems.n == 1);
    if (s.problems.n == 1)
        CHECK_STR(s.problems.items[0], "pyproject.toml:3:1: expected ']' to close '[' at line 2");
    CHECK(s.asyncio_mode.is_default && s.asyncio_mode.config == NULL);
    dep_free(&s);
    rm_tree(root);
}

static void test_parse_req(void)
{
    DepReq r;
    CHECK(dep_parse_req("  SQLAlchemy [ asyncio , mypy ] (>=2.0) ; python_version>'3.8'", &r));
    CHECK_STR(r.name, "SQLAlchemy");
    CHECK_STR(r.extras, "asyncio,mypy");
    CHECK_STR(r.spec, "(>=2.0)");
    CHECK(dep_parse_req("pkg @ https://x.invalid/pkg.whl", &r) &&
          strcmp(r.spec, "@ https://x.invalid/pkg.whl") == 0);
    CHECK(!dep_parse_req("-r other.txt", &r));
    CHECK(!dep_parse_req("", &r));
    CHECK(dep_kind_of("Psycopg2_Binary") == DEP_PSYCOPG2);
    CHECK(dep_kind_of("psycopg-binary") == DEP_PSYCOPG);
    CHECK(dep_kind_of("cx.Oracle") == DEP_CX_ORACLE);
    CHECK(dep_kind_of("pytest_asyncio") == DEP_PYTEST_ASYNCIO);
    CHECK(dep_kind_of("requests") == DEP__COUNT);
    CHECK(dep_role(DEP_PSYCOPG) == DEP_ASYNC_DRIVER && dep_role(DEP_PSYCOPG2) == DEP_SYNC_DRIVER);
}

int main(void)
{
    test_full_project();
    test_pytest_ini_and_default();
    test_bad_toml();
    test_parse_req();
    return test_report("depdecl");
}
