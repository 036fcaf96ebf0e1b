/* Unit tests for src/model/walk (skipped folders, exclude globs, symlink loops, dangling links,
 * configuration files, the order of results) and for its consumer src/model/project (module
 * names, binary/invalid/huge files, syntax errors, the same Program for any thread count).
 * Fixtures are built under a mkdtemp folder. */
#include "test.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "model/project.h"
#include "model/walk.h"

/* Writes root/rel, creating its folders. */
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

static void link_at(const char *root, const char *rel, const char *target)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (symlink(target, path) != 0) fprintf(stderr, "symlink %s: %s\n", path, strerror(errno));
}

static void rm_tree(const char *dir)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

/* The rel paths of a list, one per line. */
static void list_of(Buf *b, const WalkFile *items, uint32_t n)
{
    buf_clear(b);
    for (uint32_t i = 0; i < n; i++)
        buf_printf(b, "%s\n", items[i].rel);
}

static void issues_of(Buf *b, const WalkResult *r)
{
    buf_clear(b);
    for (uint32_t i = 0; i < r->issues.n; i++)
        buf_printf(b, "%s: %s%s\n", r->issues.items[i].path, r->issues.items[i].message,
                   r->issues.items[i].is_error ? "" : " (warning)");
}

static void build_tree(const char *root, const char *outside)
{
    put(root, "app/__init__.py", "");
    put(root, "app/main.py", "import app\n");
    put(root, "app/services/__init__.py", "");
    put(root, "app/services/user_service.py", "x = 1\n");
    put(root, "app/migrations/env.py", "");
    put(root, "app/legacy/old.py", "");
    put(root, "app/gen/x_pb2.py", "");
    put(root, "app/gen/keep.py", "");
    put(root, ".git/hooks/h.py", "");
    put(root, "myenv/pyvenv.cfg", "home = /usr\n");
    put(root, "myenv/lib/x.py", "");
    put(root, "tools/venv/__init__.py", ""); /* a package named venv, not an environment */
    put(root, "node_modules/pkg/x.py", "");
    put(root, "app/__pycache__/m.py", "");
    put(root, "build/b.py", "");
    put(root, "dist/d.py", "");
    put(root, "lib/site-packages/s.py", "");
    put(root, "pyproject.toml", "[project]\n");
    put(root, "requirements-dev.txt", "");
    put(root, "requirements/base.txt", "");
    put(root, "app/setup.cfg", "");
    put(root, "alembic.ini", "");
    put(root, "README.md", "");
    put(outside, "ext.py", "");
    link_at(root, "app/loop", ".");          /* a loop: app/loop -> app */
    link_at(root, "shared", "app/services"); /* an alias of a folder walked already */
    link_at(root, "ext", outside);           /* a folder outside the root */
    link_at(root, "broken", "does-not-exist");
    link_at(root, "app/link.py", "main.py");
}

static void test_walk_tree(void)
{
    char root[] = "/tmp/sqlasync-walk-XXXXXX", outside[] = "/tmp/sqlasync-ext-XXXXXX";
    if (!mkdtemp(root) || !mkdtemp(outside)) {
        CHECK(!"mkdtemp");
        return;
    }
    build_tree(root, outside);
    const char *const exclude[] = {"migrations", "./app/legacy/", "*_pb2.py"};
    WalkOptions o = {root, exclude, 3};
    WalkResult r;
    CHECK(walk_collect(&o, NULL, 0, &r) == 0);
    Buf b;
    buf_init(&b);
    list_of(&b, r.files.items, r.files.n);
    CHECK_STR(b.data, "app/__init__.py\napp/gen/keep.py\napp/link.py\napp/main.py\n"
                      "app/services/__init__.py\napp/services/user_service.py\next/ext.py\n"
                      "tools/venv/__init__.py\n");
    list_of(&b, r.configs.items, r.configs.n);
    CHECK_STR(b.data, "alembic.ini\napp/setup.cfg\npyproject.toml\nrequirements-dev.txt\n"
                      "requirements/base.txt\n");
    CHECK(r.configs.items[2].kind == WALK_PYPROJECT &&
          r.configs.items[4].kind == WALK_REQUIREMENTS);
    issues_of(&b, &r);
    CHECK_STR(b.data, "broken: cannot read: broken symbolic link\n"
                      "app/loop: symbolic link loop: points to its ancestor 'app', not followed "
                      "(warning)\n");
    walk_free(&r);

    /* Paths given: a subfolder, a file taken as is (not .py), and one that does not exist. */
    char sub[PATH_MAX], readme[PATH_MAX];
    snprintf(sub, sizeof sub, "%s/app/services", root);
    snprintf(readme, sizeof readme, "%s/README.md", root);
    const char *const paths[] = {sub, readme, "/nonexistent-sqlasync"};
    WalkOptions o2 = {root, NULL, 0};
    CHECK(walk_collect(&o2, paths, 3, &r) == -1);
    list_of(&b, r.files.items, r.files.n);
    CHECK_STR(b.data, "README.md\napp/services/__init__.py\napp/services/user_service.py\n");
    CHECK(r.issues.n == 1 && strstr(r.issues.items[0].message, "cannot open") != NULL);
    walk_free(&r);

    char app[PATH_MAX];
    snprintf(app, sizeof app, "%s/app", root);
    char *rel = walk_rel_to(root, app);
    CHECK_STR(rel, "app");
    free(rel);
    CHECK(walk_rel_to(app, root) == NULL);

    buf_free(&b);
    rm_tree(root);
    rm_tree(outside);
}

