/* Unit tests for src/syntax/lexer.c: every token family, indentation, f-string modes, errors
 * and their positions. Expected messages and offsets were checked against CPython 3.12. */
#include "test.h"

#include <stdlib.h>

#include "base/arena.h"
#include "syntax/lexer.h"

static char out[16384];

static bool has_text(TokenKind k)
{
    return k == TK_NAME || k == TK_NUMBER || k == TK_STRING || k == TK_FSTRING_START ||
           k == TK_FSTRING_MIDDLE || k == TK_FSTRING_END;
}

/* Lexes n bytes; returns "KIND KIND:text ..." or "error@offset: message". With spans, each
 * token is followed by @start-end. */
static const char *lexn(const char *src, size_t n, bool spans)
{
    Arena a;
    arena_init(&a);
    TokenArray t;
    LexError e;
    size_t len = 0;
    out[0] = '\0';
    if (lex_all(src, (uint32_t)n, &a, &t, &e) != 0) {
        snprintf(out, sizeof out, "error@%u: %s", e.span.start, e.msg);
        arena_free(&a);
        return out;
    }
    for (uint32_t i = 0; i < t.n && len < sizeof out - 200; i++) {
        Token *k = &t.items[i];
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? " " : "",
                                tok_name((TokenKind)k->kind));
        if (has_text((TokenKind)k->kind))
            len += (size_t)snprintf(out + len, sizeof out - len, ":%.*s",
                                    (int)(k->span.end - k->span.start), src + k->span.start);
        if (spans)
            len +=
                (size_t)snprintf(out + len, sizeof out - len, "@%u-%u", k->span.start, k->span.end);
    }
    arena_free(&a);
    return out;
}

static const char *lex(const char *src)
{
    return lexn(src, strlen(src), false);
}

static const char *lex_spans(const char *src)
{
    return lexn(src, strlen(src), true);
}

static void test_names_keywords(void)
{
    CHECK_STR(lex("x = None\n"), "NAME:x EQUAL KW_NONE NEWLINE ENDMARKER");
    CHECK_STR(lex("if not a and b or c is d in e: pass\n"),
              "KW_IF KW_NOT NAME:a KW_AND NAME:b KW_OR NAME:c KW_IS NAME:d KW_IN NAME:e COLON "
              "KW_PASS NEWLINE ENDMARKER");
    CHECK_STR(lex("False True async await break class continue def del elif else except"),
              "KW_FALSE KW_TRUE KW_ASYNC KW_AWAIT KW_BREAK KW_CLASS KW_CONTINUE KW_DEF KW_DEL "
              "KW_ELIF KW_ELSE KW_EXCEPT NEWLINE ENDMARKER");
    CHECK_STR(lex("finally for from global import lambda nonlocal raise return try while with "
                  "yield assert as"),
              "KW_FINALLY KW_FOR KW_FROM KW_GLOBAL KW_IMPORT KW_LAMBDA KW_NONLOCAL KW_RAISE "
              "KW_RETURN KW_TRY KW_WHILE KW_WITH KW_YIELD KW_ASSERT KW_AS NEWLINE ENDMARKER");
    /* soft keywords and near-keywords stay NAME */
    CHECK_STR(lex("match case type _ Def none iff _if print"),
              "NAME:match NAME:case NAME:type NAME:_ NAME:Def NAME:none NAME:iff NAME:_if "
              "NAME:print NEWLINE ENDMARKER");
    CHECK_STR(lex("\xc3\xa9t\xc3\xa9 = na\xc3\xafve + \xe6\x97\xa5\xe6\x9c\xac"),
              "NAME:\xc3\xa9t\xc3\xa9 EQUAL NAME:na\xc3\xafve PLUS NAME:\xe6\x97\xa5\xe6\x9c\xac "
              "NEWLINE ENDMARKER");
    CHECK_STR(lex("x = \xe2\x82\xac\n"), "error@4: invalid character '\xe2\x82\xac' (U+20AC)");
    CHECK_STR(lex("a\xe2\x82\xac\n"), "error@1: invalid character '\xe2\x82\xac' (U+20AC)");
    CHECK_STR(lex("x = a\xc2\xa0"
                  "b\n"),
              "error@5: invalid non-printable character U+00A0");
    CHECK_STR(lex("x = $\n"), "error@4: invalid syntax");
    CHECK_STR(lex("a ? b"), "error@2: invalid syntax");
    CHECK_STR(lex("x = \x01\n"), "error@4: invalid non-printable character U+0001");
}

