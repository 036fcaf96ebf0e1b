/* phases.c: node phases (roles, core set, components), each file's home phase, the points of
 * every (phase, file) pair, the steps, the calendar and the strategies (see the header). */
#include "phases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/xmalloc.h"
#include "../model/category.h"

#define NONE UINT32_MAX

static const char *const kind_keys[] = {
#define X(id, key, title) key,
    PH_KINDS(X)
#undef X
};
static const char *const kind_titles[] = {
#define X(id, key, title) title,
    PH_KINDS(X)
#undef X
};

const char *ph_key(PhaseKind k)
{
    return (unsigned)k < PH__COUNT ? kind_keys[k] : "?";
}

const char *ph_title(PhaseKind k)
{
    return (unsigned)k < PH__COUNT ? kind_titles[k] : "?";
}

/* Codes and the phase of their findings; codes not listed go with their file. */
static const struct {
    const char *codes;
    PhaseKind phase;
} code_phases[] = {
    {"SA106 SA403 SA406", PH_FOUNDATION},
    {"SA101 SA102 SA103 SA104 SA105 SA107", PH_SELECT},
    {"SA301 SA302 SA303 SA304 SA305", PH_LOADING},
    {"SA401 SA402 SA405", PH_ASYNC_ENGINE},
    {"SA407 SA408", PH_TESTS},
    {"SA205 SA409", PH_WORKER},
    {"SA404", PH_CLEANUP},
};

PhaseKind ph_phase_of_code(const char *code)
{
    size_t n = strlen(code);
    for (size_t i = 0; i < sizeof code_phases / sizeof code_phases[0]; i++) {
        const char *list = code_phases[i].codes;
        for (const char *p = strstr(list, code); p; p = strstr(p + 1, code))
            if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                return code_phases[i].phase;
    }
    return PH__COUNT;
}

/* Per (phase, file): what the phase does in the file. */
typedef struct Acc {
    double points, fix;
    uint32_t findings, line, sessions;
    bool used, home, cleanup;
} Acc;

typedef struct Build {
    Plan *p;
    const PhInput *in;
    uint32_t nfiles;
    PhaseKind *home;   /* per file */
    bool *worker_file; /* per file: SA409 findings, or a node starting threads */
    Acc *acc;          /* PH__COUNT x nfiles */
    bool *sync_factory;
} Build;

static Acc *acc_at(const Build *b, PhaseKind k, uint32_t file)
{
    return &b->acc[(size_t)k * b->nfiles + file];
}

/* ---- node phases --------------------------------------------------------------------------- */

static FileCategory file_category(const Build *b, uint32_t file)
{
    const EstFile *f = &b->in->in->files[file];
    return f->is_python ? (FileCategory)f->category : FCAT_OTHER;
}

static PhaseKind role_phase(const Build *b, const DgNode *n)
{
    if (n->is_db_layer) return PH_ASYNC_ENGINE;
    if (n->has_threads || b->worker_file[n->file]) return PH_WORKER;
    if (n->has_routes || n->has_loops || file_category(b, n->file) == FCAT_ROUTES) return PH_ROUTES;
    return PH_SERVICES;
}

/* Services with fan-in >= core_fan_in, and the services they depend on. */
static void core_set(Build *b)
{
    const DgGraph *g = b->in->g;
    Plan *p = b->p;
    for (uint32_t i = 0; i < g->nnodes; i++)
        p->core[i] = p->node_phase[i] == PH_SERVICES && g->nodes[i].fan_in >= p->core_fan_in;
    dg_reach(g, p->core);
    for (uint32_t i = 0; i < g->nnodes; i++) {
        p->core[i] = p->core[i] && p->node_phase[i] == PH_SERVICES;
        if (p->core[i]) p->node_phase[i] = PH_CORE;
    }
}

static void node_phases(Build *b)
{
    const DgGraph *g = b->in->g;
    Plan *p = b->p;
    for (uint32_t i = 0; i < g->nnodes; i++)
        p->node_phase[i] = role_phase(b, &g->nodes[i]);
    core_set(b);
    for (uint32_t c = 0; c < g->ncomps; c++) {
        const DgComp *comp = &g->comps[c];
        PhaseKind k = PH_FOUNDATION;
        for (uint32_t m = 0; m < comp->n; m++)
            if (p->node_phase[comp->members[m]] > k) k = p->node_phase[comp->members[m]];
        for (uint32_t m = 0; m < comp->n; m++)
            p->node_phase[comp->members[m]] = k;
        Phase *ph = &p->phases[k];
        ph->steps[ph->nsteps++] = c;
    }
}

