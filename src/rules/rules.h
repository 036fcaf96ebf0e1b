/* rules: the rule table and the rules that need no call graph.
 *
 * Every rule code the tool knows is in one table (rule_table): code, name, a one-line summary, a
 * one-paragraph explanation, the SQLAlchemy (or Alembic/pytest-asyncio) documentation it cites,
 * a bad and a fixed example, and how a fix applies. Codes are stable: users select, ignore and
 * suppress them. Rules marked needs_graph are computed by the whole-program pass (call graph)
 * elsewhere; the others are computed here from the facts of one file (rule_run_file) or of the
 * whole project (rule_run_project: SA403 across files, SA406 dependencies, SA408 fixtures from
 * conftest.py files).
 *
 * Rule functions read facts and append Findings; they never print and keep no state. Selection
 * (--select/--ignore, ruff semantics: the most specific selector wins, ignore wins a tie) is
 * applied by the caller with rule_selected(). Suppression comments are in suppress.c. */
#ifndef RULES_H
#define RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "../model/depdecl.h"
#include "../model/facts.h"
#include "../syntax/lexer.h"
#include "finding.h"

typedef struct RuleInfo {
    const char *code;        /* "SA201" */
    const char *name;        /* "sync-db-in-async" */
    const char *summary;     /* one line */
    const char *explanation; /* one paragraph */
    const char *url;         /* documentation cited */
    const char *example;     /* code that triggers the rule */
    const char *fixed;       /* the same code after the fix */
    FixApplicability fix;    /* how the usual fix applies */
    bool needs_graph;        /* computed by the whole-program pass, not by this module */
} RuleInfo;

const RuleInfo *rule_table(uint32_t *n);
const RuleInfo *rule_find(const char *code); /* case-insensitive; NULL when unknown */
/* Whether code is enabled by the selectors ("ALL", "SA", "SA2", "SA201"); nselect == 0 selects
 * every rule. The longest matching selector wins; on a tie, ignore wins. */
bool rule_selected(const char *code, const char *const *select, uint32_t nselect,
                   const char *const *ignore, uint32_t nignore);

/* Per-file rules: SA101-SA107 (legacy_api.c), SA201 SA203 SA206 SA207 (async_hazards.c),
 * SA301 SA305 (loading.c), SA401-SA405 SA409 (infra.c). */
void rule_legacy_api(const FileFacts *ff, const FindingSite *site, FindingList *out);
/* SA101, SA102, SA103: the codes of legacy Query chain findings (one per FxQuery). */
bool rule_is_query_code(const char *code);
void rule_async_hazards(const FileFacts *ff, const FindingSite *site, FindingList *out);
void rule_loading(const FileFacts *ff, const FindingSite *site, FindingList *out);
void rule_infra_file(const FileFacts *ff, const FindingSite *site, FindingList *out);
void rule_run_file(const FileFacts *ff, const FindingSite *site, FindingList *out);

/* The whole project: facts, sites and module names of every parsed file (same order), and
 * dependencies (NULL when unknown: SA406 is then skipped, and SA408 assumes pytest-asyncio's
 * strict mode). */
typedef struct RuleProject {
    FileFacts *const *facts;
    const FindingSite *sites;
    const char *const *modules; /* dotted module names; may be NULL */
    uint32_t n;
    const DepScan *deps;
    int jobs;          /* threads for the call graph (graph_rules_run); <= 0: one per CPU */
    const char *shown; /* prefix of the paths quoted in messages ("examples/" when `check
                          examples` prints paths from the working directory); NULL or "":
                          relative to the root, as the report shows them */
} RuleProject;

/* SA406 (greenlet), SA407 (sync database fixtures) and SA408 (database tests without asyncio),
 * which need database classes and fixtures from every file (conftest.py). */
void rule_run_project(const RuleProject *p, FindingList *out);

/* suppress.c: drops findings suppressed by a comment on their line: `# noqa` (every code),
 * `# noqa: SA201,SA202`, `# sqlasync: ignore[SA201]` (several codes separated by commas or
 * spaces). files[f.file] gives each finding's Source and tokens (tokens may be NULL: the line
 * is then scanned for the comment with a quote-aware scan). Findings without a Source stay. */
typedef struct SupFile {
    Source *src;
    const TokenArray *tokens;
} SupFile;

void sup_filter(FindingList *l, const SupFile *files, uint32_t nfiles);
/* True when the comment text (from '#') suppresses code. */
bool sup_comment_suppresses(const char *comment, uint32_t len, const char *code);
/* The byte offset where the comment of 1-based line starts, or UINT32_MAX when none. */
uint32_t sup_comment_start(Source *src, const TokenArray *tokens, uint32_t line);

#endif
