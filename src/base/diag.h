/* diag: findings and errors as data.
 *
 * A Diag names a file, a byte span and a stable code ("E001" for syntax errors, "SA201" for
 * findings). Messages are lowercase with no trailing period. A DiagList owns its messages
 * (heap copies) until diag_list_free(). Only src/cli prints them. */
#ifndef DIAG_H
#define DIAG_H

#include <stdint.h>

#include "source.h"
#include "vec.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagSeverity;

typedef struct Diag {
    DiagSeverity severity;
    const char *code; /* static string, e.g. "E001" */
    Span span;
    uint32_t line, col; /* 1-based line, 0-based byte column; filled by the producer */
    char *message;      /* owned by the list */
} Diag;

typedef Vec(Diag) DiagList;

void diag_add(DiagList *l, DiagSeverity sev, const char *code, Span span, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_list_free(DiagList *l);

#endif
