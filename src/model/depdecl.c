/* depdecl.c: dependency declarations and the pytest-asyncio mode, from configuration files.
 *
 * Three small readers: TOML through base/toml, a line reader for requirements files, and an INI
 * reader that hands each value line (a key's own line and its indented continuation lines) to
 * a callback with its line number, which is what install_requires and addopts need. */
#include "depdecl.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/source.h"
#include "../base/toml.h"
#include "../base/xmalloc.h"

#define MAX_INCLUDE_DEPTH 16

typedef struct Scanner {
    DepScan *out;
    Vec(char *) seen; /* realpaths of requirements files read (heap) */
} Scanner;

/* One pytest configuration candidate: its folder depth and precedence in that folder. */
typedef struct PytestCfg {
    int depth, rank; /* lower wins */
    const char *file;
    const char *mode, *mode_file;
    uint32_t mode_line;
} PytestCfg;

static const struct {
    const char *name;
    DepRole role;
} kinds[] = {
#define X(up, name, role) {name, role},
    DEP_KINDS(X)
#undef X
};

/* ---- names and requirement strings --------------------------------------------------------- */

/* Lowercase, with runs of '-', '_' and '.' as one '-' (PEP 503). */
static void normalize(const char *name, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *s = name; *s && k + 1 < cap; s++) {
        bool sep = *s == '-' || *s == '_' || *s == '.';
        if (sep && k > 0 && out[k - 1] == '-') continue;
        out[k++] = sep ? '-' : (char)tolower((unsigned char)*s);
    }
    out[k] = '\0';
}

DepKind dep_kind_of(const char *name)
{
    char n[128];
    normalize(name, n, sizeof n);
    if (strcmp(n, "psycopg2-binary") == 0) return DEP_PSYCOPG2;
    if (strcmp(n, "psycopg-binary") == 0 || strcmp(n, "psycopg-c") == 0) return DEP_PSYCOPG;
    for (int k = 0; k < DEP__COUNT; k++)
        if (strcmp(n, kinds[k].name) == 0) return (DepKind)k;
    return DEP__COUNT;
}

const char *dep_name(DepKind k)
{
    return (unsigned)k < DEP__COUNT ? kinds[k].name : "?";
}

DepRole dep_role(DepKind k)
{
    return (unsigned)k < DEP__COUNT ? kinds[k].role : DEP_CORE;
}

static bool is_name_char(int c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '.';
}

/* Copies s[0..n) trimmed into out, dropping spaces when squeeze is set. */
static void copy_trim(char *out, size_t cap, const char *s, size_t n, bool squeeze)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        if (!(squeeze && isspace((unsigned char)s[i]))) out[k++] = s[i];
    out[k] = '\0';
}

/* The end of a requirement's version part: a marker (';'), a comment or a pip option. */
static size_t spec_end(const char *s)
{
    size_t i = 0;
    for (; s[i] && s[i] != ';'; i++) {
        if (s[i] == '#' && (i == 0 || isspace((unsigned char)s[i - 1]))) break;
        if (s[i] == '-' && s[i + 1] == '-' && i > 0 && isspace((unsigned char)s[i - 1])) break;
    }
    return i;
}

bool dep_parse_req(const char *text, DepReq *out)
{
    memset(out, 0, sizeof *out);
    const char *s = text;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = 0;
    while (is_name_char((unsigned char)s[n]))
        n++;
    if (n == 0 || !isalnum((unsigned char)s[0]) || n >= sizeof out->name) return false;
    memcpy(out->name, s, n);
    s += n;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        if (!close) return false;
        copy_trim(out->extras, sizeof out->extras, s + 1, (size_t)(close - s - 1), true);
        s = close + 1;
    }
    copy_trim(out->spec, sizeof out->spec, s, spec_end(s), false);
    return true;
}

bool dep_has_extra(const DepDecl *d, const char *e)
{
    char want[64], got[64];
    normalize(e, want, sizeof want);
    const char *s = d->extras;
    while (*s) {
        size_t n = strcspn(s, ",");
        char one[64];
        copy_trim(one, sizeof one, s, n < sizeof one ? n : sizeof one - 1, true);
        normalize(one, got, sizeof got);
        if (strcmp(got, want) == 0) return true;
        s += n + (s[n] == ',');
    }
    return false;
}

/* ---- recording ----------------------------------------------------------------------------- */

static const char *astr(DepScan *s, const char *text)
{
    return arena_strndup(&s->arena, text, strlen(text));
}

