/* depgraph.c: candidates (every class and one module node per file), their direct database
 * work, edges resolved through imports, the nodes that reach database work, Tarjan's
 * components with an explicit stack, and the leaves-first order (see the header). */
#include "depgraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/vec.h"
#include "../base/xmalloc.h"

#define NONE        UINT32_MAX
#define ALIAS_HOPS  4   /* re-exports followed for one name */
#define TEXT_MAX    100 /* evidence text kept per edge, in bytes */
#define CUTS_INLINE 16  /* dotted prefixes of a name kept without the heap */

typedef struct Cand {
    const char *id, *name;
    DgNodeKind kind;
    uint32_t file;
    uint32_t line;
    uint32_t db_ops, db_line;
    bool is_db_layer, has_routes, has_loops, has_threads, has_async;
} Cand;

typedef enum { KEY_CLASS, KEY_MODULE, KEY_FUNC } KeyKind;

typedef struct Key {
    const char *name; /* absolute dotted name */
    uint32_t cand;
    KeyKind kind;
} Key;

typedef struct Alias {
    const char *name;   /* "pkg.Name": a module-level import of module pkg */
    const char *target; /* what it stands for */
} Alias;

typedef struct RawEdge {
    uint32_t from, to; /* candidates */
    DgEdgeKind kind;
    uint32_t line;
    const char *text;
} RawEdge;

/* A string map with open addressing: bytes -> uint32_t. Keys are borrowed; the first value put
 * for a key stays. */
typedef struct MapSlot {
    const char *key; /* NULL: empty */
    uint32_t len, hash, val;
} MapSlot;

typedef struct StrMap {
    MapSlot *slots;
    uint32_t cap, n; /* cap: a power of two, or 0 */
} StrMap;

typedef struct Builder {
    DgGraph *g;
    Arena *a;
    const DgFile *files;
    uint32_t nfiles;
    Vec(Cand) cands;
    uint32_t *module_cand; /* per file: its module candidate, or NONE when left out */
    uint32_t *class_first; /* per file: the candidate of its first class */
    Vec(Key) keys;         /* sorted by name after collection */
    Vec(Alias) aliases;    /* sorted by name */
    StrMap key_idx;        /* name -> first of the sorted keys with that name */
    StrMap alias_idx;      /* the same for aliases */
    StrMap memo;           /* lookup(): name -> its answer */
    Vec(RawEdge) edges;
} Builder;

static const char *const edge_kind_names[] = {
#define X(id, name) name,
    DG_EDGE_KINDS(X)
#undef X
};

const char *dg_edge_kind_name(DgEdgeKind k)
{
    return (unsigned)k < DG_EDGE__COUNT ? edge_kind_names[k] : "?";
}

/* x "." y into out[0..cap) when it fits (returns out), else into the arena. */
static const char *join_into(Arena *a, char *out, size_t cap, const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y);
    char *s = out && nx + ny + 2 <= cap ? out : arena_alloc(a, nx + ny + 2);
    memcpy(s, x, nx); // NOLINT(bugprone-not-null-terminated-result): y's copy ends with its NUL
    s[nx] = '.';
    memcpy(s + nx + 1, y, ny + 1);
    return s;
}

static const char *join(Arena *a, const char *x, const char *y)
{
    return join_into(a, NULL, 0, x, y);
}

/* A stable merge sort of indexes with a context (qsort has none). */
typedef int (*IdxCmp)(const void *ctx, uint32_t a, uint32_t b);

static void sort_idx(uint32_t *v, uint32_t n, IdxCmp cmp, const void *ctx)
{
    uint32_t *tmp = xcalloc(n + 1, sizeof *tmp);
    for (uint32_t width = 1; width < n; width *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * width) {
            uint32_t mid = lo + width < n ? lo + width : n;
            uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = cmp(ctx, v[j], v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, sizeof *v * n);
    }
    free(tmp);
}

/* ---- candidates and names ------------------------------------------------------------------ */

static bool file_included(const DgFile *f)
{
    return f->ff && f->category != FCAT_TESTS && !f->ff->alembic.is_env;
}

static const char *module_of(const DgFile *f)
{
    return f->module && *f->module ? f->module : f->path;
}

static void add_key(Builder *b, const char *name, uint32_t cand, KeyKind kind)
{
    Key k = {name, cand, kind};
    VEC_PUSH(b->keys, k);
}

static void add_cand(Builder *b, const Cand *c)
{
    VEC_PUSH(b->cands, *c);
}

static void add_alias(Builder *b, const char *name, const char *target)
{
    Alias al = {name, target};
    VEC_PUSH(b->aliases, al);
}

static uint32_t first_toplevel_line(const FileFacts *ff)
{
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        if (ff->funcs[i].loc.func < 0 && ff->funcs[i].cls < 0) return ff->funcs[i].loc.line;
    return 0;
}

static int32_t class_at(const FileFacts *ff, Span s);

/* A plain name assigned at module level (not in a function or a class body). */
static bool module_level_target(const FileFacts *ff, const FxLoc *loc, const char *target)
{
    return target && !strchr(target, '.') && loc->func < 0 && class_at(ff, loc->span) < 0;
}

