/* suppress: `# noqa`, `# noqa: SA201,SA202` and `# sqlasync: ignore[SA201]` on a finding's line.
 *
 * Comments are not tokens, so the comment of a line is found from the tokens: it starts at the
 * first '#' after the last token on that line (a '#' inside a string token is never taken). A
 * line without tokens (a caller without them) is scanned with a quote-aware scan instead. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/xmalloc.h"
#include "rules.h"

static bool is_code_char(char c)
{
    return isalnum((unsigned char)c) != 0;
}

/* Codes listed in s[0..n), separated by commas or blanks, until a character that is neither. */
static bool list_has(const char *s, uint32_t n, const char *code, char stop)
{
    size_t cl = strlen(code);
    uint32_t i = 0;
    while (i < n && s[i] != stop) {
        if (s[i] == ',' || s[i] == ' ' || s[i] == '\t') {
            i++;
            continue;
        }
        if (!is_code_char(s[i])) return false;
        uint32_t j = i;
        while (j < n && is_code_char(s[j]))
            j++;
        if (j - i == cl && strncasecmp(s + i, code, cl) == 0) return true;
        i = j;
    }
    return false;
}

static uint32_t skip_blank(const char *s, uint32_t i, uint32_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* One comment segment starting right after a '#'. */
static bool segment_suppresses(const char *s, uint32_t n, const char *code)
{
    uint32_t i = skip_blank(s, 0, n);
    if (n - i >= 4 && strncasecmp(s + i, "noqa", 4) == 0 &&
        (i + 4 == n || !is_code_char(s[i + 4]))) {
        i = skip_blank(s, i + 4, n);
        if (i >= n || s[i] != ':') return true; /* bare noqa */
        return list_has(s + i + 1, n - i - 1, code, '#');
    }
    if (n - i >= 9 && strncasecmp(s + i, "sqlasync:", 9) == 0) {
        i = skip_blank(s, i + 9, n);
        if (n - i >= 7 && strncasecmp(s + i, "ignore[", 7) == 0)
            return list_has(s + i + 7, n - i - 7, code, ']');
    }
    return false;
}

bool sup_comment_suppresses(const char *comment, uint32_t len, const char *code)
{
    for (uint32_t i = 0; i < len; i++)
        if (comment[i] == '#' && segment_suppresses(comment + i + 1, len - i - 1, code))
            return true;
    return false;
}

/* Quote-aware scan of [start, end): the first '#' outside a string, or UINT32_MAX. */
static uint32_t scan_line(const char *t, uint32_t start, uint32_t end)
{
    char quote = 0;
    bool triple = false;
    for (uint32_t i = start; i < end; i++) {
        char c = t[i];
        if (quote) {
            if (c == '\\') {
                i++;
            } else if (c == quote && (!triple || (i + 2 < end && t[i + 1] == c && t[i + 2] == c))) {
                i += triple ? 2 : 0;
                quote = 0;
            }
            continue;
        }
        if (c == '#') return i;
        if (c == '\'' || c == '"') {
            quote = c;
            triple = i + 2 < end && t[i + 1] == c && t[i + 2] == c;
            i += triple ? 2 : 0;
        }
    }
    return UINT32_MAX;
}

static bool layout_token(uint8_t kind)
{
    return kind == TK_NEWLINE || kind == TK_INDENT || kind == TK_DEDENT || kind == TK_ENDMARKER;
}

uint32_t sup_comment_start(Source *src, const TokenArray *tokens, uint32_t line)
{
    if (line == 0 || !src->text) return UINT32_MAX;
    Span ls = source_line_span(src, line);
    if (!tokens || tokens->n == 0) return scan_line(src->text, ls.start, ls.end);
    uint32_t lo = 0, hi = tokens->n;
    while (lo < hi) { /* first token ending after the line start */
        uint32_t mid = lo + (hi - lo) / 2;
        if (tokens->items[mid].span.end <= ls.start)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t p = ls.start;
    for (uint32_t i = lo; i < tokens->n && tokens->items[i].span.start < ls.end; i++) {
        const Token *t = &tokens->items[i];
        if (layout_token(t->kind)) continue;
        uint32_t e = t->span.end < ls.end ? t->span.end : ls.end;
        p = e > p ? e : p;
    }
    const char *hash = memchr(src->text + p, '#', ls.end - p);
    return hash ? (uint32_t)(hash - src->text) : UINT32_MAX;
}

static bool suppressed(const Finding *f, const SupFile *files, uint32_t nfiles)
{
    if (f->file >= nfiles || !files[f->file].src) return false;
    Source *src = files[f->file].src;
    uint32_t c = sup_comment_start(src, files[f->file].tokens, f->line);
    if (c == UINT32_MAX) return false;
    Span ls = source_line_span(src, f->line);
    return sup_comment_suppresses(src->text + c, ls.end - c, f->code);
}

void sup_filter(FindingList *l, const SupFile *files, uint32_t nfiles)
{
    if (l->n == 0) return;
    bool *keep = xmalloc(l->n * sizeof *keep);
    for (uint32_t i = 0; i < l->n; i++)
        keep[i] = !suppressed(&l->items[i], files, nfiles);
    finding_filter(l, keep);
    free(keep);
}