static void test_operators(void)
{
    CHECK_STR(lex("+ - * / // % ** @ << >> & | ^ ~ < > <= >= == != -> := ... . , ; : = !"),
              "PLUS MINUS STAR SLASH DOUBLESLASH PERCENT DOUBLESTAR AT LEFTSHIFT RIGHTSHIFT AMPER "
              "VBAR CIRCUMFLEX TILDE LESS GREATER LESSEQUAL GREATEREQUAL EQEQUAL NOTEQUAL RARROW "
              "COLONEQUAL ELLIPSIS DOT COMMA SEMI COLON EQUAL EXCLAMATION NEWLINE ENDMARKER");
    CHECK_STR(lex("+= -= *= /= //= %= **= @= <<= >>= &= |= ^="),
              "PLUSEQUAL MINEQUAL STAREQUAL SLASHEQUAL DOUBLESLASHEQUAL PERCENTEQUAL "
              "DOUBLESTAREQUAL ATEQUAL LEFTSHIFTEQUAL RIGHTSHIFTEQUAL AMPEREQUAL VBAREQUAL "
              "CIRCUMFLEXEQUAL NEWLINE ENDMARKER");
    /* longest match without spaces */
    CHECK_STR(lex("a**=b//c<<=d...e..f->g"),
              "NAME:a DOUBLESTAREQUAL NAME:b DOUBLESLASH NAME:c LEFTSHIFTEQUAL NAME:d ELLIPSIS "
              "NAME:e DOT DOT NAME:f RARROW NAME:g NEWLINE ENDMARKER");
    CHECK_STR(lex("([{}])"), "LPAR LSQB LBRACE RBRACE RSQB RPAR NEWLINE ENDMARKER");
}

static void test_numbers(void)
{
    CHECK_STR(lex("0 00 0_0 7 1_000 0xDEAD_beef 0o17 0O7 0b1_0 0B1"),
              "NUMBER:0 NUMBER:00 NUMBER:0_0 NUMBER:7 NUMBER:1_000 NUMBER:0xDEAD_beef "
              "NUMBER:0o17 NUMBER:0O7 NUMBER:0b1_0 NUMBER:0B1 NEWLINE ENDMARKER");
    CHECK_STR(lex("1.5 .5 5. 1e10 1E-5 1.5e+3 1_0.0_1e1_0 09.5 0e0"),
              "NUMBER:1.5 NUMBER:.5 NUMBER:5. NUMBER:1e10 NUMBER:1E-5 NUMBER:1.5e+3 "
              "NUMBER:1_0.0_1e1_0 NUMBER:09.5 NUMBER:0e0 NEWLINE ENDMARKER");
    CHECK_STR(lex("1j 1.5J .5j 1e5j 0j 00j"),
              "NUMBER:1j NUMBER:1.5J NUMBER:.5j NUMBER:1e5j NUMBER:0j NUMBER:00j NEWLINE "
              "ENDMARKER");
    /* a keyword may follow a number directly (CPython warns only) */
    CHECK_STR(lex("1if x else 2"), "NUMBER:1 KW_IF NAME:x KW_ELSE NUMBER:2 NEWLINE ENDMARKER");
    CHECK_STR(lex("1else"), "NUMBER:1 KW_ELSE NEWLINE ENDMARKER");
    CHECK_STR(lex("1or 2"), "NUMBER:1 KW_OR NUMBER:2 NEWLINE ENDMARKER");
    CHECK_STR(lex("x.y 1 .y"), "NAME:x DOT NAME:y NUMBER:1 DOT NAME:y NEWLINE ENDMARKER");
    /* errors, at CPython's offsets */
    CHECK_STR(lex("x = 0_\n"), "error@5: invalid decimal literal");
    CHECK_STR(lex("x = 1__0\n"), "error@5: invalid decimal literal");
    CHECK_STR(lex("x = 1_\n"), "error@5: invalid decimal literal");
    CHECK_STR(lex("x = 012\n"), "error@4: leading zeros in decimal integer literals are not "
                                "permitted; use an 0o prefix for octal integers");
    CHECK_STR(lex("x = 0x\n"), "error@5: invalid hexadecimal literal");
    CHECK_STR(lex("x = 0xfg\n"), "error@6: invalid hexadecimal literal");
    CHECK_STR(lex("x = 0o8\n"), "error@6: invalid digit '8' in octal literal");
    CHECK_STR(lex("x = 0o7_8\n"), "error@8: invalid digit '8' in octal literal");
    CHECK_STR(lex("x = 0o\n"), "error@5: invalid octal literal");
    CHECK_STR(lex("x = 0b2\n"), "error@6: invalid digit '2' in binary literal");
    CHECK_STR(lex("x = 0b1_\n"), "error@7: invalid binary literal");
    CHECK_STR(lex("x = 1e\n"), "error@4: invalid decimal literal");
    CHECK_STR(lex("x = 1e+\n"), "error@6: invalid decimal literal");
    CHECK_STR(lex("x = 1abc\n"), "error@4: invalid decimal literal");
    CHECK_STR(lex("x = 1._5\n"), "error@5: invalid decimal literal");
    CHECK_STR(lex("x = 1.5j2\n"), "error@7: invalid imaginary literal");
    CHECK_STR(lex("x = 1andy\n"), "error@4: invalid decimal literal");
}

