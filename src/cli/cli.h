/* cli: the command line. Parses argv, runs a subcommand, prints, and picks the exit status:
 * 0 clean, 1 findings (or syntax errors for `parse`), 2 usage error, 3 input errors. */
#ifndef CLI_H
#define CLI_H

int cli_run(int argc, char **argv);

#endif
