/* estimate: the points model, the weeks and the risk level (the report's section 8 and the
 * Summary's estimate and risk lines; docs/estimate.md justifies every default).
 *
 * Points are counted per kind of work, each with a number of points per instance:
 *   file          a file to modify (metrics' "files to modify")
 *   session       a session acquisition that is not async yet (sync or unknown mode)
 *   sync_removal  a file holding a sync engine or session factory (SA401/SA402), to clean up
 *                 once nothing uses it
 *   SAxxx         a finding of that rule (every finding after selection and suppression)
 * Every default can be overridden in `[tool.sqlasync.estimate]` by its key ("file", "SA101"),
 * with the other parameters: velocity (points per week), review_safe and review_unsafe (the
 * share of a fixed finding's points still spent reviewing it), spread_low ... spread_very_high
 * (the relative half-width of the weeks range per risk level), risk_medium, risk_high,
 * risk_very_high (how many risk rules must hold for each level), risk_scale_files (files to
 * modify from which size is a risk), hybrid_shared, second_pass and core_fan_in (used by the
 * plan, plan/phases.h). A key the model does not know, and a value it cannot use (negative
 * points, a velocity of 0, a share above 1), is listed in `unknown` with the reason, so the
 * report can say it was ignored; the default is used instead.
 *
 * The arithmetic, all of it shown in the report:
 *   points(kind)   = count x points each
 *   fix removes    = points each x (safe x (1 - review_safe) + unsafe x (1 - review_unsafe)),
 *                    over the findings whose fix is safe or unsafe
 *   remaining      = total - fix removes
 *   weeks          = remaining / velocity; by hand: total / velocity
 *   range          = weeks x (1 - spread), weeks x (1 + spread), spread by risk level
 * Risk rules (each holds with its count and first evidence): worker threads (SA205, SA409),
 * dependency cycles (from the graph), async blocking (SA201, SA203), transitive hazards
 * (SA202, SA204), sync test database (SA407, SA408), implicit I/O from lazy loading and expiry
 * (SA301-SA304), scale (files to modify >= risk_scale_files). The level is low below
 * risk_medium rules, then medium, high, very high.
 *
 * Memory: an Estimate owns its arrays in its arena until est_free(); it borrows paths and codes
 * from the input. Pure computation: nothing is printed. */
#ifndef ESTIMATE_H
#define ESTIMATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../rules/finding.h"

typedef struct EstParam {
    const char *key; /* "velocity", "file", "SA101", ... */
    double value;
} EstParam;

typedef struct EstFile {
    const char *path;
    uint8_t category; /* FileCategory (model/category.h); ignored for non-Python files */
    bool is_python;   /* false: a configuration file with findings (pyproject.toml) */
    bool to_modify;
    uint32_t sessions; /* session acquisitions not async yet */
} EstFile;

typedef struct EstInput {
    const EstFile *files;
    uint32_t nfiles;
    const Finding *findings; /* sorted by path, line */
    uint32_t nfindings;
    const uint32_t *owner;  /* per finding: its index in files */
    uint32_t cycles;        /* dependency cycles in the graph */
    const char *cycle_name; /* the first cycle's name and where its first member is, or NULL */
    const char *cycle_path;
    uint32_t cycle_line;
    const EstParam *params; /* [tool.sqlasync.estimate], in file order */
    uint32_t nparams;
} EstInput;

typedef enum { EST_LOW, EST_MEDIUM, EST_HIGH, EST_VERY_HIGH, EST_LEVEL__COUNT } EstLevel;

#define EST_RISKS(X)                                                                               \
    X(WORKER, "worker_threads", "Worker threads", "SA205 SA409")                                   \
    X(CYCLES, "dependency_cycles", "Dependency cycles", "")                                        \
    X(BLOCKING, "async_blocking", "Async code blocking on sync database work", "SA201 SA203")      \
    X(TRANSITIVE, "transitive_hazards", "Async code reaching sync database work through calls",    \
      "SA202 SA204")                                                                               \
    X(TESTS, "sync_test_database", "Tests and fixtures on a sync database", "SA407 SA408")         \
    X(LOADING, "implicit_io", "Lazy loading and expiry (implicit I/O)", "SA301 SA302 SA303 SA304") \
    X(SCALE, "scale", "Files to modify", "")

typedef enum {
#define X(id, key, title, codes) EST_RISK_##id,
    EST_RISKS(X)
#undef X
        EST_RISK__COUNT
} EstRiskKind;

typedef struct EstRisk {
    const char *key, *title, *codes;
    bool holds;
    uint32_t count;     /* findings, cycles or files */
    uint32_t threshold; /* the count from which the rule holds */
    const char *path;   /* first evidence, or NULL */
    uint32_t line;
    const char *detail; /* the first cycle's name, or NULL */
} EstRisk;

typedef struct EstRow {
    const char *key; /* "file", "session", "sync_removal" or a rule code */
    uint32_t count;
    uint32_t files;        /* files the instances are in */
    double each;           /* points per instance */
    bool configured;       /* each comes from [tool.sqlasync.estimate] */
    double points;         /* count x each */
    uint32_t safe, unsafe; /* findings `sqlasync fix` fixes (unsafe: with --unsafe-fixes) */
    double fix_removes;    /* points the fixes remove */
    const char *path;      /* first instance, or NULL */
    uint32_t line;
} EstRow;

typedef struct Estimate {
    Arena arena;
    EstRow *rows; /* file, session, sync_removal, then rule codes in order; count > 0 */
    uint32_t nrows;
    double total; /* by hand */
    double fix_removes;
    double remaining; /* total - fix_removes */
    double velocity;
    double weeks, weeks_by_hand, low, high, spread;
    double review_safe, review_unsafe;
    bool velocity_configured;
    EstRisk risks[EST_RISK__COUNT];
    uint32_t nholding;
    EstLevel level;
    uint32_t level_at[EST_LEVEL__COUNT]; /* rules needed for each level (0 for low) */
    const char **unknown;                /* configuration keys the model does not use */
    uint32_t nunknown;
    const EstParam *params; /* borrowed from the input */
    uint32_t nparams;
} Estimate;

void est_build(Estimate *e, const EstInput *in);
void est_free(Estimate *e);

/* A parameter: the configured value of key, or its default (0 for an unknown key). */
double est_param(const Estimate *e, const char *key);
/* True when key is set in the configuration. */
bool est_configured(const Estimate *e, const char *key);
/* The documented default of a key; false when the model does not know it. */
bool est_default(const char *key, double *out);
/* Points of one finding, and how many of them `sqlasync fix` removes. */
double est_finding_points(const Estimate *e, const Finding *f, double *fix_removes);
/* Points of a file's own work: the file itself (when to modify), its sessions and, when
 * holds_sync_factory, its clean-up. */
double est_file_points(const Estimate *e, const EstFile *f, bool holds_sync_factory);
/* The level for a number of holding risk rules, and the spread that goes with it. */
EstLevel est_level(const Estimate *e, uint32_t holding);
double est_spread(const Estimate *e, EstLevel level);
const char *est_level_name(EstLevel level); /* "low", "medium", "high", "very high" */
/* A rule code's one-line summary (rules table), or a description of file/session/
 * sync_removal. */
const char *est_row_title(const char *key);
/* True when a finding of this code marks its file as holding a sync engine or factory. */
bool est_is_sync_factory_code(const char *code);

#endif