static void test_strings(void)
{
    CHECK_STR(lex("'a' \"b\" '' \"\" '''c''' \"\"\"d\"\"\" '''''' \"\"\"\"\"\""),
              "STRING:'a' STRING:\"b\" STRING:'' STRING:\"\" STRING:'''c''' STRING:\"\"\"d\"\"\" "
              "STRING:'''''' STRING:\"\"\"\"\"\" NEWLINE ENDMARKER");
    CHECK_STR(lex("r'a' u'b' b'c' br'd' rb'e' Rb'f' bR'g' BR'h' U'i' R'j'"),
              "STRING:r'a' STRING:u'b' STRING:b'c' STRING:br'd' STRING:rb'e' STRING:Rb'f' "
              "STRING:bR'g' STRING:BR'h' STRING:U'i' STRING:R'j' NEWLINE ENDMARKER");
    /* invalid prefix combinations are names followed by a string */
    CHECK_STR(lex("ur'a' bu'b' rr'c' fb'd'"),
              "NAME:ur STRING:'a' NAME:bu STRING:'b' NAME:rr STRING:'c' NAME:fb STRING:'d' "
              "NEWLINE ENDMARKER");
    /* escapes are skipped, also in raw strings */
    CHECK_STR(lex("'a\\'b' \"\\\"\" '\\\\' r'\\'' r\"\\\"\""),
              "STRING:'a\\'b' STRING:\"\\\"\" STRING:'\\\\' STRING:r'\\'' STRING:r\"\\\"\" NEWLINE "
              "ENDMARKER");
    CHECK_STR(lex("'a\\\nb'"), "STRING:'a\\\nb' NEWLINE ENDMARKER");
    CHECK_STR(lex("'''a\n'b'\n\"\"c'''"), "STRING:'''a\n'b'\n\"\"c''' NEWLINE ENDMARKER");
    CHECK_STR(lex("x = 'abc\n"), "error@4: unterminated string literal (detected at line 1)");
    CHECK_STR(lex("x = b'abc\n"), "error@4: unterminated string literal (detected at line 1)");
    CHECK_STR(lex("x = 'abc\\"), "error@4: unterminated string literal (detected at line 1)");
    CHECK_STR(lex("x = \"a\" \"b\n"), "error@8: unterminated string literal (detected at line 1)");
    CHECK_STR(lex("x = \"\"\"abc\n\nd"),
              "error@4: unterminated triple-quoted string literal (detected at line 3)");
    CHECK_STR(lex("x = \"\"\"abc\n"),
              "error@4: unterminated triple-quoted string literal (detected at line 1)");
}

