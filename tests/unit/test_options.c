/* Unit tests for src/cli/options: the option readers every subcommand shares. */
#include "test.h"

#include "cli/options.h"

static void test_opt_value(void)
{
    char *argv[] = {"--format", "json", "--jobs=3", "--formats", "-o"};
    int argc = 5, i = 0;
    bool missing = false;
    CHECK_STR(opt_value(argc, argv, &i, "--format", &missing), "json");
    CHECK(i == 1 && !missing);
    i = 2;
    CHECK_STR(opt_value(argc, argv, &i, "--jobs", &missing), "3");
    CHECK(i == 2);
    i = 3;
    CHECK(opt_value(argc, argv, &i, "--format", &missing) == NULL && !missing);
    i = 4;
    CHECK(opt_value(argc, argv, &i, "-o", &missing) == NULL && missing);
}

static void test_opt_jobs(void)
{
    CHECK(opt_jobs("1") == 1);
    CHECK(opt_jobs("1024") == 1024);
    CHECK(opt_jobs("0") == -1);
    CHECK(opt_jobs("1025") == -1);
    CHECK(opt_jobs("") == -1);
    CHECK(opt_jobs("2x") == -1);
}

int main(void)
{
    test_opt_value();
    test_opt_jobs();
    return test_report("options");
}
