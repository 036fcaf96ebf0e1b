/* facts_program: the facts of every parsed file of a Program, extracted the one right way.
 *
 * facts_program_extract() runs on a pool of threads (one file per task: each file's facts go
 * to its own arena). Light rounds (FxHints.light: imports, structure, providers, sessionmakers
 * outside functions) gather the project's hints (facts_hints) until their number stops
 * changing (at most 4 rounds; a file is redone only when a new hint would answer one of its
 * lookups differently); then one full extraction per file with the last hints, taking the
 * providers its light round found; then classes are linked across files (facts_link_project).
 * `check`, `report`, `graph` and `fix` should all use it, so that they see the same sessions. The
 * FactsProgram owns its arrays and the link arena (hints, link strings) until facts_program_free();
 * the facts themselves live in the files' arenas (the Program). */
#ifndef FACTS_PROGRAM_H
#define FACTS_PROGRAM_H

#include <stdint.h>

#include "../base/arena.h"
#include "facts.h"
#include "project.h"

typedef struct FactsProgram {
    FileFacts **by_file; /* per Program file, NULL when the file was not parsed */
    FactsUnit *units;    /* parsed files only, in Program order */
    uint32_t *file_of;   /* units[k] is prog->files[file_of[k]] */
    uint32_t nunits;
    Arena link; /* hints and strings made by the link */
} FactsProgram;

/* jobs <= 0: proj_default_jobs(). */
void facts_program_extract(FactsProgram *fp, Program *prog, int jobs);
void facts_program_free(FactsProgram *fp);

#endif
