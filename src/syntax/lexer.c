/* lexer: Python 3.12 source bytes to tokens (see lexer.h for the contract).
 *
 * One pass over the NUL-terminated buffer. The whole text is first checked for invalid UTF-8 and
 * NUL bytes (CPython decodes the file before tokenizing), so the token readers only meet valid
 * UTF-8 and the terminating NUL at text[len]. Dispatch is on a 256-entry byte-class table
 * (SQLite tokenize.c aiClass[]); each token family has one reader (read_name, read_number,
 * read_string, read_fstring_text, read_op).
 *
 * State follows CPython's Parser/lexer: an indentation stack (columns with tabs to multiples of 8,
 * and "alternate" columns with tabs as 1 for the consistency check), a bracket stack with the
 * opener's offset, and an f-string stack. A replacement field's '{' is a bracket flagged
 * is_field; the lexer mode is derived from the stacks (see lex_mode): inside an f-string with no
 * open bracket of its own we read literal text, inside a field's format spec we read spec text,
 * otherwise ordinary tokens. All stacks have fixed bounds (CPython's MAXINDENT, MAXLEVEL,
 * MAXFSTRINGLEVEL), so nesting depth is an error, never recursion.
 *
 * Error positions follow CPython's tokenizer: for most errors the offset is that of the last
 * character read ("cur - 1"), so line:col match SyntaxError.lineno/offset. An error ends the
 * token array with ERRORTOKEN, and its LexErrKind tells the parser whether CPython would report
 * it before an earlier syntax error (see lexer.h and parse_source).
 *
 * Known approximation: CPython accepts a non-ASCII character in an identifier when it is
 * XID_Start/XID_Continue. unicode.c has no XID tables yet; is_id_char() accepts every code point
 * >= 0x80 except a table of ranges that are certainly not identifier characters (Latin-1
 * punctuation, general punctuation, symbols, arrows, box drawing, CJK punctuation, private use,
 * emoji, ...). The parser NFKC-normalizes identifiers (px_ident), as CPython does. */
#include "lexer.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../base/vec.h"

enum {
    MAX_INDENT = 100,  /* CPython MAXINDENT */
    MAX_LEVEL = 200,   /* CPython MAXLEVEL: open brackets, f-string fields included */
    MAX_FSTRING = 150, /* CPython MAXFSTRINGLEVEL */
    MAX_FIELDS = 3,    /* CPython MAX_EXPR_NESTING: nested fields in one f-string */
    TABSIZE = 8,
};

/* Byte classes. CC_ID, CC_DIGIT and CC_HIGH are consecutive: identifier characters. */
enum {
    CC_BAD,    /* ASCII that starts no token: $ ? ` and control characters */
    CC_SPACE,  /* ' ' \t \f */
    CC_NL,     /* \n \r */
    CC_HASH,   /* # */
    CC_BSLASH, /* \ */
    CC_QUOTE,  /* ' " */
    CC_DOT,    /* . */
    CC_OP,     /* operators that may be longer than one byte */
    CC_SINGLE, /* , ; ~ always a one-byte token, kind in single_kind[] */
    CC_OPEN,   /* ( [ { */
    CC_CLOSE,  /* ) ] } */
    CC_NUL,    /* the terminator */
    CC_ID,     /* A-Z a-z _ */
    CC_DIGIT,  /* 0-9 */
    CC_HIGH,   /* 0x80-0xFF: part of a UTF-8 sequence */
};

#define Z CC_NUL
#define B CC_BAD
#define S CC_SPACE
#define N CC_NL
#define H CC_HASH
#define K CC_BSLASH
#define Q CC_QUOTE
#define P CC_DOT
#define O CC_OP
#define G CC_SINGLE
#define L CC_OPEN
#define R CC_CLOSE
#define I CC_ID
#define D CC_DIGIT
#define U CC_HIGH
static const unsigned char cclass[256] = {
    /*   0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f */
    Z, B, B, B, B, B, B, B, B, S, N, B, S, N, B, B, /* 0x */
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, /* 1x */
    S, O, Q, H, B, O, O, Q, L, R, O, O, G, O, P, O, /* 2x  !"#$%&'()*+,-./ */
    D, D, D, D, D, D, D, D, D, D, O, G, O, O, O, B, /* 3x 0123456789:;<=>? */
    O, I, I, I, I, I, I, I, I, I, I, I, I, I, I, I, /* 4x @ABCDEFGHIJKLMNO */
    I, I, I, I, I, I, I, I, I, I, I, L, K, R, O, I, /* 5x PQRSTUVWXYZ[\]^_ */
    B, I, I, I, I, I, I, I, I, I, I, I, I, I, I, I, /* 6x `abcdefghijklmno */
    I, I, I, I, I, I, I, I, I, I, I, L, O, R, G, B, /* 7x pqrstuvwxyz{|}~  */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 8x */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 9x */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* ax */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* bx */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* cx */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* dx */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* ex */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* fx */
};
#undef Z
#undef B
#undef S
#undef N
#undef H
#undef K
#undef Q
#undef P
#undef O
#undef G
#undef L
#undef R
#undef I
#undef D
#undef U

/* Kinds of the CC_SINGLE, CC_OPEN and CC_CLOSE bytes. */
static const unsigned char single_kind[128] = {
    [','] = TK_COMMA,  [';'] = TK_SEMI, ['~'] = TK_TILDE, ['('] = TK_LPAR,   ['['] = TK_LSQB,
    ['{'] = TK_LBRACE, [')'] = TK_RPAR, [']'] = TK_RSQB,  ['}'] = TK_RBRACE,
};