static void add_file_cands(Builder *b, uint32_t fi)
{
    const DgFile *f = &b->files[fi];
    const FileFacts *ff = f->ff;
    const char *mod = module_of(f);
    b->class_first[fi] = b->cands.n;
    for (uint32_t c = 0; c < ff->nclasses; c++) {
        Cand cd = {0};
        cd.id = join(b->a, mod, ff->classes[c].qualname);
        cd.name = ff->classes[c].qualname;
        cd.kind = DG_CLASS, cd.file = fi, cd.line = ff->classes[c].loc.line;
        add_key(b, cd.id, b->cands.n, KEY_CLASS);
        add_cand(b, &cd);
    }
    Cand md = {0};
    md.id = mod, md.name = mod, md.kind = DG_MODULE, md.file = fi;
    md.line = first_toplevel_line(ff);
    b->module_cand[fi] = b->cands.n;
    add_key(b, mod, b->cands.n, KEY_MODULE);
    for (uint32_t i = 0; i < ff->nfuncs; i++)
        if (ff->funcs[i].loc.func < 0 && ff->funcs[i].cls < 0)
            add_key(b, join(b->a, mod, ff->funcs[i].name), b->cands.n, KEY_FUNC);
    /* module-level engines and session factories: `SessionLocal()` elsewhere uses this module */
    for (uint32_t i = 0; i < ff->nsessionmakers; i++)
        if (module_level_target(ff, &ff->sessionmakers[i].loc, ff->sessionmakers[i].target))
            add_key(b, join(b->a, mod, ff->sessionmakers[i].target), b->cands.n, KEY_FUNC);
    for (uint32_t i = 0; i < ff->nengines; i++)
        if (module_level_target(ff, &ff->engines[i].loc, ff->engines[i].target))
            add_key(b, join(b->a, mod, ff->engines[i].target), b->cands.n, KEY_FUNC);
    add_cand(b, &md);
}

/* Module-level imports of every parsed file: re-exports ("pkg.Name" -> its target). */
static void add_aliases(Builder *b, uint32_t fi)
{
    const DgFile *f = &b->files[fi];
    for (uint32_t i = 0; i < f->ff->nimports; i++) {
        const FxImport *im = &f->ff->imports[i];
        if (im->loc.func >= 0 || !im->target || im->target[0] == '.' || !im->bound) continue;
        if (im->name && strcmp(im->name, "*") == 0) continue;
        add_alias(b, join(b->a, module_of(f), im->bound), im->target);
    }
}

static int key_cmp(const void *x, const void *y)
{
    const Key *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    if (c) return c;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

static int alias_cmp(const void *x, const void *y)
{
    return strcmp(((const Alias *)x)->name, ((const Alias *)y)->name);
}

#define FNV_BASIS      2166136261u
#define FNV_STEP(h, c) (((h) ^ (uint8_t)(c)) * 16777619u)

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = FNV_BASIS;
    for (size_t i = 0; i < n; i++)
        h = FNV_STEP(h, s[i]);
    return h;
}

/* A hash of s[0..n) eight bytes at a time, for whole names (fnv() serves dotted prefixes). */
static uint32_t hash_words(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    return (uint32_t)(h ^ (h >> 29));
}

static const MapSlot *map_get(const StrMap *m, const char *key, size_t n, uint32_t h)
{
    if (!m->cap) return NULL;
    for (uint32_t j = h & (m->cap - 1); m->slots[j].key; j = (j + 1) & (m->cap - 1)) {
        const MapSlot *s = &m->slots[j];
        if (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0) return s;
    }
    return NULL;
}

static void map_insert(StrMap *m, MapSlot slot)
{
    uint32_t j = slot.hash & (m->cap - 1);
    while (m->slots[j].key)
        j = (j + 1) & (m->cap - 1);
    m->slots[j] = slot;
    m->n++;
}

static void map_grow(StrMap *m)
{
    StrMap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    m->n = 0;
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.slots[i].key) map_insert(m, old.slots[i]);
    free(old.slots);
}

/* Room for n keys without growing. */
static void map_reserve(StrMap *m, uint32_t n)
{
    while (m->cap < n * 2)
        map_grow(m);
}

static void map_put(StrMap *m, const char *key, size_t n, uint32_t h, uint32_t val)
{
    if (map_get(m, key, n, h)) return;
    if ((m->n + 1) * 2 > m->cap) map_grow(m);
    map_insert(m, (MapSlot){key, (uint32_t)n, h, val});
}

static void map_put_str(StrMap *m, const char *key, uint32_t val)
{
    size_t n = strlen(key);
    map_put(m, key, n, fnv(key, n), val);
}

static void map_free(StrMap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* The value of key[0..n), whose hash is h, or NONE. */
static uint32_t map_find(const StrMap *m, const char *key, size_t n, uint32_t h)
{
    const MapSlot *s = map_get(m, key, n, h);
    return s ? s->val : NONE;
}

/* The prefixes of a dotted name that a lookup tries: the name, then every prefix ending before
 * a dot (the first byte excepted), longest first, with their hashes. */
typedef struct Cuts {
    uint32_t n;
    size_t *len;
    uint32_t *hash;
    size_t len_buf[CUTS_INLINE];
    uint32_t hash_buf[CUTS_INLINE];
} Cuts;

static void cuts_init(Cuts *c, const char *name, size_t n)
{
    uint32_t dots = 0;
    for (size_t i = 1; i < n; i++)
        dots += name[i] == '.';
    c->n = n > 0 ? dots + 1 : 0;
    c->len = c->n <= CUTS_INLINE ? c->len_buf : xmalloc(sizeof *c->len * c->n);
    c->hash = c->n <= CUTS_INLINE ? c->hash_buf : xmalloc(sizeof *c->hash * c->n);
    uint32_t h = FNV_BASIS, k = c->n;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && name[i] == '.') k--, c->len[k] = i, c->hash[k] = h;
        h = FNV_STEP(h, name[i]);
    }
    if (c->n) c->len[0] = n, c->hash[0] = h;
}

