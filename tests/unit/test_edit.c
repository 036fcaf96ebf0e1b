/* Unit tests for src/fix: the edit engine (sort, overlap, one-pass apply, re-parse), atomic
 * writes, unified diffs, import insertion and a few Query rewrites end to end (fix_text). The
 * golden suite tests/golden/rewrite holds the full mapping. */
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "fix/edit.h"
#include "fix/fixer.h"
#include "fix/writefile.h"
#include "rules/rules.h"

static const char *build(const char *text, EditList *l, int *rc, const char **code)
{
    static Buf out;
    DiagList d = {0};
    buf_free(&out);
    *rc = rw_build(text, (uint32_t)strlen(text), l, &out, &d);
    *code = d.n ? d.items[0].code : "";
    diag_list_free(&d);
    rw_list_free(l);
    return out.data ? out.data : "";
}

static void test_build(void)
{
    EditList l = {0};
    int rc;
    const char *code;
    rw_add(&l, (Span){4, 5}, "2"); /* "a = 1" -> "a = 2" */
    rw_insert(&l, 0, "x");
    rw_insert(&l, 0, "y"); /* same point: order of addition */
    rw_insert(&l, 4, "("); /* at the start of a replacement: before it */
    rw_insert(&l, 5, ")"); /* touching its end */
    CHECK_STR(build("a = 1\n", &l, &rc, &code), "xya = (2)\n");
    CHECK(rc == 0);
    rw_add(&l, (Span){0, 3}, "A");
    rw_add(&l, (Span){2, 4}, "B");
    CHECK_STR(build("abcdef", &l, &rc, &code), "");
    CHECK(rc == -1);
    CHECK_STR(code, RW_E_OVERLAP);
    rw_add(&l, (Span){1, 4}, "X");
    rw_insert(&l, 2, "I"); /* strictly inside a replacement */
    build("abcdef", &l, &rc, &code);
    CHECK(rc == -1);
    rw_add(&l, (Span){2, 9}, "X"); /* past the end */
    build("abcdef", &l, &rc, &code);
    CHECK(rc == -1);
    CHECK_STR(build("keep", &l, &rc, &code), "keep"); /* no edits */
}

static void test_bytes_kept(void)
{
    const char *t = "\xef\xbb\xbfx = 'a'\r\n\tif x:  # c\r\n\t\ty = \"b\"\r\n";
    EditList l = {0};
    int rc;
    const char *code;
    rw_add(&l, (Span){7, 10}, "'zz'");
    CHECK_STR(build(t, &l, &rc, &code),
              "\xef\xbb\xbfx = 'zz'\r\n\tif x:  # c\r\n\t\ty = \"b\"\r\n");
}

static void test_apply(void)
{
    Source src;
    source_from_mem(&src, "t.py", "x = f(1)\n", 9);
    EditList l = {0};
    Buf out;
    buf_init(&out);
    DiagList d = {0};
    rw_add(&l, (Span){4, 5}, "g");
    CHECK(rw_apply(&src, &l, &out, &d) == 0);
    CHECK_STR(out.data, "x = g(1)\n");
    rw_list_free(&l);
    rw_add(&l, (Span){7, 8}, ""); /* drops ')' */
    CHECK(rw_apply(&src, &l, &out, &d) == -1);
    CHECK(out.len == 0);
    CHECK(d.n == 1 && strcmp(d.items[0].code, RW_E_REPARSE) == 0);
    CHECK(d.n == 1 && strstr(d.items[0].message, "does not parse") != NULL);
    rw_list_free(&l);
    diag_list_free(&d);
    buf_free(&out);
    source_free(&src);
}

static void test_tokens(void)
{
    const char *t = "x = (a  # note\n     .b)\ny = '#'\n";
    Arena a;
    arena_init(&a);
    TokenArray toks;
    LexError e;
    CHECK(lex_all(t, (uint32_t)strlen(t), &a, &toks, &e) == 0);
    CHECK(rw_has_comment(t, &toks, 5, 20));
    CHECK(!rw_has_comment(t, &toks, 20, (uint32_t)strlen(t)));
    CHECK(toks.items[rw_tok_from(&toks, 5)].kind == TK_NAME);
    CHECK_STR(rw_eol_at("a\r\nb", 4, 0), "\r\n");
    CHECK_STR(rw_eol_at("ab", 2, 0), "\n");
    arena_free(&a);
}

