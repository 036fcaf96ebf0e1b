/* walk.c: the project walk.
 *
 * Directories are read whole, their names sorted, then visited in that order, so the walk is
 * deterministic. Symbolic links to directories are not entered during the main walk: they are
 * queued and walked afterwards, each target directory at most once (by device and inode), which
 * makes loops impossible and keeps the real location of a directory ahead of its aliases. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/buf.h"
#include "../base/xmalloc.h"

#define MAX_PARTS 256

typedef struct DirId {
    dev_t dev;
    ino_t ino;
    bool used;
} DirId;

/* An open-addressing set of directories (device, inode); cap is a power of two. */
typedef struct DirSet {
    DirId *slots; /* heap-owned */
    uint32_t n, cap;
} DirSet;

typedef struct Pending {
    char *path, *rel; /* heap-owned: a symlink to a directory, walked later */
} Pending;

typedef struct Entry {
    char *name;         /* heap-owned */
    unsigned char type; /* d_type */
} Entry;

typedef Vec(Entry) EntryList;

typedef struct Walker {
    const WalkOptions *o;
    WalkResult *out;
    DirSet seen;          /* every directory walked */
    Vec(Pending) pending; /* symlinked directories still to walk */
    char *root_real;      /* realpath of the root, or NULL */
} Walker;

/* Folder names never walked into (besides folders holding pyvenv.cfg). */
static const char *const skip_names[] = {
    ".git",        ".hg",   ".svn",           ".bzr", ".venv", "node_modules", "__pycache__",
    "build",       "dist",  "site-packages",  ".tox", ".nox",  ".mypy_cache",  ".pytest_cache",
    ".ruff_cache", ".eggs", "__pypackages__",
};

/* ---- small helpers -------------------------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static void issue(Walker *w, const char *rel, bool is_error,
                                                        const char *fmt, ...)
{
    Buf b;
    buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const char *shown = rel[0] ? rel : ".";
    WalkIssue is = {xstrndup(shown, strlen(shown)), b.data ? b.data : xstrndup("", 0), is_error};
    VEC_PUSH(w->out->issues, is);
}

static char *dupstr(const char *s)
{
    return xstrndup(s, strlen(s));
}

/* dir + "/" + name, without a "./" prefix or a doubled '/'. */
static char *join(const char *dir, const char *name)
{
    if (dir[0] == '\0' || strcmp(dir, ".") == 0) return dupstr(name);
    size_t n = strlen(dir);
    Buf b;
    buf_init(&b);
    buf_printf(&b, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
    return b.data;
}

static bool is_skipped_name(const char *name)
{
    for (size_t i = 0; i < sizeof skip_names / sizeof skip_names[0]; i++)
        if (strcmp(name, skip_names[i]) == 0) return true;
    return false;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static uint32_t dir_slot(const DirSet *s, dev_t dev, ino_t ino)
{
    uint64_t h = (uint64_t)dev * 0x9E3779B97F4A7C15ull ^ (uint64_t)ino;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    uint32_t i = (uint32_t)h & (s->cap - 1);
    while (s->slots[i].used && !(s->slots[i].dev == dev && s->slots[i].ino == ino))
        i = (i + 1) & (s->cap - 1);
    return i;
}

static bool was_seen(const Walker *w, const struct stat *st)
{
    return w->seen.cap && w->seen.slots[dir_slot(&w->seen, st->st_dev, st->st_ino)].used;
}

static void mark_seen(DirSet *s, dev_t dev, ino_t ino)
{
    if (2 * (s->n + 1) > s->cap) {
        DirSet bigger = {xcalloc(s->cap ? s->cap * 2 : 64, sizeof(DirId)), 0,
                         s->cap ? s->cap * 2 : 64};
        for (uint32_t i = 0; i < s->cap; i++)
            if (s->slots[i].used) mark_seen(&bigger, s->slots[i].dev, s->slots[i].ino);
        free(s->slots);
        *s = bigger;
    }
    DirId *slot = &s->slots[dir_slot(s, dev, ino)];
    if (!slot->used) {
        *slot = (DirId){dev, ino, true};
        s->n++;
    }
}

/* ---- paths relative to the root ------------------------------------------------------------- */

/* The path as given, without "./" prefixes and trailing slashes. */
static char *tidy_path(const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 1 && path[0] == '.') n = 0;
    return xstrndup(path, n);
}

/* real relative to root (both real paths), or NULL when real is outside it. */
static char *rel_under(const char *root, const char *real)
{
    size_t n = root ? strlen(root) : 0;
    if (!root || strncmp(real, root, n) != 0) return NULL;
    if (real[n] == '\0') return dupstr("");
    if (real[n] == '/') return dupstr(real + n + 1);
    return n == 1 ? dupstr(real + 1) : NULL; /* root is "/" */
}

static char *under_root(const Walker *w, const char *real)
{
    return rel_under(w->root_real, real);
}

char *walk_rel_to(const char *root, const char *dir)
{
    char *root_real = realpath(root, NULL), *dir_real = realpath(dir, NULL);
    char *rel = root_real && dir_real ? rel_under(root_real, dir_real) : NULL;
    free(root_real);
    free(dir_real);
    return rel;
}

/* The display path of a given path: relative to the root when inside it, else as given. A
 * symlink given by name keeps its own name (only its folder is resolved). */
static char *rel_of(const Walker *w, const char *path, bool is_dir)
{
    char *tidy = tidy_path(path), *real = NULL, *rel = NULL;
    const char *slash = strrchr(tidy, '/');
    if (is_dir || !slash) {
        real = realpath(is_dir ? path : ".", NULL);
    } else {
        char *dir = xstrndup(tidy, (size_t)(slash - tidy));
        real = realpath(dir[0] ? dir : "/", NULL);
        free(dir);
    }
    char *base = real ? under_root(w, real) : NULL;
    if (base) rel = is_dir ? dupstr(base) : join(base, slash ? slash + 1 : tidy);
    free(base);
    free(real);
    if (!rel) return tidy;
    free(tidy);
    return rel;
}

/* ---- globs ---------------------------------------------------------------------------------- */

/* Splits s in place at '/', dropping empty parts; returns the count (-1 when too many). */
static int split(char *s, char **parts)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (n == MAX_PARTS) return -1;
        parts[n++] = t;
    }
    return n;
}