static void cuts_free(Cuts *c)
{
    if (c->len != c->len_buf) free(c->len);
    if (c->hash != c->hash_buf) free(c->hash);
}

/* One hop of lookup(): the candidate that the longest known prefix of name names, or NONE with
 * *next set to what the longest re-exported prefix stands for (NULL when none). */
static uint32_t lookup_hop(Builder *b, const char *name, size_t n, const char **next)
{
    Cuts c;
    cuts_init(&c, name, n);
    uint32_t found = NONE;
    for (uint32_t i = 0; i < c.n; i++) {
        uint32_t k = map_find(&b->key_idx, name, c.len[i], c.hash[i]);
        if (k != NONE && b->keys.items[k].kind != KEY_MODULE) found = b->keys.items[k].cand;
        if (k != NONE) break; /* else a module's other attribute */
    }
    for (uint32_t i = 0; found == NONE && i < c.n && !*next; i++) {
        uint32_t a = map_find(&b->alias_idx, name, c.len[i], c.hash[i]);
        const Alias *al = a == NONE ? NULL : &b->aliases.items[a];
        if (al && strcmp(al->target, name) != 0)
            *next = c.len[i] == n ? al->target : join(b->a, al->target, name + c.len[i] + 1);
    }
    cuts_free(&c);
    return found;
}

/* The candidate a dotted name (or one of its prefixes) names: a class, a class's member, or a
 * module-level function. Re-exports are followed. NONE when it is not the project's. */
static uint32_t lookup_hops(Builder *b, const char *name)
{
    for (int hop = 0; name && hop <= ALIAS_HOPS; hop++) {
        const char *next = NULL;
        uint32_t c = lookup_hop(b, name, strlen(name), &next);
        if (c != NONE) return c;
        name = next;
    }
    return NONE;
}

/* lookup_hops(), remembered per name (the same names come back from many files); a name that
 * does not live as long as the builder (!stable) is copied when remembered. */
static uint32_t lookup(Builder *b, const char *name, bool stable)
{
    size_t n = strlen(name);
    uint32_t h = hash_words(name, n);
    const MapSlot *s = map_get(&b->memo, name, n, h);
    if (s) return s->val;
    uint32_t c = lookup_hops(b, name);
    map_put(&b->memo, stable ? name : arena_strndup(b->a, name, n), n, h, c);
    return c;
}

/* A name as written in a file: through its imports (resolved), else the file's own classes and
 * functions. */
static uint32_t lookup_in(Builder *b, uint32_t fi, const char *written, const char *resolved)
{
    if (resolved) {
        uint32_t c = lookup(b, resolved, true);
        if (c != NONE) return c;
    }
    if (!written || strncmp(written, "self.", 5) == 0) return NONE;
    char buf[256];
    const char *name = join_into(b->a, buf, sizeof buf, module_of(&b->files[fi]), written);
    return lookup(b, name, name != buf);
}

/* ---- owners: which candidate a function or an item belongs to -------------------------------- */

static int32_t class_at(const FileFacts *ff, Span s)
{
    int32_t best = -1;
    for (uint32_t c = 0; c < ff->nclasses; c++) {
        Span cs = ff->classes[c].loc.span;
        if (cs.start > s.start || cs.end < s.end) continue;
        if (best < 0 ||
            cs.end - cs.start < ff->classes[best].loc.span.end - ff->classes[best].loc.span.start)
            best = (int32_t)c;
    }
    return best;
}

static uint32_t owner_of(const Builder *b, uint32_t fi, int32_t func, Span span)
{
    const FileFacts *ff = b->files[fi].ff;
    for (int32_t f = func; f >= 0; f = ff->funcs[f].loc.func) {
        if (ff->funcs[f].cls >= 0) return b->class_first[fi] + (uint32_t)ff->funcs[f].cls;
        span = ff->funcs[f].loc.span;
    }
    int32_t c = class_at(ff, span);
    return c >= 0 ? b->class_first[fi] + (uint32_t)c : b->module_cand[fi];
}

static uint32_t owner_loc(const Builder *b, uint32_t fi, const FxLoc *loc)
{
    return owner_of(b, fi, loc->func, loc->span);
}

static uint32_t owner_func(const Builder *b, uint32_t fi, uint32_t func)
{
    return owner_of(b, fi, (int32_t)func, b->files[fi].ff->funcs[func].loc.span);
}

/* ---- direct database work and roles -------------------------------------------------------- */

static void db_item(Builder *b, uint32_t fi, const FxLoc *loc, bool layer)
{
    Cand *c = &b->cands.items[owner_loc(b, fi, loc)];
    c->db_ops++;
    if (!c->db_line || loc->line < c->db_line) c->db_line = loc->line;
    c->is_db_layer = c->is_db_layer || layer;
}

static void db_work(Builder *b, uint32_t fi)
{
    const FileFacts *ff = b->files[fi].ff;
    for (uint32_t i = 0; i < ff->nsessions; i++)
        db_item(b, fi, &ff->sessions[i].loc, false);
    for (uint32_t i = 0; i < ff->nqueries; i++)
        db_item(b, fi, &ff->queries[i].loc, false);
    for (uint32_t i = 0; i < ff->nsession_ops; i++)
        db_item(b, fi, &ff->session_ops[i].loc, false);
    for (uint32_t i = 0; i < ff->nsqls; i++)
        if (ff->sqls[i].kind == FX_SQL_ENGINE_EXECUTE) db_item(b, fi, &ff->sqls[i].loc, false);
    for (uint32_t i = 0; i < ff->nengine_ios; i++)
        db_item(b, fi, &ff->engine_ios[i].loc, false);
    for (uint32_t i = 0; i < ff->nengines; i++)
        db_item(b, fi, &ff->engines[i].loc, true);
    for (uint32_t i = 0; i < ff->nsessionmakers; i++)
        db_item(b, fi, &ff->sessionmakers[i].loc, true);
}

