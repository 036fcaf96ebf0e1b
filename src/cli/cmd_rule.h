/* cmd_rule: the `sqlasync rule` subcommand: `rule CODE` prints a rule's explanation, the
 * documentation it cites, an example and how its fix applies; `rule --all` lists every rule. */
#ifndef CMD_RULE_H
#define CMD_RULE_H

int cmd_rule(int argc, char **argv);

#endif
