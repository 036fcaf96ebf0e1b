/* config.c: reads [tool.sqlasync] from pyproject.toml and merges command-line flags. */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/toml.h"
#include "../base/xmalloc.h"
#include "../model/walk.h"

#define SELECTOR_HINT "expected a code such as SA201, a prefix such as SA2, or ALL"

typedef struct Loader {
    Config *cfg;
    const char *path; /* display path of the file */
    char *err;
    size_t errlen;
    char *base; /* the file's folder relative to the working folder, or NULL (heap) */
    char *sub;  /* the working folder relative to the file's folder, or NULL (heap) */
} Loader;

static const char *const known_keys[] = {
    "exclude",       "extend-exclude", "select",     "ignore",   "extend-select",
    "extend-ignore", "jobs",           "categories", "estimate", NULL,
};

__attribute__((format(printf, 3, 4))) static int bad(Loader *l, const TomlValue *v, const char *fmt,
                                                     ...)
{
    Buf msg;
    buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    snprintf(l->err, l->errlen, "%s:%u:%u: %s", l->path, v->line, v->col, msg.data ? msg.data : "");
    buf_free(&msg);
    return -1;
}

static void push(CfgList *l, const char *s)
{
    VEC_PUSH(*l, s);
}

static void init(Config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    arena_init(&cfg->arena);
}

/* ---- reading the table ------------------------------------------------------------------------
 */

/* An array of strings at t[key] into out; selectors are checked when asked. */
typedef enum { LIST_GLOBS, LIST_SELECTORS } ListKind;

/* An anchored glob (one with '/', not starting with "**") written relative to the file's folder,
 * made relative to the working folder, which is the root the walk matches against. */
static const char *rebase(Loader *l, const char *glob)
{
    while (glob[0] == '.' && glob[1] == '/')
        glob += 2;
    if (!strchr(glob, '/') || strncmp(glob, "**", 2) == 0) return glob;
    size_t n = l->sub ? strlen(l->sub) : 0;
    if (n && strncmp(glob, l->sub, n) == 0 && glob[n] == '/') return glob + n + 1;
    if (!l->base || !l->base[0]) return glob;
    Buf b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", l->base, glob);
    const char *out = arena_strndup(&l->cfg->arena, b.data, b.len);
    buf_free(&b);
    return out;
}

static int read_list(Loader *l, const TomlValue *t, const char *key, CfgList *out, ListKind kind)
{
    const TomlValue *v = toml_table_get(t, key);
    if (!v) return 0;
    if (!toml_is(v, TOML_ARRAY))
        return bad(l, v, "'%s' must be an array of strings, not %s", key,
                   toml_kind_name((TomlKind)v->kind));
    for (uint32_t i = 0; i < toml_len(v); i++) {
        const TomlValue *item = toml_at(v, i);
        const char *s = toml_str(item);
        if (!s)
            return bad(l, item, "'%s' must be an array of strings, but holds %s", key,
                       toml_kind_name((TomlKind)item->kind));
        if (kind == LIST_SELECTORS && !cfg_valid_selector(s))
            return bad(l, item, "invalid rule selector '%s' in '%s' (" SELECTOR_HINT ")", s, key);
        push(out, kind == LIST_GLOBS ? rebase(l, s) : s);
    }
    return 0;
}

static int read_categories(Loader *l, const TomlValue *t)
{
    const TomlValue *cats = toml_table_get(t, "categories");
    if (!cats) return 0;
    if (!toml_is(cats, TOML_TABLE)) return bad(l, cats, "'categories' must be a table");
    for (uint32_t i = 0; i < toml_len(cats); i++) {
        const char *name = toml_key_at(cats, i);
        FileCategory c;
        if (!cat_parse(name, &c))
            return bad(l, toml_at(cats, i),
                       "unknown category '%s' (expected services, routes, tests, infra or other)",
                       name);
        if (read_list(l, cats, name, &l->cfg->cat_globs[c], LIST_GLOBS) != 0) return -1;
    }
    return 0;
}

static void add_number(Config *cfg, CfgNumber n)
{
    VEC_PUSH(cfg->estimate, n);
}

static int read_estimate(Loader *l, const TomlValue *t)
{
    const TomlValue *est = toml_table_get(t, "estimate");
    if (!est) return 0;
    if (!toml_is(est, TOML_TABLE)) return bad(l, est, "'estimate' must be a table of numbers");
    for (uint32_t i = 0; i < toml_len(est); i++) {
        const TomlValue *v = toml_at(est, i);
        CfgNumber n = {toml_key_at(est, i), 0};
        if (!toml_number(v, &n.value))
            return bad(l, v, "estimate value '%s' must be a number, not %s", n.key,
                       toml_kind_name((TomlKind)v->kind));
        add_number(l->cfg, n);
    }
    return 0;
}

