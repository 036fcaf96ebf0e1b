#include "cmd_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/source.h"
#include "../syntax/ast_dump.h"
#include "../syntax/encoding.h"
#include "../syntax/lexer.h"
#include "../syntax/parser.h"

typedef enum { MODE_CHECK, MODE_DUMP, MODE_TOKENS } ParseMode;

typedef struct ParseOpts {
    ParseMode mode;
    int pyver;
} ParseOpts;

static void print_diags(Source *src, DiagList *diags)
{
    for (uint32_t i = 0; i < diags->n; i++) {
        Diag *d = &diags->items[i];
        LineCol lc = source_linecol(src, d->span.start);
        fprintf(stderr, "%s:%u:%u: %s\n", src->path, lc.line, lc.col_byte + 1, d->message);
    }
}

static void dump_tokens(Source *src, const TokenArray *toks, Buf *out)
{
    for (uint32_t i = 0; i < toks->n; i++) {
        const Token *t = &toks->items[i];
        LineCol a = source_linecol(src, t->span.start);
        LineCol b = source_linecol(src, t->span.end);
        buf_printf(out, "%u:%u-%u:%u %s", a.line, a.col_byte, b.line, b.col_byte,
                   tok_name((TokenKind)t->kind));
        if (t->kind == TK_NAME || t->kind == TK_NUMBER || t->kind == TK_STRING ||
            t->kind == TK_FSTRING_START || t->kind == TK_FSTRING_MIDDLE ||
            t->kind == TK_FSTRING_END || t->kind >= TK_KW_FALSE) {
            buf_putc(out, ' ');
            for (uint32_t j = t->span.start; j < t->span.end; j++) {
                unsigned char c = (unsigned char)src->text[j];
                if (c == '\n')
                    buf_puts(out, "\\n");
                else if (c == '\r')
                    buf_puts(out, "\\r");
                else
                    buf_putc(out, (char)c);
            }
        }
        buf_putc(out, '\n');
    }
}

static int tokens_one(Source *src, Arena *a, Buf *out)
{
    TokenArray toks;
    LexError err;
    if (enc_decode_source(src, &err) < 0 || lex_all(src->text, src->len, a, &toks, &err) != 0) {
        LineCol lc = source_linecol(src, err.span.start);
        fprintf(stderr, "%s:%u:%u: %s\n", src->path, lc.line, lc.col_byte + 1, err.msg);
        return 1;
    }
    dump_tokens(src, &toks, out);
    return 0;
}

static int parse_one(const char *path, const ParseOpts *o)
{
    Source src;
    char err[256];
    if (source_load(&src, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", path, err);
        return 3;
    }
    Arena a;
    arena_init(&a);
    Buf out;
    buf_init(&out);
    int rc = 0;
    if (o->mode == MODE_TOKENS) {
        rc = tokens_one(&src, &a, &out);
    } else {
        DiagList diags = {0};
        ParseOutput po;
        if (parse_source(&src, &a, &po, &diags) != 0) {
            print_diags(&src, &diags);
            rc = 1;
        } else if (o->mode == MODE_DUMP) {
            ast_dump(&out, &src, po.module, o->pyver);
            buf_putc(&out, '\n');
        }
        diag_list_free(&diags);
    }
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    buf_free(&out);
    arena_free(&a);
    source_free(&src);
    return rc;
}

static int parse_version(const char *s)
{
    if (strcmp(s, "3.11") == 0) return 311;
    if (strcmp(s, "3.12") == 0) return 312;
    return 0;
}

int cmd_parse(int argc, char **argv)
{
    ParseOpts o = {MODE_CHECK, 312};
    int i = 0, worst = 0, nfiles = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--dump") == 0)
            o.mode = MODE_DUMP;
        else if (strcmp(a, "--dump-tokens") == 0)
            o.mode = MODE_TOKENS;
        else if (strcmp(a, "--python") == 0 && i + 1 < argc && parse_version(argv[i + 1]))
            o.pyver = parse_version(argv[++i]);
        else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sqlasync parse: unknown option '%s'\n", a);
            return 2;
        } else {
            int rc = parse_one(a, &o);
            worst = rc > worst ? rc : worst;
            nfiles++;
        }
    }
    if (nfiles == 0) {
        fputs("sqlasync parse: no input files\n", stderr);
        return 2;
    }
    return worst;
}
