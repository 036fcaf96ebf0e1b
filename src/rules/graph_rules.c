/* graph_rules: the driver of the call-graph rules (see graph_rules.h). */
#include "graph_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/timing.h"
#include "../base/vec.h"

static void coverage(const CallGraph *cg, GraphSummary *sum, Arena *a)
{
    sum->functions = cg->nnodes;
    sum->edges = cg->nedges;
    for (uint32_t k = 0; k < cg->nedges; k++)
        sum->edges_by_kind[cg->edges[k].kind]++;
    sum->cov = cg->cov;
    sum->coverage = cg_coverage(cg);
    uint32_t n = cg->nunresolved < GR_UNRESOLVED_LISTED ? cg->nunresolved : GR_UNRESOLVED_LISTED;
    sum->unresolved = ARENA_ARRAY(a, GrRef, n + 1);
    for (uint32_t i = 0; i < n; i++) {
        const CgSite *s = &cg->unresolved[i];
        sum->unresolved[i] =
            (GrRef){cg->st->prog->files[s->file].path, s->line, s->text, cg_reason_text(s->reason)};
    }
    sum->nunresolved = n;
}

const GraphSummary *graph_rules_run(const Program *prog, const RuleProject *p, Arena *a,
                                    FindingList *out)
{
    FileFacts **facts = xcalloc(prog->nfiles + 1, sizeof(void *)); /* FileFacts pointers */
    FindingSite *sites = xcalloc(prog->nfiles + 1, sizeof *sites);
    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t f = p->sites[i].file;
        if (f >= prog->nfiles) continue;
        facts[f] = p->facts[i];
        sites[f] = p->sites[i];
    }
    CallGraph *cg = cg_build(prog, facts, p->jobs, a);
    tm_phase("call graph");
    GraphSummary *sum = ARENA_NEW(a, GraphSummary);
    coverage(cg, sum, a);
    rule_async_graph(cg, sites, p->shown, out, sum, a);
    tm_phase("async graph rules");
    rule_loading_graph(cg, sites, out, sum, a);
    tm_phase("loading graph rules");
    free(facts);
    free(sites);
    return sum;
}