/* A folder given relative to the working folder: display paths are relative to the root. */
static void test_relative_root(void)
{
    char root[] = "/tmp/sqlasync-rel-XXXXXX", cwd[PATH_MAX];
    if (!mkdtemp(root) || !getcwd(cwd, sizeof cwd)) {
        CHECK(!"mkdtemp");
        return;
    }
    put(root, "pkg/a.py", "");
    put(root, "pkg/b/c.py", "");
    CHECK(chdir(root) == 0);
    WalkOptions o = {".", NULL, 0};
    const char *const paths[] = {"./pkg/"};
    WalkResult r;
    CHECK(walk_collect(&o, paths, 1, &r) == 0);
    CHECK(r.files.n == 2);
    if (r.files.n == 2) {
        CHECK_STR(r.files.items[0].rel, "pkg/a.py");
        CHECK_STR(r.files.items[1].rel, "pkg/b/c.py");
        CHECK_STR(r.files.items[1].path, "./pkg/b/c.py");
    }
    walk_free(&r);
    CHECK(chdir(cwd) == 0);
    rm_tree(root);
}

static void test_unreadable_dir(void)
{
    if (geteuid() == 0)
        return; /* root reads a chmod 000 folder; the dangling link above covers this case */
    char root[] = "/tmp/sqlasync-perm-XXXXXX", path[PATH_MAX];
    if (!mkdtemp(root)) return;
    put(root, "locked/x.py", "");
    snprintf(path, sizeof path, "%s/locked", root);
    chmod(path, 0);
    WalkOptions o = {root, NULL, 0};
    WalkResult r;
    walk_collect(&o, NULL, 0, &r);
    CHECK(r.files.n == 0 && r.issues.n == 1);
    CHECK(r.issues.n == 1 && strstr(r.issues.items[0].message, "cannot open directory") != NULL);
    walk_free(&r);
    chmod(path, 0755);
    rm_tree(root);
}

static void test_globs(void)
{
    CHECK(walk_glob_match("migrations", "app/migrations"));
    CHECK(walk_glob_match("migrations", "app/migrations/env.py"));
    CHECK(!walk_glob_match("migrations", "app/migrations_old/env.py"));
    CHECK(walk_glob_match("*_pb2.py", "a/b/c_pb2.py"));
    CHECK(walk_glob_match("app/legacy", "app/legacy"));
    CHECK(!walk_glob_match("app/legacy", "src/app/legacy"));
    CHECK(walk_glob_match("**/legacy", "src/app/legacy"));
    CHECK(walk_glob_match("**/legacy", "legacy"));
    CHECK(walk_glob_match("app/**/test_*.py", "app/test_a.py"));
    CHECK(walk_glob_match("app/**/test_*.py", "app/x/y/test_a.py"));
    CHECK(!walk_glob_match("app/*/test_*.py", "app/x/y/test_a.py"));
    CHECK(walk_glob_match("app/**", "app/x/y.py"));
    CHECK(walk_glob_match("./app/", "app"));
    CHECK(walk_glob_match("tests/[ab].py", "tests/a.py"));
    CHECK(!walk_glob_match("tests/?.py", "tests/ab.py"));
    CHECK(!walk_glob_match("", "x.py"));
}