/* ---- file home phases ---------------------------------------------------------------------- */

/* The phase holding most of a file's finding points (earliest on a tie), or none. */
static PhaseKind busiest_phase(const Build *b, uint32_t file)
{
    PhaseKind best = PH__COUNT;
    for (int k = 0; k < PH__COUNT; k++) {
        const Acc *a = acc_at(b, (PhaseKind)k, file);
        if (a->findings && (best == PH__COUNT || a->points > acc_at(b, best, file)->points))
            best = (PhaseKind)k;
    }
    return best;
}

static void home_phases(Build *b)
{
    const DgGraph *g = b->in->g;
    const EstInput *in = b->in->in;
    for (uint32_t f = 0; f < b->nfiles; f++)
        b->home[f] = PH__COUNT;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        PhaseKind k = b->p->node_phase[i];
        uint32_t f = g->nodes[i].file;
        if (f < b->nfiles && (b->home[f] == PH__COUNT || k > b->home[f])) b->home[f] = k;
    }
    for (uint32_t f = 0; f < b->nfiles; f++)
        if (b->worker_file[f]) b->home[f] = PH_WORKER;
    for (uint32_t f = 0; f < b->nfiles; f++) {
        const EstFile *ef = &in->files[f];
        if (!ef->is_python)
            b->home[f] = PH_FOUNDATION;
        else if (ef->category == FCAT_TESTS)
            b->home[f] = PH_TESTS;
        else if (b->home[f] == PH__COUNT && ef->category == FCAT_ROUTES)
            b->home[f] = PH_ROUTES;
        else if (b->home[f] == PH__COUNT)
            b->home[f] = busiest_phase(b, f);
        if (b->home[f] == PH__COUNT) b->home[f] = PH_SERVICES;
    }
}

/* ---- points per (phase, file) -------------------------------------------------------------- */

static void add_findings(Build *b)
{
    const EstInput *in = b->in->in;
    for (uint32_t i = 0; i < in->nfindings; i++) {
        const Finding *f = &in->findings[i];
        PhaseKind k = ph_phase_of_code(f->code);
        if (k == PH__COUNT) continue; /* placed with the home phase, once homes are known */
        double fix, pts = est_finding_points(b->in->e, f, &fix);
        Acc *a = acc_at(b, k, in->owner[i]);
        a->points += pts, a->fix += fix, a->findings++, a->used = true;
        if (!a->line) a->line = f->line;
    }
}

static void add_home_work(Build *b)
{
    const EstInput *in = b->in->in;
    for (uint32_t i = 0; i < in->nfindings; i++) {
        const Finding *f = &in->findings[i];
        if (ph_phase_of_code(f->code) != PH__COUNT) continue;
        double fix, pts = est_finding_points(b->in->e, f, &fix);
        Acc *a = acc_at(b, b->home[in->owner[i]], in->owner[i]);
        a->points += pts, a->fix += fix, a->findings++, a->used = true;
        if (!a->line) a->line = f->line;
    }
    for (uint32_t f = 0; f < b->nfiles; f++) {
        const EstFile *ef = &in->files[f];
        double own = est_file_points(b->in->e, ef, false);
        if (own > 0) {
            Acc *a = acc_at(b, b->home[f], f);
            a->points += own, a->used = a->home = true;
            a->sessions = ef->is_python ? ef->sessions : 0;
        }
        if (b->sync_factory[f]) {
            Acc *c = acc_at(b, PH_CLEANUP, f);
            c->points += est_file_points(b->in->e, ef, true) - own;
            c->used = c->cleanup = true;
        }
    }
}

/* "SA101 ×3, SA103" for the findings of phase k in file f (findings of a file are
 * contiguous). */
