/* PLACEHOLDER: replaced by the parser implementation. */
#include "parser.h"

int parse_source(Source *src, Arena *a, ParseOutput *out, DiagList *diags)
{
    out->module = NULL;
    if (lex_all(src->text, src->len, a, &out->tokens, &(LexError){0}) != 0) {
        diag_add(diags, DIAG_ERROR, "E001", (Span){0, 0}, "parser not implemented");
        return -1;
    }
    return -1;
}
