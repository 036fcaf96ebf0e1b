/* project.c: load and parse a project's files on a thread pool.
 *
 * The pool hands out file indexes from one atomic counter; a worker writes only to its own
 * ProjFile, so no lock is needed and the result does not depend on scheduling. */
#include "project.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/timing.h"
#include "../base/xmalloc.h"
#include "../syntax/encoding.h"

#define THREAD_STACK      ((size_t)16 * 1024 * 1024)
#define MAX_PACKAGE_DEPTH 64

typedef struct Pool {
    Program *prog;
    atomic_uint next;
} Pool;

static char *dup_str(const char *s)
{
    return xstrndup(s, strlen(s));
}

/* ---- text checks ---------------------------------------------------------------------------- */

/* The offset of the first byte that is not valid UTF-8, or len. */
static uint32_t utf8_error_at(const unsigned char *s, uint32_t len)
{
    uint32_t i = 0;
    while (i < len) {
        uint64_t word;
        if (len - i >= 8 && (memcpy(&word, s + i, 8), (word & 0x8080808080808080u) == 0)) {
            i += 8; /* eight ASCII bytes at once */
            continue;
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        unsigned lo = 0x80, hi = 0xBF, need;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else
            return i;
        if (len - i <= need || s[i + 1] < lo || s[i + 1] > hi) return i;
        for (unsigned k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += need + 1;
    }
    return len;
}

static uint32_t line_at(const char *text, uint32_t offset)
{
    uint32_t line = 1;
    for (uint32_t i = 0; i < offset; i++)
        line += text[i] == '\n';
    return line;
}

/* True when a coding cookie makes text readable although it is not UTF-8 (latin-1, cp1252...). */
static bool declares_encoding(const char *text, uint32_t len)
{
    char *out = NULL;
    uint32_t outlen = 0;
    LexError err;
    if (enc_decode(text, len, &out, &outlen, &err) != 0 || !out) return false;
    free(out);
    return true;
}

int proj_check_text(const char *text, uint32_t len, char *msg, size_t msglen)
{
    const char *nul = memchr(text, '\0', len < PROJ_BINARY_PROBE ? len : PROJ_BINARY_PROBE);
    if (nul) {
        snprintf(msg, msglen, "binary file (NUL byte at offset %u), skipped",
                 (unsigned)(nul - text));
        return -1;
    }
    uint32_t bad = utf8_error_at((const unsigned char *)text, len);
    if (bad < len && declares_encoding(text, len))
        return 0; /* a PEP 263 cookie: parse_source transcodes it to UTF-8 */
    if (bad < len) {
        snprintf(msg, msglen,
                 "not valid UTF-8 (byte 0x%02x at line %u), skipped; only UTF-8 source is read",
                 (unsigned char)text[bad], line_at(text, bad));
        return -1;
    }
    return 0;
}

static uint32_t count_lines(const char *text, uint32_t len)
{
    uint32_t n = 0;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))) != NULL; p++)
        n++;
    return n + (len > 0 && text[len - 1] != '\n');
}

/* ---- module names ------------------------------------------------------------------------- */

static bool has_init(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/__init__.py", dir);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The file name without ".py" (the whole name for another extension). */
static char *stem_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".py") == 0) n -= 3;
    return xstrndup(base, n);
}

/* Climbs from the real folder dir while it holds __init__.py; prefixes each name to mod. */
static char *package_name(char *dir, char *mod)
{
    for (int depth = 0; depth < MAX_PACKAGE_DEPTH && dir[0] && has_init(dir); depth++) {
        char *slash = strrchr(dir, '/');
        const char *name = slash ? slash + 1 : dir;
        size_t cap = strlen(name) + strlen(mod) + 2;
        char *next = xmalloc(cap);
        snprintf(next, cap, "%s%s%s", name, mod[0] ? "." : "", mod);
        free(mod);
        mod = next;
        if (!slash) break;
        *slash = '\0';
    }
    return mod;
}

/* The path from the root with dots: "scripts/seed.py" -> "scripts.seed", "src/" dropped. */
static char *path_name(const char *rel, const char *stem, bool is_package)
{
    if (strncmp(rel, "src/", 4) == 0) rel += 4;
    if (rel[0] == '/' || strstr(rel, "..") || !strchr(rel, '/')) return dup_str(stem);
    const char *end = strrchr(rel, '/');
    size_t n = (size_t)(end - rel);
    char *mod = xmalloc(n + strlen(stem) + 2);
    memcpy(mod, rel, n);
    for (size_t i = 0; i < n; i++)
        mod[i] = mod[i] == '/' ? '.' : mod[i];
    if (is_package)
        mod[n] = '\0';
    else
        snprintf(mod + n, strlen(stem) + 2, ".%s", stem);
    return mod;
}

char *proj_module_name(const char *fs_path, const char *rel, bool *is_package)
{
    char *stem = stem_of(fs_path);
    *is_package = strcmp(stem, "__init__") == 0;
    const char *slash = strrchr(fs_path, '/');
    char *dir = slash ? xstrndup(fs_path, (size_t)(slash - fs_path)) : dup_str(".");
    char *real = realpath(dir[0] ? dir : "/", NULL);
    free(dir);
    char *mod = NULL;
    if (real && has_init(real))
        mod = package_name(real, *is_package ? dup_str("") : dup_str(stem));
    else
        mod = path_name(rel, stem, *is_package);
    free(real);
    free(stem);
    return mod;
}