static const char *codes_text(Build *b, PhaseKind k, uint32_t file)
{
    const EstInput *in = b->in->in;
    Buf t;
    buf_init(&t);
    const char *seen[64];
    uint32_t counts[64], n = 0;
    for (uint32_t i = 0; i < in->nfindings; i++) {
        const Finding *f = &in->findings[i];
        PhaseKind fk = ph_phase_of_code(f->code);
        if (in->owner[i] != file || (fk == PH__COUNT ? b->home[file] : fk) != k) continue;
        uint32_t j = 0;
        while (j < n && strcmp(seen[j], f->code) != 0)
            j++;
        if (j == n && n < 64) seen[n] = f->code, counts[n++] = 0;
        if (j < n) counts[j]++;
    }
    for (uint32_t i = 0; i < n; i++) { /* few codes: insertion order by code */
        for (uint32_t j = i + 1; j < n; j++) {
            if (strcmp(seen[j], seen[i]) >= 0) continue;
            const char *s = seen[i];
            uint32_t c = counts[i];
            seen[i] = seen[j], counts[i] = counts[j], seen[j] = s, counts[j] = c;
        }
        buf_printf(&t, counts[i] > 1 ? "%s%s ×%u" : "%s%s", i ? ", " : "", seen[i], counts[i]);
    }
    const char *r = arena_strndup(&b->p->arena, t.data ? t.data : "", t.len);
    buf_free(&t);
    return r;
}

static int file_path_cmp(const void *x, const void *y)
{
    return strcmp(((const PhFile *)x)->path, ((const PhFile *)y)->path);
}

static uint32_t first_node_line(const Build *b, PhaseKind k, uint32_t file)
{
    const DgGraph *g = b->in->g;
    uint32_t line = 0;
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (g->nodes[i].file == file && b->p->node_phase[i] == k &&
            (!line || g->nodes[i].line < line))
            line = g->nodes[i].line;
    return line;
}

static void phase_files(Build *b, PhaseKind k)
{
    Phase *ph = &b->p->phases[k];
    ph->files = ARENA_ARRAY(&b->p->arena, PhFile, b->nfiles + 1);
    for (uint32_t f = 0; f < b->nfiles; f++) {
        const Acc *a = acc_at(b, k, f);
        if (!a->used) continue;
        PhFile *pf = &ph->files[ph->nfiles++];
        pf->file = f, pf->path = b->in->in->files[f].path;
        pf->line = a->line ? a->line : first_node_line(b, k, f);
        pf->points = a->points, pf->fix_removes = a->fix, pf->remaining = a->points - a->fix;
        pf->findings = a->findings, pf->home = a->home, pf->sessions = a->sessions;
        pf->cleanup = a->cleanup;
        pf->codes = codes_text(b, k, f);
        ph->points += a->points, ph->fix_removes += a->fix, ph->findings += a->findings;
    }
    if (ph->nfiles > 1) qsort(ph->files, ph->nfiles, sizeof *ph->files, file_path_cmp);
    ph->remaining = ph->points - ph->fix_removes;
}

static void calendar(Plan *p, double velocity)
{
    double at = 0;
    for (int k = 0; k < PH__COUNT; k++) {
        Phase *ph = &p->phases[k];
        ph->weeks = ph->remaining / velocity;
        ph->start = at;
        at += ph->weeks;
        ph->end = at;
    }
}

/* ---- strategies ---------------------------------------------------------------------------- */

static double file_remaining(const Build *b, uint32_t f)
{
    double r = 0;
    for (int k = 0; k < PH__COUNT; k++) {
        const Acc *a = acc_at(b, (PhaseKind)k, f);
        r += a->points - a->fix;
    }
    return r;
}

static void full_strategy(Build *b)
{
    const Estimate *e = b->in->e;
    PhStrategy *s = &b->p->strategies[PH_STRAT_FULL];
    s->applicable = true;
    s->remaining = e->remaining;
    s->weeks = e->weeks, s->low = e->low, s->high = e->high;
    s->holding = e->nholding, s->level = e->level;
}

static void set_weeks(const Estimate *e, PhStrategy *s)
{
    s->weeks = s->remaining / e->velocity;
    s->level = est_level(e, s->holding);
    double spread = est_spread(e, s->level);
    s->low = s->weeks * (1 - spread), s->high = s->weeks * (1 + spread);
}

/* Worker-only and shared nodes: reach from the worker versus reach from async code; rw gets
 * what the worker reaches. */
