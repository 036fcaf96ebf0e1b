/* lexer: Python 3.12 source bytes to tokens.
 *
 * lex_all() tokenizes a whole NUL-terminated UTF-8 buffer into an array allocated in the caller's
 * arena; tokens carry byte spans into that buffer, which the lexer never modifies. It follows
 * CPython's tokenizer: INDENT/DEDENT from a stack (tabs to multiples of 8, inconsistent tabs
 * rejected), NEWLINE only at logical line ends (none inside brackets, none for blank or
 * comment-only lines), backslash continuations, a UTF-8 BOM skipped, CRLF/CR/LF line ends,
 * form feeds, and PEP 701 f-string modes with nested quotes and replacement fields. Comments
 * produce no tokens. The array always ends with NEWLINE (if the last line had tokens), the
 * pending DEDENTs and one ENDMARKER.
 * On error it returns -1 and fills LexError (see lex_all); nothing is leaked (the arena owns
 * everything). */
#ifndef LEXER_H
#define LEXER_H

#include <stdint.h>

#include "../base/arena.h"
#include "../base/source.h"

typedef enum {
#define X(kind, text) TK_##kind,
#include "tokens.def"
#undef X
    TK__COUNT
} TokenKind;

typedef struct Token {
    Span span;
    uint8_t kind; /* TokenKind */
} Token;

typedef struct TokenArray {
    Token *items; /* arena-owned */
    uint32_t n;
} TokenArray;

/* How CPython's parser meets a tokenizer error (see parse_source). */
typedef enum {
    LEXERR_RAISED,   /* raised at once; after an earlier parse error CPython tokenizes the rest
                        of the file and this error still replaces the parse error */
    LEXERR_QUIET,    /* reported only when the parser reaches it (indentation, line
                        continuation, end of file, and every error inside an f-string) */
    LEXERR_UNCLOSED, /* "'(' was never closed": replaces a parse error on a later line */
    LEXERR_FATAL,    /* NUL byte or invalid UTF-8: the text is refused before any parsing */
} LexErrKind;

typedef struct LexError {
    Span span;     /* where the error is; start is what line:col report */
    char msg[200]; /* lowercase, no trailing period */
    uint8_t kind;  /* LexErrKind */
    uint32_t tok;  /* index of the ERRORTOKEN in the token array */
} LexError;

/* On error returns -1 with err filled, and the tokens read before the error followed by one
 * ERRORTOKEN (at tokens.items[err->tok]) and ENDMARKER, so that the parser can report an
 * earlier syntax error first, as CPython's on-demand tokenizer lets it. */
int lex_all(const char *text, uint32_t len, Arena *a, TokenArray *out, LexError *err);
const char *tok_name(TokenKind kind); /* "NAME", "LPAR", ... */
const char *tok_text(TokenKind kind); /* "name", "(", "def", ... for messages */

#endif
