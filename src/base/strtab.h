/* strtab: one global table of interned strings.
 *
 * str_intern() returns the same pointer for equal byte strings, so interned strings compare
 * with ==. The table owns every string until str_table_free() at exit. It is safe to call from
 * several threads (one mutex); hot per-file paths should intern once per distinct name. */
#ifndef STRTAB_H
#define STRTAB_H

#include <stddef.h>

typedef const char *Str; /* NUL-terminated, owned by the table */

Str str_intern(const char *s, size_t n);
Str str_intern_c(const char *s);
size_t str_len(Str s);
void str_table_free(void);

#endif
