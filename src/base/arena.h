/* arena: grouped lifetimes. One arena per parsed file holds its tokens, AST and tables.
 *
 * arena_alloc() returns zeroed, 16-byte aligned memory and never returns NULL (it aborts on out
 * of memory). Nothing allocated from an arena is freed on its own: arena_free() releases all of
 * it at once. An arena is not thread-safe; each thread uses its own. */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head; /* current block; older blocks chain behind it */
    char *cur, *end;  /* free space in the current block */
    size_t total;     /* bytes obtained from malloc, for memory statistics */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size);
char *arena_strndup(Arena *a, const char *s, size_t n);
void *arena_memdup(Arena *a, const void *p, size_t n);

#define ARENA_NEW(a, T)      ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
