#include "options.h"

#include <stdlib.h>
#include <string.h>

const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!a || strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int opt_jobs(const char *v)
{
    char *end;
    long j = strtol(v, &end, 10);
    return (*v == '\0' || *end || j < 1 || j > 1024) ? -1 : (int)j;
}
