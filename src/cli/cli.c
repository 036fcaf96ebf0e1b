#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "cmd_parse.h"

#define SQLASYNC_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs("usage: sqlasync <command> [options] [PATH...]\n"
          "\n"
          "commands:\n"
          "  parse [--dump|--dump-tokens] [--python 3.11|3.12] FILE...\n"
          "        parse files; report syntax errors as path:line:col: message;\n"
          "        --dump prints ast.dump(ast.parse(src), include_attributes=True)\n"
          "  version    print the version\n"
          "  help       this text\n",
          f);
}

int cli_run(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "parse") == 0)
        return cmd_parse(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("sqlasync %s\n", SQLASYNC_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "sqlasync: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