static void hybrid_sets(Build *b, bool *rw, bool *worker_only, bool *shared)
{
    const DgGraph *g = b->in->g;
    bool *ra = xcalloc(g->nnodes + 1, sizeof *ra);
    for (uint32_t i = 0; i < g->nnodes; i++) {
        const DgNode *n = &g->nodes[i];
        rw[i] = n->has_threads || b->worker_file[n->file];
        ra[i] = !rw[i] && (n->has_routes || n->has_loops || n->has_async);
    }
    dg_reach(g, rw);
    dg_reach(g, ra);
    for (uint32_t i = 0; i < g->nnodes; i++) {
        worker_only[i] = rw[i] && !ra[i];
        shared[i] = rw[i] && ra[i] && !g->nodes[i].is_db_layer;
    }
    free(ra);
}

/* Files whose every node only the worker uses; files holding a shared node. */
static void hybrid_files(Build *b, PhStrategy *s, const bool *worker_only, const bool *shared)
{
    const DgGraph *g = b->in->g;
    uint8_t *state = xcalloc(b->nfiles + 1, 1); /* 1 worker-only so far, 2 not, 4 shared */
    for (uint32_t i = 0; i < g->nnodes; i++) {
        uint32_t f = g->nodes[i].file;
        state[f] |= worker_only[i] ? 1 : 2;
        if (shared[i]) state[f] |= 4;
    }
    s->sync_files = ARENA_ARRAY(&b->p->arena, uint32_t, b->nfiles + 1);
    s->shared_files = ARENA_ARRAY(&b->p->arena, uint32_t, b->nfiles + 1);
    for (uint32_t f = 0; f < b->nfiles; f++) {
        if ((state[f] & 3) == 1)
            s->sync_files[s->nsync_files++] = f, s->saved += file_remaining(b, f);
        else if (state[f] & 4)
            s->shared_files[s->nshared_files++] = f,
            s->added += file_remaining(b, f) * est_param(b->in->e, "hybrid_shared");
    }
    free(state);
}

static void hybrid_strategy(Build *b)
{
    const DgGraph *g = b->in->g;
    const Estimate *e = b->in->e;
    PhStrategy *s = &b->p->strategies[PH_STRAT_HYBRID];
    for (uint32_t i = 0; i < g->nnodes; i++)
        s->applicable = s->applicable || g->nodes[i].has_threads;
    if (!s->applicable) return;
    bool *worker_only = xcalloc(g->nnodes + 1, sizeof *worker_only);
    bool *shared = xcalloc(g->nnodes + 1, sizeof *shared), *rw = xcalloc(g->nnodes + 1, sizeof *rw);
    hybrid_sets(b, rw, worker_only, shared);
    s->shared = ARENA_ARRAY(&b->p->arena, uint32_t, g->nnodes + 1);
    s->kept_engines = ARENA_ARRAY(&b->p->arena, uint32_t, b->nfiles + 1);
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (shared[i]) s->shared[s->nshared++] = i;
    hybrid_files(b, s, worker_only, shared);
    bool *counted = xcalloc(b->nfiles + 1, sizeof *counted);
    for (uint32_t i = 0; i < g->nnodes; i++) { /* the sync engines the worker reaches stay */
        uint32_t f = g->nodes[i].file;
        if (!rw[i] || !g->nodes[i].is_db_layer || !acc_at(b, PH_CLEANUP, f)->cleanup) continue;
        if (worker_only[i] || counted[f]) continue; /* a file kept sync is counted already */
        counted[f] = true;
        s->kept_engines[s->nkept_engines++] = f;
        s->saved += est_param(e, "sync_removal");
    }
    free(counted);
    s->remaining = e->remaining - s->saved + s->added;
    s->holding = e->nholding - (e->risks[EST_RISK_WORKER].holds ? 1 : 0);
    set_weeks(e, s);
    free(worker_only);
    free(shared);
    free(rw);
}

static void v2_first_strategy(Build *b)
{
    const Estimate *e = b->in->e;
    PhStrategy *s = &b->p->strategies[PH_STRAT_V2_FIRST];
    const Plan *p = b->p;
    s->applicable = p->phases[PH_SELECT].nfiles + p->phases[PH_LOADING].nfiles > 0;
    double extra = 0;
    for (uint32_t f = 0; f < b->nfiles; f++) {
        if (!acc_at(b, PH_SELECT, f)->used && !acc_at(b, PH_LOADING, f)->used) continue;
        s->pass1_files++;
        if (!b->in->in->files[f].is_python) continue;
        s->pass1_python++;
        extra += est_param(e, "second_pass") * est_param(e, "file");
    }
    double first = p->phases[PH_SELECT].remaining + p->phases[PH_LOADING].remaining;
    s->pass1 = first + extra;
    s->pass2 = e->remaining - first;
    s->remaining = s->pass1 + s->pass2;
    s->pass1_weeks = s->pass1 / e->velocity;
    s->pass2_weeks = s->pass2 / e->velocity;
    s->pass1_holding = e->risks[EST_RISK_SCALE].holds ? 1 : 0;
    s->pass1_level = est_level(e, s->pass1_holding);
    s->holding = e->nholding;
    set_weeks(e, s);
}