static const char *udiff(const char *a, const char *b)
{
    static Buf out;
    buf_free(&out);
    wf_unified_diff(&out, "./p.py", a, strlen(a), b, strlen(b));
    return out.data ? out.data : "";
}

static void test_diff(void)
{
    CHECK_STR(udiff("same\n", "same\n"), "");
    CHECK_STR(udiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n"),
              "--- a/p.py\n+++ b/p.py\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    CHECK_STR(udiff("a\nb", "a\nc"),
              "--- a/p.py\n+++ b/p.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
              "+c\n\\ No newline at end of file\n");
    CHECK_STR(udiff("", "x\n"), "--- a/p.py\n+++ b/p.py\n@@ -0,0 +1 @@\n+x\n");
    CHECK_STR(udiff("a\r\nb\r\n", "a\r\nB\r\n"),
              "--- a/p.py\n+++ b/p.py\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n");
    /* two changes 10 lines apart: two hunks */
    CHECK_STR(udiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                    "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n"),
              "--- a/p.py\n+++ b/p.py\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"
              "@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n");
}

static void test_write(void)
{
    char dir[] = "/tmp/sqlasync-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[128], link[128], err[256];
    snprintf(path, sizeof path, "%s/f.py", dir);
    snprintf(link, sizeof link, "%s/l.py", dir);
    FILE *f = fopen(path, "w");
    fputs("old\n", f);
    fclose(f);
    chmod(path, 0750);
    CHECK(symlink("f.py", link) == 0);
    CHECK(wf_write_atomic(link, "new\r\n", 5, err, sizeof err) == 0);
    struct stat st, lst;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0750 && st.st_size == 5);
    CHECK(lstat(link, &lst) == 0 && S_ISLNK(lst.st_mode));
    CHECK(wf_write_atomic("/nonexistent/dir/x.py", "x", 1, err, sizeof err) == -1);
    unlink(link);
    unlink(path);
    rmdir(dir);
}

/* ---- fixes end to end ---------------------------------------------------------------------- */

static const char *fixed(const char *text, bool unsafe)
{
    static Buf keep;
    FixOptions o = {NULL, 0, NULL, 0, unsafe};
    FixResult r;
    fix_result_init(&r);
    int rc = fix_text("t.py", text, (uint32_t)strlen(text), &o, &r);
    buf_free(&keep);
    buf_init(&keep);
    buf_puts(&keep, rc == 0 && r.changed ? r.text.data : rc == 0 ? "(unchanged)" : "(failed)");
    for (uint32_t i = 0; i < r.chains.n; i++)
        if (r.chains.items[i].reason) buf_printf(&keep, "[%s]", r.chains.items[i].reason);
    fix_result_free(&r);
    return keep.data;
}

#define HEAD "from sqlalchemy.orm import Session\n"
#define FN   "def f(s: Session):\n"

static void test_imports(void)
{
    CHECK_STR(
        fixed("from sqlalchemy import func  # x\n" HEAD FN "    return s.query(A).all()\n", false),
        "from sqlalchemy import func, select  # x\n" HEAD FN
        "    return s.scalars(select(A)).all()\n");
    CHECK_STR(fixed("from sqlalchemy import (\n    func,\n)\n" HEAD FN "    s.query(A).delete()\n",
                    false),
              "from sqlalchemy import (\n    func,\n    delete,\n)\n" HEAD FN
              "    s.execute(delete(A))\n");
    CHECK_STR(fixed("from sqlalchemy import (func,\n    Column)\n" HEAD FN
                    "    return s.query(A).count()\n",
                    false),
              "from sqlalchemy import (func,\n    Column, select)\n" HEAD FN
              "    return s.scalar(select(func.count()).select_from(A))\n");
    CHECK_STR(fixed("\"\"\"Doc.\"\"\"\r\nimport os\r\n" HEAD FN "    return s.query(A).first()\r\n",
                    false),
              "\"\"\"Doc.\"\"\"\r\nimport os\r\n" HEAD "from sqlalchemy import select\n" FN
              "    return s.scalars(select(A).limit(1)).first()\r\n");
    CHECK_STR(
        fixed("from sqlalchemy import select as sel\n" HEAD FN "    return s.query(A).all()\n",
              false),
        "from sqlalchemy import select as sel\n" HEAD FN "    return s.scalars(sel(A)).all()\n");
    CHECK_STR(fixed("import sqlalchemy as sa\n" HEAD "def select(): pass\n" FN
                    "    return s.query(A).all()\n",
                    false),
              "import sqlalchemy as sa\n" HEAD "def select(): pass\n" FN
              "    return s.scalars(sa.select(A)).all()\n");
    CHECK_STR(fixed(HEAD "def select(): pass\n" FN "    return s.query(A).all()\n", false),
              "(unchanged)[the name 'select' means something else here]");
}

