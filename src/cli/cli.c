#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "cmd_check.h"
#include "cmd_fix.h"
#include "cmd_graph.h"
#include "cmd_parse.h"
#include "cmd_report.h"
#include "cmd_rule.h"

#define SQLASYNC_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs("usage: sqlasync <command> [options] [PATH...]\n"
          "\n"
          "commands:\n"
          "  parse [--dump|--dump-tokens] [--python 3.11|3.12] FILE...\n"
          "        parse files; report syntax errors as path:line:col: message;\n"
          "        --dump prints ast.dump(ast.parse(src), include_attributes=True)\n"
          "  check [--select CODES] [--ignore CODES] [--statistics] [--format text|json|github]\n"
          "        [--config FILE | --no-config] [-j N] PATH...\n"
          "        print findings as path:line:col: CODE message\n"
          "  report [PATH] [--format md|json] [--baseline OLD.json] [-o FILE] [-j N]\n"
          "        [--exclude GLOB]   the migration status report (Markdown or JSON)\n"
          "  fix [PATH...] [--diff] [--select CODES] [--ignore CODES] [--unsafe-fixes] [-j N]\n"
          "        rewrite legacy Query chains (SA101-SA103) to select() in place; --diff\n"
          "        prints a unified diff instead and exits 1 when something would change\n"
          "  graph [PATH] [--format dot|json] [-o FILE]\n"
          "        the dependency graph of the classes and modules doing database work,\n"
          "        its strongly connected components (cycles) and the leaves-first order\n"
          "  rule CODE | --all      explain a rule, or list every rule\n"
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
    if (strcmp(cmd, "parse") == 0) return cmd_parse(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0) return cmd_report(argc - 2, argv + 2, SQLASYNC_VERSION);
    if (strcmp(cmd, "fix") == 0) return cmd_fix(argc - 2, argv + 2);
    if (strcmp(cmd, "graph") == 0) return cmd_graph(argc - 2, argv + 2, SQLASYNC_VERSION);
    if (strcmp(cmd, "rule") == 0) return cmd_rule(argc - 2, argv + 2);
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
