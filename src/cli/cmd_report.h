/* cmd_report: the `sqlasync report` subcommand.
 *
 *   sqlasync report [PATH] [--format md|json] [--baseline OLD.json] [-o FILE] [-j N]
 *                   [--exclude GLOB] [--config FILE]
 *
 * Loads and parses PATH (default "."), extracts and links the facts, runs the rules (with the
 * configuration's select/ignore and suppression comments, as `check` does), scans dependency
 * declarations, aggregates everything (report/metrics.h) and writes the Markdown (default) or
 * JSON report to stdout or to FILE. A file that cannot be parsed does not stop the report: it
 * is listed in the header. Exit status: 0 written, 2 usage or configuration error (also a
 * baseline that is not a valid report), 3 input error (PATH missing or unreadable, FILE not
 * writable). */
#ifndef CMD_REPORT_H
#define CMD_REPORT_H

int cmd_report(int argc, char **argv, const char *version);

#endif