static void add_decl(DepScan *s, const DepReq *r, const char *file, uint32_t line,
                     const char *where)
{
    DepKind k = dep_kind_of(r->name);
    if (k == DEP__COUNT) return;
    DepDecl d = {k,    astr(s, r->name), astr(s, r->extras), astr(s, r->spec), file,
                 line, astr(s, where)};
    VEC_PUSH(s->decls, d);
}

__attribute__((format(printf, 2, 3))) static void problem(DepScan *s, const char *fmt, ...);

static void problem(DepScan *s, const char *fmt, ...)
{
    Buf b;
    buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    VEC_PUSH(s->problems, astr(s, b.data ? b.data : ""));
    buf_free(&b);
}

/* ---- pyproject.toml ----------------------------------------------------------------------- */

static void toml_req_list(DepScan *s, const TomlValue *arr, const char *file, const char *where)
{
    for (uint32_t i = 0; i < toml_len(arr); i++) {
        const TomlValue *v = toml_at(arr, i);
        DepReq r;
        if (toml_str(v) && dep_parse_req(toml_str(v), &r)) add_decl(s, &r, file, v->line, where);
    }
}

/* A table of requirement arrays: [project.optional-dependencies], [dependency-groups]. */
static void toml_req_groups(DepScan *s, const TomlValue *t, const char *file, const char *title)
{
    for (uint32_t i = 0; i < toml_len(t) && toml_is(t, TOML_TABLE); i++) {
        char where[200];
        snprintf(where, sizeof where, "[%s] %s", title, toml_key_at(t, i));
        toml_req_list(s, toml_at(t, i), file, where);
    }
}

/* Poetry's extras = ["asyncio"] into "asyncio". */
static void poetry_extras(const TomlValue *arr, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < toml_len(arr); i++) {
        const char *e = toml_str(toml_at(arr, i));
        if (e && k + strlen(e) + 2 < cap)
            k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? "," : "", e);
    }
}

/* [tool.poetry.dependencies]: name = "^2.0" or name = {version = "^2.0", extras = [...]}. */
static void poetry_table(DepScan *s, const TomlValue *t, const char *file, const char *where)
{
    for (uint32_t i = 0; i < toml_len(t) && toml_is(t, TOML_TABLE); i++) {
        const TomlValue *v = toml_at(t, i);
        if (toml_is(v, TOML_ARRAY)) /* several constraints: the first one speaks */
            v = toml_at(v, 0);
        DepReq r;
        memset(&r, 0, sizeof r);
        snprintf(r.name, sizeof r.name, "%s", toml_key_at(t, i));
        const char *version =
            toml_is(v, TOML_TABLE) ? toml_str(toml_table_get(v, "version")) : toml_str(v);
        snprintf(r.spec, sizeof r.spec, "%s", version ? version : "");
        if (toml_is(v, TOML_TABLE))
            poetry_extras(toml_table_get(v, "extras"), r.extras, sizeof r.extras);
        if (v) add_decl(s, &r, file, v->line, where);
    }
}

static void poetry_groups(DepScan *s, const TomlValue *groups, const char *file)
{
    for (uint32_t i = 0; i < toml_len(groups) && toml_is(groups, TOML_TABLE); i++) {
        char where[200];
        snprintf(where, sizeof where, "[tool.poetry.group.%s.dependencies]",
                 toml_key_at(groups, i));
        poetry_table(s, toml_table_get(toml_at(groups, i), "dependencies"), file, where);
    }
}

static void pyproject_deps(DepScan *s, const TomlValue *doc, const char *file)
{
    toml_req_list(s, toml_get(doc, "project.dependencies"), file, "[project] dependencies");
    toml_req_groups(s, toml_get(doc, "project.optional-dependencies"), file,
                    "project.optional-dependencies");
    toml_req_groups(s, toml_get(doc, "dependency-groups"), file, "dependency-groups");
    toml_req_groups(s, toml_get(doc, "tool.pdm.dev-dependencies"), file,
                    "tool.pdm.dev-dependencies");
    poetry_table(s, toml_get(doc, "tool.poetry.dependencies"), file, "[tool.poetry.dependencies]");
    poetry_table(s, toml_get(doc, "tool.poetry.dev-dependencies"), file,
                 "[tool.poetry.dev-dependencies]");
    poetry_groups(s, toml_get(doc, "tool.poetry.group"), file);
}

/* ---- pytest options ------------------------------------------------------------------------ */

static void set_mode(DepScan *s, PytestCfg *c, const char *mode, size_t n, const char *file,
                     uint32_t line)
{
    char lower[32];
    size_t k = 0;
    for (; k < n && k + 1 < sizeof lower; k++)
        lower[k] = (char)tolower((unsigned char)mode[k]);
    lower[k] = '\0';
    c->mode = astr(s, lower);
    c->mode_file = file;
    c->mode_line = line;
}

