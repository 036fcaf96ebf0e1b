/* arena: grouped lifetimes. One arena per parsed file holds its tokens, AST and tables.
 *
 * arena_alloc() returns zeroed (arena_alloc_raw: uninitialized), 16-byte aligned memory and never
 * returns NULL (it aborts on out of memory). Nothing allocated from an arena is freed on its own:
 * arena_free() releases all of it at once. An arena is not thread-safe; each thread uses its own.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head;             /* current block; older blocks chain behind it */
    char *cur, *end;              /* free space in the current block */
    size_t total;                 /* bytes obtained from malloc, for memory statistics */
    struct ArenaAdopted *adopted; /* heap buffers freed with the arena (arena_adopt) */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size);
char *arena_strndup(Arena *a, const char *s, size_t n);
/* x followed by y, NUL-terminated, in the arena. */
char *arena_strcat(Arena *a, const char *x, const char *y);
void *arena_memdup(Arena *a, const void *p, size_t n);
/* Like arena_alloc, but the bytes are not zeroed: for storage the caller overwrites at once. */
void *arena_alloc_raw(Arena *a, size_t size);
/* Hands the malloc'd buffer p (of size bytes, for statistics) to the arena: arena_free() frees
 * it. Lets a big array built in a growable heap buffer live as long as the arena without a
 * copy. */
void arena_adopt(Arena *a, void *p, size_t size);
/* Moves everything allocated from arena `from` into a (freed with a); `from` is left empty. For
 * a thread's own arena whose allocations must live as long as a shared one. */
void arena_absorb(Arena *a, Arena *from);

#define ARENA_NEW(a, T)      ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