/* A-Z a-z 0-9 _ : the fast loop of read_name. */
static const unsigned char is_ascii_idchar[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
    ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1,
    ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

typedef struct Bracket {
    uint32_t pos;  /* offset of the opener */
    char ch;       /* ( [ { */
    bool is_field; /* '{' of an f-string replacement field */
    bool in_spec;  /* field only: after the ':' of its format spec */
} Bracket;

typedef struct FString {
    uint32_t start;  /* offset of the FSTRING_START token */
    uint32_t base;   /* bracket level when the f-string started */
    char quote;      /* ' or " */
    uint8_t qlen;    /* 1 or 3 */
    uint8_t nfields; /* open replacement fields of this f-string */
    bool raw;
} FString;

typedef struct Lexer {
    const char *src; /* NUL-terminated; src[len] == 0 */
    uint32_t len, pos;
    Vec(Token) toks; /* heap; handed to the arena at the end (adopt_tokens) */
    bool atbol;      /* at the beginning of a physical line: measure indentation next */
    bool blank;      /* the current line is blank or comment-only so far */
    bool done, failed;
    bool brk; /* leave the fast token loop: set on line breaks, f-strings, end, error */
    LexError *err;
    uint32_t nindent; /* indents[0] == 0 is the bottom */
    uint32_t indents[MAX_INDENT + 1], altindents[MAX_INDENT + 1];
    uint32_t level; /* open brackets */
    Bracket brackets[MAX_LEVEL];
    uint32_t nfstr;
    FString fstr[MAX_FSTRING];
} Lexer;

typedef enum { MODE_REGULAR, MODE_TEXT, MODE_SPEC } LexMode;

/* ---- output and errors ---------------------------------------------------------------------- */

static inline void emit(Lexer *lx, unsigned kind, uint32_t start, uint32_t end)
{
    VEC_GROW(lx->toks, lx->toks.n + 1);
    /* one struct store: a uint8_t member store would alias every field of *lx */
    lx->toks.items[lx->toks.n++] = (Token){{start, end}, (uint8_t)kind};
}

/* Records the first error only; readers return right after calling it. Inside an f-string every
 * error is LEXERR_QUIET (CPython keeps the parser's error then). */
static void vfail(Lexer *lx, LexErrKind kind, uint32_t pos, const char *fmt, va_list ap)
{
    if (lx->failed) return;
    lx->failed = true;
    lx->brk = true;
    lx->err->span.start = pos;
    lx->err->span.end = pos < lx->len ? pos + 1 : pos;
    lx->err->kind = (uint8_t)(kind == LEXERR_RAISED && lx->nfstr ? LEXERR_QUIET : kind);
    vsnprintf(lx->err->msg, sizeof lx->err->msg, fmt, ap);
}

/* An error CPython's tokenizer raises as it meets it (LEXERR_RAISED). */
__attribute__((format(printf, 3, 4))) static void fail(Lexer *lx, uint32_t pos, const char *fmt,
                                                       ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(lx, LEXERR_RAISED, pos, fmt, ap);
    va_end(ap);
}

/* An error of another kind (LexErrKind). */
__attribute__((format(printf, 4, 5))) static void fail_as(Lexer *lx, LexErrKind kind, uint32_t pos,
                                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(lx, kind, pos, fmt, ap);
    va_end(ap);
}

/* 1-based line of offset; only used to word error messages. The end of input counts as the
 * line of its last character, as in CPython ("detected at line N"). */
static uint32_t line_of(const Lexer *lx, uint32_t pos)
{
    if (pos >= lx->len && pos > 0) pos = lx->len - 1;
    uint32_t line = 1;
    for (uint32_t i = 0; i < pos && i < lx->len; i++) {
        if (lx->src[i] == '\n' || (lx->src[i] == '\r' && lx->src[i + 1] != '\n')) line++;
    }
    return line;
}

/* ---- word-at-a-time scanning --------------------------------------------------------------- */

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Nonzero when some byte of w equals c (exact as a yes/no answer). */
static inline uint64_t has_byte(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (ONES * c);
    return (x - ONES) & ~x & HIGHS;
}

static inline uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

/* Skips whole 8-byte words of a string body that hold no quote, backslash or line break. */
static uint32_t skip_plain_words(const Lexer *lx, uint32_t p, unsigned char quote)
{
    while (p + 8 <= lx->len) {
        uint64_t w = load8(lx->src + p);
        if (has_byte(w, quote) | has_byte(w, '\\') | has_byte(w, '\n') | has_byte(w, '\r')) break;
        p += 8;
    }
    return p;
}

/* ---- UTF-8 ---------------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (surrogates and overlongs rejected), or 0. */
static uint32_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c < 0xF5) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/* Code point of the valid sequence at s of length n. */
static uint32_t utf8_cp(const unsigned char *s, uint32_t n)
{
    switch (n) {
        case 1: return s[0];
        case 2: return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        case 3: return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        default:
            return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
                   (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    }
}

static void utf8_error(Lexer *lx, uint32_t pos)
{
    const unsigned char *s = (const unsigned char *)lx->src + pos;
    const char *why = "invalid continuation byte";
    if (s[0] < 0xC2 || s[0] > 0xF4)
        why = "invalid start byte";
    else if (pos + 1 >= lx->len)
        why = "unexpected end of data";
    fail_as(lx, LEXERR_FATAL, pos, "invalid utf-8: can't decode byte 0x%02x: %s", s[0], why);
}

/* Checks the whole text: UTF-8 and no NUL before len. Eight bytes at a time while ASCII. */
static bool check_text(Lexer *lx)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t i = 0, len = lx->len;
    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w = load8((const char *)s + i);
            if (((w | ((w - ONES) & ~w)) & HIGHS) == 0) {
                i += 8;
                continue;
            }
        }
        if (s[i] == 0) {
            fail_as(lx, LEXERR_FATAL, i, "source code cannot contain null bytes");
            return false;
        }
        uint32_t n = utf8_len(s + i);
        if (n == 0 || i + n > len) {
            utf8_error(lx, i);
            return false;
        }
        i += n;
    }
    return true;
}

/* Non-ASCII ranges that are not identifier characters (approximation, see the file comment). */
static const uint32_t non_id_ranges[][2] = {
    {0x0080, 0x00A9}, {0x00AB, 0x00B4},   {0x00B6, 0x00B6},    {0x00B8, 0x00B9}, {0x00BB, 0x00BF},
    {0x00D7, 0x00D7}, {0x00F7, 0x00F7},   {0x037E, 0x037E},    {0x0589, 0x058A}, {0x060C, 0x060D},
    {0x061B, 0x061F}, {0x066A, 0x066D},   {0x06D4, 0x06D4},    {0x0964, 0x0965}, {0x2000, 0x203E},
    {0x2041, 0x2053}, {0x2055, 0x2070},   {0x20A0, 0x20CF},    {0x2190, 0x2BFF}, {0x2E00, 0x2E7F},
    {0x3000, 0x3004}, {0x3008, 0x3020},   {0x3030, 0x3030},    {0xD800, 0xF8FF}, {0xFD3E, 0xFD3F},
    {0xFE10, 0xFE1F}, {0xFE30, 0xFE32},   {0xFE35, 0xFE4C},    {0xFE50, 0xFE6F}, {0xFEFF, 0xFEFF},
    {0xFF01, 0xFF0F}, {0xFF1A, 0xFF20},   {0xFF3B, 0xFF3E},    {0xFF40, 0xFF40}, {0xFF5B, 0xFF65},
    {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF}, {0xF0000, 0x10FFFF},
};

