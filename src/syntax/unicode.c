/* unicode: character names and NFKC (see unicode.h).
 *
 * Names: the generated tables (layout in tools/gen_unicode_names.py) hold the names sorted, in
 * buckets of UNAMES_BUCKET front-coded records. A lookup binary-searches the buckets by their
 * first name, then decodes one bucket in order. Hangul syllables and CJK unified ideographs
 * are computed, as CPython computes them. */
#include "unicode.h"

#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "unicode_names.h"
#include "unicode_nfkc.h"

enum { NAME_MAX_LEN = 127, NAME_MAX_WORDS = 32 };

/* ---- the digit stream ----------------------------------------------------------------------- */

typedef struct Reader {
    const unsigned char *s; /* a char[][UNAMES_ROW] table read as one byte array */
    uint32_t pos;
} Reader;

static unsigned digit(Reader *r)
{
    unsigned c = r->s[r->pos++];
    return c - 0x23 - (c > '?') - (c > '\\');
}

static uint32_t varint(Reader *r)
{
    uint32_t v = 0, mul = 1;
    for (;;) {
        unsigned d = digit(r);
        if (d < UNAMES_HALF) return v + d * mul;
        v += (d - UNAMES_HALF) * mul;
        mul *= UNAMES_HALF;
    }
}

/* ---- names -------------------------------------------------------------------------------- */

/* A name being decoded: its text and where each word ends. */
typedef struct Name {
    char text[NAME_MAX_LEN + 1];
    uint32_t len, nwords;
    uint32_t word_end[NAME_MAX_WORDS];
    uint32_t cp;
} Name;

static void append_word(Name *n, uint32_t rank)
{
    const char *words = (const char *)name_words;
    const char *w = words + word_start[rank / UNAMES_WORD_GROUP];
    for (uint32_t k = rank % UNAMES_WORD_GROUP; k > 0; k--)
        w = strchr(w, ' ') + 1;
    uint32_t wl = (uint32_t)strcspn(w, " ");
    if (n->nwords) n->text[n->len++] = ' ';
    memcpy(n->text + n->len, w, wl);
    n->len += wl;
    n->word_end[n->nwords++] = n->len;
}

/* Decodes the next record of a bucket into n (which holds the previous name). */
static void next_name(Reader *r, Name *n, bool first)
{
    uint32_t shared = digit(r), extra = varint(r), code = varint(r);
    if (first)
        n->cp = code;
    else
        n->cp += code % 2 ? -((code + 1) / 2) : code / 2;
    n->nwords = shared;
    n->len = shared ? n->word_end[shared - 1] : 0;
    for (uint32_t i = 0; i < extra; i++)
        append_word(n, varint(r));
    n->text[n->len] = '\0';
}

/* key: upper-case and NUL-terminated. */
static bool table_lookup(const char *key, uint32_t *cp)
{
    uint32_t nb = sizeof bucket_start / sizeof bucket_start[0], lo = 0, hi = nb;
    Name n;
    Reader r = {(const unsigned char *)name_data, 0};
    while (hi - lo > 1) { /* the last bucket whose first name is <= key */
        uint32_t mid = lo + (hi - lo) / 2;
        r.pos = bucket_start[mid];
        next_name(&r, &n, true);
        if (strcmp(n.text, key) <= 0)
            lo = mid;
        else
            hi = mid;
    }
    r.pos = bucket_start[lo];
    for (uint32_t i = 0; i < UNAMES_BUCKET && lo * UNAMES_BUCKET + i < UNAMES_COUNT; i++) {
        next_name(&r, &n, i == 0);
        int c = strcmp(n.text, key);
        if (c > 0) return false;
        if (c == 0) {
            *cp = n.cp;
            return true;
        }
    }
    return false;
}

/* Upper-case hex digits s[0..len) as a number; false on any other byte. */
static bool parse_hex(const char *s, uint32_t len, uint32_t *v)
{
    *v = 0;
    for (uint32_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            *v = *v * 16 + (uint32_t)(c - '0');
        else if (c >= 'A' && c <= 'F')
            *v = *v * 16 + (uint32_t)(c - 'A' + 10);
        else
            return false;
    }
    return true;
}

/* Names PREFIX-XXXX of a hex range. strict: CPython's algorithmic CJK UNIFIED IDEOGRAPH
 * (4 or 5 digits, the name as given); otherwise a regular name with exactly the digits of
 * "%04X", name already upper-cased. Returns 1 found, 0 not found, -1 not such a name at all. */