static void test_config_kind(void)
{
    WalkKind k;
    CHECK(walk_config_kind("a/pyproject.toml", &k) && k == WALK_PYPROJECT);
    CHECK(walk_config_kind("requirements.txt", &k) && k == WALK_REQUIREMENTS);
    CHECK(walk_config_kind("dev-requirements.txt", &k) && k == WALK_REQUIREMENTS);
    CHECK(walk_config_kind("requirements/prod.txt", &k) && k == WALK_REQUIREMENTS);
    CHECK(walk_config_kind("x/requirements/prod.txt", &k) && k == WALK_REQUIREMENTS);
    CHECK(!walk_config_kind("myrequirements/prod.txt", &k));
    CHECK(!walk_config_kind("notes.txt", &k));
    CHECK(walk_config_kind("pytest.ini", &k) && k == WALK_PYTEST_INI);
    CHECK(walk_config_kind("tox.ini", &k) && k == WALK_TOX_INI);
}

/* ---- project ---------------------------------------------------------------------------- */

/* Everything a Program says, as text: equal texts mean equal Programs. */
static void program_text(Buf *b, Program *prog)
{
    buf_clear(b);
    buf_printf(b, "files=%u parsed=%u lines=%llu bytes=%llu\n", prog->nfiles, prog->nparsed,
               (unsigned long long)prog->lines, (unsigned long long)prog->bytes);
    for (uint32_t i = 0; i < prog->nfiles; i++) {
        ProjFile *f = &prog->files[i];
        buf_printf(b, "%s module=%s%s cat=%s skipped=%d ast=%d lines=%u bytes=%llu\n", f->path,
                   f->module ? f->module : "-", f->is_package ? " (package)" : "",
                   cat_name((FileCategory)f->category), f->skipped, f->parse.module != NULL,
                   f->lines, (unsigned long long)f->bytes);
        for (uint32_t k = 0; k < f->diags.n; k++) {
            buf_puts(b, "  ");
            proj_diag_text(b, f, &f->diags.items[k]);
            buf_putc(b, '\n');
        }
    }
}

static bool parser_works(void)
{
    Source src;
    source_from_mem(&src, "t.py", "x = 1\n", 6);
    Arena a;
    arena_init(&a);
    ParseOutput po;
    DiagList d = {0};
    bool ok = parse_source(&src, &a, &po, &d) == 0;
    diag_list_free(&d);
    arena_free(&a);
    source_free(&src);
    return ok;
}

static const ProjFile *file_named(const Program *prog, const char *path)
{
    for (uint32_t i = 0; i < prog->nfiles; i++)
        if (strcmp(prog->files[i].path, path) == 0) return &prog->files[i];
    return NULL;
}

static void build_project(const char *root)
{
    put(root, "src/app/__init__.py", "");
    put(root, "src/app/services/__init__.py", "");
    put(root, "src/app/services/user.py", "def get(s):\n    return s\n");
    put(root, "src/app/db.py", "engine = None\n");
    put(root, "src/tool.py", "x = 1");
    put(root, "scripts/seed.py", "print('seed')\n");
    put(root, "main.py", "import app\n");
    put(root, "tests/test_user.py", "def test_x():\n    pass\n");
    put(root, "bin.py", "abc");
    put(root, "latin.py", "# caf\xe9\n");
    put(root, "bad.py", "x = 1\ndef (:\n");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/bin.py", root);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite("abc\0def", 1, 7, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/huge.py", root);
    f = fopen(path, "wb");
    if (f) {
        if (ftruncate(fileno(f), (off_t)PROJ_MAX_BYTES + (1 << 20)) != 0)
            fprintf(stderr, "ftruncate failed\n");
        fclose(f);
    }
}