static void test_rewrites(void)
{
    CHECK_STR(fixed(HEAD FN "    return s.query(A).get(1)\n", false),
              "from sqlalchemy.orm import Session\n" FN "    return s.get(A, 1)\n");
    CHECK_STR(fixed(HEAD FN "    return s.query(A).from_self().all()\n", false),
              "(unchanged)[from_self]");
    CHECK_STR(
        fixed(HEAD FN "    return s.query(A.x, func.count(A.id)).group_by(A.x).all()\n", false),
        HEAD "from sqlalchemy import select\n" FN
             "    return s.execute(select(A.x, func.count(A.id)).group_by(A.x)).all()\n");
    CHECK_STR(fixed(HEAD FN "    q = s.query(A)\n    if x:\n        q = q.filter(A.x == x)\n"
                            "    return q.all()\n",
                    true),
              HEAD "from sqlalchemy import select\n" FN
                   "    q = select(A)\n    if x:\n        q = q.where(A.x == x)\n"
                   "    return s.scalars(q).all()\n");
    CHECK_STR(fixed(HEAD FN "    q = s.query(A)\n    g(q)\n    return q.all()\n", true),
              "(unchanged)[the Query object is returned or passed on, not consumed here]");
    /* Without --unsafe-fixes, a chain no fix could convert is manual, not "use --unsafe-fixes" */
    CHECK_STR(fixed(HEAD FN "    q = s.query(A)\n    g(q)\n    return q.all()\n", false),
              "(unchanged)[the Query object is returned or passed on, not consumed here]");
    CHECK_STR(fixed(HEAD FN "    q = s.query(A)\n    if x:\n        q = q.filter(A.x == x)\n"
                            "    return q.all()\n",
                    false),
              "(unchanged)[unsafe fix: use --unsafe-fixes to apply it]");
}

/* A rule whose findings say safe or unsafe must be one the fixer rewrites: the report counts
 * them as the work `sqlasync fix` does. */
static void test_fix_claims(void)
{
    uint32_t n;
    const RuleInfo *t = rule_table(&n);
    uint32_t fixable = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (t[i].fix == FIX_MANUAL) continue;
        fixable++;
        if (!fix_handles(t[i].code)) fprintf(stderr, "%s claims a fix\n", t[i].code);
        CHECK(fix_handles(t[i].code));
    }
    CHECK(fixable == 7); /* SA101-SA103, SA105, SA107, SA305, SA403 */
    CHECK(!fix_handles("SA201") && fix_handles("SA103"));
}

