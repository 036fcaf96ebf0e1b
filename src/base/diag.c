#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "buf.h"

void diag_add(DiagList *l, DiagSeverity sev, const char *code, Span span, const char *fmt, ...)
{
    Buf b;
    buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    Diag d = {sev, code, span, 0, 0, b.data ? b.data : xstrndup("", 0)};
    VEC_PUSH(*l, d);
}

void diag_list_free(DiagList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        free(l->items[i].message);
    VEC_FREE(*l);
}