static int hex_lookup(const char *name, uint32_t len, bool strict, uint32_t *cp)
{
    int matched = -1;
    for (size_t i = 0; i < sizeof hex_ranges / sizeof hex_ranges[0]; i++) {
        const HexRange *h = &hex_ranges[i];
        size_t pl = strlen(h->prefix);
        if (h->strict != strict || len <= pl || name[pl] != '-') continue;
        if (memcmp(name, h->prefix, pl) != 0) continue;
        matched = 0;
        uint32_t nd = len - (uint32_t)pl - 1, v;
        if (!parse_hex(name + pl + 1, nd, &v)) return 0;
        uint32_t want = v > 0xFFFF ? (v > 0xFFFFF ? 6 : 5) : 4;
        if (strict ? nd != 4 && nd != 5 : nd != want) return 0;
        if (v >= h->first && v <= h->last) {
            *cp = v;
            return 1;
        }
    }
    return matched;
}

/* ---- Hangul syllables (CPython unicodedata.c _getcode, find_syllable) ---------------------- */

static const char *const jamo_l[] = {"G",  "GG", "N", "D",  "DD", "R", "M", "B", "BB", "S",
                                     "SS", "",   "J", "JJ", "C",  "K", "T", "P", "H"};
static const char *const jamo_v[] = {"A",   "AE", "YA", "YAE", "EO", "E",  "YEO",
                                     "YE",  "O",  "WA", "WAE", "OE", "YO", "U",
                                     "WEO", "WE", "WI", "YU",  "EU", "YI", "I"};
static const char *const jamo_t[] = {"",   "G",  "GG", "GS", "N",  "NJ", "NH", "D", "L",  "LG",
                                     "LM", "LB", "LS", "LT", "LP", "LH", "M",  "B", "BS", "S",
                                     "SS", "NG", "J",  "C",  "K",  "T",  "P",  "H"};

/* The longest jamo of table at s[0..len); advances *s. Returns its index or -1. */
static int find_jamo(const char **s, const char *end, const char *const *table, int count)
{
    int best = -1;
    size_t best_len = 0;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(table[i]);
        if ((best >= 0 && n <= best_len) || n > (size_t)(end - *s)) continue;
        if (memcmp(*s, table[i], n) == 0) best = i, best_len = n;
    }
    *s += best_len;
    return best;
}

static bool hangul_lookup(const char *name, uint32_t len, uint32_t *cp)
{
    const char *s = name + 16, *end = name + len;
    int l = find_jamo(&s, end, jamo_l, 19);
    int v = find_jamo(&s, end, jamo_v, 21);
    int t = find_jamo(&s, end, jamo_t, 28);
    if (l < 0 || v < 0 || t < 0 || s != end) return false;
    *cp = 0xAC00 + (uint32_t)((l * 21 + v) * 28 + t);
    return true;
}

