/* cmd_fix: `sqlasync fix [PATH...] [--diff] [--select CODES] [--ignore CODES] [--unsafe-fixes]
 * [-j N]`: rewrites legacy Query chains (SA101-SA103) in place, atomically, or prints a unified
 * diff. Exit status: 0 nothing to do or all applied, 1 with --diff when something would change,
 * 2 usage or configuration error, 3 input errors (unreadable or unparsable files, a failed
 * write, a rewrite dropped because it did not parse). */
#ifndef CMD_FIX_H
#define CMD_FIX_H

int cmd_fix(int argc, char **argv);

#endif