static void test_fstrings(void)
{
    CHECK_STR(lex("f'a{b}c'"),
              "FSTRING_START:f' FSTRING_MIDDLE:a LBRACE NAME:b RBRACE FSTRING_MIDDLE:c "
              "FSTRING_END:' NEWLINE ENDMARKER");
    CHECK_STR(lex("f'' F\"\" rf'' fR'' Rf'x' f'''{x}'''"),
              "FSTRING_START:f' FSTRING_END:' FSTRING_START:F\" FSTRING_END:\" FSTRING_START:rf' "
              "FSTRING_END:' FSTRING_START:fR' FSTRING_END:' FSTRING_START:Rf' FSTRING_MIDDLE:x "
              "FSTRING_END:' FSTRING_START:f''' LBRACE NAME:x RBRACE FSTRING_END:''' NEWLINE "
              "ENDMARKER");
    /* conversion, debugging '=', '!=' and a format spec with nested fields */
    CHECK_STR(lex("f'{x!r:>{w}.{p}f}'"),
              "FSTRING_START:f' LBRACE NAME:x EXCLAMATION NAME:r COLON FSTRING_MIDDLE:> LBRACE "
              "NAME:w RBRACE FSTRING_MIDDLE:. LBRACE NAME:p RBRACE FSTRING_MIDDLE:f RBRACE "
              "FSTRING_END:' NEWLINE ENDMARKER");
    CHECK_STR(lex("f'{x=} {a!=b} {x = !s}'"),
              "FSTRING_START:f' LBRACE NAME:x EQUAL RBRACE FSTRING_MIDDLE:  LBRACE NAME:a "
              "NOTEQUAL NAME:b RBRACE FSTRING_MIDDLE:  LBRACE NAME:x EQUAL EXCLAMATION NAME:s "
              "RBRACE FSTRING_END:' NEWLINE ENDMARKER");
    /* ':' inside brackets is not a spec; ':=' at depth 0 is a spec "=10" */
    CHECK_STR(lex("f'{d[1:2]}{(y:=1)}{x:=10}'"),
              "FSTRING_START:f' LBRACE NAME:d LSQB NUMBER:1 COLON NUMBER:2 RSQB RBRACE LBRACE "
              "LPAR NAME:y COLONEQUAL NUMBER:1 RPAR RBRACE LBRACE NAME:x COLON FSTRING_MIDDLE:=10 "
              "RBRACE FSTRING_END:' NEWLINE ENDMARKER");
    /* PEP 701: the same quote nested, and nested f-strings */
    CHECK_STR(lex("f\"{\"a\"} {f\"{1}\"}\""),
              "FSTRING_START:f\" LBRACE STRING:\"a\" RBRACE FSTRING_MIDDLE:  LBRACE "
              "FSTRING_START:f\" LBRACE NUMBER:1 RBRACE FSTRING_END:\" RBRACE FSTRING_END:\" "
              "NEWLINE ENDMARKER");
    /* doubled braces stay in the middle text; a dict display inside a field */
    CHECK_STR(lex("f'{{a}} {{{b}}}' f'{ {1: 2}[1] }'"),
              "FSTRING_START:f' FSTRING_MIDDLE:{{a}} {{ LBRACE NAME:b RBRACE FSTRING_MIDDLE:}} "
              "FSTRING_END:' FSTRING_START:f' LBRACE LBRACE NUMBER:1 COLON NUMBER:2 RBRACE LSQB "
              "NUMBER:1 RSQB RBRACE FSTRING_END:' NEWLINE ENDMARKER");
    /* escapes: \N{...} is text, \{ leaves the brace to open a field, raw keeps \N */
    CHECK_STR(lex("f'\\N{DASH}{x}\\{y}\\'' rf'\\N{x}'"),
              "FSTRING_START:f' FSTRING_MIDDLE:\\N{DASH} LBRACE NAME:x RBRACE FSTRING_MIDDLE:\\ "
              "LBRACE NAME:y RBRACE FSTRING_MIDDLE:\\' FSTRING_END:' FSTRING_START:rf' "
              "FSTRING_MIDDLE:\\N LBRACE NAME:x RBRACE FSTRING_END:' NEWLINE ENDMARKER");
    /* an expression may span lines (with a comment); no NEWLINE inside */
    CHECK_STR(lex("f'''a{\n  x # c\n  + 1\n}b\n'''\n"),
              "FSTRING_START:f''' FSTRING_MIDDLE:a LBRACE NAME:x PLUS NUMBER:1 RBRACE "
              "FSTRING_MIDDLE:b\n FSTRING_END:''' NEWLINE ENDMARKER");
    CHECK_STR(lex("f'{1+\n2}'\n"), "FSTRING_START:f' LBRACE NUMBER:1 PLUS NUMBER:2 RBRACE "
                                   "FSTRING_END:' NEWLINE ENDMARKER");
    CHECK_STR(lex("f'{x:{y}}}}'"), "FSTRING_START:f' LBRACE NAME:x COLON LBRACE NAME:y RBRACE "
                                   "RBRACE FSTRING_MIDDLE:}} FSTRING_END:' NEWLINE ENDMARKER");
    CHECK_STR(lex_spans("f'a{b}'"), "FSTRING_START:f'@0-2 FSTRING_MIDDLE:a@2-3 LBRACE@3-4 "
                                    "NAME:b@4-5 RBRACE@5-6 FSTRING_END:'@6-7 NEWLINE@7-7 "
                                    "ENDMARKER@7-7");
}

