/* facts_hints: finding hints by name (hashed or by binary search) and replaying a file's
 * lookups against newer hints (see facts.h). */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "facts_int.h"

/* strcmp(s, key) where key is key[0..len) without NUL. */
static int name_cmp(const char *s, const char *key, size_t len)
{
    int c = strncmp(s, key, len);
    return c ? c : (s[len] != '\0');
}

/* The first item named key[0..len) (whose name_hash is hash), or h->n. */
static uint32_t first_hashed(const FxHints *h, const char *key, size_t len, uint32_t hash)
{
    for (uint32_t i = hash & h->index_mask;; i = (i + 1) & h->index_mask) {
        uint32_t slot = h->index[i];
        if (!slot) return h->n;
        if (name_cmp(h->items[slot - 1].name, key, len) == 0) return slot - 1;
    }
}

static uint32_t first_sorted(const FxHints *h, const char *key, size_t len)
{
    uint32_t lo = 0, hi = h->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (name_cmp(h->items[mid].name, key, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* facts_hint_find, given fx_name_hash(name, len). */
static const FxHint *find_hashed(const FxHints *h, const char *name, size_t len, FxHintKind kind,
                                 uint32_t hash)
{
    uint32_t i = h->index ? first_hashed(h, name, len, hash) : first_sorted(h, name, len);
    for (; i < h->n && name_cmp(h->items[i].name, name, len) == 0; i++)
        if (h->items[i].kind == kind) return &h->items[i];
    return NULL;
}

const FxHint *facts_hint_find(const FxHints *h, const char *name, size_t len, FxHintKind kind)
{
    return find_hashed(h, name, len, kind, h->index ? fx_name_hash(name, len) : 0);
}

uint32_t *facts_hint_index(const FxHint *items, uint32_t n, uint32_t *mask)
{
    uint32_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    uint32_t *index = xcalloc(slots, sizeof *index);
    *mask = slots - 1;
    for (uint32_t k = 0; k < n; k++) {
        if (k > 0 && strcmp(items[k - 1].name, items[k].name) == 0) continue;
        uint32_t i = fx_name_hash(items[k].name, strlen(items[k].name)) & *mask;
        while (index[i])
            i = (i + 1) & *mask;
        index[i] = k + 1;
    }
    return index;
}

static bool same_text(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

/* Do two answers to the same lookup tell the extraction the same thing? */
static bool same_hit(const FxHint *x, const FxHint *y)
{
    if (!x || !y) return x == y;
    return x->mode == y->mode && x->is_cm == y->is_cm && same_text(x->type, y->type);
}

uint32_t facts_hint_absent(const FxHint *items, uint32_t n)
{
    uint32_t present = 0;
    for (uint32_t k = 0; k < n; k++)
        present |= 1u << items[k].kind;
    return ~present;
}

bool facts_hints_same(const FxHints *h, const FxHintLog *log)
{
    if (log->unasked & ~h->absent) return false; /* a kind unasked then may be answered now */
    for (uint32_t i = 0; i < log->n; i++) {
        const FxLookup *l = &log->items[i];
        if (!same_hit(l->hit, facts_hint_find(h, l->name, l->len, l->kind))) return false;
    }
    return true;
}

/* ---- one extraction's lookups -------------------------------------------------------------- */

/* The set slot of a lookup (hash: fx_name_hash(name, len)): the one holding it, or the empty one
 * where it goes. */
static uint32_t *lookup_slot(Fx *fx, const char *name, size_t len, FxHintKind kind, uint32_t hash)
{
    for (uint32_t i = (hash ^ ((uint32_t)kind * 0x9e3779b9u)) & fx->lookup_mask;;
         i = (i + 1) & fx->lookup_mask) {
        uint32_t *slot = &fx->lookup_set[i];
        if (!*slot) return slot;
        const FxLookup *l = &fx->lookups.items[*slot - 1];
        if (l->kind == kind && l->len == len && memcmp(l->name, name, len) == 0) return slot;
    }
}

/* Keeps the set at most half full: doubles it and puts every lookup back. */
static void grow_set(Fx *fx)
{
    if (fx->lookup_set && 2 * (fx->lookups.n + 1) <= fx->lookup_mask + 1) return;
    uint32_t slots = fx->lookup_set ? 2 * (fx->lookup_mask + 1) : 64;
    free(fx->lookup_set);
    fx->lookup_set = xcalloc(slots, sizeof *fx->lookup_set);
    fx->lookup_mask = slots - 1;
    for (uint32_t k = 0; k < fx->lookups.n; k++) {
        const FxLookup *l = &fx->lookups.items[k];
        *lookup_slot(fx, l->name, l->len, l->kind, fx_name_hash(l->name, l->len)) = k + 1;
    }
}

const FxHint *fx_hint_exact_hashed(Fx *fx, const char *name, size_t len, FxHintKind kind,
                                   uint32_t hash)
{
    grow_set(fx);
    uint32_t *slot = lookup_slot(fx, name, len, kind, hash);
    if (*slot) return fx->lookups.items[*slot - 1].hit;
    FxLookup l = {name, (uint32_t)len, kind, find_hashed(fx->hints, name, len, kind, hash)};
    VEC_PUSH(fx->lookups, l);
    *slot = fx->lookups.n;
    return l.hit;
}

const FxHint *fx_hint_exact(Fx *fx, const char *name, size_t len, FxHintKind kind)
{
    return fx_hint_exact_hashed(fx, name, len, kind, fx_name_hash(name, len));
}

void fx_hint_done(Fx *fx)
{
    free(fx->lookup_set);
    fx->lookup_set = NULL;
    if (fx->hints && fx->hints->log) {
        VEC_FREE(*fx->hints->log);
        *fx->hints->log = fx->lookups;
    } else {
        VEC_FREE(fx->lookups);
    }
}
