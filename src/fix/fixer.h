/* fixer: `sqlasync fix` for one file, in memory.
 *
 * fix_file() takes a parsed file and its facts, computes the SA101-SA103 findings the way
 * `check` does (rule_legacy_api, then --select/--ignore, then `# noqa` suppressions), and for
 * every legacy Query chain whose finding is selected and whose fix applies (safe, or unsafe with
 * unsafe_fixes) asks query_to_select for edits. The edits (and the imports they need) are applied
 * in one pass with rw_apply(), which re-parses the result: when the new text does not parse, or
 * edits overlap, nothing of the file changes and the reason is a Diag. Each chain's outcome
 * (fixed, manual with the reason, unsafe and skipped, dropped) is listed for the caller to print.
 * A second run over the result finds nothing left to fix: converted chains are 2.0 statements.
 * The fixer never writes files and never prints.
 *
 * Memory: a FixResult owns its text, lists, reasons (in its arena) and Diags until
 * fix_result_free(). Codes are static strings. */
#ifndef FIXER_H
#define FIXER_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/source.h"
#include "../base/vec.h"
#include "../model/facts.h"
#include "../rules/finding.h"
#include "../syntax/parser.h"

typedef struct FixOptions {
    const char *const *select; /* rule selectors as for check; nselect == 0: every rule */
    uint32_t nselect;
    const char *const *ignore;
    uint32_t nignore;
    bool unsafe_fixes; /* also apply fixes marked unsafe */
} FixOptions;

typedef enum {
    FIX_ST_FIXED,   /* rewritten */
    FIX_ST_MANUAL,  /* left alone: reason says why */
    FIX_ST_UNSAFE,  /* fix marked unsafe and --unsafe-fixes not given */
    FIX_ST_DROPPED, /* converted, but the file's edits were dropped (see diags) */
} FixStatus;

typedef struct FixChain {
    const char *code;   /* "SA101", "SA102", "SA103" */
    uint32_t line, col; /* 1-based line, 1-based byte column of the chain */
    FixStatus status;
    const char *reason; /* for MANUAL/UNSAFE, else NULL */
} FixChain;

typedef struct FixResult {
    bool changed; /* text holds the new contents */
    Buf text;
    Vec(FixChain) chains; /* in source order, one per chain with a selected finding */
    uint32_t nfixed, nmanual, nunsafe;
    DiagList diags; /* F001/F002 when the file was left unchanged */
    Arena arena;    /* reasons */
} FixResult;

/* The project knowledge a file's rewrite needs. */
typedef struct FixProject {
    const char *const *joined_classes; /* classes with lazy="joined" collections */
    uint32_t njoined;
} FixProject;

/* One parsed file (po->module not NULL) and what its rewrite reads. */
typedef struct FixInput {
    Source *src;
    const ParseOutput *po;
    const FileFacts *ff;  /* the file's facts */
    const FixProject *fp; /* may be NULL */
    Arena *a;             /* the file's arena */
} FixInput;

void fix_result_init(FixResult *r);
void fix_result_free(FixResult *r);

/* Fixes one parsed file with its facts. Returns 0, or -1 when edits had to be dropped (r->diags
 * says why; r->changed is false). */
int fix_file(const FixInput *in, const FixOptions *o, FixResult *r);

/* Appends to out the names of classes of ff with a collection relationship loaded with
 * lazy="joined" (strings borrowed from the facts). */
typedef Vec(const char *) FixNames;
void fix_joined_classes(const FileFacts *ff, FixNames *out);

/* Does fix_file rewrite findings of this rule? A finding whose fix is safe or unsafe must have
 * such a code: the report counts those as what `sqlasync fix` does. */
bool fix_handles(const char *code);

/* For `check` and `report`, so that they agree with `fix`: marks the findings of one file (those
 * of l with .file == file) with a fix_handles code that fix would leave alone as FIX_MANUAL, the
 * message gaining " (manual: REASON)". Findings already manual are kept as they are. Reasons
 * go to arena in->a (the file's arena). Call it only for files holding such a finding: it
 * converts every chain of the file (on scratch edits) to decide. */
void fix_annotate(const FixInput *in, FindingList *l, uint32_t file);

/* Parses text, extracts its facts and fixes it, all in memory (tests and fuzzing). Returns 0,
 * 1 when the text does not parse (nothing done), -1 as fix_file. */
int fix_text(const char *path, const char *text, uint32_t len, const FixOptions *o, FixResult *r);

#endif
