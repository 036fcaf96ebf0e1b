/* facts_link: the whole-program side of the facts: the hint table for the second extraction
 * (facts_hints) and the pass that links classes across files (facts_link_project). */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"
#include "names.h"

typedef Vec(FxHint) HintVec;

/* ".db.X" in unit u -> "pkg.db.X"; NULL stays NULL. */
static const char *absolute(const FactsUnit *u, const char *r, Arena *a)
{
    if (!r || r[0] != '.') return r;
    uint32_t level = 0;
    while (r[level] == '.')
        level++;
    const char *abs = nm_absolute(u->module, u->is_package, level, r + level, a);
    return abs ? abs : r;
}

static const char *qualify(const FactsUnit *u, const char *q, Arena *a)
{
    return u->module && *u->module ? nm_join(u->module, q, a) : q;
}

static int32_t local_class(const FileFacts *ff, const char *name)
{
    for (uint32_t i = 0; name && i < ff->nclasses; i++)
        if (strcmp(ff->classes[i].qualname, name) == 0) return (int32_t)i;
    return -1;
}

/* The absolute name of a type written in unit u: resolved, or a class of the file. */
static const char *type_name(const FactsUnit *u, const char *type, const char *resolved, Arena *a)
{
    if (resolved) return absolute(u, resolved, a);
    return local_class(u->ff, type) >= 0 ? qualify(u, type, a) : NULL;
}

static void push(HintVec *v, const char *name, FxHintKind kind, FxMode mode, bool cm,
                 const char *type)
{
    FxHint h = {name, kind, mode, cm, type};
    VEC_PUSH(*v, h);
}

/* oslo.db enginefacade: transaction contexts, functions returning one, transaction
 * decorators, and the module holding them. */
static void tx_hints(const FactsUnit *u, HintVec *v, Arena *a)
{
    const FileFacts *ff = u->ff;
    uint32_t n0 = v->n;
    for (uint32_t i = 0; i < ff->nfuncs; i++) {
        const FxFunc *f = &ff->funcs[i];
        if (f->loc.func >= 0) continue;
        if (f->is_tx_decorator)
            push(v, qualify(u, f->qualname, a), FX_HINT_TXDECO, FX_SYNC, false, NULL);
        if (f->returns_facade) /* is_cm: a function returning one */
            push(v, qualify(u, f->qualname, a), FX_HINT_FACADE, FX_SYNC, true, NULL);
    }
    for (uint32_t i = 0; i < ff->nfacades; i++)
        push(v, qualify(u, ff->facades[i], a), FX_HINT_FACADE, FX_SYNC, false, NULL);
    if (v->n > n0 && u->module && *u->module)
        push(v, u->module, FX_HINT_TXMODULE, FX_SYNC, false, NULL);
}

static void unit_hints(const FactsUnit *u, HintVec *v, Arena *a)
{
    const FileFacts *ff = u->ff;
    tx_hints(u, v, a);
    for (uint32_t i = 0; i < ff->nfuncs; i++) {
        const FxFunc *f = &ff->funcs[i];
        if (f->is_session_provider && !strstr(f->qualname, "<locals>"))
            push(v, qualify(u, f->qualname, a), FX_HINT_PROVIDER, f->provider_mode,
                 f->is_contextmanager || f->is_asynccontextmanager, NULL);
    }
    for (uint32_t i = 0; i < ff->nsessionmakers; i++) {
        const FxSessionmaker *m = &ff->sessionmakers[i];
        if (m->target && !strchr(m->target, '.') && m->loc.func < 0)
            push(v, qualify(u, m->target, a), FX_HINT_FACTORY, m->mode, false, NULL);
    }
    for (uint32_t i = 0; i < ff->nself_attrs; i++) {
        const FxSelfAttr *s = &ff->self_attrs[i];
        const char *owner = qualify(u, ff->classes[s->cls].qualname, a);
        const char *name = nm_join(owner, s->attr, a);
        if (s->is_sessionmaker) push(v, name, FX_HINT_FACTORY, s->mode, false, NULL);
        const char *t = type_name(u, s->type, s->type_resolved, a);
        if (t && !s->is_sessionmaker && !s->is_engine)
            push(v, name, FX_HINT_ATTR, FX_UNKNOWN, false, t);
    }
    for (uint32_t i = 0; i < ff->nimports; i++) {
        const FxImport *im = &ff->imports[i];
        if (im->loc.func < 0 && strcmp(im->bound, "*") != 0)
            push(v, qualify(u, im->bound, a), FX_HINT_ALIAS, FX_UNKNOWN, false,
                 absolute(u, im->target, a));
    }
}

