/* writefile: atomic replacement (temporary file, fsync, rename) and unified diffs (Myers). */
#include "writefile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/xmalloc.h"

/* ---- atomic write -------------------------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *what, int e)
{
    snprintf(err, errlen, "%s: %s", what, strerror(e));
    return -1;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* "dir/.name.sqlasync-XXXXXX" for the file at real. */
static char *temp_template(const char *real)
{
    const char *slash = strrchr(real, '/');
    size_t dirlen = slash ? (size_t)(slash - real + 1) : 0;
    const char *base = slash ? slash + 1 : real;
    size_t n = dirlen + strlen(base) + 32;
    char *t = xmalloc(n);
    snprintf(t, n, "%.*s.%s.sqlasync-XXXXXX", (int)dirlen, real, base);
    return t;
}

static int write_temp(int fd, const struct stat *st, const char *data, size_t len, char *err,
                      size_t errlen)
{
    if (write_all(fd, data, len) != 0)
        return fail(err, errlen, "cannot write temporary file", errno);
    if (fchmod(fd, st->st_mode & 07777) != 0)
        return fail(err, errlen, "cannot set file mode", errno);
    if (fchown(fd, st->st_uid, st->st_gid) != 0) {
        /* only root may give a file away; keeping our own ownership is the best we can do */
    }
    if (fsync(fd) != 0) return fail(err, errlen, "cannot sync temporary file", errno);
    return 0;
}

int wf_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
    char *real = realpath(path, NULL);
    if (!real) return fail(err, errlen, "cannot resolve path", errno);
    struct stat st;
    if (stat(real, &st) != 0) {
        free(real);
        return fail(err, errlen, "cannot stat", errno);
    }
    char *tmp = temp_template(real);
    int rc = -1;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fail(err, errlen, "cannot create temporary file", errno);
        goto done;
    }
    rc = write_temp(fd, &st, data, len, err, errlen);
    if (close(fd) != 0 && rc == 0) rc = fail(err, errlen, "cannot close temporary file", errno);
    if (rc == 0 && rename(tmp, real) != 0)
        rc = fail(err, errlen, "cannot rename temporary file", errno);
    if (rc != 0) unlink(tmp);
done:
    free(tmp);
    free(real);
    return rc;
}

/* ---- lines ---------------------------------------------------------------------------------- */

typedef struct Line {
    const char *p;
    uint32_t len; /* with its line ending */
    uint32_t hash;
} Line;

typedef struct Lines {
    Line *items;
    uint32_t n;
} Lines;

static uint32_t hash_bytes(const char *p, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

/* Splits after each '\n' (so "\r\n" stays with its line; a lone '\r' does not end a line,
 * as for diff(1)). */
static Lines split_lines(const char *t, size_t len)
{
    Lines ls = {NULL, 0};
    uint32_t cap = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(t + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - t) + 1 : len;
        if (ls.n == cap) {
            cap = cap ? cap * 2 : 64;
            ls.items = xrealloc(ls.items, cap * sizeof *ls.items);
        }
        uint32_t n = (uint32_t)(end - i);
        ls.items[ls.n++] = (Line){t + i, n, hash_bytes(t + i, n)};
        i = end;
    }
    return ls;
}