static bool is_id_char(uint32_t cp)
{
    for (size_t i = 0; i < sizeof non_id_ranges / sizeof non_id_ranges[0]; i++) {
        if (cp < non_id_ranges[i][0]) return true;
        if (cp <= non_id_ranges[i][1]) return false;
    }
    return true;
}

/* Approximates !Py_UNICODE_ISPRINTABLE for the error message wording. */
static bool is_nonprintable(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || (cp >= 0xD800 && cp <= 0xF8FF) ||
           cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

/* "invalid character" for a byte or code point that starts no token. */
static void bad_char(Lexer *lx, uint32_t pos)
{
    const unsigned char *s = (const unsigned char *)lx->src + pos;
    if (s[0] == '$' || s[0] == '?' || s[0] == '`') {
        fail_as(lx, LEXERR_QUIET, pos, "invalid syntax"); /* an OP token to CPython */
        return;
    }
    uint32_t n = utf8_len(s);
    uint32_t cp = utf8_cp(s, n);
    if (is_nonprintable(cp))
        fail(lx, pos, "invalid non-printable character U+%04X", (unsigned)cp);
    else
        fail(lx, pos, "invalid character '%.*s' (U+%04X)", (int)n, (const char *)s, (unsigned)cp);
}

/* ---- names and keywords --------------------------------------------------------------------- */

/* The length is a constant, so the compiler inlines the comparison. */
#define KW(word, kind) \
    if (memcmp(s, word, sizeof(word) - 1) == 0) return kind

/* Hard keywords by length and first byte; soft keywords stay NAME. */
// NOLINTNEXTLINE(readability-function-size): flat keyword table
static TokenKind keyword(const char *s, uint32_t n)
{
    switch (n) {
        case 2:
            switch (s[0]) {
                case 'a': KW("as", TK_KW_AS); break;
                case 'i':
                    KW("if", TK_KW_IF);
                    KW("in", TK_KW_IN);
                    KW("is", TK_KW_IS);
                    break;
                case 'o': KW("or", TK_KW_OR); break;
            }
            break;
        case 3:
            switch (s[0]) {
                case 'a': KW("and", TK_KW_AND); break;
                case 'd':
                    KW("def", TK_KW_DEF);
                    KW("del", TK_KW_DEL);
                    break;
                case 'f': KW("for", TK_KW_FOR); break;
                case 'n': KW("not", TK_KW_NOT); break;
                case 't': KW("try", TK_KW_TRY); break;
            }
            break;
        case 4:
            switch (s[0]) {
                case 'N': KW("None", TK_KW_NONE); break;
                case 'T': KW("True", TK_KW_TRUE); break;
                case 'e':
                    KW("elif", TK_KW_ELIF);
                    KW("else", TK_KW_ELSE);
                    break;
                case 'f': KW("from", TK_KW_FROM); break;
                case 'p': KW("pass", TK_KW_PASS); break;
                case 'w': KW("with", TK_KW_WITH); break;
            }
            break;
        case 5:
            switch (s[0]) {
                case 'F': KW("False", TK_KW_FALSE); break;
                case 'a':
                    KW("async", TK_KW_ASYNC);
                    KW("await", TK_KW_AWAIT);
                    break;
                case 'b': KW("break", TK_KW_BREAK); break;
                case 'c': KW("class", TK_KW_CLASS); break;
                case 'r': KW("raise", TK_KW_RAISE); break;
                case 'w': KW("while", TK_KW_WHILE); break;
                case 'y': KW("yield", TK_KW_YIELD); break;
            }
            break;
        case 6:
            switch (s[0]) {
                case 'a': KW("assert", TK_KW_ASSERT); break;
                case 'e': KW("except", TK_KW_EXCEPT); break;
                case 'g': KW("global", TK_KW_GLOBAL); break;
                case 'i': KW("import", TK_KW_IMPORT); break;
                case 'l': KW("lambda", TK_KW_LAMBDA); break;
                case 'r': KW("return", TK_KW_RETURN); break;
            }
            break;
        case 7: KW("finally", TK_KW_FINALLY); break;
        case 8:
            KW("continue", TK_KW_CONTINUE);
            KW("nonlocal", TK_KW_NONLOCAL);
            break;
    }
    return TK_NAME;
}
#undef KW

/* Classifies a 1-2 letter string prefix: 0 not a prefix, 1 plain/bytes/raw, 2 f-string.
 * Valid: b r u f br rb fr rf, in any case (CPython rejects ur, bu, fb, ...). */
static int prefix_kind(const char *s, uint32_t n)
{
    char a = (char)(s[0] | 0x20), b = n == 2 ? (char)(s[1] | 0x20) : 0;
    if (n == 1) return a == 'f' ? 2 : (a == 'r' || a == 'b' || a == 'u');
    if (a == 'r') a = b, b = 'r';
    if (b != 'r') return 0;
    return a == 'f' ? 2 : a == 'b';
}

static void read_string(Lexer *lx, uint32_t start, uint32_t q);
static void start_fstring(Lexer *lx, uint32_t start, uint32_t q);

static void read_name(Lexer *lx, uint32_t start)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    uint32_t p = start;
    bool ascii = true;
    for (;;) {
        while (is_ascii_idchar[s[p]])
            p++;
        if (cclass[s[p]] != CC_HIGH) break;
        uint32_t n = utf8_len(s + p);
        if (!is_id_char(utf8_cp(s + p, n))) {
            bad_char(lx, p);
            return;
        }
        ascii = false;
        p += n;
    }
    if ((s[p] == '"' || s[p] == '\'') && p - start <= 2 && ascii) {
        int pre = prefix_kind(lx->src + start, p - start);
        if (pre == 1) {
            read_string(lx, start, p);
            return;
        }
        if (pre == 2) {
            start_fstring(lx, start, p);
            return;
        }
    }
    TokenKind kind = ascii && p - start <= 8 ? keyword(lx->src + start, p - start) : TK_NAME;
    emit(lx, kind, start, p);
    lx->pos = p;
}