static int hint_cmp(const void *pa, const void *pb)
{
    const FxHint *x = pa, *y = pb;
    int c = strcmp(x->name, y->name);
    return c ? c : (int)x->kind - (int)y->kind;
}

/* First hint in sorted[0..n) whose name is >= key. */
static uint32_t lower_bound(const FxHint *sorted, uint32_t n, const char *key)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(sorted[mid].name, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Methods and attributes a class inherits from a base elsewhere: copies of the base's hints.
 * v->items[0..nsorted) is sorted by name. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void inherited(const FactsUnit *u, HintVec *v, uint32_t nsorted, Arena *a)
{
    const FileFacts *ff = u->ff;
    for (uint32_t c = 0; c < ff->nclasses; c++) {
        const FxClass *cl = &ff->classes[c];
        const char *sub = NULL;
        for (uint32_t b = 0; b < cl->nbases; b++) {
            const char *base =
                type_name(u, cl->bases[b],
                          cl->bases_resolved[b] != cl->bases[b] ? cl->bases_resolved[b] : NULL, a);
            if (!base) continue;
            size_t bl = strlen(base);
            const char *prefix = nm_join(base, "", a); /* "pkg.Base." */
            for (uint32_t i = lower_bound(v->items, nsorted, prefix); i < nsorted; i++) {
                FxHint h = v->items[i];
                if (strncmp(h.name, prefix, bl + 1) != 0) break;
                if (h.kind == FX_HINT_ALIAS) continue;
                sub = sub ? sub : qualify(u, cl->qualname, a);
                h.name = nm_join(sub, h.name + bl + 1, a);
                VEC_PUSH(*v, h);
            }
        }
    }
}

uint32_t facts_hints(const FactsUnit *units, uint32_t n, Arena *a, FxHint **out)
{
    HintVec v = {0};
    for (uint32_t i = 0; i < n; i++)
        unit_hints(&units[i], &v, a);
    for (int round = 0; round < 3; round++) { /* a round per level of inheritance */
        if (v.n) qsort(v.items, v.n, sizeof *v.items, hint_cmp);
        uint32_t nsorted = v.n;
        for (uint32_t i = 0; i < n && round < 2; i++)
            inherited(&units[i], &v, nsorted, a);
    }
    *out = VEC_FREEZE(a, v);
    uint32_t count = v.n;
    VEC_FREE(v);
    return count;
}

/* ---- classes across files ------------------------------------------------------------------ */

typedef struct ClassRef {
    const char *name; /* absolute */
    FileFacts *ff;
    int32_t cls; /* -1: a `Base = declarative_base()` assignment */
} ClassRef;

typedef Vec(ClassRef) ClassVec;

static int ref_cmp(const void *pa, const void *pb)
{
    return strcmp(((const ClassRef *)pa)->name, ((const ClassRef *)pb)->name);
}

static const ClassRef *find_exact(const ClassVec *v, const char *name)
{
    ClassRef key = {name, NULL, 0};
    return name && v->n ? bsearch(&key, v->items, v->n, sizeof key, ref_cmp) : NULL;
}

/* Classes by absolute name, and module-level imports as aliases: "pkg.models.Job" (a name a
 * module binds) -> targets[cls] ("pkg.models.job.Job"). */
typedef struct Links {
    ClassVec classes;
    ClassVec aliases;
    Vec(const char *) targets;
    Arena *a;
} Links;

/* The longest prefix of name (the whole name first) that is an alias; sets *cut to its length. */
static const ClassRef *alias_prefix(const Links *l, const char *name, size_t *cut)
{
    size_t n = strlen(name);
    for (;;) {
        const ClassRef *alias = find_exact(&l->aliases, arena_strndup(l->a, name, n));
        if (alias) {
            *cut = n;
            return alias;
        }
        while (n > 0 && name[--n] != '.') {
        }
        if (n == 0) return NULL;
    }
}

/* A class by absolute name, following re-exports. */
static const ClassRef *find_ref(const Links *l, const char *name)
{
    for (int depth = 0; name && depth < 6; depth++) {
        const ClassRef *r = find_exact(&l->classes, name);
        if (r) return r;
        size_t cut;
        const ClassRef *alias = alias_prefix(l, name, &cut);
        if (!alias || !l->targets.items || (uint32_t)alias->cls >= l->targets.n) return NULL;
        const char *target = l->targets.items[alias->cls];
        name = name[cut] ? nm_join(target, name + cut + 1, l->a) : target;
    }
    return NULL;
}

static void push_ref(ClassVec *v, ClassRef r)
{
    VEC_PUSH(*v, r);
}

static void push_alias(Links *l, const char *name, const char *target)
{
    ClassRef r = {name, NULL, (int32_t)l->targets.n};
    VEC_PUSH(l->targets, target);
    push_ref(&l->aliases, r);
}

static void index_unit(Links *l, FactsUnit *u)
{
    FileFacts *ff = u->ff;
    for (uint32_t c = 0; c < ff->nclasses; c++)
        push_ref(&l->classes,
                 (ClassRef){qualify(u, ff->classes[c].qualname, l->a), ff, (int32_t)c});
    for (uint32_t b = 0; b < ff->nbase_assigns; b++)
        push_ref(&l->classes, (ClassRef){qualify(u, ff->base_assigns[b].name, l->a), ff, -1});
    for (uint32_t i = 0; i < ff->nimports; i++) {
        const FxImport *im = &ff->imports[i];
        if (im->loc.func < 0 && im->name && strcmp(im->bound, "*") != 0)
            push_alias(l, qualify(u, im->bound, l->a), im->target);
    }
}

static void index_classes(FactsUnit *units, uint32_t n, Links *l)
{
    for (uint32_t i = 0; i < n; i++)
        index_unit(l, &units[i]);
    if (l->classes.n) qsort(l->classes.items, l->classes.n, sizeof *l->classes.items, ref_cmp);
    if (l->aliases.n) qsort(l->aliases.items, l->aliases.n, sizeof *l->aliases.items, ref_cmp);
}

static bool link_class(const Links *l, FxClass *c)
{
    bool changed = false;
    for (uint32_t b = 0; b < c->nbases; b++) {
        const ClassRef *r = find_ref(l, c->bases_resolved[b]);
        if (!r) continue;
        const FxClass *base = r->cls >= 0 ? &r->ff->classes[r->cls] : NULL;
        bool mapping = !base || base->base_form != FX_BASE_NONE || base->is_mapped;
        if (mapping && !c->is_mapped && c->base_form == FX_BASE_NONE) c->is_mapped = changed = true;
        if (base && base->has_async_attrs && !c->has_async_attrs)
            c->has_async_attrs = changed = true;
    }
    return changed;
}

/* Bases as absolute names: relative imports made absolute, classes of the same file qualified
 * with the module. */
static void link_bases(const FactsUnit *u, FxClass *c, Arena *a)
{
    for (uint32_t b = 0; b < c->nbases; b++) {
        const char *r = c->bases_resolved[b];
        if (r == c->bases[b] && local_class(u->ff, r) >= 0)
            c->bases_resolved[b] = qualify(u, r, a);
        else
            c->bases_resolved[b] = absolute(u, r, a);
    }
}

void facts_link_project(FactsUnit *units, uint32_t n, Arena *a)
{
    for (uint32_t i = 0; i < n; i++) {
        FileFacts *ff = units[i].ff;
        for (uint32_t k = 0; k < ff->nimports; k++)
            ff->imports[k].target = absolute(&units[i], ff->imports[k].target, a);
        for (uint32_t c = 0; c < ff->nclasses; c++)
            link_bases(&units[i], &ff->classes[c], a);
    }
    Links l = {{0}, {0}, {0}, a};
    index_classes(units, n, &l);
    bool changed = true;
    for (int round = 0; changed && round < 16; round++) {
        changed = false;
        for (uint32_t i = 0; i < n; i++)
            for (uint32_t c = 0; c < units[i].ff->nclasses; c++)
                changed |= link_class(&l, &units[i].ff->classes[c]);
    }
    VEC_FREE(l.classes);
    VEC_FREE(l.aliases);
    VEC_FREE(l.targets);
}