static bool is_thread_kind(FxOffloadKind k)
{
    return k == FX_OFF_THREAD || k == FX_OFF_SUBMIT || k == FX_OFF_POOL;
}

static void roles(Builder *b, uint32_t fi)
{
    const FileFacts *ff = b->files[fi].ff;
    for (uint32_t i = 0; i < ff->nfuncs; i++) {
        const FxFunc *f = &ff->funcs[i];
        Cand *c = &b->cands.items[owner_func(b, fi, i)];
        c->is_db_layer = c->is_db_layer || f->is_session_provider;
        c->has_routes = c->has_routes || f->route != FX_ROUTE_NONE;
        c->has_loops = c->has_loops || f->is_background_loop;
        c->has_async = c->has_async || f->is_async;
    }
    for (uint32_t i = 0; i < ff->noffloads; i++) {
        if (!is_thread_kind(ff->offloads[i].kind)) continue;
        b->cands.items[owner_loc(b, fi, &ff->offloads[i].loc)].has_threads = true;
    }
}

/* ---- edges --------------------------------------------------------------------------------- */

/* The first line of s, at most TEXT_MAX bytes, "..." added when cut. */
static const char *clip(Arena *a, const char *s)
{
    size_t n = strlen(s);
    const char *nl = strchr(s, '\n');
    if (nl) n = (size_t)(nl - s);
    if (n <= TEXT_MAX && !nl) return s;
    if (n > TEXT_MAX) n = TEXT_MAX;
    char *t = arena_alloc(a, n + 4);
    snprintf(t, n + 4, "%.*s...", (int)n, s);
    return t;
}

static void add_edge(Builder *b, uint32_t from, uint32_t to, DgEdgeKind kind, uint32_t line,
                     const char *text)
{
    if (from == NONE || to == NONE || from == to) return;
    const Cand *f = &b->cands.items[from], *t = &b->cands.items[to];
    if (f->kind == DG_MODULE && t->kind == DG_CLASS && f->file == t->file) return;
    RawEdge e = {from, to, kind, line, clip(b->a, text)};
    VEC_PUSH(b->edges, e); /* the nesting is VEC_PUSH's expansion, at the top level */
}

static uint32_t param_line(const DgFile *f, const FxFunc *fn, const FxParam *p)
{
    if (!f->src || p->span.end == 0) return fn->loc.line;
    return source_linecol(f->src, p->span.start).line;
}

static void param_edges(Builder *b, uint32_t fi, uint32_t i)
{
    const DgFile *f = &b->files[fi];
    const FxFunc *fn = &f->ff->funcs[i];
    uint32_t from = owner_func(b, fi, i);
    bool init = fn->cls >= 0 && strcmp(fn->name, "__init__") == 0;
    for (uint32_t k = 0; k < fn->nparams; k++) {
        const FxParam *p = &fn->params[k];
        if (!p->type || (k == 0 && fn->is_method && !fn->is_staticmethod)) continue;
        uint32_t to = lookup_in(b, fi, p->type, p->type_resolved);
        if (to == NONE) continue;
        char text[256];
        snprintf(text, sizeof text, "%s: %s", p->name, p->annotation ? p->annotation : p->type);
        add_edge(b, from, to, init ? DG_EDGE_INIT_PARAM : DG_EDGE_PARAM, param_line(f, fn, p),
                 arena_strndup(b->a, text, strlen(text)));
    }
}

static void attr_edges(Builder *b, uint32_t fi)
{
    const FileFacts *ff = b->files[fi].ff;
    for (uint32_t i = 0; i < ff->nself_attrs; i++) {
        const FxSelfAttr *s = &ff->self_attrs[i];
        if (!s->type || s->cls < 0 || s->origin == FX_ATTR_PARAM) continue;
        uint32_t to = lookup_in(b, fi, s->type, s->type_resolved);
        if (to == NONE) continue;
        char text[256];
        snprintf(text, sizeof text, "self.%s = %s", s->attr, s->value ? s->value : s->type);
        DgEdgeKind k =
            s->in_init && s->origin == FX_ATTR_CTOR ? DG_EDGE_INIT_INSTANCE : DG_EDGE_ATTR;
        add_edge(b, b->class_first[fi] + (uint32_t)s->cls, to, k, s->loc.line,
                 arena_strndup(b->a, text, strlen(text)));
    }
}

static void call_edges(Builder *b, uint32_t fi)
{
    const FileFacts *ff = b->files[fi].ff;
    for (uint32_t i = 0; i < ff->ncalls; i++) {
        const FxCall *c = &ff->calls[i];
        const char *written = c->resolved || !strchr(c->callee, '.') ? c->callee : NULL;
        uint32_t to = lookup_in(b, fi, written, c->resolved);
        if (to == NONE) continue;
        char text[256];
        snprintf(text, sizeof text, "%s()", c->callee);
        add_edge(b, owner_loc(b, fi, &c->loc), to, DG_EDGE_CALL, c->loc.line,
                 arena_strndup(b->a, text, strlen(text)));
    }
    for (uint32_t i = 0; i < ff->noffloads; i++) {
        const FxOffload *o = &ff->offloads[i];
        if (!o->target) continue;
        uint32_t to = o->target_func >= 0 ? owner_func(b, fi, (uint32_t)o->target_func)
                                          : lookup_in(b, fi, NULL, o->target_resolved);
        add_edge(b, owner_loc(b, fi, &o->loc), to, DG_EDGE_CALL, o->loc.line, o->target);
    }
}

