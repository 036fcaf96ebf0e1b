#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct ArenaBlock {
    ArenaBlock *prev;
    size_t size;
    /* data follows, 16-byte aligned */
};

typedef struct ArenaAdopted {
    struct ArenaAdopted *next;
    void *p; /* heap, freed by arena_free */
} ArenaAdopted;

#define BLOCK_HEADER 16
#define MIN_BLOCK    ((size_t)64 * 1024)

void arena_init(Arena *a)
{
    a->head = NULL;
    a->cur = a->end = NULL;
    a->total = 0;
    a->adopted = NULL;
}

void arena_free(Arena *a)
{
    for (ArenaAdopted *d = a->adopted; d; d = d->next) /* the nodes live in the blocks */
        free(d->p);
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *prev = b->prev;
        free(b);
        b = prev;
    }
    arena_init(a);
}

static void grow(Arena *a, size_t need)
{
    size_t size = MIN_BLOCK;
    if (a->total / 2 > size)
        size = a->total / 2; /* geometric growth keeps the block count logarithmic */
    if (need > size) size = need;
    /* not zeroed: arena_alloc zeroes what it hands out, arena_alloc_raw need not (calloc would
     * memset every heap block, even the parts later overwritten by arena_alloc_raw users) */
    ArenaBlock *b = xmalloc(BLOCK_HEADER + size);
    b->prev = a->head;
    b->size = size;
    a->head = b;
    a->cur = (char *)b + BLOCK_HEADER;
    a->end = a->cur + size;
    a->total += BLOCK_HEADER + size;
}

void *arena_alloc_raw(Arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0) size = 16;
    if ((size_t)(a->end - a->cur) < size) grow(a, size);
    void *p = a->cur;
    a->cur += size;
    return p;
}

void *arena_alloc(Arena *a, size_t size)
{
    return memset(arena_alloc_raw(a, size), 0, size);
}

void arena_adopt(Arena *a, void *p, size_t size)
{
    ArenaAdopted *d = arena_alloc_raw(a, sizeof *d);
    d->next = a->adopted;
    d->p = p;
    a->adopted = d;
    a->total += size;
}

static ArenaBlock *oldest_block(ArenaBlock *b)
{
    while (b->prev)
        b = b->prev;
    return b;
}

static ArenaAdopted *last_adopted(ArenaAdopted *d)
{
    while (d->next)
        d = d->next;
    return d;
}

void arena_absorb(Arena *a, Arena *from)
{
    if (from->adopted) {
        last_adopted(from->adopted)->next = a->adopted;
        a->adopted = from->adopted;
    }
    if (from->head && a->head) { /* behind a's current block, which stays current */
        oldest_block(from->head)->prev = a->head->prev;
        a->head->prev = from->head;
    } else if (from->head) {
        a->head = from->head;
        a->cur = from->cur;
        a->end = from->end;
    }
    a->total += from->total;
    arena_init(from);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc_raw(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strcat(Arena *a, const char *x, const char *y)
{
    size_t n = strlen(x) + strlen(y) + 1;
    char *p = arena_alloc_raw(a, n);
    snprintf(p, n, "%s%s", x, y);
    return p;
}

void *arena_memdup(Arena *a, const void *p, size_t n)
{
    void *q = arena_alloc_raw(a, n);
    if (n) memcpy(q, p, n);
    return q;
}