static bool match_parts(char **pat, int np, char **str, int ns)
{
    if (np == 0) return ns == 0;
    if (strcmp(pat[0], "**") == 0) {
        for (int k = 0; k <= ns; k++)
            if (match_parts(pat + 1, np - 1, str + k, ns - k)) return true;
        return false;
    }
    return ns > 0 && fnmatch(pat[0], str[0], 0) == 0 &&
           match_parts(pat + 1, np - 1, str + 1, ns - 1);
}

static bool any_component(const char *pattern, char **parts, int n)
{
    for (int i = 0; i < n; i++)
        if (fnmatch(pattern, parts[i], 0) == 0) return true;
    return false;
}

bool walk_glob_match(const char *pattern, const char *rel)
{
    while (pattern[0] == '.' && pattern[1] == '/')
        pattern += 2;
    size_t np = strlen(pattern), ns = strlen(rel);
    while (np > 1 && pattern[np - 1] == '/')
        np--;
    if (np == 0 || np >= PATH_MAX || ns >= PATH_MAX) return false;
    char pbuf[PATH_MAX], sbuf[PATH_MAX];
    char *pparts[MAX_PARTS], *sparts[MAX_PARTS];
    memcpy(pbuf, pattern, np);
    pbuf[np] = '\0';
    memcpy(sbuf, rel, ns + 1);
    int ns_parts = split(sbuf, sparts);
    if (ns_parts < 0) return false;
    if (!memchr(pbuf, '/', np)) return any_component(pbuf, sparts, ns_parts);
    int np_parts = split(pbuf, pparts);
    return np_parts >= 0 && match_parts(pparts, np_parts, sparts, ns_parts);
}

static bool excluded(const Walker *w, const char *rel)
{
    for (uint32_t i = 0; i < w->o->nexclude; i++)
        if (walk_glob_match(w->o->exclude[i], rel)) return true;
    return false;
}

