/* Unit tests for src/base: arena, vec, buf, strtab, source line table. */
#include "test.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/source.h"
#include "base/strtab.h"
#include "base/vec.h"

static void test_arena(void)
{
    Arena a;
    arena_init(&a);
    char *p = arena_alloc(&a, 3);
    CHECK(((uintptr_t)p & 15) == 0);
    CHECK(p[0] == 0 && p[2] == 0);
    char *big = arena_alloc(&a, 1 << 20); /* larger than one block */
    big[(1 << 20) - 1] = 'x';
    CHECK(big[0] == 0);
    CHECK_STR(arena_strndup(&a, "hello world", 5), "hello");
    arena_free(&a);
    CHECK(a.total == 0);
}

static void test_vec_buf(void)
{
    Vec(int) v = {0};
    for (int i = 0; i < 1000; i++)
        VEC_PUSH(v, i);
    CHECK(v.n == 1000 && v.items[999] == 999 && VEC_LAST(v) == 999);
    VEC_FREE(v);
    Buf b;
    buf_init(&b);
    buf_printf(&b, "%d-%s", 42, "x");
    buf_putc(&b, '!');
    CHECK_STR(b.data, "42-x!");
    buf_free(&b);
}

static void test_strtab(void)
{
    Str a = str_intern("session", 7);
    Str b = str_intern_c("session");
    CHECK(a == b);
    CHECK(a != str_intern_c("sessions"));
    CHECK(str_len(a) == 7);
}

static void test_source_lines(void)
{
    Source s;
    source_from_mem(&s, "t.py", "a\r\nbc\rd\n\nxyz", 12);
    LineCol lc = source_linecol(&s, 0);
    CHECK(lc.line == 1 && lc.col_byte == 0);
    lc = source_linecol(&s, 4); /* 'c' */
    CHECK(lc.line == 2 && lc.col_byte == 1);
    lc = source_linecol(&s, 6); /* 'd' after a lone CR */
    CHECK(lc.line == 3 && lc.col_byte == 0);
    lc = source_linecol(&s, 11);
    CHECK(lc.line == 5 && lc.col_byte == 2);
    Span sp = source_line_span(&s, 2);
    CHECK(sp.start == 3 && sp.end == 5);
    source_free(&s);
    source_from_mem(&s, "b.py", "\xEF\xBB\xBFx = 1\n", 9);
    lc = source_linecol(&s, 3);
    CHECK(lc.line == 1 && lc.col_byte == 0); /* BOM not counted, as in CPython */
    source_free(&s);
    source_from_mem(&s, "u.py", "\xC3\xA9t\xC3\xA9 = 1", 9);
    CHECK(source_col_cp(&s, 5) == 3);
    source_free(&s);
}

/* source_linecol_near agrees with source_linecol in any order of offsets (LF-only text takes
 * the memchr path of the line table, CRLF text the other). */
static void test_source_near(void)
{
    const char *texts[] = {"ab\ncd\n\nefg\nh", "ab\r\ncd\r\n\refg\nh\n"};
    for (int t = 0; t < 2; t++) {
        Source s;
        source_from_mem(&s, "n.py", texts[t], (uint32_t)strlen(texts[t]));
        uint32_t cursor = 0, offsets[] = {0, 1, 3, 4, 6, 7, 12, 2, 0, 9, 8, 5};
        for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
            if (offsets[i] >= s.len) continue;
            LineCol want = source_linecol(&s, offsets[i]);
            LineCol got = source_linecol_near(&s, offsets[i], &cursor);
            CHECK(got.line == want.line && got.col_byte == want.col_byte);
            CHECK(cursor == want.line - 1);
        }
        source_free(&s);
    }
}

int main(void)
{
    test_arena();
    test_source_near();
    test_vec_buf();
    test_strtab();
    test_source_lines();
    str_table_free();
    return test_report("base");
}
