#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vec.h"
#include "xmalloc.h"

void source_from_mem(Source *src, const char *path, const char *text, size_t n)
{
    memset(src, 0, sizeof *src);
    src->path = xstrndup(path, strlen(path));
    src->text = xmalloc(n + 1);
    if (n) memcpy(src->text, text, n);
    src->text[n] = '\0';
    src->len = (uint32_t)n;
}

static int read_all(FILE *f, Source *src, char *err, size_t errlen)
{
    size_t cap = 1 << 16, len = 0;
    char *text = xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            if (cap >= SOURCE_MAX_BYTES) {
                free(text);
                snprintf(err, errlen, "file too large (over %zu bytes)", SOURCE_MAX_BYTES);
                return -1;
            }
            cap *= 2;
            text = xrealloc(text, cap);
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        free(text);
        snprintf(err, errlen, "read error: %s", strerror(errno));
        return -1;
    }
    text[len] = '\0';
    src->text = text;
    src->len = (uint32_t)len;
    return 0;
}

int source_load(Source *src, const char *path, char *err, size_t errlen)
{
    memset(src, 0, sizeof *src);
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "is a directory");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    int rc = read_all(f, src, err, errlen);
    fclose(f);
    if (rc == 0) src->path = xstrndup(path, strlen(path));
    return rc;
}

void source_free(Source *src)
{
    free((char *)src->path);
    free(src->text);
    free(src->lines);
    memset(src, 0, sizeof *src);
}

void source_replace_text(Source *src, char *text, uint32_t len)
{
    free(src->text);
    free(src->lines);
    src->text = text;
    src->len = len;
    src->lines = NULL;
    src->nlines = 0;
}

/* A line ends at \n, \r\n or a lone \r, as Python's tokenizer sees it. */
typedef Vec(uint32_t) LineVec;

/* Line starts after each \n, \r\n or lone \r of t[0..len). */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void line_starts(LineVec *v, const char *t, uint32_t len)
{
    if (!memchr(t, '\r', len)) { /* the common case: memchr from newline to newline */
        for (const char *p = t; (p = memchr(p, '\n', (size_t)(t + len - p))) != NULL;)
            VEC_PUSH(*v, (uint32_t)(++p - t));
        return;
    }
    for (uint32_t i = 0; i < len; i++) {
        if (t[i] == '\n') {
            VEC_PUSH(*v, i + 1);
        } else if (t[i] == '\r') {
            if (i + 1 < len && t[i + 1] == '\n') i++;
            VEC_PUSH(*v, i + 1);
        }
    }
}

static void build_lines(Source *src)
{
    LineVec v = {0};
    /* Python drops a UTF-8 BOM before counting columns, so line 1 starts after it. */
    bool bom = src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0;
    VEC_PUSH(v, bom ? 3 : 0);
    line_starts(&v, src->text, src->len);
    src->lines = v.items;
    src->nlines = v.n;
}

LineCol source_linecol(Source *src, uint32_t offset)
{
    if (!src->lines) build_lines(src);
    uint32_t lo = 0, hi = src->nlines; /* find last line start <= offset */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (src->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    LineCol lc = {lo + 1, offset - src->lines[lo]};
    return lc;
}

LineCol source_linecol_near(Source *src, uint32_t offset, uint32_t *cursor)
{
    if (!src->lines) build_lines(src);
    for (uint32_t k = *cursor; k < src->nlines && k <= *cursor + 1; k++) {
        if (src->lines[k] > offset) break;
        if (k + 1 == src->nlines || offset < src->lines[k + 1]) {
            *cursor = k;
            return (LineCol){k + 1, offset - src->lines[k]};
        }
    }
    LineCol lc = source_linecol(src, offset);
    *cursor = lc.line - 1;
    return lc;
}

uint32_t source_col_cp(Source *src, uint32_t offset)
{
    LineCol lc = source_linecol(src, offset);
    uint32_t start = offset - lc.col_byte, cp = 0;
    for (uint32_t i = start; i < offset; i++)
        if (((unsigned char)src->text[i] & 0xC0) != 0x80) cp++;
    return cp;
}

Span source_line_span(Source *src, uint32_t line)
{
    if (!src->lines) build_lines(src);
    Span s = {src->len, src->len};
    if (line == 0 || line > src->nlines) return s;
    s.start = src->lines[line - 1];
    s.end = line < src->nlines ? src->lines[line] : src->len;
    while (s.end > s.start && (src->text[s.end - 1] == '\n' || src->text[s.end - 1] == '\r'))
        s.end--;
    return s;
}