static void depends_edges(Builder *b, uint32_t fi)
{
    const FileFacts *ff = b->files[fi].ff;
    for (uint32_t i = 0; i < ff->ndepends; i++) {
        const FxDepends *d = &ff->depends[i];
        if (!d->provider || d->loc.func < 0) continue;
        uint32_t to = d->provider_func >= 0 ? owner_func(b, fi, (uint32_t)d->provider_func)
                                            : lookup_in(b, fi, d->provider, d->provider_resolved);
        if (to == NONE) continue;
        char text[256];
        snprintf(text, sizeof text, "Depends(%s)", d->provider);
        add_edge(b, owner_func(b, fi, (uint32_t)d->loc.func), to, DG_EDGE_DEPENDS, d->loc.line,
                 arena_strndup(b->a, text, strlen(text)));
    }
}

static void file_edges(Builder *b, uint32_t fi)
{
    for (uint32_t i = 0; i < b->files[fi].ff->nfuncs; i++)
        param_edges(b, fi, i);
    attr_edges(b, fi);
    call_edges(b, fi);
    depends_edges(b, fi);
}

/* ---- keeping the nodes that reach database work -------------------------------------------- */

static bool is_direct(const Cand *c)
{
    return c->db_ops > 0 || c->is_db_layer;
}

/* keep[c]: candidate c does database work or depends, transitively, on one that does. */
static bool *reaching(const Builder *b)
{
    uint32_t n = b->cands.n;
    uint32_t *start = xcalloc(n + 2, sizeof *start), *rev = xcalloc(b->edges.n + 1, sizeof *rev);
    for (uint32_t i = 0; i < b->edges.n; i++)
        start[b->edges.items[i].to + 2]++;
    for (uint32_t i = 0; i < n; i++)
        start[i + 2] += start[i + 1];
    for (uint32_t i = 0; i < b->edges.n; i++)
        rev[start[b->edges.items[i].to + 1]++] = b->edges.items[i].from;
    bool *keep = xcalloc(n + 1, sizeof *keep);
    uint32_t *work = xcalloc(n + 1, sizeof *work), nw = 0;
    for (uint32_t i = 0; i < n; i++)
        if (is_direct(&b->cands.items[i])) keep[i] = true, work[nw++] = i;
    while (nw) {
        uint32_t v = work[--nw];
        for (uint32_t k = start[v]; k < start[v + 1]; k++)
            if (!keep[rev[k]]) keep[rev[k]] = true, work[nw++] = rev[k];
    }
    free(start);
    free(rev);
    free(work);
    return keep;
}

/* ---- the final nodes and edges ------------------------------------------------------------- */

static int id_cmp(const void *ctx, uint32_t a, uint32_t b)
{
    const Cand *c = ctx;
    return strcmp(c[a].id, c[b].id);
}

static void make_node(DgNode *n, const Cand *c, const DgFile *f)
{
    n->id = c->id, n->name = c->name, n->kind = c->kind, n->file = c->file;
    n->path = f->path;
    n->line = c->line ? c->line : c->db_line ? c->db_line : 1;
    n->db_ops = c->db_ops, n->db_line = c->db_line;
    n->is_db_layer = c->is_db_layer, n->has_routes = c->has_routes, n->has_loops = c->has_loops;
    n->has_threads = c->has_threads, n->has_async = c->has_async;
    n->via = -1;
}

/* Nodes sorted by id; map[cand] = node index or NONE. */
static uint32_t *make_nodes(Builder *b, const bool *keep)
{
    DgGraph *g = b->g;
    uint32_t *order = xcalloc(b->cands.n + 1, sizeof *order), n = 0;
    for (uint32_t i = 0; i < b->cands.n; i++)
        if (keep[i]) order[n++] = i;
    sort_idx(order, n, id_cmp, b->cands.items);
    uint32_t *map = xmalloc(sizeof *map * (b->cands.n + 1));
    for (uint32_t i = 0; i < b->cands.n; i++)
        map[i] = NONE;
    g->nodes = ARENA_ARRAY(&g->arena, DgNode, n + 1);
    g->nnodes = n;
    for (uint32_t i = 0; i < n; i++) {
        const Cand *c = &b->cands.items[order[i]];
        map[order[i]] = i;
        make_node(&g->nodes[i], c, &b->files[c->file]);
        if (c->kind == DG_CLASS)
            g->nclasses++;
        else
            g->nmodules++;
    }
    free(order);
    return map;
}

static int name_cmp(const void *ctx, uint32_t x, uint32_t y)
{
    const DgNode *a = &((const DgNode *)ctx)[x], *b = &((const DgNode *)ctx)[y];
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->id, b->id);
}

/* A name two nodes share is replaced by their ids. */
static void unique_names(DgGraph *g)
{
    uint32_t *idx = xcalloc(g->nnodes + 1, sizeof *idx);
    for (uint32_t i = 0; i < g->nnodes; i++)
        idx[i] = i;
    sort_idx(idx, g->nnodes, name_cmp, g->nodes);
    bool *dup = xcalloc(g->nnodes + 1, sizeof *dup);
    for (uint32_t i = 1; i < g->nnodes; i++) {
        if (strcmp(g->nodes[idx[i]].name, g->nodes[idx[i - 1]].name) != 0) continue;
        dup[idx[i]] = dup[idx[i - 1]] = true;
    }
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (dup[i]) g->nodes[i].name = g->nodes[i].id;
    free(dup);
    free(idx);
}

