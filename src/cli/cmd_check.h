/* cmd_check: the `sqlasync check` subcommand.
 *
 * Loads and parses the given paths (project.h), extracts each file's facts, links them across
 * files, runs the rules that need no call graph, drops selected-out and suppressed findings,
 * and prints them sorted by (path, line, col, code): ruff-style text
 * `path:line:col: CODE message`, per-code counts (--statistics) or JSON (docs/rules.md).
 * Exit status: 0 no findings, 1 findings, 2 usage error or an input problem (a path that does not
 * exist, a file that could not be read or parsed, a bad configuration). */
#ifndef CMD_CHECK_H
#define CMD_CHECK_H

int cmd_check(int argc, char **argv);

#endif
