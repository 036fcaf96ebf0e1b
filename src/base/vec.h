/* vec: a growable array of any element type (tree-sitter's Array(T)).
 *
 * A Vec owns its heap buffer until VEC_FREE; once it stops growing, copy it into an arena with
 * VEC_FREEZE if it must live as long as the arena. Elements move when the Vec grows: do not keep
 * pointers into it across VEC_PUSH. */
#ifndef VEC_H
#define VEC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define Vec(T)           \
    struct {             \
        T *items;        \
        uint32_t n, cap; \
    }

#define VEC_GROW(v, want)                                             \
    do {                                                              \
        if ((want) > (v).cap) {                                       \
            uint32_t c_ = (v).cap ? (v).cap * 2 : 8;                  \
            while (c_ < (want))                                       \
                c_ *= 2;                                              \
            (v).items = xrealloc((v).items, sizeof(*(v).items) * c_); \
            (v).cap = c_;                                             \
        }                                                             \
    } while (0)

#define VEC_PUSH(v, x)            \
    do {                          \
        VEC_GROW((v), (v).n + 1); \
        (v).items[(v).n++] = (x); \
    } while (0)

/* Appends the elements of vector w to vector v (of the same element type). */
#define VEC_APPEND(v, w)                                                             \
    do {                                                                             \
        VEC_GROW((v), (v).n + (w).n);                                                \
        if ((w).n) memcpy((v).items + (v).n, (w).items, sizeof(*(w).items) * (w).n); \
        (v).n += (w).n;                                                              \
    } while (0)

#define VEC_POP(v)   ((v).items[--(v).n])
#define VEC_LAST(v)  ((v).items[(v).n - 1])
#define VEC_CLEAR(v) ((v).n = 0)
#define VEC_FREE(v)          \
    do {                     \
        free((v).items);     \
        (v).items = NULL;    \
        (v).n = (v).cap = 0; \
    } while (0)

/* Copies the elements into arena a; returns the arena copy (NULL when empty). */
#define VEC_FREEZE(a, v) ((v).n ? arena_memdup((a), (v).items, sizeof(*(v).items) * (v).n) : NULL)

#endif