static void test_fstring_errors(void)
{
    CHECK_STR(lex("f\"{x\"\n"), "error@4: f-string: expecting '}'");
    CHECK_STR(lex("f\"{x!r\"\n"), "error@5: f-string: expecting '}'");
    CHECK_STR(lex("f\"{x\n"), "error@2: '{' was never closed");
    CHECK_STR(lex("f\"{x:abc\"\n"), "error@8: f-string: expecting '}', or format specs");
    CHECK_STR(lex("f\"abc\n"), "error@0: unterminated f-string literal (detected at line 1)");
    CHECK_STR(lex("x = f'''abc\n\n"),
              "error@4: unterminated triple-quoted f-string literal (detected at line 2)");
    CHECK_STR(lex("f\"a}b\"\n"), "error@3: f-string: single '}' is not allowed");
    CHECK_STR(lex("f\"{)}\"\n"), "error@3: f-string: unmatched ')'");
    CHECK_STR(lex("f\"{x]}\"\n"), "error@4: f-string: unmatched ']'");
    CHECK_STR(lex("f\"{x:{y:{z:{w}}}}\"\n"), "error@10: f-string: expressions nested too deeply");
    /* nesting deeper than the f-string stack is an error, not a crash */
    char *deep = malloc(4000);
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(deep + n, 4000 - n, "f'{");
    deep[n] = '\0';
    CHECK_STR(lex(deep), "error@447: too many nested f-strings");
    free(deep);
}

static void test_indentation(void)
{
    CHECK_STR(lex("if x:\n    y\n    if z:\n        w\nv\n"),
              "KW_IF NAME:x COLON NEWLINE INDENT NAME:y NEWLINE KW_IF NAME:z COLON NEWLINE INDENT "
              "NAME:w NEWLINE DEDENT DEDENT NAME:v NEWLINE ENDMARKER");
    CHECK_STR(lex_spans("if x:\n  y\n"), "KW_IF@0-2 NAME:x@3-4 COLON@4-5 NEWLINE@5-6 INDENT@6-8 "
                                         "NAME:y@8-9 NEWLINE@9-10 DEDENT@10-10 ENDMARKER@10-10");
    /* blank and comment-only lines produce nothing, at any indentation */
    CHECK_STR(lex("if x:\n\n      # c\n  y\n# d\n\n  z\n"),
              "KW_IF NAME:x COLON NEWLINE INDENT NAME:y NEWLINE NAME:z NEWLINE DEDENT ENDMARKER");
    /* tabs go to multiples of 8; a tab equals 8 spaces only when consistent */
    CHECK_STR(lex("if x:\n\ty\n\tif z:\n\t\tw\n"),
              "KW_IF NAME:x COLON NEWLINE INDENT NAME:y NEWLINE KW_IF NAME:z COLON NEWLINE INDENT "
              "NAME:w NEWLINE DEDENT DEDENT ENDMARKER");
    CHECK_STR(lex("if x:\n        a\n\tb\n"),
              "error@16: inconsistent use of tabs and spaces in indentation");
    CHECK_STR(lex("if x:\n\ta\n        b\n"),
              "error@9: inconsistent use of tabs and spaces in indentation");
    CHECK_STR(lex("if x:\n  a\n b\n"),
              "error@12: unindent does not match any outer indentation level");
    /* a form feed resets the column */
    CHECK_STR(lex("if x:\n  y\n  \f  z\n\f\n"),
              "KW_IF NAME:x COLON NEWLINE INDENT NAME:y NEWLINE NAME:z NEWLINE DEDENT ENDMARKER");
    CHECK_STR(lex("if x:\n  y\n  \f z\n"),
              "error@15: unindent does not match any outer indentation level");
    CHECK_STR(lex("\fx = 1\n"), "NAME:x EQUAL NUMBER:1 NEWLINE ENDMARKER");
    /* INDENT tokens are the parser's to reject */
    CHECK_STR(lex("  x\n"), "INDENT NAME:x NEWLINE DEDENT ENDMARKER");
    /* too deep */
    char *deep = malloc(20000);
    size_t n = 0;
    for (int i = 0; i < 101; i++)
        n += (size_t)snprintf(deep + n, 20000 - n, "%*sif x:\n", i, "");
    n += (size_t)snprintf(deep + n, 20000 - n, "%*spass\n", 101, "");
    CHECK(strstr(lex(deep), "too many levels of indentation") != NULL);
    free(deep);
}

