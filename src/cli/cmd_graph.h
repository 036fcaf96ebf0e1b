/* cmd_graph: the `sqlasync graph` subcommand.
 *
 *   sqlasync graph [PATH] [--format dot|json] [-o FILE] [-j N] [--exclude GLOB] [--config FILE]
 *
 * Loads and parses PATH (default "."), extracts and links the facts as `report` does, builds
 * the dependency graph of the classes and modules that do database work (plan/depgraph.h) and
 * writes it as Graphviz DOT (default) or JSON (the same "graph" object as the JSON report,
 * docs/plan.md) to stdout or FILE. Exit status: 0 written, 2 usage or configuration error,
 * 3 input error (PATH missing or unreadable, FILE not writable). */
#ifndef CMD_GRAPH_H
#define CMD_GRAPH_H

int cmd_graph(int argc, char **argv, const char *version);

#endif