/* ---- numbers -------------------------------------------------------------------------------- */

/* A cursor in CPython's style: nextc() consumes a byte, backup() returns it. Readers always back
 * up the byte that ended the number, so p never passes the terminator. */
typedef struct Cur {
    const unsigned char *s;
    uint32_t p;
} Cur;

static inline int nextc(Cur *k)
{
    return k->s[k->p++];
}

static inline void backup(Cur *k)
{
    k->p--;
}

static inline bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_xdigit(int c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static inline bool is_idchar(int c)
{
    return cclass[c] >= CC_ID;
}

/* Errors at the last byte read, as CPython's syntaxerror() does. */
static bool num_fail(Lexer *lx, const Cur *k, const char *msg)
{
    fail(lx, k->p - 1, "%s", msg);
    return false;
}

/* True when word follows at s and is not continued by an identifier character. */
static bool word_follows(const unsigned char *s, const char *word)
{
    while (*word && *s == (unsigned char)*word) /* stops at the terminator: no overread */
        s++, word++;
    return *word == '\0' && !is_idchar(*s);
}

/* CPython verify_end_of_number(): c was just read after the number. A following keyword that
 * can legally come after a number (1if x else y) is accepted; other letters are an error. On
 * success the byte c is backed up. */
static bool end_number(Lexer *lx, Cur *k, int c, const char *kind)
{
    const unsigned char *rest = k->s + k->p;
    bool kw = false;
    switch (c) {
        case 'a': kw = word_follows(rest, "nd"); break;
        case 'e': kw = word_follows(rest, "lse"); break;
        case 'f': kw = word_follows(rest, "or"); break;
        case 'i': kw = rest[0] == 'f' || rest[0] == 'n' || rest[0] == 's'; break;
        case 'o': kw = word_follows(rest, "r"); break;
        case 'n': kw = word_follows(rest, "ot"); break;
    }
    if (!kw && c < 128 && is_idchar(c)) {
        backup(k);
        fail(lx, k->p - 1, "invalid %s literal", kind);
        return false;
    }
    backup(k);
    return true;
}

/* Digits and single underscores; returns the byte after them, or -1 on error. */
static int decimal_tail(Lexer *lx, Cur *k)
{
    int c;
    for (;;) {
        do
            c = nextc(k);
        while (is_digit(c));
        if (c != '_') return c;
        c = nextc(k);
        if (!is_digit(c)) {
            backup(k);
            num_fail(lx, k, "invalid decimal literal");
            return -1;
        }
    }
}

/* Optional exponent and imaginary suffix; c is the byte after the mantissa. */
static bool number_exponent(Lexer *lx, Cur *k, int c)
{
    if (c == 'e' || c == 'E') {
        int e = c;
        c = nextc(k);
        if (c == '+' || c == '-') {
            c = nextc(k);
            if (!is_digit(c)) {
                backup(k);
                return num_fail(lx, k, "invalid decimal literal");
            }
        } else if (!is_digit(c)) {
            backup(k);
            if (!end_number(lx, k, e, "decimal")) return false;
            return true; /* "1else": the 'e' is not part of the number */
        }
        c = decimal_tail(lx, k);
        if (c < 0) return false;
    }
    if (c == 'j' || c == 'J') return end_number(lx, k, nextc(k), "imaginary");
    return end_number(lx, k, c, "decimal");
}

/* After the '.': c is the byte following it. */
static bool number_fraction(Lexer *lx, Cur *k, int c)
{
    if (is_digit(c)) {
        c = decimal_tail(lx, k);
        if (c < 0) return false;
    }
    return number_exponent(lx, k, c);
}

static bool in_radix(int c, int radix)
{
    return radix == 16 ? is_xdigit(c) : c >= '0' && c < '0' + radix;
}

/* 0x / 0o / 0b literals; the prefix has been read. */
static bool number_radix(Lexer *lx, Cur *k, int radix)
{
    static const char *const names[] = {[2] = "binary", [8] = "octal", [16] = "hexadecimal"};
    const char *name = names[radix];
    int c = nextc(k);
    do {
        if (c == '_') c = nextc(k);
        if (!in_radix(c, radix)) {
            if (radix != 16 && is_digit(c)) {
                fail(lx, k->p - 1, "invalid digit '%c' in %s literal", c, name);
                return false;
            }
            backup(k);
            fail(lx, k->p - 1, "invalid %s literal", name);
            return false;
        }
        do
            c = nextc(k);
        while (in_radix(c, radix));
    } while (c == '_');
    if (radix != 16 && is_digit(c)) {
        fail(lx, k->p - 1, "invalid digit '%c' in %s literal", c, name);
        return false;
    }
    return end_number(lx, k, c, name);
}

/* A literal starting with '0' (already read). */
static bool number_zero(Lexer *lx, Cur *k, uint32_t start)
{
    int c = nextc(k);
    if (c == 'x' || c == 'X') return number_radix(lx, k, 16);
    if (c == 'o' || c == 'O') return number_radix(lx, k, 8);
    if (c == 'b' || c == 'B') return number_radix(lx, k, 2);
    for (;;) {
        if (c == '_') {
            c = nextc(k);
            if (!is_digit(c)) {
                backup(k);
                return num_fail(lx, k, "invalid decimal literal");
            }
        }
        if (c != '0') break;
        c = nextc(k);
    }
    bool nonzero = false;
    if (is_digit(c)) {
        nonzero = true;
        c = decimal_tail(lx, k);
        if (c < 0) return false;
    }
    if (c == '.') return number_fraction(lx, k, nextc(k));
    if (c == 'e' || c == 'E' || c == 'j' || c == 'J') return number_exponent(lx, k, c);
    if (nonzero) {
        fail(lx, start,
             "leading zeros in decimal integer literals are not permitted; "
             "use an 0o prefix for octal integers");
        return false;
    }
    return end_number(lx, k, c, "decimal");
}

/* Numbers as CPython's tokenizer reads them, including its error messages and positions. */
static void read_number(Lexer *lx, uint32_t start)
{
    Cur k = {(const unsigned char *)lx->src, start};
    int c = nextc(&k);
    bool ok;
    if (c == '.')
        ok = number_fraction(lx, &k, nextc(&k));
    else if (c == '0')
        ok = number_zero(lx, &k, start);
    else {
        c = decimal_tail(lx, &k);
        ok = c >= 0 && (c == '.' ? number_fraction(lx, &k, nextc(&k)) : number_exponent(lx, &k, c));
    }
    if (!ok) return;
    emit(lx, TK_NUMBER, start, k.p);
    lx->pos = k.p;
}

/* ---- strings -------------------------------------------------------------------------------- */

/* Bytes that stop the fast scan inside a string body. */
static const unsigned char str_stop[256] = {
    [0] = 1, ['\n'] = 1, ['\r'] = 1, ['\''] = 1, ['"'] = 1, ['\\'] = 1,
};
/* The same plus the braces, for f-string text. */
static const unsigned char fstr_stop[256] = {
    [0] = 1, ['\n'] = 1, ['\r'] = 1, ['\''] = 1, ['"'] = 1, ['\\'] = 1, ['{'] = 1, ['}'] = 1,
};

/* Offset after the character escaped by the backslash at p (a CRLF counts as one). */
static uint32_t skip_escape(const char *s, uint32_t p)
{
    char c = s[p + 1];
    if (c == '\0') return p + 1; /* at the terminator: let the caller report the end of input */
    if (c == '\r' && s[p + 2] == '\n') return p + 3;
    return p + 2;
}

static void unterminated(Lexer *lx, uint32_t start, char quote, int qlen, uint32_t at)
{
    if (lx->nfstr) {
        const FString *f = &lx->fstr[lx->nfstr - 1];
        if (f->quote == quote && f->qlen == qlen) {
            /* the quote closes the enclosing f-string: its field lacks the '}' */
            fail(lx, start, "f-string: expecting '}'");
            return;
        }
    }
    fail(lx, start, "unterminated %sstring literal (detected at line %u)",
         qlen == 3 ? "triple-quoted " : "", line_of(lx, at));
}

/* Scans a string body from p to after its closing quote(s); returns 0 after reporting an
 * unterminated string. */
static uint32_t scan_string(Lexer *lx, uint32_t start, uint32_t p, char quote, int qlen)
{
    const char *s = lx->src;
    for (;;) {
        unsigned char c = (unsigned char)s[p];
        if (!str_stop[c]) {
            p = skip_plain_words(lx, p, (unsigned char)quote);
            c = (unsigned char)s[p];
        }
        while (!str_stop[c])
            c = (unsigned char)s[++p];
        if (c == (unsigned char)quote) {
            if (qlen == 1) return p + 1;
            if (s[p + 1] == quote && s[p + 2] == quote) return p + 3;
            p++;
        } else if (c == '\\') {
            p = skip_escape(s, p);
        } else if (c == '\0' || (qlen == 1 && (c == '\n' || c == '\r'))) {
            unterminated(lx, start, quote, qlen, p);
            return 0;
        } else {
            p++; /* a line break in a triple-quoted string, or the other quote character */
        }
    }
}

/* A STRING token: prefix at start (may be empty), opening quote at q. */
static void read_string(Lexer *lx, uint32_t start, uint32_t q)
{
    const char *s = lx->src;
    char quote = s[q];
    uint32_t end;
    if (s[q + 1] != quote)
        end = scan_string(lx, start, q + 1, quote, 1);
    else if (s[q + 2] != quote)
        end = q + 2; /* empty string */
    else
        end = scan_string(lx, start, q + 3, quote, 3);
    if (end == 0) return;
    emit(lx, TK_STRING, start, end);
    lx->pos = end;
}

/* ---- f-strings ------------------------------------------------------------------------------ */

static void start_fstring(Lexer *lx, uint32_t start, uint32_t q)
{
    const char *s = lx->src;
    char quote = s[q];
    uint8_t qlen = s[q + 1] == quote && s[q + 2] == quote ? 3 : 1;
    if (lx->nfstr + 1 >= MAX_FSTRING) {
        fail(lx, start, "too many nested f-strings");
        return;
    }
    FString *f = &lx->fstr[lx->nfstr++];
    f->start = start;
    f->base = lx->level;
    f->quote = quote;
    f->qlen = qlen;
    f->nfields = 0;
    f->raw = (s[start] | 0x20) == 'r' || (q - start == 2 && (s[start + 1] | 0x20) == 'r');
    emit(lx, TK_FSTRING_START, start, q + qlen);
    lx->pos = q + qlen;
    lx->brk = true;
}

static LexMode lex_mode(const Lexer *lx)
{
    const FString *f = &lx->fstr[lx->nfstr - 1];
    if (lx->level == f->base) return MODE_TEXT;
    const Bracket *b = &lx->brackets[lx->level - 1];
    return b->is_field && b->in_spec ? MODE_SPEC : MODE_REGULAR;
}

static bool at_end_quote(const char *s, uint32_t p, const FString *f)
{
    if (s[p] != f->quote) return false;
    return f->qlen == 1 || (s[p + 1] == f->quote && s[p + 2] == f->quote);
}

static void push_bracket(Lexer *lx, uint32_t pos, char ch, bool is_field)
{
    if (lx->level >= MAX_LEVEL) {
        fail(lx, pos, "too many nested parentheses");
        return;
    }
    Bracket *b = &lx->brackets[lx->level++];
    b->pos = pos;
    b->ch = ch;
    b->is_field = is_field;
    b->in_spec = false;
}

/* The '{' at p opens a replacement field of the innermost f-string. */
static void open_field(Lexer *lx, uint32_t p)
{
    FString *f = &lx->fstr[lx->nfstr - 1];
    if (f->nfields >= MAX_FIELDS) {
        fail(lx, p - 1, "f-string: expressions nested too deeply");
        return;
    }
    push_bracket(lx, p, '{', true);
    f->nfields++;
    emit(lx, TK_LBRACE, p, p + 1);
    lx->pos = p + 1;
}

/* Pops the bracket closed by c at p (already checked to match) and emits its token. */
static void pop_bracket(Lexer *lx, uint32_t p, unsigned kind)
{
    Bracket *b = &lx->brackets[--lx->level];
    if (b->is_field) lx->fstr[lx->nfstr - 1].nfields--;
    emit(lx, kind, p, p + 1);
    lx->pos = p + 1;
}

static void unterminated_fstring(Lexer *lx, const FString *f, uint32_t at)
{
    fail(lx, f->start, "unterminated %sf-string literal (detected at line %u)",
         f->qlen == 3 ? "triple-quoted " : "", line_of(lx, at));
}

static void emit_middle(Lexer *lx, uint32_t start, uint32_t end)
{
    if (end > start) emit(lx, TK_FSTRING_MIDDLE, start, end);
    lx->pos = end;
}

/* After a backslash at p in f-string text. A following brace is left to the caller (CPython
 * warns and treats it as a brace); \N{...} makes the next '}' literal (*named). */
static uint32_t fstring_escape(const char *s, uint32_t p, bool raw, bool *named)
{
    char c = s[p + 1];
    if (c == '{' || c == '}') return p + 1;
    if (!raw && c == 'N' && s[p + 2] == '{') {
        *named = true;
        return p + 3;
    }
    return skip_escape(s, p);
}

/* Handles a brace at p in f-string text; returns false when the text piece ends here. */
static bool fstring_brace(Lexer *lx, uint32_t start, uint32_t *pp, bool in_spec)
{
    const char *s = lx->src;
    uint32_t p = *pp;
    if (!in_spec && s[p + 1] == s[p]) {
        *pp = p + 2; /* {{ or }}: literal text, decoded later */
        return true;
    }
    emit_middle(lx, start, p);
    if (s[p] == '{')
        open_field(lx, p);
    else if (in_spec)
        pop_bracket(lx, p, TK_RBRACE);
    else
        fail(lx, p, "f-string: single '}' is not allowed");
    return false;
}

/* A line break in the format spec of a single-quoted f-string ends the spec; the field goes on
 * in regular mode, where the parser finds the missing '}' (CPython 3.12.1 behaves so). */
static void end_spec(Lexer *lx, uint32_t start, uint32_t p)
{
    emit_middle(lx, start, p);
    lx->brackets[lx->level - 1].in_spec = false;
}

/* At the closing quote of the f-string: FSTRING_END. */
static void end_fstring(Lexer *lx, uint32_t p, bool in_spec)
{
    const FString *f = &lx->fstr[lx->nfstr - 1];
    if (in_spec) {
        fail(lx, p, "f-string: expecting '}', or format specs");
        return;
    }
    emit(lx, TK_FSTRING_END, p, p + f->qlen);
    lx->pos = p + f->qlen;
    lx->nfstr--;
}

/* Literal text of an f-string (in_spec: of a format spec) up to a field, the closing '}' of the
 * spec's field, or the closing quote. An empty piece emits no FSTRING_MIDDLE. */
static void read_fstring_text(Lexer *lx, bool in_spec)
{
    const char *s = lx->src;
    const FString *f = &lx->fstr[lx->nfstr - 1];
    uint32_t p = lx->pos, start = p;
    bool named = false; /* inside \N{...} */
    while (!at_end_quote(s, p, f)) {
        unsigned char c = (unsigned char)s[p];
        while (!fstr_stop[c])
            c = (unsigned char)s[++p];
        if (c == '}' && named) {
            named = false;
            p++;
        } else if (c == '{' || c == '}') {
            if (!fstring_brace(lx, start, &p, in_spec)) return;
        } else if (c == '\\') {
            p = fstring_escape(s, p, f->raw, &named);
        } else if (c == '\0' || ((c == '\n' || c == '\r') && f->qlen == 1)) {
            if (in_spec && c != '\0')
                end_spec(lx, start, p);
            else
                unterminated_fstring(lx, f, p);
            return;
        } else if (c != (unsigned char)f->quote || !at_end_quote(s, p, f)) {
            p++; /* a quote that does not close, or a line break in a triple-quoted f-string */
        }
    }
    if (p > start)
        emit_middle(lx, start, p);
    else
        end_fstring(lx, p, in_spec);
}

/* ---- operators and brackets ----------------------------------------------------------------- */

static bool brackets_match(char open, char close)
{
    return (open == '(' && close == ')') || (open == '[' && close == ']') ||
           (open == '{' && close == '}');
}

static void close_bracket(Lexer *lx, uint32_t p, char c, unsigned kind)
{
    if (lx->level == 0) {
        fail(lx, p, "unmatched '%c'", c);
        return;
    }
    const Bracket *b = &lx->brackets[lx->level - 1];
    if (!brackets_match(b->ch, c)) {
        uint32_t line = line_of(lx, b->pos);
        if (b->is_field)
            fail(lx, p, "f-string: unmatched '%c'", c);
        else if (line != line_of(lx, p))
            fail(lx, p,
                 "closing parenthesis '%c' does not match opening parenthesis '%c' on line %u", c,
                 b->ch, line);
        else
            fail(lx, p, "closing parenthesis '%c' does not match opening parenthesis '%c'", c,
                 b->ch);
        return;
    }
    pop_bracket(lx, p, kind);
}

static void open_bracket(Lexer *lx, uint32_t p, char c, unsigned kind)
{
    push_bracket(lx, p, c, false);
    emit(lx, kind, p, p + 1);
    lx->pos = p + 1;
}

/* ':' directly inside a replacement field starts its format spec. */
static bool fstring_colon(Lexer *lx, uint32_t p)
{
    if (lx->nfstr == 0 || lx->level == 0) return false;
    Bracket *b = &lx->brackets[lx->level - 1];
    if (!b->is_field || b->in_spec) return false;
    b->in_spec = true;
    emit(lx, TK_COLON, p, p + 1);
    lx->pos = p + 1;
    return true;
}

/* Picks one of up to three kinds by the next bytes: c1 alone, c1 c2, or c1 c2 '='. */
static TokenKind op_variant(const char *s, TokenKind one, char c2, TokenKind two, TokenKind eq,
                            uint32_t *len)
{
    if (c2 && s[1] == c2) {
        if (eq != TK_ENDMARKER && s[2] == '=') {
            *len = 3;
            return eq;
        }
        *len = 2;
        return two;
    }
    *len = 1;
    return one;
}

/* Longest-match operators; brackets update the bracket stack. */
// NOLINTNEXTLINE(readability-function-size): flat dispatch on the first byte
static void read_op(Lexer *lx, uint32_t p)
{
    const char *s = lx->src + p;
    uint32_t n = 1;
    TokenKind k;
    const TokenKind none = TK_ENDMARKER;
    switch (s[0]) {
        case ':':
            if (fstring_colon(lx, p)) return;
            k = op_variant(s, TK_COLON, '=', TK_COLONEQUAL, none, &n);
            break;
        case '+': k = op_variant(s, TK_PLUS, '=', TK_PLUSEQUAL, none, &n); break;
        case '%': k = op_variant(s, TK_PERCENT, '=', TK_PERCENTEQUAL, none, &n); break;
        case '&': k = op_variant(s, TK_AMPER, '=', TK_AMPEREQUAL, none, &n); break;
        case '|': k = op_variant(s, TK_VBAR, '=', TK_VBAREQUAL, none, &n); break;
        case '^': k = op_variant(s, TK_CIRCUMFLEX, '=', TK_CIRCUMFLEXEQUAL, none, &n); break;
        case '@': k = op_variant(s, TK_AT, '=', TK_ATEQUAL, none, &n); break;
        case '=': k = op_variant(s, TK_EQUAL, '=', TK_EQEQUAL, none, &n); break;
        case '!': k = op_variant(s, TK_EXCLAMATION, '=', TK_NOTEQUAL, none, &n); break;
        case '-':
            k = s[1] == '>' ? (n = 2, TK_RARROW)
                            : op_variant(s, TK_MINUS, '=', TK_MINEQUAL, none, &n);
            break;
        case '*':
            k = s[1] == '=' ? (n = 2, TK_STAREQUAL)
                            : op_variant(s, TK_STAR, '*', TK_DOUBLESTAR, TK_DOUBLESTAREQUAL, &n);
            break;
        case '/':
            k = s[1] == '=' ? (n = 2, TK_SLASHEQUAL)
                            : op_variant(s, TK_SLASH, '/', TK_DOUBLESLASH, TK_DOUBLESLASHEQUAL, &n);
            break;
        case '<':
            k = s[1] == '=' ? (n = 2, TK_LESSEQUAL)
                            : op_variant(s, TK_LESS, '<', TK_LEFTSHIFT, TK_LEFTSHIFTEQUAL, &n);
            break;
        case '>':
            k = s[1] == '=' ? (n = 2, TK_GREATEREQUAL)
                            : op_variant(s, TK_GREATER, '>', TK_RIGHTSHIFT, TK_RIGHTSHIFTEQUAL, &n);
            break;
        case '.': k = s[1] == '.' && s[2] == '.' ? (n = 3, TK_ELLIPSIS) : TK_DOT; break;
        default: UNREACHABLE();
    }
    emit(lx, k, p, p + n);
    lx->pos = p + n;
}

/* ---- lines ---------------------------------------------------------------------------------- */

/* The backslash at p must end the line; returns the offset after the line break. */
static uint32_t continuation(Lexer *lx, uint32_t p)
{
    const char *s = lx->src;
    uint32_t q = p + 1;
    if (s[q] == '\r')
        q += s[q + 1] == '\n' ? 2 : 1;
    else if (s[q] == '\n')
        q++;
    else if (q >= lx->len) {
        fail_as(lx, LEXERR_QUIET, q, "unexpected EOF while parsing"); /* CPython adds a newline */
        return q;
    } else {
        fail_as(lx, LEXERR_QUIET, q, "unexpected character after line continuation character");
        return q;
    }
    if (q >= lx->len) fail_as(lx, LEXERR_QUIET, q - 1, "unexpected EOF while parsing");
    return q;
}

static uint32_t line_end(const Lexer *lx, uint32_t p)
{
    while (p < lx->len && lx->src[p] != '\n' && lx->src[p] != '\r')
        p++;
    return p;
}

/* Compares the new line's columns with the indentation stack; emits INDENT or DEDENTs. */
static void indent_to(Lexer *lx, uint32_t col, uint32_t altcol, uint32_t line_start, uint32_t p)
{
    uint32_t n = lx->nindent;
    if (col > lx->indents[n]) {
        if (n + 1 >= MAX_INDENT) {
            fail_as(lx, LEXERR_QUIET, line_start, "too many levels of indentation"); /* column 1 */
            return;
        }
        if (altcol <= lx->altindents[n]) {
            fail_as(lx, LEXERR_QUIET, line_start,
                    "inconsistent use of tabs and spaces in indentation");
            return;
        }
        lx->nindent = ++n;
        lx->indents[n] = col;
        lx->altindents[n] = altcol;
        emit(lx, TK_INDENT, line_start, p);
        return;
    }
    while (n > 0 && col < lx->indents[n])
        n--;
    if (col != lx->indents[n]) { /* no DEDENT before the error, as in CPython */
        fail_as(lx, LEXERR_QUIET, line_end(lx, p),
                "unindent does not match any outer indentation level");
        return;
    }
    if (altcol != lx->altindents[n]) {
        fail_as(lx, LEXERR_QUIET, line_start, "inconsistent use of tabs and spaces in indentation");
        return;
    }
    for (; lx->nindent > n; lx->nindent--)
        emit(lx, TK_DEDENT, p, p);
}

/* At the start of a physical line: measures indentation (CPython tok_get_normal_mode, atbol). */
static void read_indent(Lexer *lx)
{
    const char *s = lx->src;
    uint32_t p = lx->pos, line_start = p, col = 0, altcol = 0, cont_col = 0;
    lx->atbol = false;
    while (s[p] == ' ')
        p++;
    col = altcol = p - line_start;
    for (;;) {
        char c = s[p];
        if (c == ' ') {
            col++, altcol++;
        } else if (c == '\t') {
            col = (col / TABSIZE + 1) * TABSIZE;
            altcol++;
        } else if (c == '\f') {
            col = altcol = 0;
        } else if (c == '\\') {
            cont_col = cont_col ? cont_col : col;
            p = continuation(lx, p);
            if (lx->failed) return;
            continue;
        } else {
            break;
        }
        p++;
    }
    lx->pos = p;
    char c = s[p];
    lx->blank = c == '#' || c == '\n' || c == '\r' || p >= lx->len;
    if (lx->blank || lx->level > 0) return;
    if (cont_col) col = altcol = cont_col;
    indent_to(lx, col, altcol, line_start, p);
}

static void read_newline(Lexer *lx, uint32_t p)
{
    uint32_t end = p + (lx->src[p] == '\r' && lx->src[p + 1] == '\n' ? 2 : 1);
    if (!lx->blank && lx->level == 0) emit(lx, TK_NEWLINE, p, end);
    lx->pos = end;
    lx->atbol = true;
    lx->brk = true;
}

static void skip_comment(Lexer *lx, uint32_t p)
{
    const char *s = lx->src;
    while (p + 8 <= lx->len && !(has_byte(load8(s + p), '\n') | has_byte(load8(s + p), '\r')))
        p += 8;
    while (s[p] != '\n' && s[p] != '\r' && s[p] != '\0')
        p++;
    lx->pos = p;
}

/* ---- driver --------------------------------------------------------------------------------- */

/* One token (or none, for whitespace, comments, continuations) in regular mode. Inlined into
 * the fast loop of run(). */
__attribute__((always_inline)) static inline void read_token(Lexer *lx)
{
    const char *s = lx->src;
    uint32_t p = lx->pos;
    if (s[p] == ' ') p++;
    while (cclass[(unsigned char)s[p]] == CC_SPACE)
        p++;
    lx->pos = p;
    switch (cclass[(unsigned char)s[p]]) {
        case CC_ID:
        case CC_HIGH: read_name(lx, p); return;
        case CC_DIGIT: read_number(lx, p); return;
        case CC_OP: read_op(lx, p); return;
        case CC_SINGLE:
            emit(lx, single_kind[(unsigned char)s[p]], p, p + 1);
            lx->pos = p + 1;
            return;
        case CC_OPEN: open_bracket(lx, p, s[p], single_kind[(unsigned char)s[p]]); return;
        case CC_CLOSE: close_bracket(lx, p, s[p], single_kind[(unsigned char)s[p]]); return;
        case CC_QUOTE: read_string(lx, p, p); return;
        case CC_NL: read_newline(lx, p); return;
        case CC_HASH: skip_comment(lx, p); return;
        case CC_DOT:
            if (is_digit((unsigned char)s[p + 1]))
                read_number(lx, p);
            else
                read_op(lx, p);
            return;
        case CC_BSLASH: lx->pos = continuation(lx, p); return;
        case CC_NUL:
            lx->done = true;
            lx->brk = true;
            return;
        default: bad_char(lx, p); return;
    }
}

/* The slow path of the driver: line starts, f-string text, the end. */
static void step(Lexer *lx)
{
    if (lx->nfstr) {
        LexMode m = lex_mode(lx);
        if (m != MODE_REGULAR) {
            read_fstring_text(lx, m == MODE_SPEC);
            return;
        }
    }
    if (lx->atbol)
        read_indent(lx);
    else
        read_token(lx);
}

static void run(Lexer *lx)
{
    while (!lx->done && !lx->failed) {
        lx->brk = false;
        if (lx->atbol || lx->nfstr) {
            step(lx);
            continue;
        }
        do /* fast path: ordinary tokens until a line break, an f-string or the end */
            read_token(lx);
        while (!lx->brk);
    }
}

/* End of input: unclosed brackets, the implicit NEWLINE, DEDENTs, ENDMARKER. */
static void finish(Lexer *lx)
{
    if (lx->level > 0) {
        const Bracket *b = &lx->brackets[lx->level - 1];
        fail_as(lx, LEXERR_UNCLOSED, b->pos, "'%c' was never closed", b->ch);
        return;
    }
    uint32_t end = lx->len;
    if (!lx->blank && !lx->atbol) emit(lx, TK_NEWLINE, end, end);
    for (; lx->nindent > 0; lx->nindent--)
        emit(lx, TK_DEDENT, end, end);
    emit(lx, TK_ENDMARKER, end, end);
}

/* After an error: ERRORTOKEN where lexing stopped (never before the last token), ENDMARKER. */
static void stop_tokens(Lexer *lx)
{
    uint32_t at = lx->err->span.start;
    if (lx->toks.n && at < VEC_LAST(lx->toks).span.end) at = VEC_LAST(lx->toks).span.end;
    if (at > lx->len) at = lx->len;
    lx->err->tok = lx->toks.n;
    emit(lx, TK_ERRORTOKEN, at, at);
    emit(lx, TK_ENDMARKER, at, at);
}

/* Gives the token Vec's buffer, shrunk to its length, to the arena: no copy, and no second
 * array at the peak (realloc of a big mmap'd buffer only remaps it). */
static Token *adopt_tokens(Arena *a, Lexer *lx)
{
    size_t size = sizeof(Token) * lx->toks.n;
    Token *items = xrealloc(lx->toks.items, size ? size : sizeof(Token));
    arena_adopt(a, items, size);
    lx->toks.items = NULL;
    return items;
}

int lex_all(const char *text, uint32_t len, Arena *a, TokenArray *out, LexError *err)
{
    Lexer *lx = xcalloc(1, sizeof *lx);
    lx->src = text;
    lx->len = len;
    lx->err = err;
    lx->atbol = true;
    lx->blank = true;
    memset(err, 0, sizeof *err);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) lx->pos = 3;
    VEC_GROW(lx->toks, len / 4 + 16);
    if (check_text(lx)) {
        run(lx);
        if (!lx->failed) finish(lx);
    }
    if (lx->failed) stop_tokens(lx);
    int rc = lx->failed ? -1 : 0;
    out->n = lx->toks.n;
    out->items = adopt_tokens(a, lx);
    free(lx);
    return rc;
}

const char *tok_name(TokenKind kind)
{
    static const char *const names[] = {
#define X(k, t) #k,
#include "tokens.def"
#undef X
    };
    return names[kind];
}

const char *tok_text(TokenKind kind)
{
    static const char *const texts[] = {
#define X(k, t) t,
#include "tokens.def"
#undef X
    };
    return texts[kind];
}