static void test_lines(void)
{
    /* NEWLINE only at the end of logical lines; none inside brackets */
    CHECK_STR(lex("x = (1,\n  2,\n\n  # c\n  3)\ny = [\n]\n"),
              "NAME:x EQUAL LPAR NUMBER:1 COMMA NUMBER:2 COMMA NUMBER:3 RPAR NEWLINE NAME:y EQUAL "
              "LSQB RSQB NEWLINE ENDMARKER");
    /* an implicit NEWLINE at the end of input, before the DEDENTs */
    CHECK_STR(lex_spans("if x:\n  y"), "KW_IF@0-2 NAME:x@3-4 COLON@4-5 NEWLINE@5-6 INDENT@6-8 "
                                       "NAME:y@8-9 NEWLINE@9-9 DEDENT@9-9 ENDMARKER@9-9");
    CHECK_STR(lex("x # comment"), "NAME:x NEWLINE ENDMARKER");
    CHECK_STR(lex("# only\n# comments"), "ENDMARKER");
    CHECK_STR(lex(""), "ENDMARKER");
    CHECK_STR(lex("\n\n  \n"), "ENDMARKER");
    /* backslash continuation */
    CHECK_STR(lex("x = 1 + \\\n    2\n"), "NAME:x EQUAL NUMBER:1 PLUS NUMBER:2 NEWLINE ENDMARKER");
    CHECK_STR(lex("if x:\n    a = \\\n1\n    b\n"),
              "KW_IF NAME:x COLON NEWLINE INDENT NAME:a EQUAL NUMBER:1 NEWLINE NAME:b NEWLINE "
              "DEDENT ENDMARKER");
    CHECK_STR(lex("x = 1 \\ \n"),
              "error@7: unexpected character after line continuation character");
    CHECK_STR(lex("x = 1 \\\n"), "error@7: unexpected EOF while parsing");
    CHECK_STR(lex("x = 1 \\"), "error@7: unexpected EOF while parsing");
    /* CRLF and lone CR line ends; the NEWLINE covers the whole line break */
    CHECK_STR(lex_spans("a\r\nif b:\r    c\r"),
              "NAME:a@0-1 NEWLINE@1-3 KW_IF@3-5 NAME:b@6-7 COLON@7-8 NEWLINE@8-9 INDENT@9-13 "
              "NAME:c@13-14 NEWLINE@14-15 DEDENT@15-15 ENDMARKER@15-15");
    CHECK_STR(lex("x = 1 \\\r\n  + 2\r\n"),
              "NAME:x EQUAL NUMBER:1 PLUS NUMBER:2 NEWLINE ENDMARKER");
    /* a UTF-8 BOM at the start is skipped; elsewhere it is an error */
    CHECK_STR(lex_spans("\xef\xbb\xbfx\n"), "NAME:x@3-4 NEWLINE@4-5 ENDMARKER@5-5");
    CHECK_STR(lex("x = \xef\xbb\xbf"
                  "1\n"),
              "error@4: invalid non-printable character U+FEFF");
    /* NUL bytes and invalid UTF-8 anywhere */
    CHECK_STR(lexn("x = 1\ny = \0\n", 12, false),
              "error@10: source code cannot contain null bytes");
    CHECK_STR(lex("# \xff\n"),
              "error@2: invalid utf-8: can't decode byte 0xff: invalid start byte");
    CHECK_STR(lex("'\xc3('"),
              "error@1: invalid utf-8: can't decode byte 0xc3: invalid continuation byte");
    CHECK_STR(lex("x\xed\xa0\x80"),
              "error@1: invalid utf-8: can't decode byte 0xed: invalid continuation byte");
    CHECK_STR(lex("x\xc0\xaf"),
              "error@1: invalid utf-8: can't decode byte 0xc0: invalid start byte");
    CHECK_STR(lex("x\xe2\x82"),
              "error@1: invalid utf-8: can't decode byte 0xe2: invalid continuation byte");
}

