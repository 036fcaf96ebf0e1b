/* config: the `[tool.sqlasync]` table of pyproject.toml, merged with command-line flags.
 *
 * cfg_load() finds pyproject.toml in the analysed folder or the nearest parent (it prefers the
 * nearest one holding [tool.sqlasync]; the search stops at a folder holding .git), reads it with
 * base/toml and checks every key it knows (see docs/configuration.md):
 *
 *   exclude, extend-exclude   arrays of globs (walk_glob_match); a glob with '/' is relative to
 *                             the file's folder and is rebased here to the working folder,
 *                             the root the walk matches paths against
 *   select, ignore,           arrays of rule codes or prefixes ("SA2", "SA201", "ALL")
 *   extend-select, extend-ignore
 *   jobs                      integer >= 1
 *   [tool.sqlasync.categories]  services/routes/tests/infra/other = arrays of globs (rebased
 *                               the same way)
 *   [tool.sqlasync.estimate]    key = number (points and velocity for the estimate)
 *
 * A malformed file or a key of the wrong type is an error whose text reads
 * "path:line:col: message"; the cli exits with status 2. An unknown key is only a warning.
 * cfg_merge() then applies the flags: a list given on the command line replaces the file's
 * (exclude, select, ignore), an extend-* list adds to it, jobs replaces.
 *
 * Memory: a Config owns everything in it (its arena and vectors) until cfg_free(), which is
 * called after a failed load too; the flag strings merged in are borrowed and must outlive it.
 * Paths in messages are relative to the working folder when inside it. Nothing is printed. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "../model/category.h"

typedef Vec(const char *) CfgList;

typedef struct CfgNumber {
    const char *key;
    double value;
} CfgNumber;

typedef struct Config {
    Arena arena;            /* owns the strings read from the file */
    const char *path;       /* the pyproject.toml read, or NULL when none was found */
    const char *dir;        /* its folder, or NULL */
    bool has_table;         /* the file has [tool.sqlasync] */
    CfgList exclude;        /* `exclude` */
    CfgList extend_exclude; /* `extend-exclude` */
    CfgList excludes;       /* effective: exclude + extend-exclude (after load and merge) */
    CfgList select;         /* effective after merge: select + extend-select */
    CfgList ignore;         /* effective after merge: ignore + extend-ignore */
    CfgList cat_globs[FCAT__COUNT];
    CatOverrides categories; /* views of cat_globs, ready for proj_load */
    Vec(CfgNumber) estimate; /* in file order */
    int jobs;                /* 0: not set */
    CfgList warnings;        /* "path:line:col: unknown key 'x' in [tool.sqlasync]" */
} Config;

/* Command-line flags; an empty list (n == 0) means the flag was not given. */
typedef struct CfgFlags {
    const char *config; /* --config FILE, or NULL to search */
    const char *const *exclude;
    uint32_t nexclude;
    const char *const *extend_exclude;
    uint32_t nextend_exclude;
    const char *const *select;
    uint32_t nselect;
    const char *const *extend_select;
    uint32_t nextend_select;
    const char *const *ignore;
    uint32_t nignore;
    const char *const *extend_ignore;
    uint32_t nextend_ignore;
    int jobs; /* 0: not given */
} CfgFlags;

/* Finds the configuration for the analysed path start (a folder or a file) and reads it.
 * Returns 0 (also when there is no pyproject.toml: cfg->path is NULL), or -1 with err filled. */
int cfg_load(Config *cfg, const char *start, char *err, size_t errlen);
/* Reads one given file (--config). */
int cfg_load_file(Config *cfg, const char *path, char *err, size_t errlen);
/* Applies the flags. Returns 0, or -1 with err filled (a bad rule selector, jobs < 0). */
int cfg_merge(Config *cfg, const CfgFlags *flags, char *err, size_t errlen);
void cfg_free(Config *cfg);

/* A rule selector: "ALL", or upper-case letters then up to three digits ("SA", "SA2", "SA201"). */
bool cfg_valid_selector(const char *s);
/* The value of an estimate key, or dflt when it is not set. */
double cfg_estimate(const Config *cfg, const char *key, double dflt);

#endif