static int edge_cmp(const void *x, const void *y)
{
    const DgEdge *a = x, *b = y;
    if (a->from != b->from) return a->from < b->from ? -1 : 1;
    if (a->to != b->to) return a->to < b->to ? -1 : 1;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* Edges between kept nodes, sorted, one per pair (the first site kept, sites counted by line). */
static void make_edges(Builder *b, const uint32_t *map)
{
    DgGraph *g = b->g;
    DgEdge *all = xcalloc(b->edges.n + 1, sizeof *all);
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->edges.n; i++) {
        const RawEdge *r = &b->edges.items[i];
        if (map[r->from] == NONE || map[r->to] == NONE) continue;
        all[n++] = (DgEdge){map[r->from], map[r->to], r->kind, r->line, r->text, 1};
    }
    if (n > 1) qsort(all, n, sizeof *all, edge_cmp);
    g->edges = ARENA_ARRAY(&g->arena, DgEdge, n + 1);
    for (uint32_t i = 0; i < n; i++) {
        DgEdge *last = g->nedges ? &g->edges[g->nedges - 1] : NULL;
        if (!last || last->from != all[i].from || last->to != all[i].to)
            g->edges[g->nedges++] = all[i];
        else if (all[i].line != all[i - 1].line) /* `self.x = X(db)`: attribute and call, */
            last->count++;                       /* one site */
    }
    free(all);
    g->out = ARENA_ARRAY(&g->arena, uint32_t, g->nnodes + 2);
    for (uint32_t i = 0; i < g->nedges; i++)
        g->out[g->edges[i].from + 1]++;
    for (uint32_t i = 0; i < g->nnodes; i++)
        g->out[i + 1] += g->out[i];
}

static void fans(DgGraph *g)
{
    for (uint32_t i = 0; i < g->nedges; i++) {
        g->nodes[g->edges[i].to].fan_in++;
        g->nodes[g->edges[i].from].fan_out++;
    }
}

/* Users of each node (reversed edges): users[ustart[v] .. ustart[v+1]) in id order. */
static uint32_t *user_lists(const DgGraph *g, uint32_t **ustart)
{
    uint32_t *start = xcalloc(g->nnodes + 2, sizeof *start);
    uint32_t *users = xcalloc(g->nedges + 1, sizeof *users);
    for (uint32_t i = 0; i < g->nedges; i++)
        start[g->edges[i].to + 2]++;
    for (uint32_t i = 0; i < g->nnodes; i++)
        start[i + 2] += start[i + 1];
    for (uint32_t i = 0; i < g->nedges; i++) /* edges are sorted by from: users stay sorted */
        users[start[g->edges[i].to + 1]++] = g->edges[i].from;
    *ustart = start;
    return users;
}

/* via: breadth-first from the nodes that do database work, over reversed edges. */
static void chains(DgGraph *g)
{
    uint32_t *start, *users = user_lists(g, &start);
    uint32_t *queue = xcalloc(g->nnodes + 1, sizeof *queue), head = 0, tail = 0;
    bool *seen = xcalloc(g->nnodes + 1, sizeof *seen);
    for (int layer = 0; layer < 2; layer++)        /* services before the database layer: a chain */
        for (uint32_t i = 0; i < g->nnodes; i++) { /* then names the service doing the work */
            const DgNode *n = &g->nodes[i];
            if ((n->db_ops > 0 || n->is_db_layer) && n->is_db_layer == (layer == 1))
                seen[i] = true, queue[tail++] = i;
        }
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = start[v]; k < start[v + 1]; k++) {
            uint32_t u = users[k];
            if (seen[u]) continue;
            seen[u] = true;
            g->nodes[u].via = (int32_t)v;
            queue[tail++] = u;
        }
    }
    free(queue);
    free(seen);
    free(users);
    free(start);
}

/* ---- Tarjan's strongly connected components, iteratively ----------------------------------- */

typedef struct Tarjan {
    DgGraph *g;
    uint32_t *index, *low, *stack, *frame_node, *frame_pos;
    bool *on_stack;
    uint32_t next_index, sp, fp;
    uint32_t *comp_of; /* node -> component, in emission order */
    uint32_t ncomps;
} Tarjan;

static void visit(Tarjan *t, uint32_t v)
{
    t->index[v] = t->low[v] = t->next_index++;
    t->stack[t->sp++] = v;
    t->on_stack[v] = true;
    t->frame_node[t->fp] = v;
    t->frame_pos[t->fp++] = t->g->out[v];
}

static void pop_component(Tarjan *t, uint32_t v)
{
    uint32_t w;
    do {
        w = t->stack[--t->sp];
        t->on_stack[w] = false;
        t->comp_of[w] = t->ncomps;
    } while (w != v);
    t->ncomps++;
}

/* One depth-first search from root; frames hold (node, next edge) instead of C recursion. */
static void strongconnect(Tarjan *t, uint32_t root)
{
    visit(t, root);
    while (t->fp) {
        uint32_t v = t->frame_node[t->fp - 1];
        uint32_t *pos = &t->frame_pos[t->fp - 1];
        if (*pos < t->g->out[v + 1]) {
            uint32_t w = t->g->edges[(*pos)++].to;
            if (t->index[w] == NONE)
                visit(t, w);
            else if (t->on_stack[w] && t->index[w] < t->low[v])
                t->low[v] = t->index[w];
            continue;
        }
        if (t->low[v] == t->index[v]) pop_component(t, v);
        t->fp--;
        if (t->fp) {
            uint32_t u = t->frame_node[t->fp - 1];
            if (t->low[v] < t->low[u]) t->low[u] = t->low[v];
        }
    }
}

