/* cmd_check: the `sqlasync check` subcommand.
 *
 * Runs the shared analysis (analysis.h: a single folder given is the root, as for `report`),
 * drops the findings an earlier report or `check --format json` output already has
 * (--baseline OLD.json, by fingerprint), and prints the rest sorted by (path, line, col, code):
 * ruff-style text `path:line:col: CODE message`, per-code counts (--statistics) or JSON
 * (docs/rules.md). With a baseline, a run without new findings prints nothing.
 * Exit status: 0 no findings, 1 findings, 2 usage error or an input problem (a path that does not
 * exist, a file that could not be read or parsed, a bad configuration). */
#ifndef CMD_CHECK_H
#define CMD_CHECK_H

int cmd_check(int argc, char **argv);

#endif
