/* Unit tests for src/syntax/unicode.c: name lookup and NFKC. Expected values were checked
 * against CPython 3.11 (unicodedata.lookup, "\N{...}" and unicodedata.normalize). */
#include "test.h"

#include "base/buf.h"
#include "syntax/unicode.h"

static uint32_t look(const char *name)
{
    uint32_t cp = 0;
    return uni_lookup(name, (uint32_t)strlen(name), &cp) ? cp : UINT32_MAX;
}

static void test_lookup(void)
{
    CHECK(look("LATIN SMALL LETTER A") == 0x61);
    CHECK(look("latin small letter a") == 0x61);
    CHECK(look("SPACE") == 0x20);
    CHECK(look("LATIN CAPITAL LETTER GHA") == 0x1A2); /* an alias */
    CHECK(look("NULL") == 0 && look("lf") == 0x0A);
    CHECK(look("BOX DRAWINGS LIGHT DIAGONAL UPPER CENTRE TO MIDDLE LEFT AND MIDDLE RIGHT TO "
               "LOWER CENTRE") == 0x1FBA8);
    CHECK(look("VARIATION SELECTOR-256") == 0xE01EF);
    CHECK(look("CJK UNIFIED IDEOGRAPH-4E00") == 0x4E00);
    CHECK(look("CJK UNIFIED IDEOGRAPH-04E00") == 0x4E00);
    CHECK(look("CJK UNIFIED IDEOGRAPH-4e00") == UINT32_MAX); /* algorithmic: exact case */
    CHECK(look("cjk unified ideograph-4E00") == UINT32_MAX);
    CHECK(look("CJK UNIFIED IDEOGRAPH-2A6E0") == UINT32_MAX);
    CHECK(look("cjk compatibility ideograph-f900") == 0xF900); /* a regular name */
    CHECK(look("CJK COMPATIBILITY IDEOGRAPH-0F900") == UINT32_MAX);
    CHECK(look("HANGUL SYLLABLE GA") == 0xAC00 && look("HANGUL SYLLABLE GAG") == 0xAC01);
    CHECK(look("HANGUL SYLLABLE A") == 0xC544 && look("HANGUL SYLLABLE HIH") == 0xD7A3);
    CHECK(look("hangul syllable GA") == UINT32_MAX && look("HANGUL SYLLABLE ") == UINT32_MAX);
    CHECK(look("KEYCAP NUMBER SIGN") == UINT32_MAX); /* a named sequence */
    CHECK(look("LATIN SMALL LETTER A ") == UINT32_MAX);
    CHECK(look("") == UINT32_MAX && look("A") == UINT32_MAX && look("ZZZZ") == UINT32_MAX);
}

static char out[256];

static const char *nfkc(const char *s)
{
    Buf b;
    buf_init(&b);
    uni_nfkc(&b, s, (uint32_t)strlen(s));
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

static void test_nfkc(void)
{
    CHECK_STR(nfkc("abc"), "abc");
    CHECK_STR(nfkc("\xc2\xb5"), "\xce\xbc");                      /* MICRO SIGN -> mu */
    CHECK_STR(nfkc("\xef\xbd\x86\xef\xbd\x95"), "fu");            /* fullwidth */
    CHECK_STR(nfkc("\xef\xac\x81x"), "fix");                      /* ligature fi */
    CHECK_STR(nfkc("e\xcc\x81"), "\xc3\xa9");                     /* e + COMBINING ACUTE */
    CHECK_STR(nfkc("a\xcc\x81\xcc\xa3"), "\xe1\xba\xa1\xcc\x81"); /* reordered, then composed */
    CHECK_STR(nfkc("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8"), "\xea\xb0\x81"); /* jamo -> GAG */
    CHECK_STR(nfkc("\xea\xb0\x81"), "\xea\xb0\x81");
    CHECK_STR(nfkc("\xe2\x84\x8c"), "H");            /* BLACK-LETTER CAPITAL H */
    CHECK_STR(nfkc("\xef\xa4\x80"), "\xe8\xb1\x88"); /* CJK compatibility F900 */
}

int main(void)
{
    test_lookup();
    test_nfkc();
    return test_report("test_unicode");
}
