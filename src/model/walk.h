/* walk: find the Python files (and the configuration files) of a project.
 *
 * walk_collect() visits every path given: a file is taken as is; a directory is walked
 * recursively for `*.py` files, skipping `.git` and other VCS folders, virtual environments
 * (folders holding `pyvenv.cfg`, and `.venv`; a `venv` folder without
 * `pyvenv.cfg` is walked, as it may be a package), `node_modules`, `__pycache__`, `build`,
 * `dist`, `site-packages`, tool caches (`.tox`, `.nox`, `.mypy_cache`, `.pytest_cache`,
 * `.ruff_cache`, `.eggs`, `__pypackages__`) and whatever an exclude glob matches. Symbolic links
 * to directories are followed once per directory (device, inode): a link back to an ancestor is
 * reported as a symlink loop, a link to a directory already walked is skipped silently, so no
 * file is listed twice. Problems (a dangling symlink, a directory that cannot be opened, a loop)
 * are reported as diagnostics and the walk goes on.
 *
 * Files are sorted by their path relative to the root (byte order), so the result does not depend
 * on readdir order. The configuration files a later pass scans (pyproject.toml, setup.cfg,
 * pytest.ini, tox.ini, requirements*.txt and *.txt under a `requirements` folder, alembic.ini)
 * are collected on the way, sorted the same way.
 *
 * Memory: a WalkResult owns every string in it (heap) until walk_free(). Nothing is printed. */
#ifndef WALK_H
#define WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/vec.h"

typedef struct WalkOptions {
    const char *root;           /* paths are shown relative to this folder; NULL: "." */
    const char *const *exclude; /* globs (see walk_glob_match) */
    uint32_t nexclude;
} WalkOptions;

typedef enum {
    WALK_PY,
    WALK_PYPROJECT,    /* pyproject.toml */
    WALK_SETUP_CFG,    /* setup.cfg */
    WALK_PYTEST_INI,   /* pytest.ini */
    WALK_TOX_INI,      /* tox.ini */
    WALK_REQUIREMENTS, /* requirements*.txt, requirements/ *.txt */
    WALK_ALEMBIC_INI,  /* alembic.ini */
} WalkKind;

typedef struct WalkFile {
    char *path; /* path to open: the given path joined with the names below it */
    char *rel;  /* path relative to the root, '/'-separated, for display and globbing */
    WalkKind kind;
} WalkFile;

typedef struct WalkIssue {
    char *path;    /* display path (relative to the root) */
    char *message; /* lowercase, no trailing period: "symlink loop (points to 'a')" */
    bool is_error; /* true: the entry could not be read; false: a warning (loop) */
} WalkIssue;

typedef struct WalkResult {
    Vec(WalkFile) files;   /* Python files, sorted by rel */
    Vec(WalkFile) configs; /* configuration files, sorted by rel */
    Vec(WalkIssue) issues; /* in the order found (deterministic: entries are visited sorted) */
} WalkResult;

/* Walks paths[0..npaths) (npaths == 0: the root itself). Returns 0, or -1 when a given path does
 * not exist (reported as an issue too); everything else is an issue and the walk goes on. */
int walk_collect(const WalkOptions *o, const char *const *paths, uint32_t npaths, WalkResult *out);
void walk_free(WalkResult *r);

/* Matches a glob against a '/'-separated relative path. `*`, `?` and `[...]` never cross '/';
 * `**` as a whole component matches any number of components (also none). A pattern without '/'
 * matches any single component of the path (a folder name such as "migrations", or "*_pb2.py");
 * a pattern with '/' is anchored at the root ("app/legacy", "app/legacy/" + "**", "**" +
 * "/generated"). A leading "./" and a trailing '/' in the pattern are ignored. Matching a
 * directory excludes what is in it, since the walk does not enter it. */
bool walk_glob_match(const char *pattern, const char *rel);

/* dir relative to root ("" when the same folder), or NULL when outside it or missing;
 * heap-owned. */
char *walk_rel_to(const char *root, const char *dir);

/* True when the file name is one of the configuration files collected (sets *kind). */
bool walk_config_kind(const char *rel, WalkKind *kind);

#endif