/* Finds "--asyncio-mode=X" or "--asyncio-mode X" in an addopts value. */
static void addopts_mode(DepScan *s, PytestCfg *c, const char *text, const char *file,
                         uint32_t line)
{
    const char *opt = strstr(text, "--asyncio-mode");
    if (!opt) return;
    const char *v = opt + strlen("--asyncio-mode");
    if (*v != '=' && *v != ' ') return;
    v += strspn(v, "= \t");
    size_t n = strcspn(v, " \t\"'");
    if (n) set_mode(s, c, v, n, file, line);
}

static void pyproject_pytest(DepScan *s, const TomlValue *doc, const char *file, PytestCfg *c)
{
    const TomlValue *opts = toml_get(doc, "tool.pytest.ini_options");
    if (!toml_is(opts, TOML_TABLE)) return;
    c->file = file;
    const TomlValue *add = toml_table_get(opts, "addopts");
    if (toml_str(add)) addopts_mode(s, c, toml_str(add), file, add->line);
    for (uint32_t i = 0; i < toml_len(add) && toml_is(add, TOML_ARRAY); i++)
        if (toml_str(toml_at(add, i)))
            addopts_mode(s, c, toml_str(toml_at(add, i)), file, toml_at(add, i)->line);
    const TomlValue *mode = toml_table_get(opts, "asyncio_mode");
    if (toml_str(mode)) set_mode(s, c, toml_str(mode), strlen(toml_str(mode)), file, mode->line);
}

static void scan_pyproject(DepScan *s, const WalkFile *f, PytestCfg *c)
{
    TomlValue *doc;
    TomlError err;
    Arena a;
    arena_init(&a);
    if (toml_load(&doc, f->path, &a, &err) != 0) {
        /* the message names the path opened; show the display path instead */
        if (err.line)
            problem(s, "%s:%u:%u: %s", f->rel, err.line, err.col, err.msg);
        else
            problem(s, "%s: %s", f->rel, err.msg);
    } else {
        const char *file = astr(s, f->rel);
        pyproject_deps(s, doc, file);
        pyproject_pytest(s, doc, file, c);
    }
    arena_free(&a);
}

/* ---- INI files ----------------------------------------------------------------------------- */

typedef void (*IniVisit)(void *ud, const char *section, const char *key, const char *value,
                         uint32_t line);

typedef struct IniState {
    char section[128], key[128];
    IniVisit visit;
    void *ud;
} IniState;

static void ini_line(IniState *st, const char *s, size_t n, uint32_t line)
{
    char text[1024];
    bool indented = n && (s[0] == ' ' || s[0] == '\t');
    copy_trim(text, sizeof text, s, n, false);
    if (!text[0] || text[0] == '#' || text[0] == ';') return;
    if (indented && st->key[0]) {
        st->visit(st->ud, st->section, st->key, text, line);
        return;
    }
    if (text[0] == '[') {
        size_t close = strcspn(text, "]");
        copy_trim(st->section, sizeof st->section, text + 1, close ? close - 1 : 0, false);
        st->key[0] = '\0';
        return;
    }
    size_t eq = strcspn(text, "=:");
    copy_trim(st->key, sizeof st->key, text, eq, false);
    for (char *k = st->key; *k; k++)
        *k = (char)tolower((unsigned char)*k);
    if (text[eq] && text[eq + 1]) {
        char value[1024];
        copy_trim(value, sizeof value, text + eq + 1, strlen(text + eq + 1), false);
        if (value[0]) st->visit(st->ud, st->section, st->key, value, line);
    }
}

/* Reads an INI file, calling visit for every value line; -1 when it cannot be read. */
static int ini_read(DepScan *s, const WalkFile *f, IniVisit visit, void *ud)
{
    Source src;
    char err[256];
    if (source_load(&src, f->path, err, sizeof err) != 0) {
        problem(s, "%s: %s", f->rel, err);
        return -1;
    }
    IniState st = {{0}, {0}, visit, ud};
    uint32_t line = 1;
    for (const char *p = src.text; *p; line++) {
        size_t n = strcspn(p, "\r\n");
        ini_line(&st, p, n, line);
        p += n;
        p += *p == '\r' && p[1] == '\n' ? 2 : *p ? 1 : 0;
    }
    source_free(&src);
    return 0;
}

typedef struct IniCtx {
    DepScan *s;
    const char *file;
    const char *pytest_section; /* "pytest" or "tool:pytest"; NULL: no pytest scan */
    PytestCfg *cfg;
} IniCtx;