static void strategies(Build *b)
{
    static const char *const keys[][2] = {
#define X(id, key, title) {key, title},
        PH_STRATEGIES(X)
#undef X
    };
    for (int k = 0; k < PH_STRAT__COUNT; k++)
        b->p->strategies[k].key = keys[k][0], b->p->strategies[k].title = keys[k][1];
    full_strategy(b);
    hybrid_strategy(b);
    v2_first_strategy(b);
}

/* ---- evidence of async engines already there ----------------------------------------------- */

static void async_engines(Build *b)
{
    Plan *p = b->p;
    const PhInput *in = b->in;
    p->async_engines = ARENA_ARRAY(&p->arena, uint32_t, b->nfiles + 1);
    p->async_lines = ARENA_ARRAY(&p->arena, uint32_t, b->nfiles + 1);
    for (uint32_t f = 0; in->facts && f < in->nfacts && f < b->nfiles; f++) {
        const FileFacts *ff = in->facts[f];
        for (uint32_t i = 0; ff && i < ff->nengines; i++) {
            if (ff->engines[i].mode != FX_ASYNC) continue;
            p->async_engines[p->nasync_engines] = f;
            p->async_lines[p->nasync_engines++] = ff->engines[i].loc.line;
            break;
        }
    }
}

/* ---- public -------------------------------------------------------------------------------- */

static void init_plan(Plan *p, const PhInput *in)
{
    memset(p, 0, sizeof *p);
    arena_init(&p->arena);
    uint32_t nn = in->g->nnodes;
    p->node_phase = ARENA_ARRAY(&p->arena, PhaseKind, nn + 1);
    p->core = ARENA_ARRAY(&p->arena, bool, nn + 1);
    p->core_fan_in = est_param(in->e, "core_fan_in");
    for (int k = 0; k < PH__COUNT; k++) {
        p->phases[k].kind = (PhaseKind)k;
        p->phases[k].key = kind_keys[k], p->phases[k].title = kind_titles[k];
        p->phases[k].steps = ARENA_ARRAY(&p->arena, uint32_t, in->g->ncomps + 1);
    }
}

void ph_build(Plan *p, const PhInput *in)
{
    init_plan(p, in);
    Build b = {p, in, in->in->nfiles, NULL, NULL, NULL, NULL};
    b.home = xcalloc(b.nfiles + 1, sizeof *b.home);
    b.acc = xcalloc((size_t)PH__COUNT * b.nfiles + 1, sizeof *b.acc);
    b.sync_factory = xcalloc(b.nfiles + 1, sizeof *b.sync_factory);
    b.worker_file = xcalloc(b.nfiles + 1, sizeof *b.worker_file);
    for (uint32_t i = 0; i < in->in->nfindings; i++) {
        const char *code = in->in->findings[i].code;
        if (est_is_sync_factory_code(code)) b.sync_factory[in->in->owner[i]] = true;
        if (strcmp(code, "SA409") == 0) b.worker_file[in->in->owner[i]] = true;
    }
    for (uint32_t i = 0; i < in->g->nnodes; i++)
        if (in->g->nodes[i].has_threads && in->g->nodes[i].file < b.nfiles)
            b.worker_file[in->g->nodes[i].file] = true;
    node_phases(&b);
    add_findings(&b);
    home_phases(&b);
    add_home_work(&b);
    for (int k = 0; k < PH__COUNT; k++)
        phase_files(&b, (PhaseKind)k);
    calendar(p, in->e->velocity);
    strategies(&b);
    async_engines(&b);
    free(b.home);
    free(b.acc);
    free(b.sync_factory);
    free(b.worker_file);
}

void ph_free(Plan *p)
{
    arena_free(&p->arena);
    memset(p, 0, sizeof *p);
}