bool uni_lookup(const char *name, uint32_t len, uint32_t *cp)
{
    if (len >= 16 && memcmp(name, "HANGUL SYLLABLE ", 16) == 0) return hangul_lookup(name, len, cp);
    int h = hex_lookup(name, len, true, cp);
    if (h >= 0) return h == 1;
    if (len > NAME_MAX_LEN) return false;
    char key[NAME_MAX_LEN + 1];
    for (uint32_t i = 0; i < len; i++) {
        char c = name[i];
        if (c == '\0') return false;
        key[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    key[len] = '\0';
    h = hex_lookup(key, len, false, cp);
    if (h >= 0) return h == 1;
    return table_lookup(key, cp);
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

void uni_put_utf8(Buf *b, uint32_t cp)
{
    char t[4];
    size_t n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | cp >> 6);
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) { /* surrogates too: WTF-8 */
        t[0] = (char)(0xE0 | cp >> 12);
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | cp >> 18);
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_put(b, t, n);
}

/* ---- NFKC --------------------------------------------------------------------------------- */

enum { HANGUL_S = 0xAC00, HANGUL_L = 0x1100, HANGUL_V = 0x1161, HANGUL_T = 0x11A7 };
enum { HANGUL_NV = 21, HANGUL_NT = 28, HANGUL_COUNT = 11172 };

/* The code point of the valid UTF-8 sequence at *s; advances *s. */
static uint32_t next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    if (c < 0x80) {
        *s += 1;
        return c;
    }
    if (c < 0xE0) {
        *s += 2;
        return (c & 0x1F) << 6 | (p[1] & 0x3F);
    }
    if (c < 0xF0) {
        *s += 3;
        return (c & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    }
    *s += 4;
    return (c & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 | (uint32_t)(p[2] & 0x3F) << 6 |
           (p[3] & 0x3F);
}

/* Index of cp in nfkd_keys, or -1. */
static int nfkd_index(uint32_t cp)
{
    uint32_t lo = 0, hi = sizeof nfkd_keys / sizeof nfkd_keys[0];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (nfkd_keys[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sizeof nfkd_keys / sizeof nfkd_keys[0] && nfkd_keys[lo] == cp ? (int)lo : -1;
}

static uint32_t ccc(uint32_t cp)
{
    uint32_t lo = 0, hi = sizeof ccc_ranges / sizeof ccc_ranges[0];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ccc_ranges[mid][1] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sizeof ccc_ranges / sizeof ccc_ranges[0] && ccc_ranges[lo][0] <= cp
               ? ccc_ranges[lo][2]
               : 0;
}

/* Writes the full compatibility decomposition of cp at out (if out is not NULL); returns its
 * length. */
static uint32_t decompose(uint32_t cp, uint32_t *out)
{
    if (cp >= HANGUL_S && cp < HANGUL_S + HANGUL_COUNT) {
        uint32_t s = cp - HANGUL_S, t = s % HANGUL_NT, n = t ? 3 : 2;
        if (out) {
            out[0] = HANGUL_L + s / (HANGUL_NV * HANGUL_NT);
            out[1] = HANGUL_V + (s % (HANGUL_NV * HANGUL_NT)) / HANGUL_NT;
            if (t) out[2] = HANGUL_T + t;
        }
        return n;
    }
    int i = nfkd_index(cp);
    if (i < 0) {
        if (out) out[0] = cp;
        return 1;
    }
    uint32_t from = nfkd_offs[i], n = nfkd_offs[i + 1] - from;
    if (out) memcpy(out, nfkd_pool + from, n * sizeof *out);
    return n;
}

/* Canonical ordering: a stable sort of each run of non-starters by combining class. */
static void reorder(uint32_t *cps, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t c = ccc(cps[i]);
        for (uint32_t j = i; j > 0 && c && ccc(cps[j - 1]) > c; j--) {
            uint32_t t = cps[j];
            cps[j] = cps[j - 1];
            cps[j - 1] = t;
        }
    }
}

/* The primary composite of a and b, or 0. */
static uint32_t compose_pair(uint32_t a, uint32_t b)
{
    if (a >= HANGUL_L && a < HANGUL_L + 19 && b >= HANGUL_V && b < HANGUL_V + HANGUL_NV)
        return HANGUL_S + ((a - HANGUL_L) * HANGUL_NV + b - HANGUL_V) * HANGUL_NT;
    if (a >= HANGUL_S && a < HANGUL_S + HANGUL_COUNT && (a - HANGUL_S) % HANGUL_NT == 0 &&
        b > HANGUL_T && b < HANGUL_T + HANGUL_NT)
        return a + b - HANGUL_T;
    uint64_t key = (uint64_t)a << 21 | b;
    uint32_t lo = 0, hi = sizeof comp_pairs / sizeof comp_pairs[0];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (comp_pairs[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sizeof comp_pairs / sizeof comp_pairs[0] && comp_pairs[lo] == key ? comp_result[lo]
                                                                                  : 0;
}

/* Canonical composition in place (UAX #15); returns the new length. */
static uint32_t compose(uint32_t *cps, uint32_t n)
{
    if (n == 0) return 0;
    uint32_t starter = 0, out = 1, last = ccc(cps[0]) ? 256 : 0;
    for (uint32_t i = 1; i < n; i++) {
        uint32_t cp = cps[i], c = ccc(cp), k = compose_pair(cps[starter], cp);
        if (k && (last < c || last == 0)) {
            cps[starter] = k;
            continue;
        }
        if (c == 0) starter = out;
        last = c;
        cps[out++] = cp;
    }
    return out;
}

void uni_nfkc(Buf *out, const char *s, uint32_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    uint32_t n = 0, small[64];
    while (p < end)
        n += decompose(next_cp(&p), NULL);
    uint32_t *cps = n <= 64 ? small : xmalloc(n * sizeof *cps);
    p = (const unsigned char *)s;
    for (uint32_t i = 0; p < end;)
        i += decompose(next_cp(&p), cps + i);
    reorder(cps, n);
    n = compose(cps, n);
    for (uint32_t i = 0; i < n; i++)
        uni_put_utf8(out, cps[i]);
    if (cps != small) free(cps);
}