static int read_jobs(Loader *l, const TomlValue *t)
{
    const TomlValue *v = toml_table_get(t, "jobs");
    if (!v) return 0;
    if (!toml_is(v, TOML_INT) || v->u.i < 1 || v->u.i > 1024)
        return bad(l, v, "'jobs' must be an integer from 1 to 1024");
    l->cfg->jobs = (int)v->u.i;
    return 0;
}

static bool is_known_key(const char *key)
{
    for (const char *const *k = known_keys; *k; k++)
        if (strcmp(*k, key) == 0) return true;
    return false;
}

static void warn_unknown(Loader *l, const TomlValue *t)
{
    for (uint32_t i = 0; i < toml_len(t); i++) {
        const char *key = toml_key_at(t, i);
        if (is_known_key(key)) continue;
        const TomlValue *v = toml_at(t, i);
        Buf b;
        buf_init(&b);
        buf_printf(&b, "%s:%u:%u: unknown key '%s' in [tool.sqlasync], ignored", l->path, v->line,
                   v->col, key);
        push(&l->cfg->warnings, arena_strndup(&l->cfg->arena, b.data, b.len));
        buf_free(&b);
    }
}

static void append(CfgList *to, const CfgList *from)
{
    for (uint32_t i = 0; i < from->n; i++)
        push(to, from->items[i]);
}

static void rebuild_views(Config *cfg)
{
    VEC_CLEAR(cfg->excludes);
    append(&cfg->excludes, &cfg->exclude);
    append(&cfg->excludes, &cfg->extend_exclude);
    for (int c = 0; c < FCAT__COUNT; c++) {
        cfg->categories.globs[c] = cfg->cat_globs[c].items;
        cfg->categories.nglobs[c] = cfg->cat_globs[c].n;
    }
}

static int read_table(Loader *l, const TomlValue *t)
{
    Config *cfg = l->cfg;
    if (!toml_is(t, TOML_TABLE)) return bad(l, t, "'tool.sqlasync' must be a table");
    CfgList extend_select = {0}, extend_ignore = {0};
    int rc = read_list(l, t, "exclude", &cfg->exclude, LIST_GLOBS);
    rc = rc ? rc : read_list(l, t, "extend-exclude", &cfg->extend_exclude, LIST_GLOBS);
    rc = rc ? rc : read_list(l, t, "select", &cfg->select, LIST_SELECTORS);
    rc = rc ? rc : read_list(l, t, "extend-select", &extend_select, LIST_SELECTORS);
    rc = rc ? rc : read_list(l, t, "ignore", &cfg->ignore, LIST_SELECTORS);
    rc = rc ? rc : read_list(l, t, "extend-ignore", &extend_ignore, LIST_SELECTORS);
    rc = rc ? rc : read_jobs(l, t);
    rc = rc ? rc : read_categories(l, t);
    rc = rc ? rc : read_estimate(l, t);
    append(&cfg->select, &extend_select);
    append(&cfg->ignore, &extend_ignore);
    VEC_FREE(extend_select);
    VEC_FREE(extend_ignore);
    if (rc == 0) warn_unknown(l, t);
    return rc;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return xstrndup(".", 1);
    return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

int cfg_load_file(Config *cfg, const char *path, char *err, size_t errlen)
{
    init(cfg);
    TomlValue *doc;
    TomlError terr;
    if (toml_load(&doc, path, &cfg->arena, &terr) != 0) {
        snprintf(err, errlen, "%s", terr.text);
        return -1;
    }
    cfg->path = arena_strndup(&cfg->arena, path, strlen(path));
    char *dir = dir_of(path);
    cfg->dir = arena_strndup(&cfg->arena, dir, strlen(dir));
    free(dir);
    const TomlValue *t = toml_get(doc, "tool.sqlasync");
    cfg->has_table = t != NULL;
    char cwd[PATH_MAX];
    bool have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    Loader l = {cfg,
                cfg->path,
                err,
                errlen,
                have_cwd ? walk_rel_to(cwd, cfg->dir) : NULL,
                have_cwd ? walk_rel_to(cfg->dir, cwd) : NULL};
    int rc = t ? read_table(&l, t) : 0;
    rebuild_views(cfg);
    free(l.base);
    free(l.sub);
    return rc;
}

/* ---- finding the file ---------------------------------------------------------------------- */

static bool exists(const char *dir, const char *name, char *out, size_t cap)
{
    struct stat st;
    int n = snprintf(out, cap, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
    return n > 0 && (size_t)n < cap && stat(out, &st) == 0;
}

/* A path for messages: relative to the working folder when inside it. */
static char *display_path(const char *real)
{
    char cwd[PATH_MAX];
    size_t n = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
    if (n > 1 && strncmp(real, cwd, n) == 0 && real[n] == '/')
        return xstrndup(real + n + 1, strlen(real + n + 1));
    return xstrndup(real, strlen(real));
}

/* The real folder to start the search from: start itself, or its folder for a file. */
static char *start_dir(const char *start)
{
    char *real = realpath(start, NULL);
    struct stat st;
    if (!real || stat(real, &st) != 0 || S_ISDIR(st.st_mode)) return real;
    char *dir = dir_of(real);
    free(real);
    return dir;
}

/* Searches upward; *found: the nearest file with [tool.sqlasync], else the nearest file. */
static int search(const char *start, char **found, char *err, size_t errlen)
{
    char *dir = start_dir(start), *fallback = NULL;
    char path[PATH_MAX], git[PATH_MAX];
    int rc = 0;
    *found = NULL;
    while (dir && !*found && rc == 0) {
        if (exists(dir, "pyproject.toml", path, sizeof path)) {
            Config probe;
            char *shown = display_path(path);
            rc = cfg_load_file(&probe, shown, err, errlen);
            if (rc == 0 && probe.has_table)
                *found = shown;
            else if (rc == 0 && !fallback)
                fallback = shown;
            else
                free(shown);
            cfg_free(&probe);
        }
        bool top = strcmp(dir, "/") == 0 || exists(dir, ".git", git, sizeof git);
        char *up = top ? NULL : dir_of(dir);
        free(dir);
        dir = up;
    }
    free(dir);
    if (!*found)
        *found = fallback;
    else
        free(fallback);
    return rc;
}

int cfg_load(Config *cfg, const char *start, char *err, size_t errlen)
{
    char *found = NULL;
    if (search(start, &found, err, errlen) != 0) {
        init(cfg);
        return -1;
    }
    if (!found) {
        init(cfg);
        rebuild_views(cfg);
        return 0;
    }
    int rc = cfg_load_file(cfg, found, err, errlen);
    free(found);
    return rc;
}

/* ---- flags ------------------------------------------------------------------------------- */

bool cfg_valid_selector(const char *s)
{
    if (strcmp(s, "ALL") == 0) return true;
    size_t letters = 0, digits = 0;
    while (isupper((unsigned char)s[letters]))
        letters++;
    while (isdigit((unsigned char)s[letters + digits]))
        digits++;
    return letters > 0 && digits <= 3 && s[letters + digits] == '\0';
}

static int check_selectors(const char *const *list, uint32_t n, const char *flag, char *err,
                           size_t errlen)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!cfg_valid_selector(list[i])) {
            snprintf(err, errlen, "invalid rule selector '%s' for %s (" SELECTOR_HINT ")", list[i],
                     flag);
            return -1;
        }
    }
    return 0;
}

