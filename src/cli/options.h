/* options: the command-line helpers every subcommand shares. Pure functions over argv; they
 * print nothing (each command words its own usage errors). */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>

/* "--name value" or "--name=value" at argv[*i]: the value, advancing *i past a separate value;
 * NULL when argv[*i] is another option, with *missing set when the value is absent. */
const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing);
/* A job count "1".."1024"; -1 when v is not one. */
int opt_jobs(const char *v);

#endif
