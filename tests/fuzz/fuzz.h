/* fuzz: what the fuzz targets share.
 *
 * Each tests/fuzz/fuzz_<target>.c defines LLVMFuzzerTestOneInput(). It is linked either with
 * libFuzzer (`make fuzz`) or with replay_main.c (`make fuzz-replay`, part of `make test`), which
 * runs the saved corpus without libFuzzer. The invariant checks return NULL when the data is
 * consistent, else a static message; fuzz_check() aborts on a message, so libFuzzer and the
 * replay driver both count it as a crash. Nothing here allocates. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "syntax/ast.h"
#include "syntax/lexer.h"

/* Inputs past this size are skipped: libFuzzer should explore structure, not length. */
#define FUZZ_MAX_INPUT ((size_t)64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tokens: kinds valid, spans inside [0, len], in order and not overlapping, ENDMARKER last. */
const char *inv_tokens(const TokenArray *toks, uint32_t len);
/* AST: the root is a Module; every positioned child's span nests inside its nearest positioned
 * ancestor's span (decorators may precede their def); positioned siblings do not overlap. */
const char *inv_ast(const Node *root, uint32_t len);
/* Aborts with "invariant violated: MSG" when msg is not NULL. */
void fuzz_check(const char *msg);

#endif
