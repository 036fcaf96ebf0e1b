/* test.h: a dozen-line harness (redis testhelp.h). Each test file includes it once, calls
 * CHECK/CHECK_STR in functions, and ends main() with `return test_report("name");`, which prints
 * "N passed, N failed" and returns non-zero on any failure. */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            test_passed++;                                                           \
        } else {                                                                     \
            test_failed++;                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_STR(got, want)                                                                \
    do {                                                                                    \
        const char *g_ = (got), *w_ = (want);                                               \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                              \
            test_passed++;                                                                  \
        } else {                                                                            \
            test_failed++;                                                                  \
            fprintf(stderr, "%s:%d: CHECK_STR failed:\n  got:  %s\n  want: %s\n", __FILE__, \
                    __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                      \
        }                                                                                   \
    } while (0)

static inline int test_report(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif
