/* PLACEHOLDER: replaced by the dump implementation. */
#include "ast_dump.h"

void ast_dump(Buf *out, Source *src, const Node *root, int pyver)
{
    (void)src;
    (void)root;
    (void)pyver;
    buf_puts(out, "Module()");
}
