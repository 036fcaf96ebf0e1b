/* facts_program: extraction rounds over a whole Program (see the header). */
#include "facts_program.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../base/timing.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"

#define MAX_THREADS 64

typedef struct Round {
    FactsProgram *fp;
    Program *prog;
    const FxHint *hints; /* none (NULL, 0) in the first round */
    uint32_t nhints;
    uint32_t *index; /* facts_hint_index of hints */
    uint32_t index_mask;
    uint32_t absent; /* facts_hint_absent of hints */
    FxHintLog *logs; /* per unit: the hint lookups of its last extraction */
    bool replay;     /* redo only files whose logged lookups would now be answered differently */
    bool light;      /* FxHints.light: the rounds that only gather hints */
    atomic_uint next;
} Round;

static void extract(Round *rd, uint32_t k)
{
    FactsProgram *fp = rd->fp;
    ProjFile *f = &rd->prog->files[fp->file_of[k]];
    FxHints h = {fp->units[k].module,
                 fp->units[k].is_package,
                 rd->hints,
                 rd->nhints,
                 rd->index,
                 rd->index_mask,
                 rd->light ? &rd->logs[k] : NULL,
                 rd->absent,
                 rd->light ? NULL : fp->units[k].ff, /* the light facts of the last round */
                 rd->light};
    if (rd->replay && facts_hints_same(&h, &rd->logs[k])) return; /* the same facts again */
    fp->units[k].ff = facts_extract_hinted(f->parse.module, &f->src, &f->arena, &h);
    fp->by_file[fp->file_of[k]] = fp->units[k].ff;
}

static void *worker(void *arg)
{
    Round *rd = arg;
    for (;;) {
        uint32_t k = atomic_fetch_add(&rd->next, 1);
        if (k >= rd->fp->nunits) return NULL;
        extract(rd, k);
    }
}

static void run_round(Round *rd, int jobs)
{
    atomic_store(&rd->next, 0);
    if (jobs > (int)rd->fp->nunits) jobs = (int)rd->fp->nunits;
    if (jobs > MAX_THREADS) jobs = MAX_THREADS;
    pthread_t threads[MAX_THREADS];
    int started = 0;
    while (started < jobs - 1 && pthread_create(&threads[started], NULL, worker, rd) == 0)
        started++;
    worker(rd);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
}

static void units_of(FactsProgram *fp, Program *prog)
{
    fp->by_file = xcalloc(prog->nfiles + 1, sizeof(void *)); /* FileFacts pointers */
    fp->units = xcalloc(prog->nfiles + 1, sizeof *fp->units);
    fp->file_of = xcalloc(prog->nfiles + 1, sizeof *fp->file_of);
    for (uint32_t i = 0; i < prog->nfiles; i++) {
        const ProjFile *f = &prog->files[i];
        if (!f->parse.module) continue;
        fp->units[fp->nunits] = (FactsUnit){NULL, f->module ? f->module : "", f->is_package};
        fp->file_of[fp->nunits++] = i;
    }
}

static void free_logs(FxHintLog *logs, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        VEC_FREE(logs[k]);
    free(logs);
}

void facts_program_extract(FactsProgram *fp, Program *prog, int jobs)
{
    memset(fp, 0, sizeof *fp);
    arena_init(&fp->link);
    units_of(fp, prog);
    Round rd = {.fp = fp, .prog = prog, .absent = ~0u, .light = true};
    rd.logs = xcalloc(fp->nunits + 1, sizeof *rd.logs);
    jobs = jobs > 0 ? jobs : proj_default_jobs();
    run_round(&rd, jobs);
    tm_phase("facts hints round 0");
    uint32_t nhints = 0;
    for (int round = 1; round < 4; round++) {
        FxHint *hints = NULL;
        uint32_t nh = facts_hints(fp->units, fp->nunits, &fp->link, &hints);
        if (nh == 0 || (round > 1 && nh == nhints)) break;
        nhints = nh;
        rd.replay = true; /* round 0 logged its (all unanswered) lookups too */
        rd.hints = hints;
        rd.nhints = nh;
        free(rd.index);
        rd.index = facts_hint_index(hints, nh, &rd.index_mask);
        rd.absent = facts_hint_absent(hints, nh);
        run_round(&rd, jobs);
        tm_phase("facts hints round");
    }
    rd.light = rd.replay = false; /* the facts themselves, with the last hints used */
    run_round(&rd, jobs);
    tm_phase("facts");
    free(rd.index);
    free_logs(rd.logs, fp->nunits);
    facts_link_project(fp->units, fp->nunits, &fp->link);
    tm_phase("facts link");
}

void facts_program_free(FactsProgram *fp)
{
    free(fp->by_file);
    free(fp->units);
    free(fp->file_of);
    arena_free(&fp->link);
    memset(fp, 0, sizeof *fp);
}