static void ini_visit(void *ud, const char *section, const char *key, const char *value,
                      uint32_t line)
{
    IniCtx *c = ud;
    if (c->pytest_section && strcmp(section, c->pytest_section) == 0) {
        c->cfg->file = c->file;
        if (strcmp(key, "asyncio_mode") == 0)
            set_mode(c->s, c->cfg, value, strcspn(value, " \t#;"), c->file, line);
        else if (strcmp(key, "addopts") == 0)
            addopts_mode(c->s, c->cfg, value, c->file, line);
    }
    DepReq r;
    char where[300];
    if (strcmp(section, "options") == 0 && strcmp(key, "install_requires") == 0)
        snprintf(where, sizeof where, "[options] install_requires");
    else if (strcmp(section, "options.extras_require") == 0)
        snprintf(where, sizeof where, "[options.extras_require] %s", key);
    else
        return;
    if (dep_parse_req(value, &r)) add_decl(c->s, &r, c->file, line, where);
}

static void scan_ini(DepScan *s, const WalkFile *f, const char *pytest_section, PytestCfg *c)
{
    IniCtx ctx = {s, astr(s, f->rel), pytest_section, c};
    ini_read(s, f, ini_visit, &ctx);
}

/* ---- requirements files -------------------------------------------------------------------- */

/* from: "file:line" of the -r line that included this file, or NULL. */
static void scan_requirements(Scanner *sc, const char *path, const char *rel, int depth,
                              const char *from);

/* Marks a file as read; false when it already was (or cannot be resolved). */
static bool first_visit(Scanner *sc, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real) return true; /* source_load reports the error */
    for (uint32_t i = 0; i < sc->seen.n; i++) {
        if (strcmp(sc->seen.items[i], real) == 0) {
            free(real);
            return false;
        }
    }
    VEC_PUSH(sc->seen, real);
    return true;
}

/* dir_of(base) + "/" + name, with "." and ".." folded (for display paths). */
static char *sibling(const char *base, const char *name)
{
    Buf b;
    buf_init(&b);
    const char *slash = strrchr(base, '/');
    if (name[0] != '/' && slash) buf_put(&b, base, (size_t)(slash - base + 1));
    buf_puts(&b, name);
    char *s = b.data;
    for (char *dot; (dot = strstr(s, "/./")) != NULL;)
        memmove(dot, dot + 2, strlen(dot + 2) + 1);
    for (char *up; (up = strstr(s, "/../")) != NULL && up > s;) {
        char *start = up - 1;
        while (start > s && start[-1] != '/')
            start--;
        if (strncmp(start, "../", 3) == 0) break;
        memmove(start, up + 4, strlen(up + 4) + 1);
    }
    return s;
}

/* "-r file", "-rfile", "--requirement file", "--requirement=file": the file, or NULL. */
static const char *include_target(const char *line)
{
    const char *t = NULL;
    if (strncmp(line, "--requirement", 13) == 0)
        t = line + 13;
    else if (strncmp(line, "-r", 2) == 0)
        t = line + 2;
    else
        return NULL;
    t += strspn(t, "= \t");
    return *t ? t : NULL;
}

static void requirement_line(Scanner *sc, const char *path, const char *rel, const char *text,
                             uint32_t line, int depth)
{
    const char *target = include_target(text);
    if (target) {
        char name[PATH_MAX];
        copy_trim(name, sizeof name, target, strcspn(target, " \t#"), false);
        char *ipath = sibling(path, name), *irel = sibling(rel, name);
        char from[PATH_MAX + 16];
        snprintf(from, sizeof from, "%s:%u", rel, line);
        if (depth >= MAX_INCLUDE_DEPTH)
            problem(sc->out, "%s: includes nested too deeply", from);
        else
            scan_requirements(sc, ipath, irel, depth + 1, from);
        free(ipath);
        free(irel);
        return;
    }
    DepReq r;
    if (text[0] != '-' && !strstr(text, "://") && dep_parse_req(text, &r))
        add_decl(sc->out, &r, astr(sc->out, rel), line, "requirements");
}

/* Where a comment starts: '#' at the start of the line or after whitespace. */
static size_t comment_start(const char *s)
{
    for (size_t i = 0; s[i]; i++)
        if (s[i] == '#' && (i == 0 || isspace((unsigned char)s[i - 1]))) return i;
    return strlen(s);
}

