/* Unit tests for src/syntax/literal.c: prefixes, every escape, errors, numbers. Expected values
 * and messages were checked against CPython 3.12. */
#include "test.h"

#include <math.h>

#include "base/buf.h"
#include "syntax/literal.h"

static char out[1024];

/* Decodes a whole literal token (prefix and quotes included); returns the value or
 * "error@offset: message". */
static const char *dec_as(const char *tok, bool in_fstring)
{
    uint32_t len = (uint32_t)strlen(tok);
    StrPrefix p = lit_prefix(tok, len);
    uint32_t body = p.len + p.quote, blen = len - body - (in_fstring ? 0 : p.quote);
    Buf b;
    buf_init(&b);
    LitError e;
    if (lit_decode(&b, tok + body, blen, p, in_fstring, &e) != 0)
        snprintf(out, sizeof out, "error@%u: %s", e.offset, e.msg);
    else
        snprintf(out, sizeof out, "%.*s", (int)b.len, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

static const char *dec(const char *tok)
{
    return dec_as(tok, false);
}

/* Decodes an f-string middle piece with the given prefix. */
static const char *dec_middle(const char *prefix, const char *piece)
{
    char tok[256];
    snprintf(tok, sizeof tok, "%s'%s", prefix, piece);
    return dec_as(tok, true);
}

static void test_prefix(void)
{
    StrPrefix p = lit_prefix("'a'", 3);
    CHECK(!p.raw && !p.bytes && !p.fstring && !p.unicode && p.len == 0 && p.quote == 1);
    p = lit_prefix("Rb'''x'''", 9);
    CHECK(p.raw && p.bytes && !p.fstring && p.len == 2 && p.quote == 3);
    p = lit_prefix("u\"\"", 3);
    CHECK(p.unicode && p.len == 1 && p.quote == 1);
    p = lit_prefix("\"\"\"\"\"\"", 6);
    CHECK(p.len == 0 && p.quote == 3);
    p = lit_prefix("fR\"\"\"", 5); /* FSTRING_START */
    CHECK(p.fstring && p.raw && p.len == 2 && p.quote == 3);
    p = lit_prefix("f'", 2);
    CHECK(p.fstring && !p.raw && p.len == 1 && p.quote == 1);
    p = lit_prefix("'''", 3); /* FSTRING_START-like text without prefix */
    CHECK(p.quote == 3);
}

static void test_escapes(void)
{
    CHECK_STR(dec("'plain'"), "plain");
    CHECK_STR(dec("''"), "");
    CHECK_STR(dec("'\\\\ \\' \\\" \\a\\b\\f\\n\\r\\t\\v'"), "\\ ' \" \a\b\f\n\r\t\v");
    CHECK_STR(dec("'\\12\\101\\1012'"), "\nAA2");
    Buf b;
    buf_init(&b);
    LitError e;
    CHECK(lit_decode(&b, "\\0x", 3, lit_prefix("'", 1), false, &e) == 0 && b.len == 2 &&
          b.data[0] == 0 && b.data[1] == 'x');
    buf_free(&b);
    CHECK_STR(dec("'x\\101y'"), "xAy");
    CHECK_STR(dec("'\\777'"), "\xc7\xbf"); /* U+01FF: above 0o377 is a code point in str */
    CHECK_STR(dec("b'\\777'"), "\xff");    /* bytes keep the low 8 bits */
    CHECK_STR(dec("'\\x41\\x7a\\xe9'"), "Az\xc3\xa9");
    CHECK_STR(dec("b'\\x41\\xe9'"), "A\xe9");
    CHECK_STR(dec("'\\u00e9\\u20AC'"), "\xc3\xa9\xe2\x82\xac");
    CHECK_STR(dec("'\\U0001F600'"), "\xf0\x9f\x98\x80");
    CHECK_STR(dec("'\\ud800'"), "\xed\xa0\x80"); /* lone surrogate as WTF-8 */
    CHECK_STR(dec("'\\N{BULLET}!'"), "\xe2\x80\xa2!");
    CHECK_STR(dec("'\\N{bullet}\\N{LATIN CAPITAL LETTER GHA}'"),
              "\xe2\x80\xa2\xc6\xa2"); /* alias */
    CHECK_STR(dec("'\\N{CJK UNIFIED IDEOGRAPH-4E00}\\N{HANGUL SYLLABLE GAG}'"),
              "\xe4\xb8\x80\xea\xb0\x81");
    CHECK_STR(dec("'\\N{cjk compatibility ideograph-f900}'"), "\xef\xa4\x80");
    /* unknown escapes keep the backslash; \u \U \N are unknown in bytes */
    CHECK_STR(dec("'\\q\\8\\9\\ '"), "\\q\\8\\9\\ ");
    CHECK_STR(dec("b'\\u0041\\N{X}'"), "\\u0041\\N{X}");
    CHECK_STR(dec("'\\\xc3\xa9'"), "\\\xc3\xa9");
    /* raw strings keep everything */
    CHECK_STR(dec("r'\\n\\x\\'\\\\'"), "\\n\\x\\'\\\\");
    CHECK_STR(dec("rb'\\d+'"), "\\d+");
    CHECK_STR(dec("'caf\xc3\xa9'"), "caf\xc3\xa9");
}

static void test_line_breaks(void)
{
    /* backslash-newline removes both, also for CRLF and CR */
    CHECK_STR(dec("'a\\\nb'"), "ab");
    CHECK_STR(dec("'a\\\r\nb'"), "ab");
    CHECK_STR(dec("'a\\\rb'"), "ab");
    /* source line ends become \n */
    CHECK_STR(dec("'''a\r\nb\rc\nd'''"), "a\nb\nc\nd");
    CHECK_STR(dec("r'''a\r\nb\\\r\nc'''"), "a\nb\\\nc");
    CHECK_STR(dec("r'a\\\nb'"), "a\\\nb");
}

static void test_errors(void)
{
    CHECK_STR(dec("'\\x1'"), "error@0: (unicode error) 'unicodeescape' codec can't decode bytes "
                             "in position 0-2: truncated \\xXX escape");
    CHECK_STR(dec("'ab\\x1g'"), "error@2: (unicode error) 'unicodeescape' codec can't decode "
                                "bytes in position 2-4: truncated \\xXX escape");
    CHECK_STR(dec("'\xc3\xa9\\x1'"), "error@2: (unicode error) 'unicodeescape' codec can't "
                                     "decode bytes in position 10-12: truncated \\xXX escape");
    CHECK_STR(dec("'\\u12'"), "error@0: (unicode error) 'unicodeescape' codec can't decode bytes "
                              "in position 0-3: truncated \\uXXXX escape");
    CHECK_STR(dec("'\\U1234'"), "error@0: (unicode error) 'unicodeescape' codec can't decode "
                                "bytes in position 0-5: truncated \\UXXXXXXXX escape");
    CHECK_STR(dec("'\\U00110000'"), "error@0: (unicode error) 'unicodeescape' codec can't decode "
                                    "bytes in position 0-9: illegal Unicode character");
    CHECK_STR(dec("'\\N'"), "error@0: (unicode error) 'unicodeescape' codec can't decode bytes "
                            "in position 0-1: malformed \\N character escape");
    CHECK_STR(dec("'\\N{abc'"), "error@0: (unicode error) 'unicodeescape' codec can't decode "
                                "bytes in position 0-5: malformed \\N character escape");
    CHECK_STR(dec("'\\N{}'"), "error@0: (unicode error) 'unicodeescape' codec can't decode "
                              "bytes in position 0-2: malformed \\N character escape");
    CHECK_STR(dec("'a\\N{NOT A NAME}'"), "error@1: (unicode error) 'unicodeescape' codec can't "
                                         "decode bytes in position 1-14: unknown Unicode "
                                         "character name");
    CHECK_STR(dec("'\\N{\xc3\xa9}'"), "error@0: (unicode error) 'unicodeescape' codec can't "
                                      "decode bytes in position 0-13: unknown Unicode "
                                      "character name"); /* the name counts \\U000000e9 */
    CHECK_STR(dec("'\\N{hangul syllable GA}'"), "error@0: (unicode error) 'unicodeescape' codec "
                                                "can't decode bytes in position 0-21: unknown "
                                                "Unicode character name");
    CHECK_STR(dec("b'\\x1'"), "error@0: (value error) invalid \\x escape at position 0");
    CHECK_STR(dec("b'a\xc3\xa9'"), "error@1: bytes can only contain ASCII literal characters");
    CHECK_STR(dec("rb'\xc3\xa9'"), "error@0: bytes can only contain ASCII literal characters");
}

static void test_fstring_pieces(void)
{
    CHECK_STR(dec_middle("f", "a{{b}}c"), "a{b}c");
    CHECK_STR(dec_middle("f", "\\n{{"), "\n{");
    CHECK_STR(dec_middle("rf", "\\n{{"), "\\n{");
    CHECK_STR(dec_middle("f", "\\N{BULLET} x"), "\xe2\x80\xa2 x");
    CHECK_STR(dec_middle("f", "a\\"), "a\\"); /* the piece before \{ ends with the backslash */
    CHECK_STR(dec_middle("f", ">10"), ">10");
}

static void test_numbers(void)
{
    double v = -1;
    CHECK(lit_number("0", 1, &v) == NUM_INT && v == 0);
    CHECK(lit_number("1_000", 5, &v) == NUM_INT && v == 1000);
    CHECK(lit_number("0xff", 4, &v) == NUM_INT && v == 255);
    CHECK(lit_number("0o1_7", 5, &v) == NUM_INT && v == 15);
    CHECK(lit_number("0B101", 5, &v) == NUM_INT && v == 5);
    CHECK(lit_number("0.1", 3, &v) == NUM_FLOAT && v == 0.1);
    CHECK(lit_number("1_0.0_1e1_0", 11, &v) == NUM_FLOAT && v == 10.01e10);
    CHECK(lit_number(".5", 2, &v) == NUM_FLOAT && v == 0.5);
    CHECK(lit_number("5.", 2, &v) == NUM_FLOAT && v == 5.0);
    CHECK(lit_number("1e308", 5, &v) == NUM_FLOAT && v == 1e308);
    CHECK(lit_number("1e309", 5, &v) == NUM_FLOAT && isinf(v));
    CHECK(lit_number("2.2250738585072011e-308", 23, &v) == NUM_FLOAT &&
          v == 2.2250738585072011e-308);
    CHECK(lit_number("1j", 2, &v) == NUM_IMAG && v == 1);
    CHECK(lit_number("1.5J", 4, &v) == NUM_IMAG && v == 1.5);
    CHECK(lit_number("1e-3j", 5, &v) == NUM_IMAG && v == 1e-3);
    CHECK(lit_number("0e0", 3, &v) == NUM_FLOAT && v == 0);
    CHECK(lit_number("09.5", 4, &v) == NUM_FLOAT && v == 9.5);
}

int main(void)
{
    test_prefix();
    test_escapes();
    test_line_breaks();
    test_errors();
    test_fstring_pieces();
    test_numbers();
    return test_report("test_literal");
}