/* ---- loading one file ----------------------------------------------------------------------- */

static void skip_file(ProjFile *f, const char *msg)
{
    diag_add(&f->diags, DIAG_ERROR, PROJ_E_INPUT, (Span){0, 0}, "%s", msg);
    f->skipped = true;
}

/* Reads the file; returns false (with a Diag) when it cannot be parsed. */
static bool read_file(ProjFile *f)
{
    struct stat st;
    if (stat(f->fs_path, &st) == 0 && (uint64_t)st.st_size > PROJ_MAX_BYTES) {
        char msg[120];
        f->bytes = (uint64_t)st.st_size;
        snprintf(msg, sizeof msg, "file too large (%llu MB; the limit is %u MB), skipped",
                 (unsigned long long)(st.st_size >> 20), (unsigned)(PROJ_MAX_BYTES >> 20));
        skip_file(f, msg);
        return false;
    }
    char err[256];
    if (source_load(&f->src, f->fs_path, err, sizeof err) != 0) {
        skip_file(f, err);
        return false;
    }
    free((char *)f->src.path);
    f->src.path = dup_str(f->path);
    f->bytes = f->src.len;
    if (proj_check_text(f->src.text, f->src.len, err, sizeof err) != 0) {
        skip_file(f, err);
        source_free(&f->src); /* binary text is never looked at again */
        return false;
    }
    f->lines = count_lines(f->src.text, f->src.len);
    return true;
}

static void load_one(ProjFile *f)
{
    if (!read_file(f)) return;
    f->module = proj_module_name(f->fs_path, f->path, &f->is_package);
    if (parse_source(&f->src, &f->arena, &f->parse, &f->diags) != 0) {
        f->parse.module = NULL;
        f->skipped = true;
    }
}

static void *worker(void *arg)
{
    Pool *pool = arg;
    for (;;) {
        unsigned i = atomic_fetch_add(&pool->next, 1u);
        if (i >= pool->prog->nfiles) return NULL;
        load_one(&pool->prog->files[i]);
    }
}

/* Runs jobs workers: jobs - 1 threads and the calling thread. */
static void run_pool(Program *prog, int jobs)
{
    Pool pool = {prog, 0};
    atomic_init(&pool.next, 0u);
    if ((uint32_t)jobs > prog->nfiles) jobs = (int)prog->nfiles;
    pthread_t *threads = xcalloc((size_t)(jobs > 1 ? jobs : 1), sizeof(pthread_t));
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK);
    int started = 0;
    for (int t = 1; t < jobs; t++)
        if (pthread_create(&threads[started], &attr, worker, &pool) == 0) started++;
    worker(&pool);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_attr_destroy(&attr);
    free(threads);
}

/* ---- the Program --------------------------------------------------------------------------- */

int proj_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

static void init_files(Program *prog, const ProjOptions *o)
{
    prog->nfiles = prog->walk.files.n;
    prog->files = xcalloc(prog->nfiles ? prog->nfiles : 1, sizeof(ProjFile));
    for (uint32_t i = 0; i < prog->nfiles; i++) {
        ProjFile *f = &prog->files[i];
        WalkFile *w = &prog->walk.files.items[i];
        f->path = w->rel; /* ownership moves from the walk */
        f->fs_path = w->path;
        bool overridden;
        f->category = (uint8_t)cat_classify(f->path, o->categories, &overridden);
        f->cat_overridden = overridden;
        arena_init(&f->arena);
    }
    VEC_FREE(prog->walk.files);
}

int proj_load(Program *prog, const ProjOptions *o)
{
    memset(prog, 0, sizeof *prog);
    prog->root = dup_str(o->root ? o->root : ".");
    WalkOptions wo = {prog->root, o->exclude, o->nexclude};
    tm_phase("start");
    int rc = walk_collect(&wo, o->paths, o->npaths, &prog->walk);
    init_files(prog, o);
    tm_phase("walk");
    run_pool(prog, o->jobs > 0 ? o->jobs : proj_default_jobs());
    tm_phase("read+parse");
    for (uint32_t i = 0; i < prog->nfiles; i++) {
        const ProjFile *f = &prog->files[i];
        prog->nparsed += f->parse.module != NULL;
        if (f->src.text) { /* read as text: parsed, or with a syntax error */
            prog->lines += f->lines;
            prog->bytes += f->bytes;
        }
    }
    return rc;
}

void proj_free(Program *prog)
{
    for (uint32_t i = 0; i < prog->nfiles; i++) {
        ProjFile *f = &prog->files[i];
        free(f->path);
        free(f->fs_path);
        free(f->module);
        source_free(&f->src);
        arena_free(&f->arena);
        diag_list_free(&f->diags);
    }
    free(prog->files);
    free(prog->root);
    walk_free(&prog->walk);
    memset(prog, 0, sizeof *prog);
}

void proj_diag_text(Buf *out, ProjFile *f, const Diag *d)
{
    LineCol lc = {d->line, d->col};
    if (!lc.line && f->src.text && strcmp(d->code, PROJ_E_INPUT) != 0)
        lc = source_linecol(&f->src, d->span.start);
    if (lc.line)
        buf_printf(out, "%s:%u:%u: %s", f->path, lc.line, lc.col_byte + 1, d->message);
    else
        buf_printf(out, "%s: %s", f->path, d->message);
}
