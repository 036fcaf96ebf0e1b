/* replay_main: runs saved fuzz inputs through one target without libFuzzer (SQLite fuzzcheck).
 *
 * usage: replay_<target> NAME PATH...   (PATH: a file, or a directory of inputs, not recursive)
 * Each input runs in a forked child under a time limit (REPLAY_TIMEOUT seconds, default 10), so
 * a crash, a sanitizer report or a hang fails that input alone. Inputs are run in sorted order.
 * Prints each failing input, then "NAME: N passed, N failed"; exits 1 if any failed. */
#include "fuzz.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/vec.h"
#include "base/xmalloc.h"

typedef Vec(char *) PathList;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Adds dir/name if it is a regular file. */
static void add_file(PathList *l, const char *dir, const char *name)
{
    char *p = join(dir, name);
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(p);
        return;
    }
    VEC_PUSH(*l, p);
}

/* Adds path, or the regular files of directory path (dot files skipped). */
static void add_inputs(PathList *l, const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] != '.') add_file(l, path, e->d_name);
        closedir(d);
        return;
    }
    VEC_PUSH(*l, xstrndup(path, strlen(path))); /* a file, or a path that will fail to open */
}

/* In the child: reads the file and runs the target on it. */
static _Noreturn void run_child(const char *path, unsigned timeout)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        _exit(2);
    }
    Vec(uint8_t) data = {0};
    uint8_t chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        VEC_GROW(data, data.n + (uint32_t)got);
        memcpy(data.items + data.n, chunk, got);
        data.n += (uint32_t)got;
    }
    fclose(f);
    alarm(timeout);
    LLVMFuzzerTestOneInput(data.items, data.n);
    VEC_FREE(data);
    exit(0); /* exit(), not _exit(): sanitizers check for leaks at exit */
}

/* Runs one input; returns true if it passed. */
static bool replay_one(const char *path, unsigned timeout)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return false;
    }
    if (pid == 0) run_child(path, timeout);
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        return false;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    if (WIFSIGNALED(status))
        printf("FAIL %s: killed by signal %d%s\n", path, WTERMSIG(status),
               WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
    else
        printf("FAIL %s: exit status %d\n", path, WEXITSTATUS(status));
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: replay NAME PATH...\n", stderr);
        return 2;
    }
    const char *env = getenv("REPLAY_TIMEOUT");
    unsigned timeout = env && atoi(env) > 0 ? (unsigned)atoi(env) : 10;
    PathList inputs = {0};
    for (int i = 2; i < argc; i++)
        add_inputs(&inputs, argv[i]);
    if (inputs.n > 1) qsort(inputs.items, inputs.n, sizeof inputs.items[0], by_name);
    unsigned passed = 0, failed = 0;
    for (uint32_t i = 0; i < inputs.n; i++) {
        if (replay_one(inputs.items[i], timeout))
            passed++;
        else
            failed++;
        free(inputs.items[i]);
    }
    VEC_FREE(inputs);
    printf("%s: %u passed, %u failed\n", argv[1], passed, failed);
    return failed ? 1 : 0;
}