static void test_brackets(void)
{
    CHECK_STR(lex("x = (\n"), "error@4: '(' was never closed");
    CHECK_STR(lex("x = ([\n"), "error@5: '[' was never closed");
    CHECK_STR(lex("x = )\n"), "error@4: unmatched ')'");
    CHECK_STR(lex("print(1))\n"), "error@8: unmatched ')'");
    CHECK_STR(lex("x = (]\n"),
              "error@5: closing parenthesis ']' does not match opening parenthesis '('");
    CHECK_STR(lex("x = (\n]\n"),
              "error@6: closing parenthesis ']' does not match opening parenthesis '(' on line 1");
    CHECK_STR(lex("x = [1, 2}\n"),
              "error@9: closing parenthesis '}' does not match opening parenthesis '['");
    char deep[260];
    memset(deep, '(', 250);
    deep[250] = '\0';
    CHECK_STR(lex(deep), "error@200: too many nested parentheses");
}

static void test_names_api(void)
{
    CHECK_STR(tok_name(TK_NAME), "NAME");
    CHECK_STR(tok_name(TK_KW_YIELD), "KW_YIELD");
    CHECK_STR(tok_text(TK_LPAR), "(");
    CHECK_STR(tok_text(TK_KW_DEF), "def");
}

/* On an error the tokens before it come back, then ERRORTOKEN and ENDMARKER. */
static const char *lex_partial(const char *src, LexError *e)
{
    Arena a;
    arena_init(&a);
    TokenArray t;
    size_t len = 0;
    out[0] = '\0';
    int rc = lex_all(src, (uint32_t)strlen(src), &a, &t, e);
    for (uint32_t i = 0; rc != 0 && i < t.n; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s@%u", i ? " " : "",
                                tok_name((TokenKind)t.items[i].kind), t.items[i].span.start);
    arena_free(&a);
    return out;
}

static void test_partial_tokens(void)
{
    LexError e;
    CHECK_STR(lex_partial("x = 1\ny = 'a\n", &e),
              "NAME@0 EQUAL@2 NUMBER@4 NEWLINE@5 NAME@6 EQUAL@8 ERRORTOKEN@10 ENDMARKER@10");
    CHECK(e.kind == LEXERR_RAISED && e.tok == 6);
    /* a bad dedent: no DEDENT before the error, which is quiet (reported when reached) */
    CHECK_STR(lex_partial("if x:\n    a\n  b\n", &e),
              "KW_IF@0 NAME@3 COLON@4 NEWLINE@5 INDENT@6 NAME@10 NEWLINE@11 ERRORTOKEN@15 "
              "ENDMARKER@15");
    CHECK(e.kind == LEXERR_QUIET && e.span.start == 15);
    CHECK_STR(lex_partial("f'{a)}'\n", &e),
              "FSTRING_START@0 LBRACE@2 NAME@3 ERRORTOKEN@4 ENDMARKER@4");
    CHECK(e.kind == LEXERR_QUIET); /* inside an f-string */
    lex_partial("x = (\n1\n", &e);
    CHECK(e.kind == LEXERR_UNCLOSED && e.span.start == 4);
    lex_partial("x = 1  # \xff\n", &e);
    CHECK(e.kind == LEXERR_FATAL && e.tok == 0);
}

int main(void)
{
    test_names_keywords();
    test_operators();
    test_numbers();
    test_strings();
    test_fstrings();
    test_fstring_errors();
    test_indentation();
    test_lines();
    test_brackets();
    test_names_api();
    test_partial_tokens();
    return test_report("test_lexer");
}