bool walk_config_kind(const char *rel, WalkKind *kind)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    static const struct {
        const char *name;
        WalkKind kind;
    } fixed[] = {{"pyproject.toml", WALK_PYPROJECT},
                 {"setup.cfg", WALK_SETUP_CFG},
                 {"pytest.ini", WALK_PYTEST_INI},
                 {"tox.ini", WALK_TOX_INI},
                 {"alembic.ini", WALK_ALEMBIC_INI}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (strcmp(base, fixed[i].name) == 0) {
            *kind = fixed[i].kind;
            return true;
        }
    }
    bool in_req_dir = base - rel >= 13 && strncmp(base - 13, "requirements/", 13) == 0 &&
                      (base - rel == 13 || base[-14] == '/');
    if (fnmatch("*requirements*.txt", base, 0) == 0 || (in_req_dir && ends_with(base, ".txt"))) {
        *kind = WALK_REQUIREMENTS;
        return true;
    }
    return false;
}

/* ---- the walk ------------------------------------------------------------------------------- */

static void add_file(Walker *w, const char *path, const char *rel, bool given)
{
    WalkKind kind = WALK_PY;
    bool is_config = walk_config_kind(rel, &kind);
    if (!given && !is_config && !ends_with(rel, ".py")) return;
    WalkFile f = {dupstr(path), dupstr(rel), is_config ? kind : WALK_PY};
    if (is_config)
        VEC_PUSH(w->out->configs, f);
    else
        VEC_PUSH(w->out->files, f);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const Entry *)a)->name, ((const Entry *)b)->name);
}

static void push_entry(EntryList *l, const char *name, unsigned char type)
{
    Entry e = {dupstr(name), type};
    VEC_PUSH(*l, e);
}

/* Reads a directory's entries, sorted by name. */
static int read_entries(Walker *w, const char *path, const char *rel, EntryList *out)
{
    DIR *d = opendir(path);
    if (!d) {
        issue(w, rel, true, "cannot open directory: %s", strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        push_entry(out, e->d_name, e->d_type);
    }
    closedir(d);
    if (out->n) qsort(out->items, out->n, sizeof(Entry), cmp_entry);
    return 0;
}

static bool has_entry(const EntryList *l, const char *name)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0) return true;
    return false;
}

static void free_entries(EntryList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        free(l->items[i].name);
    VEC_FREE(*l);
}

static void walk_dir(Walker *w, const char *path, const char *rel, const struct stat *st, bool top);

static void queue_link(Walker *w, const char *path, const char *rel)
{
    Pending pd = {dupstr(path), dupstr(rel)};
    VEC_PUSH(w->pending, pd);
}

static void visit_link(Walker *w, const char *path, const char *rel, const char *name)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            issue(w, rel, true, "cannot read: broken symbolic link");
        else if (errno == ELOOP)
            issue(w, rel, false, "symbolic link loop, not followed");
        else
            issue(w, rel, true, "cannot read: %s", strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode) && !is_skipped_name(name))
        queue_link(w, path, rel);
    else if (S_ISREG(st.st_mode))
        add_file(w, path, rel, false);
}

static unsigned char entry_type(const char *path, unsigned char dtype)
{
    if (dtype != DT_UNKNOWN) return dtype;
    struct stat st;
    if (lstat(path, &st) != 0) return DT_UNKNOWN;
    return S_ISDIR(st.st_mode)   ? DT_DIR
           : S_ISREG(st.st_mode) ? DT_REG
           : S_ISLNK(st.st_mode) ? DT_LNK
                                 : DT_UNKNOWN;
}

static void visit_entry(Walker *w, const char *dir, const char *dirrel, const Entry *e)
{
    char *path = join(dir, e->name), *rel = join(dirrel, e->name);
    unsigned char type = excluded(w, rel) ? DT_UNKNOWN : entry_type(path, e->type);
    struct stat st;
    if (type == DT_DIR && !is_skipped_name(e->name)) {
        if (stat(path, &st) == 0)
            walk_dir(w, path, rel, &st, false);
        else
            issue(w, rel, true, "cannot open directory: %s", strerror(errno));
    } else if (type == DT_REG) {
        add_file(w, path, rel, false);
    } else if (type == DT_LNK) {
        visit_link(w, path, rel, e->name);
    }
    free(path);
    free(rel);
}

/* Walks one directory, unless already walked; top is a path given by the user, walked even when
 * it is a virtual environment. */
