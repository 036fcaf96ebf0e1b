/* fingerprint.c: FNV-1a 64 over code, path, function and the normalised line (see the header). */
#include "fingerprint.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME  0x100000001b3ULL

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t fp_hash(const char *code, const char *path, const char *qualname, const char *snippet,
                 size_t snippet_len)
{
    static const char sep = '\0';
    uint64_t h = FNV_OFFSET;
    h = fnv(h, code, strlen(code));
    h = fnv(h, &sep, 1);
    h = fnv(h, path, strlen(path));
    h = fnv(h, &sep, 1);
    h = fnv(h, qualname ? qualname : "", qualname ? strlen(qualname) : 0);
    h = fnv(h, &sep, 1);
    return fnv(h, snippet, snippet_len);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n' || c == '\v';
}

size_t fp_normalise(const char *text, size_t n, char *out)
{
    size_t len = 0;
    bool pending = false;
    for (size_t i = 0; i < n; i++) {
        if (is_blank(text[i])) {
            pending = len > 0;
            continue;
        }
        if (pending) out[len++] = ' ';
        pending = false;
        out[len++] = text[i];
    }
    return len;
}

void fp_hex(uint64_t h, char out[FP_HEX_LEN + 1])
{
    snprintf(out, FP_HEX_LEN + 1, "%016llx", (unsigned long long)h);
}

void finding_fingerprint(const char *code, const char *path, const char *qualname, Source *src,
                         uint32_t line, char out[FP_HEX_LEN + 1])
{
    Span s = {0, 0};
    if (src && src->text && line >= 1) s = source_line_span(src, line);
    size_t len = s.end > s.start ? s.end - s.start : 0;
    char small[512];
    char *tmp = len <= sizeof small ? small : xmalloc(len);
    size_t n = fp_normalise(len ? src->text + s.start : "", len, tmp);
    fp_hex(fp_hash(code, path, qualname, tmp, n), out);
    if (tmp != small) free(tmp);
}
