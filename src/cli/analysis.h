/* analysis: the one analysis pipeline that `check`, `report`, `graph` and `fix` share.
 *
 * an_config() finds and reads the configuration and applies the command's flags. an_run() then
 * loads the Program (walk and parallel parse, project.h), extracts the facts in hinted rounds
 * and links them (facts_program.h), and unless only the facts are asked for runs the per-file
 * and project rules, the call-graph rules (graph_rules.h), marks the Query chains that `fix`
 * would leave alone as manual (fix_annotate), applies --select/--ignore and `# noqa`
 * suppressions, and sorts the findings. Every command sees the same sessions and the same
 * findings, whatever it prints.
 *
 * The root: a single folder given is the root (paths are shown relative to it, module names,
 * globs and fingerprints start there), so `check DIR` and `report DIR` agree; otherwise the
 * root is "." and the paths are analysed as given.
 *
 * Memory: an Analysis owns the Program, the facts, the findings and the graph summary until
 * an_free(). Only the an_print_* functions print (to stderr). */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../model/depdecl.h"
#include "../model/facts_program.h"
#include "../model/project.h"
#include "../rules/finding.h"
#include "../rules/graph_rules.h"
#include "../rules/rules.h"
#include "config.h"

typedef struct AnInput {
    const char *const *paths; /* what to analyse; npaths == 0: "." */
    uint32_t npaths;
    const Config *cfg;
    bool facts_only; /* load and extract only: no rules, no findings */
    bool cwd_paths;  /* paths quoted in messages as an_path shows them (check), not from the
                        root (report) */
} AnInput;

typedef struct Analysis {
    char *root;           /* the root as shown ("examples/" -> "examples"); heap-owned */
    char *shown;          /* what turns a path relative to the root into one relative to the
                             working directory: "examples/" when that folder alone was given,
                             else ""; heap-owned (an_path) */
    Program prog;         /* files relative to root */
    FactsProgram fp;      /* fp.by_file: facts per Program file, NULL when not parsed */
    FindingSite *sites;   /* per fact unit (fp.units order) */
    const char **modules; /* same order */
    FileFacts **facts;    /* same order */
    SupFile *sup;         /* per Program file */
    DepScan deps;
    FindingList findings;      /* selected, unsuppressed, sorted */
    const GraphSummary *graph; /* call-graph summary, in fp.link; NULL with facts_only */
    bool load_failed;          /* a path given does not exist (see prog.walk.issues) */
} Analysis;

/* Reads the configuration for start (or flags->config) and merges flags; with no_config, only
 * the flags. Returns 0, or -1 after printing "sqlasync CMD: message". Warnings are printed. */
int an_config(Config *cfg, const char *cmd, const char *start, const CfgFlags *flags,
              bool no_config);
/* Runs the pipeline. Returns 0, or -1 when a path given does not exist (load_failed; the rest
 * of the inputs are still analysed). */
int an_run(Analysis *an, const AnInput *in);
void an_free(Analysis *an);

/* "sqlasync CMD: PATH: error" and -1 when path cannot be stat'ed, else 0. */
int an_stat_path(const char *cmd, const char *path);
/* Path (relative to the root, as in findings and the Program) as the user can open it from the
 * working directory: prefixed with the folder given ("jobboard/db.py" ->
 * "examples/jobboard/db.py"; "." -> "examples"), written into b (cleared first). */
const char *an_path(const Analysis *an, const char *path, Buf *b);
/* Prints every walk issue ("PREFIXpath: message", the path as an_path shows it); true when one
 * is an error. */
bool an_print_walk_issues(const Analysis *an, const char *prefix);
/* Prints the walk issues and every file's syntax or input error (paths as an_path shows
 * them); true when there was an error. */
bool an_print_inputs(Analysis *an);

/* Analyses the one PATH of `report` or `graph`: 0, or 3 when PATH cannot be read (printed). */
int an_run_one(Analysis *an, const char *cmd, const char *path, const Config *cfg, bool facts_only);
/* Writes b to output, or to stdout when output is NULL: 0, or 3 with a message. */
int an_write_out(const char *cmd, const char *output, const Buf *b);

#endif
