/* fuzz_lexer: any bytes through lex_all(); on success the tokens must pass inv_tokens(). */
#include "fuzz.h"

#include "base/arena.h"
#include "base/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) return 0;
    Source src;
    source_from_mem(&src, "fuzz.py", (const char *)data, size);
    Arena a;
    arena_init(&a);
    TokenArray toks;
    LexError err;
    if (lex_all(src.text, src.len, &a, &toks, &err) == 0)
        fuzz_check(inv_tokens(&toks, src.len));
    else
        fuzz_check(err.span.start > src.len ? "error position past the end of the input" : NULL);
    arena_free(&a);
    source_free(&src);
    return 0;
}