/* comp_of[node] in emission order: every component comes after those it depends on. */
static uint32_t *tarjan(DgGraph *g, uint32_t *ncomps)
{
    uint32_t n = g->nnodes + 1;
    Tarjan t;
    memset(&t, 0, sizeof t);
    t.g = g;
    t.index = xmalloc(sizeof(uint32_t) * n), t.low = xcalloc(n, sizeof(uint32_t));
    t.stack = xcalloc(n, sizeof(uint32_t)), t.frame_node = xcalloc(n, sizeof(uint32_t));
    t.frame_pos = xcalloc(n, sizeof(uint32_t)), t.on_stack = xcalloc(n, sizeof(bool));
    t.comp_of = xcalloc(n, sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        t.index[i] = NONE;
    for (uint32_t v = 0; v < g->nnodes; v++)
        if (t.index[v] == NONE) strongconnect(&t, v);
    free(t.index), free(t.low), free(t.stack), free(t.frame_node), free(t.frame_pos);
    free(t.on_stack);
    *ncomps = t.ncomps;
    return t.comp_of;
}

/* ---- condensation and order ---------------------------------------------------------------- */

typedef struct Pair {
    uint32_t a, b;
} Pair;

static int pair_cmp(const void *x, const void *y)
{
    const Pair *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Sorts pairs and drops repeats; returns the new count. */
static uint32_t unique_pairs(Pair *p, uint32_t n)
{
    if (n > 1) qsort(p, n, sizeof *p, pair_cmp);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (k == 0 || p[i].a != p[k - 1].a || p[i].b != p[k - 1].b) p[k++] = p[i];
    return k;
}

/* Members of every component, by name, and the component names. */
static void comp_members(DgGraph *g, DgComp *comps, uint32_t n, const uint32_t *comp_of)
{
    uint32_t *idx = xcalloc(g->nnodes + 1, sizeof *idx);
    for (uint32_t v = 0; v < g->nnodes; v++)
        idx[v] = v, comps[comp_of[v]].n++;
    sort_idx(idx, g->nnodes, name_cmp, g->nodes);
    for (uint32_t k = 0; k < n; k++)
        comps[k].members = ARENA_ARRAY(&g->arena, uint32_t, comps[k].n + 1), comps[k].n = 0;
    for (uint32_t i = 0; i < g->nnodes; i++) {
        DgComp *c = &comps[comp_of[idx[i]]];
        c->members[c->n++] = idx[i];
    }
    free(idx);
    Buf name;
    buf_init(&name);
    for (uint32_t k = 0; k < n; k++) {
        buf_clear(&name);
        for (uint32_t i = 0; i < comps[k].n; i++) {
            if (i) buf_puts(&name, " ↔ ");
            buf_puts(&name, g->nodes[comps[k].members[i]].name);
        }
        comps[k].name = arena_strndup(&g->arena, name.data, name.len);
    }
    buf_free(&name);
}

/* Dependencies between components (emission indexes), fan-in, and levels. Tarjan emits a
 * component after every component it depends on, so one pass in emission order sets levels. */
static void comp_links(DgGraph *g, DgComp *comps, uint32_t n, const uint32_t *comp_of)
{
    Pair *deps = xcalloc(g->nedges + 1, sizeof *deps),
         *users = xcalloc(g->nedges + 1, sizeof *users);
    uint32_t nd = 0, nu = 0;
    for (uint32_t i = 0; i < g->nedges; i++) {
        uint32_t cf = comp_of[g->edges[i].from], ct = comp_of[g->edges[i].to];
        if (cf == ct) continue;
        deps[nd++] = (Pair){cf, ct};
        users[nu++] = (Pair){ct, g->edges[i].from};
    }
    nd = unique_pairs(deps, nd);
    nu = unique_pairs(users, nu);
    for (uint32_t i = 0; i < nu; i++)
        comps[users[i].a].fan_in++;
    for (uint32_t k = 0; k < n; k++)
        comps[k].deps = ARENA_ARRAY(&g->arena, uint32_t, 1);
    for (uint32_t i = 0, j; i < nd; i = j) {
        DgComp *c = &comps[deps[i].a];
        for (j = i; j < nd && deps[j].a == deps[i].a; j++)
            ;
        c->deps = ARENA_ARRAY(&g->arena, uint32_t, j - i + 1);
        for (uint32_t k = i; k < j; k++)
            c->deps[c->ndeps++] = deps[k].b;
    }
    for (uint32_t k = 0; k < n; k++)
        for (uint32_t d = 0; d < comps[k].ndeps; d++)
            if (comps[comps[k].deps[d]].level + 1 > comps[k].level)
                comps[k].level = comps[comps[k].deps[d]].level + 1;
    free(deps);
    free(users);
}

static int comp_order_cmp(const void *ctx, uint32_t x, uint32_t y)
{
    const DgComp *a = &((const DgComp *)ctx)[x], *b = &((const DgComp *)ctx)[y];
    if (a->level != b->level) return a->level < b->level ? -1 : 1;
    if (a->fan_in != b->fan_in) return a->fan_in > b->fan_in ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int uint_cmp(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Puts the components in migration order and renumbers everything that refers to them. */
static void order_comps(DgGraph *g, DgComp *emitted, uint32_t n)
{
    uint32_t *order = xcalloc(n + 1, sizeof *order), *pos = xcalloc(n + 1, sizeof *pos);
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    sort_idx(order, n, comp_order_cmp, emitted);
    for (uint32_t i = 0; i < n; i++)
        pos[order[i]] = i;
    g->comps = ARENA_ARRAY(&g->arena, DgComp, n + 1);
    g->ncomps = n;
    for (uint32_t i = 0; i < n; i++) {
        DgComp *c = &g->comps[i];
        *c = emitted[order[i]];
        for (uint32_t d = 0; d < c->ndeps; d++)
            c->deps[d] = pos[c->deps[d]];
        if (c->ndeps > 1) qsort(c->deps, c->ndeps, sizeof *c->deps, uint_cmp);
        for (uint32_t m = 0; m < c->n; m++)
            g->nodes[c->members[m]].comp = i;
        c->cycle = c->n > 1 ? (int32_t)g->ncycles++ : -1;
    }
    free(order);
    free(pos);
}

static void components(DgGraph *g)
{
    uint32_t n;
    uint32_t *comp_of = tarjan(g, &n);
    DgComp *emitted = xcalloc(n + 1, sizeof *emitted);
    comp_members(g, emitted, n, comp_of);
    comp_links(g, emitted, n, comp_of);
    order_comps(g, emitted, n);
    free(emitted);
    free(comp_of);
}

/* ---- public -------------------------------------------------------------------------------- */

/* The first of equal names wins: the one find would have found in the sorted arrays. */
static void index_names(Builder *b)
{
    map_reserve(&b->key_idx, b->keys.n);
    map_reserve(&b->alias_idx, b->aliases.n);
    for (uint32_t i = 0; i < b->keys.n; i++)
        map_put_str(&b->key_idx, b->keys.items[i].name, i);
    for (uint32_t i = 0; i < b->aliases.n; i++)
        map_put_str(&b->alias_idx, b->aliases.items[i].name, i);
}

static void collect(Builder *b)
{
    for (uint32_t fi = 0; fi < b->nfiles; fi++) {
        b->module_cand[fi] = b->class_first[fi] = NONE;
        if (b->files[fi].ff) add_aliases(b, fi);
        if (file_included(&b->files[fi])) add_file_cands(b, fi);
    }
    if (b->keys.n) qsort(b->keys.items, b->keys.n, sizeof *b->keys.items, key_cmp);
    if (b->aliases.n) qsort(b->aliases.items, b->aliases.n, sizeof *b->aliases.items, alias_cmp);
    index_names(b);
    for (uint32_t fi = 0; fi < b->nfiles; fi++) {
        if (!file_included(&b->files[fi])) continue;
        db_work(b, fi);
        roles(b, fi);
        file_edges(b, fi);
    }
}

void dg_build(DgGraph *g, const DgFile *files, uint32_t n)
{
    memset(g, 0, sizeof *g);
    arena_init(&g->arena);
    Builder b;
    memset(&b, 0, sizeof b);
    b.g = g, b.a = &g->arena, b.files = files, b.nfiles = n;
    b.module_cand = xcalloc(n + 1, sizeof *b.module_cand);
    b.class_first = xcalloc(n + 1, sizeof *b.class_first);
    collect(&b);
    g->candidates = b.cands.n;
    bool *keep = reaching(&b);
    uint32_t *map = make_nodes(&b, keep);
    make_edges(&b, map);
    unique_names(g);
    fans(g);
    chains(g);
    components(g);
    free(map);
    free(keep);
    free(b.module_cand);
    free(b.class_first);
    VEC_FREE(b.cands);
    VEC_FREE(b.keys);
    VEC_FREE(b.aliases);
    map_free(&b.key_idx);
    map_free(&b.alias_idx);
    map_free(&b.memo);
    VEC_FREE(b.edges);
}

static bool has_route_handlers(const FileFacts *ff)
{
    for (uint32_t i = 0; ff && i < ff->nfuncs; i++)
        if (ff->funcs[i].route != FX_ROUTE_NONE) return true;
    return false;
}

void dg_build_program(DgGraph *g, Program *prog, FileFacts *const *facts)
{
    DgFile *files = xcalloc(prog->nfiles + 1, sizeof *files);
    for (uint32_t i = 0; i < prog->nfiles; i++) {
        ProjFile *f = &prog->files[i];
        FileCategory c = (FileCategory)f->category;
        files[i] = (DgFile){
            facts[i],      &f->src,
            f->path,       f->module,
            f->is_package, cat_upgrade_routes(c, f->cat_overridden, has_route_handlers(facts[i]))};
    }
    dg_build(g, files, prog->nfiles);
    free(files);
}

void dg_free(DgGraph *g)
{
    arena_free(&g->arena);
    memset(g, 0, sizeof *g);
}

int32_t dg_find(const DgGraph *g, const char *id)
{
    uint32_t lo = 0, hi = g->nnodes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(g->nodes[mid].id, id);
        if (c == 0) return (int32_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

bool dg_has_edge(const DgGraph *g, uint32_t a, uint32_t b)
{
    uint32_t lo = g->out[a], hi = g->out[a + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->edges[mid].to == b) return true;
        if (g->edges[mid].to < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void dg_reach(const DgGraph *g, bool *reach)
{
    uint32_t *work = xcalloc(g->nnodes + 1, sizeof *work), n = 0;
    for (uint32_t i = 0; i < g->nnodes; i++)
        if (reach[i]) work[n++] = i;
    while (n) {
        uint32_t v = work[--n];
        for (uint32_t k = g->out[v]; k < g->out[v + 1]; k++)
            if (!reach[g->edges[k].to]) reach[g->edges[k].to] = true, work[n++] = g->edges[k].to;
    }
    free(work);
}