/* The files of the fixture, one by one. */
static void check_files(Program *prog, const char *text)
{
    CHECK(prog->nfiles == 12);
    const ProjFile *f = file_named(prog, "src/app/services/user.py");
    CHECK(f && strcmp(f->module, "app.services.user") == 0 && !f->is_package);
    CHECK(f && f->category == FCAT_SERVICES && f->lines == 2 && f->bytes == 25);
    f = file_named(prog, "src/app/__init__.py");
    CHECK(f && strcmp(f->module, "app") == 0 && f->is_package);
    f = file_named(prog, "src/app/db.py");
    CHECK(f && strcmp(f->module, "app.db") == 0 && f->category == FCAT_INFRA);
    f = file_named(prog, "src/tool.py");
    CHECK(f && strcmp(f->module, "tool") == 0 && f->lines == 1);
    f = file_named(prog, "scripts/seed.py");
    CHECK(f && strcmp(f->module, "scripts.seed") == 0);
    CHECK(f && f->category == FCAT_SERVICES && f->cat_overridden);
    f = file_named(prog, "main.py");
    CHECK(f && strcmp(f->module, "main") == 0 && f->category == FCAT_OTHER);
    f = file_named(prog, "tests/test_user.py");
    CHECK(f && strcmp(f->module, "tests.test_user") == 0 && f->category == FCAT_TESTS);
    CHECK(strstr(text, "bin.py module=- cat=other skipped=1 ast=0 lines=0 bytes=7\n"
                       "  bin.py: binary file (NUL byte at offset 3), skipped\n") != NULL);
    CHECK(strstr(text, "  latin.py: not valid UTF-8 (byte 0xe9 at line 1), skipped; only "
                       "UTF-8 source is read\n") != NULL);
    CHECK(strstr(text, "  huge.py: file too large (51 MB; the limit is 50 MB), skipped\n"));
    f = file_named(prog, "bad.py");
    CHECK(f && f->skipped && f->parse.module == NULL && f->diags.n == 1);
    CHECK(f && f->diags.n == 1 && strcmp(f->diags.items[0].code, "E001") == 0);
    if (parser_works()) {
        CHECK(strstr(text, "  bad.py:2:5: ") != NULL);
        CHECK(prog->nparsed == 8);
        CHECK(file_named(prog, "main.py")->parse.module != NULL);
    }
    CHECK(prog->lines == 10); /* the text files, bad.py included */
}

static void test_project(void)
{
    char root[] = "/tmp/sqlasync-proj-XXXXXX";
    if (!mkdtemp(root)) {
        CHECK(!"mkdtemp");
        return;
    }
    build_project(root);
    const char *const services[] = {"scripts/**"};
    CatOverrides ov = {{services}, {1}};
    ProjOptions o = {root, NULL, 0, NULL, 0, &ov, 1};
    Program prog;
    Buf one, many;
    buf_init(&one);
    buf_init(&many);
    CHECK(proj_load(&prog, &o) == 0);
    program_text(&one, &prog);
    check_files(&prog, one.data);
    proj_free(&prog);
    for (int jobs = 2; jobs <= 5; jobs += 3) { /* the same Program for any thread count */
        o.jobs = jobs;
        CHECK(proj_load(&prog, &o) == 0);
        program_text(&many, &prog);
        CHECK_STR(many.data, one.data);
        proj_free(&prog);
    }
    buf_free(&one);
    buf_free(&many);
    rm_tree(root);
}

static void test_text_checks(void)
{
    char msg[200];
    CHECK(proj_check_text("x = '\xc3\xa9'\n", 9, msg, sizeof msg) == 0);
    CHECK(proj_check_text("\xf0\x9f\x98\x80", 4, msg, sizeof msg) == 0);
    CHECK(proj_check_text("\xed\xa0\x80", 3, msg, sizeof msg) == -1); /* a surrogate */
    CHECK(proj_check_text("\xc0\xaf", 2, msg, sizeof msg) == -1);     /* overlong */
    CHECK(proj_check_text("ok\n\xe2\x82", 5, msg, sizeof msg) == -1); /* truncated */
    CHECK_STR(msg, "not valid UTF-8 (byte 0xe2 at line 2), skipped; only UTF-8 source is read");
}

int main(void)
{
    test_walk_tree();
    test_relative_root();
    test_unreadable_dir();
    test_globs();
    test_config_kind();
    test_project();
    test_text_checks();
    return test_report("walk");
}
