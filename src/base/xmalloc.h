/* xmalloc: allocation that never fails, and die() for bugs.
 *
 * xmalloc/xcalloc/xrealloc print "fatal: out of memory" and abort instead of returning NULL,
 * so callers never check. die() reports an internal error with file and line and aborts; it is
 * for bugs, never for bad input. */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrndup(const char *s, size_t n);
_Noreturn void die_at(const char *file, int line, const char *fmt, ...);

#define die(...)      die_at(__FILE__, __LINE__, __VA_ARGS__)
#define UNREACHABLE() die_at(__FILE__, __LINE__, "unreachable")

#endif