static void walk_dir(Walker *w, const char *path, const char *rel, const struct stat *st, bool top)
{
    if (was_seen(w, st)) return;
    mark_seen(&w->seen, st->st_dev, st->st_ino);
    EntryList entries = {0};
    if (read_entries(w, path, rel, &entries) == 0 && (top || !has_entry(&entries, "pyvenv.cfg")))
        for (uint32_t i = 0; i < entries.n; i++)
            visit_entry(w, path, rel, &entries.items[i]);
    free_entries(&entries);
}

/* True when the symlink at path points to one of the folders that contain it. */
static bool points_to_ancestor(const char *path, char **target_real)
{
    *target_real = realpath(path, NULL);
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : dupstr(".");
    char *parent = realpath(dir[0] ? dir : "/", NULL);
    free(dir);
    bool loop = false;
    if (*target_real && parent) {
        size_t n = strlen(*target_real);
        loop = strncmp(parent, *target_real, n) == 0 &&
               (parent[n] == '\0' || parent[n] == '/' || n == 1);
    }
    free(parent);
    return loop;
}

static void report_loop(Walker *w, const Pending *pd)
{
    char *target = NULL;
    if (points_to_ancestor(pd->path, &target)) {
        char *trel = target ? under_root(w, target) : NULL;
        if (trel)
            issue(w, pd->rel, false,
                  "symbolic link loop: points to its ancestor '%s', not followed",
                  trel[0] ? trel : ".");
        else
            issue(w, pd->rel, false, "symbolic link loop: points to its ancestor, not followed");
        free(trel);
    }
    free(target);
}

/* Walks the queued symlinked directories; walking them may queue more. */
static void drain_pending(Walker *w)
{
    for (uint32_t i = 0; i < w->pending.n; i++) {
        Pending pd = w->pending.items[i];
        struct stat st;
        if (stat(pd.path, &st) == 0) {
            if (was_seen(w, &st))
                report_loop(w, &pd);
            else
                walk_dir(w, pd.path, pd.rel, &st, false);
        }
        free(pd.path);
        free(pd.rel);
    }
    VEC_FREE(w->pending);
}

static int walk_given(Walker *w, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        char *rel = tidy_path(path);
        issue(w, rel, true, "cannot open: %s", strerror(errno));
        free(rel);
        return -1;
    }
    char *rel = rel_of(w, path, S_ISDIR(st.st_mode));
    if (S_ISDIR(st.st_mode))
        walk_dir(w, path, rel, &st, true);
    else
        add_file(w, path, rel, true);
    free(rel);
    return 0;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const WalkFile *)a)->rel, ((const WalkFile *)b)->rel);
}

/* Sorts by rel and drops repeated paths (a file given twice). */
static void sort_unique(WalkFile *items, uint32_t *n)
{
    if (*n == 0) return;
    qsort(items, *n, sizeof(WalkFile), cmp_file);
    uint32_t k = 1;
    for (uint32_t i = 1; i < *n; i++) {
        if (strcmp(items[i].rel, items[k - 1].rel) == 0) {
            free(items[i].path);
            free(items[i].rel);
        } else {
            items[k++] = items[i];
        }
    }
    *n = k;
}

int walk_collect(const WalkOptions *o, const char *const *paths, uint32_t npaths, WalkResult *out)
{
    memset(out, 0, sizeof *out);
    const char *root = o->root ? o->root : ".";
    Walker w = {o, out, {0}, {0}, realpath(root, NULL)};
    int rc = 0;
    if (npaths == 0) rc = walk_given(&w, root);
    for (uint32_t i = 0; i < npaths; i++)
        if (walk_given(&w, paths[i]) != 0) rc = -1;
    drain_pending(&w);
    sort_unique(out->files.items, &out->files.n);
    sort_unique(out->configs.items, &out->configs.n);
    free(w.seen.slots);
    free(w.root_real);
    return rc;
}

static void free_files(WalkFile *items, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        free(items[i].path);
        free(items[i].rel);
    }
}

void walk_free(WalkResult *r)
{
    free_files(r->files.items, r->files.n);
    free_files(r->configs.items, r->configs.n);
    for (uint32_t i = 0; i < r->issues.n; i++) {
        free(r->issues.items[i].path);
        free(r->issues.items[i].message);
    }
    VEC_FREE(r->files);
    VEC_FREE(r->configs);
    VEC_FREE(r->issues);
}