static bool line_eq(const Line *a, const Line *b)
{
    return a->hash == b->hash && a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* ---- Myers ------------------------------------------------------------------------------- */

/* Beyond this many differences the middle is shown as one replaced block. */
#define MAX_D 2000

typedef struct Script {
    bool *del; /* per old line: deleted */
    bool *ins; /* per new line: inserted */
} Script;

static void mark_all(Script *s, uint32_t a0, uint32_t n, uint32_t b0, uint32_t m)
{
    for (uint32_t i = 0; i < n; i++)
        s->del[a0 + i] = true;
    for (uint32_t j = 0; j < m; j++)
        s->ins[b0 + j] = true;
}

typedef struct Trace {
    int32_t **v; /* v[d][k + d]: furthest x on diagonal k after d differences */
    int32_t d;
} Trace;

static int32_t myers_forward(const Line *a, int32_t n, const Line *b, int32_t m, Trace *t)
{
    int32_t *cur = xcalloc(2 * MAX_D + 3, sizeof *cur), off = MAX_D + 1;
    for (int32_t d = 0; d <= MAX_D; d++) {
        for (int32_t k = -d; k <= d; k += 2) {
            int32_t x;
            if (k == -d || (k != d && cur[off + k - 1] < cur[off + k + 1]))
                x = cur[off + k + 1];
            else
                x = cur[off + k - 1] + 1;
            int32_t y = x - k;
            while (x < n && y < m && line_eq(&a[x], &b[y]))
                x++, y++;
            cur[off + k] = x;
        }
        t->v[d] = xmalloc((size_t)(2 * d + 1) * sizeof(int32_t));
        memcpy(t->v[d], cur + off - d, (size_t)(2 * d + 1) * sizeof(int32_t));
        t->d = d;
        for (int32_t k = -d; k <= d; k += 2)
            if (cur[off + k] >= n && cur[off + k] - k >= m) {
                free(cur);
                return d;
            }
    }
    free(cur);
    return -1;
}

static void myers_back(const Trace *t, int32_t n, int32_t m, Script *s, uint32_t a0, uint32_t b0)
{
    int32_t x = n, y = m;
    for (int32_t d = t->d; d > 0; d--) {
        const int32_t *v = t->v[d - 1]; /* index k + (d - 1) */
        int32_t k = x - y;
        bool down = k == -d || (k != d && v[k - 1 + d - 1] < v[k + 1 + d - 1]);
        int32_t pk = down ? k + 1 : k - 1;
        int32_t px = v[pk + d - 1], py = px - pk;
        if (down)
            s->ins[b0 + (uint32_t)py] = true;
        else
            s->del[a0 + (uint32_t)px] = true;
        x = px, y = py;
    }
}

static void diff_middle(const Lines *a, const Lines *b, uint32_t lo, uint32_t ahi, uint32_t bhi,
                        Script *s)
{
    int32_t n = (int32_t)(ahi - lo), m = (int32_t)(bhi - lo);
    if (n == 0 || m == 0) {
        mark_all(s, lo, (uint32_t)n, lo, (uint32_t)m);
        return;
    }
    Trace t = {xcalloc(MAX_D + 1, sizeof(int32_t *)), 0};
    if (myers_forward(a->items + lo, n, b->items + lo, m, &t) < 0)
        mark_all(s, lo, (uint32_t)n, lo, (uint32_t)m);
    else
        myers_back(&t, n, m, s, lo, lo);
    for (int32_t d = 0; d <= t.d; d++)
        free(t.v[d]);
    free(t.v);
}

/* ---- hunks ---------------------------------------------------------------------------------- */

typedef struct Block {
    uint32_t a0, a1, b0, b1; /* changed lines [a0, a1) of old, [b0, b1) of new */
} Block;

static void put_range(Buf *out, uint32_t start, uint32_t count)
{
    if (count == 1)
        buf_printf(out, "%u", start + 1);
    else if (count == 0)
        buf_printf(out, "%u,0", start);
    else
        buf_printf(out, "%u,%u", start + 1, count);
}

static void put_line(Buf *out, char mark, const Line *l)
{
    buf_putc(out, mark);
    buf_put(out, l->p, l->len);
    if (l->len == 0 || l->p[l->len - 1] != '\n') buf_puts(out, "\n\\ No newline at end of file\n");
}

/* Prints blocks [first, last] as one hunk with context. */
static void put_hunk(Buf *out, const Lines *a, const Lines *b, const Block *bl, uint32_t nb)
{
    uint32_t ctx_a = bl[0].a0 < WF_CONTEXT ? bl[0].a0 : WF_CONTEXT;
    uint32_t a_start = bl[0].a0 - ctx_a, b_start = bl[0].b0 - ctx_a;
    uint32_t tail = a->n - bl[nb - 1].a1;
    tail = tail < WF_CONTEXT ? tail : WF_CONTEXT;
    uint32_t a_end = bl[nb - 1].a1 + tail, b_end = bl[nb - 1].b1 + tail;
    buf_puts(out, "@@ -");
    put_range(out, a_start, a_end - a_start);
    buf_puts(out, " +");
    put_range(out, b_start, b_end - b_start);
    buf_puts(out, " @@\n");
    uint32_t i = a_start;
    for (uint32_t k = 0; k < nb; k++) {
        for (; i < bl[k].a0; i++)
            put_line(out, ' ', &a->items[i]);
        for (uint32_t x = bl[k].a0; x < bl[k].a1; x++)
            put_line(out, '-', &a->items[x]);
        for (uint32_t y = bl[k].b0; y < bl[k].b1; y++)
            put_line(out, '+', &b->items[y]);
        i = bl[k].a1;
    }
    for (; i < a_end; i++)
        put_line(out, ' ', &a->items[i]);
}

static uint32_t collect_blocks(const Script *s, uint32_t na, uint32_t nb, Block **out)
{
    uint32_t n = 0, cap = 16, i = 0, j = 0;
    Block *bl = xmalloc(cap * sizeof *bl);
    while (i < na || j < nb) {
        if (i < na && j < nb && !s->del[i] && !s->ins[j]) {
            i++, j++;
            continue;
        }
        Block b = {i, i, j, j};
        while (b.a1 < na && s->del[b.a1])
            b.a1++;
        while (b.b1 < nb && s->ins[b.b1])
            b.b1++;
        if (n == cap) bl = xrealloc(bl, (cap *= 2) * sizeof *bl);
        bl[n++] = b;
        i = b.a1, j = b.b1;
    }
    *out = bl;
    return n;
}

void wf_unified_diff(Buf *out, const char *path, const char *old_text, size_t old_len,
                     const char *new_text, size_t new_len)
{
    if (old_len == new_len && memcmp(old_text, new_text, old_len) == 0) return;
    Lines a = split_lines(old_text, old_len), b = split_lines(new_text, new_len);
    Script s = {xcalloc(a.n + 1, 1), xcalloc(b.n + 1, 1)};
    uint32_t lo = 0, ahi = a.n, bhi = b.n;
    while (lo < ahi && lo < bhi && line_eq(&a.items[lo], &b.items[lo]))
        lo++;
    while (ahi > lo && bhi > lo && line_eq(&a.items[ahi - 1], &b.items[bhi - 1]))
        ahi--, bhi--;
    diff_middle(&a, &b, lo, ahi, bhi, &s);
    Block *bl;
    uint32_t nb = collect_blocks(&s, a.n, b.n, &bl);
    while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
        path += path[0] == '/' ? 1 : 2;
    buf_printf(out, "--- a/%s\n+++ b/%s\n", path, path);
    for (uint32_t k = 0; k < nb;) {
        uint32_t e = k + 1;
        while (e < nb && bl[e].a0 - bl[e - 1].a1 <= 2 * WF_CONTEXT)
            e++;
        put_hunk(out, &a, &b, bl + k, e - k);
        k = e;
    }
    free(bl);
    free(s.del);
    free(s.ins);
    free(a.items);
    free(b.items);
}
