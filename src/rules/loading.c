/* loading: SA3xx rules that need no call graph: SA301 (relationship with default lazy loading)
 * and SA305 (sessionmaker without expire_on_commit=False). */
#include <string.h>

#include "rules.h"

static const char *owner(const FileFacts *ff, const FxRelationship *r)
{
    return r->cls >= 0 ? ff->classes[r->cls].name : NULL;
}

static void relationship_301(const FileFacts *ff, const FindingSite *site, const FxRelationship *r,
                             FindingList *out)
{
    const char *lazy = r->lazy;
    bool dflt = lazy == NULL;
    bool lazyload = dflt || strcmp(lazy, "select") == 0 || strcmp(lazy, "dynamic") == 0;
    if (!lazyload) return;
    const char *cls = owner(ff, r);
    const char *attr = r->attr ? r->attr : "?";
    if (lazy && strcmp(lazy, "dynamic") == 0)
        finding_add(out, site, "SA301", r->loc.span, facts_qualname(ff, r->loc.func),
                    "relationship `%s%s%s` uses `lazy=\"dynamic\"`, which asyncio does not "
                    "support; use `WriteOnlyMapped` or a query",
                    cls ? cls : "", cls ? "." : "", attr);
    else
        finding_add(out, site, "SA301", r->loc.span, facts_qualname(ff, r->loc.func),
                    "relationship `%s%s%s` uses %s lazy loading; under asyncio a lazy load "
                    "raises MissingGreenlet: set `lazy=\"selectin\"` or `\"raise\"`",
                    cls ? cls : "", cls ? "." : "", attr, dflt ? "default" : "`lazy=\"select\"`");
}

static void maker_305(const FileFacts *ff, const FindingSite *site, const FxSessionmaker *m,
                      FindingList *out)
{
    if (m->expire_on_commit == 0) return;
    const char *how = m->expire_on_commit == -1  ? "without `expire_on_commit=False`"
                      : m->expire_on_commit == 1 ? "with `expire_on_commit=True`"
                                                 : "with a computed `expire_on_commit`";
    Finding *f = finding_add(out, site, "SA305", m->loc.span, facts_qualname(ff, m->loc.func),
                             "`%s()`%s%s%s %s: objects expire at commit and reading them "
                             "afterwards needs IO (MissingGreenlet under asyncio)",
                             m->factory, m->target ? " for `" : "", m->target ? m->target : "",
                             m->target ? "`" : "", how);
    f->fix = m->expire_on_commit == 2 ? FIX_MANUAL : FIX_UNSAFE;
}

void rule_loading(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nrelationships; i++)
        relationship_301(ff, site, &ff->relationships[i], out);
    for (uint32_t i = 0; i < ff->nsessionmakers; i++)
        maker_305(ff, site, &ff->sessionmakers[i], out);
}