/* The one-edit fixes (simple_fix): SA105, SA107, SA305, SA403. */
static void test_simple_fixes(void)
{
    CHECK_STR(fixed(HEAD FN "    return s.execute('SELECT 1').all()\n", false), HEAD
              "from sqlalchemy import text\n" FN "    return s.execute(text('SELECT 1')).all()\n");
    CHECK_STR(fixed("import sqlalchemy as sa\n" HEAD "def text(): pass\n" FN
                    "    return s.execute('SELECT 1')\n",
                    false),
              "import sqlalchemy as sa\n" HEAD "def text(): pass\n" FN
              "    return s.execute(sa.text('SELECT 1'))\n");
    CHECK_STR(fixed(HEAD "def text(): pass\n" FN "    return s.execute('SELECT 1')\n", false),
              "(unchanged)[the name 'text' means something else here]");
    CHECK_STR(fixed(HEAD FN "    return s.execute('SELECT %s' % x)\n", false),
              "(unchanged)[the SQL is built at run time, not a constant string: bind its values "
              "as parameters of text()]");
    CHECK_STR(fixed("from sqlalchemy import select\nstmt = select([A.id, A.name,])\n", false),
              "from sqlalchemy import select\nstmt = select(A.id, A.name,)\n");
    CHECK_STR(fixed("from sqlalchemy import select\nstmt = select([A.id], A.id > 1)\n", false),
              "(unchanged)[select() has arguments besides the column list (1.x whereclause, "
              "from_obj...): move them to .where() / .select_from()]");
#define SM "from sqlalchemy.orm import sessionmaker\n"
    CHECK_STR(fixed(SM "S = sessionmaker(engine)\n", false),
              "(unchanged)[unsafe fix: use --unsafe-fixes to apply it]");
    CHECK_STR(fixed(SM "S = sessionmaker(engine)\n", true),
              SM "S = sessionmaker(engine, expire_on_commit=False)\n");
    CHECK_STR(fixed(SM "S = sessionmaker()\n", true),
              SM "S = sessionmaker(expire_on_commit=False)\n");
    CHECK_STR(fixed(SM "S = sessionmaker(\n    bind=e,\n    expire_on_commit=True,\n)\n", true),
              SM "S = sessionmaker(\n    bind=e,\n    expire_on_commit=False,\n)\n");
    CHECK_STR(fixed(SM "S = sessionmaker(**opts)\n", true),
              "(unchanged)[keyword arguments passed with ** may set expire_on_commit]");
    CHECK_STR(fixed(SM "S = sessionmaker(expire_on_commit=flag)\n", true),
              "(unchanged)[expire_on_commit is computed]");
#undef SM
#define DB "from sqlalchemy.orm import DeclarativeBase\n"
    CHECK_STR(fixed("\"\"\"Doc.\"\"\"\n" DB "class Base(DeclarativeBase):\n    pass\n", false),
              "\"\"\"Doc.\"\"\"\n" DB "from sqlalchemy.ext.asyncio import AsyncAttrs\n"
              "class Base(AsyncAttrs, DeclarativeBase):\n    pass\n");
    CHECK_STR(fixed("from sqlalchemy.ext.asyncio import AsyncAttrs as AA\n" DB
                    "class Base(DeclarativeBase):\n    pass\n",
                    false),
              "from sqlalchemy.ext.asyncio import AsyncAttrs as AA\n" DB
              "class Base(AA, DeclarativeBase):\n    pass\n"); /* the existing import */
    CHECK_STR(fixed(DB "AsyncAttrs = 1\nclass Base(DeclarativeBase):\n    pass\n", false),
              "(unchanged)[the name 'AsyncAttrs' means something else here]");
#undef DB
}

static void test_annotate(void)
{
    const char *t = HEAD FN "    q = s.query(A)\n    g(q)\n    return s.query(B).all()\n";
    Source src;
    source_from_mem(&src, "t.py", t, (uint32_t)strlen(t));
    Arena a;
    arena_init(&a);
    DiagList d = {0};
    ParseOutput po;
    CHECK(parse_source(&src, &a, &po, &d) == 0);
    FileFacts *ff = facts_extract(po.module, &src, &a);
    FindingList l = {0};
    FindingSite site = {&src, "t.py", 0};
    rule_legacy_api(ff, &site, &l);
    FixInput in = {&src, &po, ff, NULL, &a};
    fix_annotate(&in, &l, 0);
    uint32_t manual = 0, other = 0;
    for (uint32_t i = 0; i < l.n; i++) {
        if (l.items[i].fix == FIX_MANUAL && strstr(l.items[i].message, "(manual: the Query"))
            manual++;
        else if (l.items[i].fix != FIX_MANUAL)
            other++;
    }
    CHECK(manual == 1 && other == 1);
    finding_list_free(&l);
    diag_list_free(&d);
    arena_free(&a);
    source_free(&src);
}

int main(void)
{
    test_build();
    test_bytes_kept();
    test_apply();
    test_tokens();
    test_diff();
    test_write();
    test_imports();
    test_rewrites();
    test_annotate();
    test_fix_claims();
    test_simple_fixes();
    return test_report("edit");
}
