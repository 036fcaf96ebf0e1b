/* cmd_parse: the `sqlasync parse` subcommand (syntax check, AST and token dumps). */
#ifndef CMD_PARSE_H
#define CMD_PARSE_H

int cmd_parse(int argc, char **argv);

#endif
