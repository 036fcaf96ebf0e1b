/* metrics: every number of the migration report, per file, per category and in total.
 *
 * met_build() aggregates the Program (files, categories, lines), each file's FileFacts, the
 * dependency scan and the findings into:
 *   - per-file counts under dotted keys ("sessions.form.with", "queries.terminal.first",
 *     "session_ops.commit", "routes.sync", "findings.code.SA201"; docs/report.md lists them);
 *   - totals per key: instances (the sum over files) and files (files with a non-zero count),
 *     so every total is the sum of the per-file numbers the JSON report shows;
 *   - per category: files, lines, files with database access, files to modify, the paths;
 *   - the architecture state: items (database service, declarative base, engines, ...), each a
 *     list of evidence entries (path, line, done or still to do, a description built from the
 *     facts);
 *   - the critical findings, grouped by the rule codes of each group.
 * A finding on a configuration file (SA406 in pyproject.toml) gets a MetFile of its own after
 * the Python files (is_python false): it counts in the findings and files to modify, never in
 * the Python files, lines or categories.
 * Nothing here is text that was not computed from the input, apart from item and group titles.
 *
 * Order is deterministic: files in path order, totals and per-file counts sorted by key,
 * evidence by (path, line, text), findings as given (the caller sorts them by path, line,
 * column, code). Memory: a Metrics owns everything in its arena until met_free(); it borrows
 * the findings array and nothing else (strings from the Program and the facts are copied). */
#ifndef METRICS_H
#define METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../model/category.h"
#include "../model/depdecl.h"
#include "../model/facts.h"
#include "../model/project.h"
#include "../rules/finding.h"

typedef struct MetCount {
    const char *key; /* interned (base/strtab) */
    uint32_t n;
} MetCount;

typedef struct MetTotal {
    const char *key;
    uint64_t instances; /* sum over files */
    uint32_t files;     /* files with a non-zero count */
} MetTotal;

typedef struct MetFile {
    const char *path; /* display path */
    bool is_python;   /* false: a configuration file that has findings (pyproject.toml) */
    FileCategory cat;
    uint32_t lines;
    bool parsed;             /* false: skipped (see skip_reason) */
    const char *skip_reason; /* "path:line:col: message", or NULL */
    bool db_access;          /* any session, query, statement, session operation, raw SQL,
                                engine or session factory */
    bool to_modify;          /* any finding, or sync/legacy database work */
    bool imports_select;
    uint32_t nfindings, nfixable;
    MetCount *counts; /* sorted by key; only non-zero counts */
    uint32_t ncounts;
} MetFile;

typedef struct MetEvidence {
    const char *path; /* display path (a Python file or a configuration file) */
    uint32_t line;    /* 1-based */
    bool done;        /* already async / in place (true) or still to do (false) */
    const char *text; /* what is there, in Markdown-free words with `code` spans */
} MetEvidence;

#define MET_ITEMS(X)                                                          \
    X(DB_SERVICE, "database_service", "Database service (session providers)") \
    X(BASES, "declarative_base", "Declarative base")                          \
    X(ENGINES, "engines", "Engines and pool settings")                        \
    X(FACTORIES, "session_factories", "Session factories")                    \
    X(ENGINE_IO, "engine_io", "Engine and connection IO")                     \
    X(WORKER, "worker", "Worker threads and thread pools")                    \
    X(OFFLOAD, "offloading", "Sync work offloaded from async code")           \
    X(SERVICES, "service_methods", "Service functions")                       \
    X(ROUTES, "route_handlers", "Route handlers")                             \
    X(LOOPS, "background_loops", "Background loops")                          \
    X(FIXTURES, "test_fixtures", "Test fixtures")                             \
    X(TESTS, "tests", "Tests")                                                \
    X(PYTEST_ASYNCIO, "pytest_asyncio", "pytest-asyncio")                     \
    X(ALEMBIC, "alembic", "Alembic env.py")                                   \
    X(DEPS, "dependencies", "Dependencies")