static void set_list(CfgList *l, const char *const *items, uint32_t n, bool replace)
{
    if (replace && n) VEC_CLEAR(*l);
    for (uint32_t i = 0; i < n; i++)
        push(l, items[i]);
}

int cfg_merge(Config *cfg, const CfgFlags *f, char *err, size_t errlen)
{
    if (check_selectors(f->select, f->nselect, "--select", err, errlen) ||
        check_selectors(f->extend_select, f->nextend_select, "--extend-select", err, errlen) ||
        check_selectors(f->ignore, f->nignore, "--ignore", err, errlen) ||
        check_selectors(f->extend_ignore, f->nextend_ignore, "--extend-ignore", err, errlen))
        return -1;
    if (f->jobs < 0) {
        snprintf(err, errlen, "invalid value for --jobs: %d (expected 1 or more)", f->jobs);
        return -1;
    }
    set_list(&cfg->exclude, f->exclude, f->nexclude, true);
    set_list(&cfg->extend_exclude, f->extend_exclude, f->nextend_exclude, false);
    set_list(&cfg->select, f->select, f->nselect, true);
    set_list(&cfg->select, f->extend_select, f->nextend_select, false);
    set_list(&cfg->ignore, f->ignore, f->nignore, true);
    set_list(&cfg->ignore, f->extend_ignore, f->nextend_ignore, false);
    if (f->jobs > 0) cfg->jobs = f->jobs;
    rebuild_views(cfg);
    return 0;
}

void cfg_free(Config *cfg)
{
    VEC_FREE(cfg->exclude);
    VEC_FREE(cfg->extend_exclude);
    VEC_FREE(cfg->excludes);
    VEC_FREE(cfg->select);
    VEC_FREE(cfg->ignore);
    for (int c = 0; c < FCAT__COUNT; c++)
        VEC_FREE(cfg->cat_globs[c]);
    VEC_FREE(cfg->estimate);
    VEC_FREE(cfg->warnings);
    arena_free(&cfg->arena);
    memset(cfg, 0, sizeof *cfg);
}

double cfg_estimate(const Config *cfg, const char *key, double dflt)
{
    for (uint32_t i = 0; i < cfg->estimate.n; i++)
        if (strcmp(cfg->estimate.items[i].key, key) == 0) return cfg->estimate.items[i].value;
    return dflt;
}
