/* fuzz_parser: any bytes through parse_source(). A successful parse must pass inv_tokens() and
 * inv_ast() and dump without crashing; a failed one must report one error inside the input. */
#include "fuzz.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/source.h"
#include "syntax/ast_dump.h"
#include "syntax/parser.h"

static void check_parsed(Source *src, const ParseOutput *po)
{
    fuzz_check(inv_tokens(&po->tokens, src->len));
    fuzz_check(inv_ast(po->module, src->len));
    Buf out;
    buf_init(&out);
    ast_dump(&out, src, po->module, 312);
    ast_dump(&out, src, po->module, 311);
    buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) return 0;
    Source src;
    source_from_mem(&src, "fuzz.py", (const char *)data, size);
    Arena a;
    arena_init(&a);
    DiagList diags = {0};
    ParseOutput po;
    if (parse_source(&src, &a, &po, &diags) == 0)
        check_parsed(&src, &po);
    else if (diags.n == 0 || diags.items[0].span.start > src.len)
        fuzz_check("a failed parse must report one error inside the input");
    diag_list_free(&diags);
    arena_free(&a);
    source_free(&src);
    return 0;
}