typedef enum {
#define X(id, key, title) MET_ITEM_##id,
    MET_ITEMS(X)
#undef X
        MET_ITEM__COUNT
} MetItemKind;

typedef struct MetItem {
    const char *key, *title;
    MetEvidence *ev; /* done entries first, then by path, line */
    uint32_t nev;
    uint32_t ndone, ntodo;
} MetItem;

/* Critical finding groups: X(ID, key, title, codes separated by spaces). */
#define MET_GROUPS(X)                                                                             \
    X(BLOCKING, "async_blocking", "Async code blocking on sync database work",                    \
      "SA201 SA202 SA203 SA204 SA206")                                                            \
    X(THREADS, "worker_threading", "Worker threading", "SA205 SA409")                             \
    X(TESTS, "test_infrastructure", "Test infrastructure", "SA407 SA408")                         \
    X(LOADING, "lazy_loading_expiry", "Lazy loading and expiry", "SA301 SA302 SA303 SA304 SA305") \
    X(POOLING, "connection_pooling", "Connection pooling", "SA405")                               \
    X(ALEMBIC, "alembic", "Alembic", "SA404")

typedef enum {
#define X(id, key, title, codes) MET_GROUP_##id,
    MET_GROUPS(X)
#undef X
        MET_GROUP__COUNT
} MetGroupKind;

typedef struct MetGroup {
    const char *key, *title, *codes;
    uint32_t *findings; /* indexes into Metrics.findings, in their order */
    uint32_t n;
    uint32_t nfiles;
} MetGroup;

typedef struct MetCategory {
    uint32_t files, db_files, modify_files;
    uint64_t lines;
    const char **paths; /* sorted */
} MetCategory;

typedef struct MetInput {
    Program *prog;
    FileFacts *const *facts; /* parallel to prog->files; NULL for skipped files */
    const Finding *findings; /* sorted (finding_sort); borrowed */
    uint32_t nfindings;
    const DepScan *deps;              /* or NULL */
    const char *root;                 /* the root as shown; NULL: the Program's root */
    const struct GraphSummary *graph; /* call-graph summary (rules/graph_rules.h), or NULL */
} MetInput;

typedef struct Metrics {
    Arena arena;
    const char *root;
    MetFile *files; /* Program.files in order, then configuration files with
                       findings, by path */
    uint32_t nfiles;
    uint32_t nprog;   /* how many of them are Program files */
    uint32_t *owner;  /* per finding: its index in files */
    MetTotal *totals; /* sorted by key */
    uint32_t ntotals;
    uint32_t python_files, parsed_files, skipped_files;
    uint32_t config_files_modify; /* configuration files with findings */
    uint64_t lines;
    uint32_t files_db, files_modify, files_select;
    uint32_t findings_total, findings_fixable, findings_safe;
    MetCategory cats[FCAT__COUNT];
    MetItem items[MET_ITEM__COUNT];
    MetGroup groups[MET_GROUP__COUNT];
    const Finding *findings;          /* borrowed from the input */
    const struct GraphSummary *graph; /* borrowed from the input, or NULL */
    uint32_t nfindings;
} Metrics;

void met_build(Metrics *m, const MetInput *in);
void met_free(Metrics *m);

/* The total of a key, or NULL when no file has it (all zero). */
const MetTotal *met_total(const Metrics *m, const char *key);
/* Instances of a key in total (0 when absent). */
uint64_t met_instances(const Metrics *m, const char *key);
/* A file's count of a key (0 when absent). */
uint32_t met_file_count(const MetFile *f, const char *key);
/* The totals whose key starts with prefix, ordered by instances (descending), then key. Returns
 * how many; *out is a heap array the caller frees. */
uint32_t met_family(const Metrics *m, const char *prefix, const MetTotal ***out);
/* True when the finding's code belongs to the group. */
bool met_group_has(MetGroupKind g, const char *code);

#endif
