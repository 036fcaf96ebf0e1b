/* project: the Program, every Python file of the project loaded and parsed.
 *
 * proj_load() walks the given paths (walk.h), then loads and parses the files in parallel on a
 * pool of N threads (jobs; 0 means one per online CPU). Each file gets its own arena and its own
 * slot in the files array, which is in path order, so the Program is the same for any N. A file
 * that cannot be used is kept in the array with skipped set and a Diag saying why: unreadable,
 * binary (a NUL byte in its first 8 KB, or not valid UTF-8), larger than PROJ_MAX_BYTES, or a
 * syntax error (the parser's E001 Diag, with line and column). Nothing is printed:
 * proj_diag_text() formats a file's Diag as "path:line:col: message" (or "path: message").
 *
 * Module names come from the package layout: from a file whose folder holds __init__.py, the
 * folders are climbed while they hold one ("src/app/services/user.py" -> "app.services.user",
 * which also covers src/ layouts); a file outside any package is named by its path from the root
 * with dots, a leading "src." dropped ("scripts/seed.py" -> "scripts.seed"). A package's
 * __init__.py is named after the package, with is_package set.
 *
 * Memory: the Program owns every file's strings, Source, arena (AST, tokens) and Diags until
 * proj_free(); whole-program passes may keep pointers into them until then. */
#ifndef PROJECT_H
#define PROJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/diag.h"
#include "../base/source.h"
#include "../syntax/parser.h"
#include "category.h"
#include "walk.h"

#define PROJ_MAX_BYTES    ((uint64_t)50 * 1024 * 1024)
#define PROJ_BINARY_PROBE 8192u  /* bytes searched for a NUL */
#define PROJ_E_INPUT      "E002" /* Diag code: the file could not be used (see message) */

typedef struct ProjFile {
    char *path;          /* display path, relative to the root; heap-owned */
    char *fs_path;       /* path to open; heap-owned */
    char *module;        /* dotted module name; heap-owned, NULL when skipped before parsing */
    bool is_package;     /* the file is a package's __init__.py */
    bool skipped;        /* not parsed: see diags */
    bool cat_overridden; /* category set by a [tool.sqlasync.categories] glob */
    uint8_t category;    /* FileCategory from the path (cat_classify); the facts pass may upgrade
                            it with cat_upgrade_routes() */
    Source src;          /* src.path is the display path; empty when the file was not read */
    Arena arena;         /* the file's arena: tokens, AST, and what passes put there */
    ParseOutput parse;   /* parse.module: the AST_MODULE, NULL when skipped */
    DiagList diags;      /* E001 syntax error or E002 input problem */
    uint32_t lines;      /* lines of text (0 when not read or binary) */
    uint64_t bytes;      /* size in bytes */
} ProjFile;

typedef struct ProjOptions {
    const char *root;         /* display and glob root; NULL: "." */
    const char *const *paths; /* what to analyse; npaths == 0: the root */
    uint32_t npaths;
    const char *const *exclude; /* exclude globs (walk_glob_match) */
    uint32_t nexclude;
    const CatOverrides *categories; /* or NULL */
    int jobs;                       /* threads; <= 0: proj_default_jobs() */
} ProjOptions;

typedef struct Program {
    char *root;      /* heap-owned copy of the root */
    ProjFile *files; /* heap-owned, sorted by path */
    uint32_t nfiles;
    uint32_t nparsed;      /* files with an AST */
    uint64_t lines, bytes; /* over files read as text (parsed or with a syntax error) */
    WalkResult walk;       /* configs (for depdecl) and walk issues; walk.files is emptied */
} Program;

/* Returns 0, or -1 when a given path does not exist (also a walk issue). Problems with single
 * files never fail the load: they are in the files' diags and in walk.issues. */
int proj_load(Program *prog, const ProjOptions *o);
void proj_free(Program *prog);

int proj_default_jobs(void);
/* Appends "path:line:col: message" (col 1-based), or "path: message" for an input problem.
 * Not thread-safe for one file (it may build the file's line table). */
void proj_diag_text(Buf *out, ProjFile *f, const Diag *d);
/* The dotted module name of a file (see above); heap-owned. */
char *proj_module_name(const char *fs_path, const char *rel, bool *is_package);
/* 0 when text is usable source; otherwise -1 and why in msg ("binary file ..."). */
int proj_check_text(const char *text, uint32_t len, char *msg, size_t msglen);

#endif