/* One logical line: joins backslash continuations; returns where the next one starts. */
static const char *logical_line(const char *p, Buf *out, uint32_t *nlines)
{
    buf_clear(out);
    *nlines = 0;
    for (;;) {
        size_t n = strcspn(p, "\r\n");
        bool more = n && p[n - 1] == '\\';
        buf_put(out, p, more ? n - 1 : n);
        p += n;
        p += *p == '\r' && p[1] == '\n' ? 2 : *p ? 1 : 0;
        ++*nlines;
        if (!more || !*p) return p;
    }
}

static void scan_requirements(Scanner *sc, const char *path, const char *rel, int depth,
                              const char *from)
{
    if (!first_visit(sc, path)) return;
    Source src;
    char err[256];
    if (source_load(&src, path, err, sizeof err) != 0) {
        if (from)
            problem(sc->out, "%s: cannot read included file '%s': %s", from, rel, err);
        else
            problem(sc->out, "%s: %s", rel, err);
        return;
    }
    Buf text;
    buf_init(&text);
    uint32_t line = 1, n;
    for (const char *p = src.text; *p; line += n) {
        p = logical_line(p, &text, &n);
        char trimmed[1024];
        copy_trim(trimmed, sizeof trimmed, text.data, comment_start(text.data), false);
        if (trimmed[0]) requirement_line(sc, path, rel, trimmed, line, depth);
    }
    buf_free(&text);
    source_free(&src);
}

/* ---- the scan -------------------------------------------------------------------------------- */

static int depth_of(const char *rel)
{
    int d = 0;
    for (; *rel; rel++)
        d += *rel == '/';
    return d;
}

static int rank_of(WalkKind k)
{
    return k == WALK_PYTEST_INI ? 0 : k == WALK_PYPROJECT ? 1 : k == WALK_TOX_INI ? 2 : 3;
}

static void scan_one(Scanner *sc, const WalkFile *f, PytestCfg *c)
{
    switch (f->kind) {
        case WALK_PYPROJECT: scan_pyproject(sc->out, f, c); break;
        case WALK_SETUP_CFG: scan_ini(sc->out, f, "tool:pytest", c); break;
        case WALK_PYTEST_INI:
        case WALK_TOX_INI: scan_ini(sc->out, f, "pytest", c); break;
        case WALK_REQUIREMENTS: scan_requirements(sc, f->path, f->rel, 0, NULL); break;
        default: break;
    }
}

static void choose_mode(DepScan *s, const PytestCfg *best)
{
    DepAsyncioMode *m = &s->asyncio_mode;
    m->mode = "strict";
    m->is_default = true;
    if (!best) return;
    m->config = best->file;
    if (best->mode) {
        m->mode = best->mode;
        m->is_default = false;
        m->file = best->mode_file;
        m->line = best->mode_line;
    }
}

static int cmp_decl(const void *a, const void *b)
{
    const DepDecl *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

void dep_scan(DepScan *out, const WalkFile *configs, uint32_t n)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena);
    Scanner sc = {out, {0}};
    PytestCfg best = {INT_MAX, INT_MAX, NULL, NULL, NULL, 0};
    for (uint32_t i = 0; i < n; i++) {
        PytestCfg c = {depth_of(configs[i].rel), rank_of(configs[i].kind), NULL, NULL, NULL, 0};
        scan_one(&sc, &configs[i], &c);
        bool better = c.depth < best.depth || (c.depth == best.depth && c.rank < best.rank);
        if (c.file && better) best = c;
    }
    choose_mode(out, best.file ? &best : NULL);
    if (out->decls.n) qsort(out->decls.items, out->decls.n, sizeof(DepDecl), cmp_decl);
    for (uint32_t i = 0; i < sc.seen.n; i++)
        free(sc.seen.items[i]);
    VEC_FREE(sc.seen);
}

void dep_free(DepScan *s)
{
    VEC_FREE(s->decls);
    VEC_FREE(s->problems);
    arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

const DepDecl *dep_find(const DepScan *s, DepKind k)
{
    for (uint32_t i = 0; i < s->decls.n; i++)
        if (s->decls.items[i].kind == k) return &s->decls.items[i];
    return NULL;
}

bool dep_greenlet_declared(const DepScan *s, const DepDecl **evidence)
{
    static const char *const extras[] = {
        "asyncio", "postgresql_asyncpg", "aiosqlite", "aiomysql", "asyncmy", "aioodbc"};
    *evidence = dep_find(s, DEP_GREENLET);
    for (uint32_t i = 0; !*evidence && i < s->decls.n; i++) {
        const DepDecl *d = &s->decls.items[i];
        for (size_t k = 0; d->kind == DEP_SQLALCHEMY && k < sizeof extras / sizeof *extras; k++)
            if (dep_has_extra(d, extras[k])) *evidence = d;
    }
    return *evidence != NULL;
}
