/* symbols: the project symbol table (see symbols.h). */
#include "symbols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/vec.h"

#define LOOKUP_DEPTH 32 /* alias hops and dotted prefixes followed by one lookup */

/* ---- string map ---------------------------------------------------------------------------- */

typedef struct Slot {
    const char *key;
    uint32_t len;
    uint8_t kind;
    int32_t id;
} Slot;

/* Probes read the tags, 4 bytes a slot against 24: most lookups miss, and the tags of a big
 * table stay in cache where its slots would not. */
struct SymMap {
    uint32_t *tags; /* per slot: 0 when empty, else tag_of(the key's hash) */
    Slot *slots;
    uint32_t cap, n; /* cap: a power of two */
    Arena *a;
};

/* A key's hash is polynomial, h = h * M + byte for each byte, so that it can be continued
 * ("pkg.mod" then ".name") and take four bytes a step; tags mix its bits (murmur3's finaliser)
 * since the table index is made of the low ones. */
#define HASH_SEED 2166136261u
#define M1        16777619u
#define M2        (M1 * M1)
#define M3        (M2 * M1)
#define M4        (M2 * M2)

static uint32_t tag_of(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h | 1u;
}

/* The hash h continued with s[0..n). */
static uint32_t hash_more(uint32_t h, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        h = h * M4 + p[i] * M3 + p[i + 1] * M2 + p[i + 2] * M1 + p[i + 3];
    for (; i < n; i++)
        h = h * M1 + p[i];
    return h;
}

/* Hash of x[0..nx) "." y[0..ny) (or of x alone when y is NULL). */
static uint32_t hash2(const char *x, size_t nx, const char *y, size_t ny)
{
    uint32_t h = hash_more(HASH_SEED, x, nx);
    return y ? hash_more(hash_more(h, ".", 1), y, ny) : h;
}

static bool key_is(const Slot *s, const char *x, size_t nx, const char *y, size_t ny)
{
    size_t want = y ? nx + 1 + ny : nx;
    if (s->len != want || memcmp(s->key, x, nx) != 0) return false;
    return !y || (s->key[nx] == '.' && memcmp(s->key + nx + 1, y, ny) == 0);
}

static SymMap *map_new(Arena *a, uint32_t expect)
{
    SymMap *m = ARENA_NEW(a, SymMap);
    m->cap = 64;
    while (m->cap < expect * 2)
        m->cap *= 2;
    m->tags = ARENA_ARRAY(a, uint32_t, m->cap);
    m->slots = arena_alloc_raw(a, sizeof(Slot) * m->cap); /* read only where a tag is set */
    m->a = a;
    return m;
}

/* map_get2 given h = hash2(x, nx, y, ny). */
static const Slot *map_get_hashed(const SymMap *m, const char *x, size_t nx, const char *y,
                                  size_t ny, uint32_t h)
{
    uint32_t t = tag_of(h);
    for (uint32_t i = t & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->tags[i]) return NULL;
        if (m->tags[i] == t && key_is(&m->slots[i], x, nx, y, ny)) return &m->slots[i];
    }
}

static const Slot *map_get2(const SymMap *m, const char *x, size_t nx, const char *y, size_t ny)
{
    return map_get_hashed(m, x, nx, y, ny, hash2(x, nx, y, ny));
}

/* The slot of member name[0..n) of class c ("pkg.mod.Class.name"). */
static const Slot *map_get_member(const SymMap *m, const SymClass *c, const char *name, size_t n)
{
    return map_get_hashed(m, c->name, c->name_len, name, n, hash_more(c->member_hash, name, n));
}

/* Stores a slot with tag t (not present yet) in the first free place of its probe sequence. */
static void map_store(SymMap *m, uint32_t t, Slot s)
{
    uint32_t i = t & (m->cap - 1);
    while (m->tags[i])
        i = (i + 1) & (m->cap - 1);
    m->tags[i] = t;
    m->slots[i] = s;
}

static void map_grow(SymMap *m)
{
    uint32_t *otags = m->tags;
    Slot *old = m->slots;
    uint32_t ocap = m->cap;
    m->cap *= 2;
    m->tags = ARENA_ARRAY(m->a, uint32_t, m->cap);
    m->slots = arena_alloc_raw(m->a, sizeof(Slot) * m->cap);
    for (uint32_t i = 0; i < ocap; i++)
        if (otags[i]) map_store(m, otags[i], old[i]);
}

/* Inserts key (copied unless it lives as long as the map) unless present; first one wins. */
static bool map_put(SymMap *m, const char *key, uint8_t kind, int32_t id)
{
    size_t n = strlen(key);
    uint32_t h = hash2(key, n, NULL, 0);
    if (map_get_hashed(m, key, n, NULL, 0, h)) return false;
    if ((m->n + 1) * 2 > m->cap) map_grow(m);
    map_store(m, tag_of(h), (Slot){key, (uint32_t)n, kind, id});
    m->n++;
    return true;
}

/* ---- builtins ------------------------------------------------------------------------------ */

/* clang-format off */
static const char *const builtins[] = {
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BlockingIOError",
    "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError", "ConnectionError",
    "DeprecationWarning", "EOFError", "EncodingWarning", "EnvironmentError", "Exception",
    "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit",
    "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
    "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError",
    "MemoryError", "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplementedError",
    "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError",
    "ProcessLookupError", "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError",
    "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning",
    "SystemError", "SystemExit", "TabError", "TimeoutError", "TypeError", "UnboundLocalError",
    "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
    "UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError",
    "__build_class__", "__import__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool",
    "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex",
    "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float",
    "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input",
    "int", "isinstance", "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview",
    "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range",
    "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum",
    "super", "tuple", "type", "vars", "zip",
};
/* clang-format on */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool sym_is_builtin(const char *name)
{
    return bsearch(&name, builtins, sizeof builtins / sizeof builtins[0], sizeof builtins[0],
                   cmp_str) != NULL;
}

/* ---- small accessors ----------------------------------------------------------------------- */

const char *sym_module(const SymTable *st, uint32_t file)
{
    const char *m = file < st->nfiles ? st->prog->files[file].module : NULL;
    return m ? m : "";
}

int32_t sym_func_id(const SymTable *st, uint32_t file, int32_t func)
{
    return func < 0 ? -1 : (int32_t)(st->func_base[file] + (uint32_t)func);
}

int32_t sym_class_id(const SymTable *st, uint32_t file, int32_t cls)
{
    return cls < 0 ? -1 : (int32_t)(st->class_base[file] + (uint32_t)cls);
}

const FxFunc *sym_func(const SymTable *st, int32_t id)
{
    uint32_t f = st->func_file[id];
    return &st->facts[f]->funcs[(uint32_t)id - st->func_base[f]];
}

const FxClass *sym_class_facts(const SymTable *st, int32_t id)
{
    const SymClass *c = &st->classes[id];
    return &st->facts[c->file]->classes[c->cls];
}

bool sym_is_project_name(const SymTable *st, const char *name)
{
    return map_get2(st->simple, name, strlen(name), NULL, 0) != NULL;
}

/* ---- lookups ------------------------------------------------------------------------------- */

static SymRef lookup_n(const SymTable *st, const char *s, size_t n, int depth);

static SymRef ref(uint8_t kind, int32_t id)
{
    return (SymRef){kind, id};
}

/* A slot's reference, aliases followed. */
static SymRef follow(const SymTable *st, const Slot *s, int depth)
{
    if (s->kind != SR_ALIAS) return ref(s->kind, s->id);
    const char *t = st->alias_target[s->id];
    return lookup_n(st, t, strlen(t), depth + 1);
}

static SymRef class_member(const SymTable *st, int32_t cls, const char *name, size_t n)
{
    const SymClass *c = &st->classes[cls];
    for (uint32_t i = 0; i < c->nmro; i++) {
        const Slot *s = map_get_member(st->names, &st->classes[c->mro[i]], name, n);
        if (s && (s->kind == SR_FUNC || s->kind == SR_CLASS)) return ref(s->kind, s->id);
    }
    return ref(c->external_base ? SR_EXTERNAL : SR_NONE, -1);
}

static SymRef module_member(const SymTable *st, uint32_t file, const char *name, size_t n,
                            int depth)
{
    const Slot *s = map_get_hashed(st->names, sym_module(st, file), st->scope_len[file], name, n,
                                   hash_more(st->scope_hash[file], name, n));
    if (s) return follow(st, s, depth);
    bool external = false; /* `from posix import *`: the name may come from there */
    for (uint32_t i = st->star_base[file]; depth < LOOKUP_DEPTH && i < st->star_base[file + 1];
         i++) {
        const FxImport *im = st->stars[i];
        SymRef t = lookup_n(st, im->module, strlen(im->module), depth + 1);
        external |= t.kind == SR_EXTERNAL;
        if (t.kind == SR_MODULE && (uint32_t)t.id != file) {
            SymRef r = module_member(st, (uint32_t)t.id, name, n, depth + 1);
            if (r.kind != SR_NONE) return r;
        }
    }
    return ref(external ? SR_EXTERNAL : SR_NONE, -1);
}

static SymRef member_n(const SymTable *st, SymRef of, const char *name, size_t n, int depth)
{
    switch ((SymRefKind)of.kind) {
        case SR_MODULE: return module_member(st, (uint32_t)of.id, name, n, depth);
        case SR_CLASS: return class_member(st, of.id, name, n);
        case SR_EXTERNAL: return of;
        default: return ref(SR_NONE, -1);
    }
}

static SymRef lookup_n(const SymTable *st, const char *s, size_t n, int depth)
{
    if (depth > LOOKUP_DEPTH || n == 0) return ref(SR_NONE, -1);
    const Slot *sl = map_get2(st->names, s, n, NULL, 0);
    if (sl) return follow(st, sl, depth);
    size_t dot = n;
    while (dot > 0 && s[dot - 1] != '.')
        dot--;
    if (dot == 0) return ref(SR_EXTERNAL, -1); /* no prefix is project code */
    SymRef pre = lookup_n(st, s, dot - 1, depth + 1);
    return member_n(st, pre, s + dot, n - dot, depth);
}

SymRef sym_lookup(const SymTable *st, const char *abs)
{
    return abs ? lookup_n(st, abs, strlen(abs), 0) : ref(SR_NONE, -1);
}

SymRef sym_scope(const SymTable *st, uint32_t file, const char *name)
{
    return module_member(st, file, name, strlen(name), 0);
}

SymRef sym_member(const SymTable *st, SymRef of, const char *name)
{
    return member_n(st, of, name, strlen(name), 0);
}

/* The first component of dotted through any import of the file (function-level ones too). */
static SymRef via_any_import(const SymTable *st, uint32_t file, const char *dotted, size_t flen)
{
    const FileFacts *ff = st->facts[file];
    for (uint32_t i = 0; ff && i < ff->nimports; i++) {
        const FxImport *im = &ff->imports[i];
        if (strncmp(im->bound, dotted, flen) == 0 && im->bound[flen] == '\0')
            return sym_lookup(st, im->target);
    }
    return ref(SR_NONE, -1);
}

SymRef sym_resolve_text(const SymTable *st, uint32_t file, const char *dotted)
{
    if (!dotted || !*dotted) return ref(SR_NONE, -1);
    const char *dot = strchr(dotted, '.');
    size_t flen = dot ? (size_t)(dot - dotted) : strlen(dotted);
    SymRef r = module_member(st, file, dotted, flen, 0);
    if (r.kind == SR_NONE) r = via_any_import(st, file, dotted, flen);
    if (r.kind == SR_NONE && !dot && sym_is_builtin(dotted)) return ref(SR_EXTERNAL, -1);
    while (dot && r.kind != SR_NONE) {
        const char *p = dot + 1;
        dot = strchr(p, '.');
        r = member_n(st, r, p, dot ? (size_t)(dot - p) : strlen(p), 0);
    }
    return r;
}

int32_t sym_method(const SymTable *st, int32_t cls, const char *name)
{
    SymRef r = class_member(st, cls, name, strlen(name));
    return r.kind == SR_FUNC ? r.id : -1;
}

#define OVERRIDE_SCAN 256 /* subclasses examined by one sym_overrides() */

uint32_t sym_overrides(const SymTable *st, int32_t cls, const char *name, int32_t *out,
                       uint32_t max)
{
    int32_t queue[OVERRIDE_SCAN];
    uint32_t head = 0, tail = 0, n = 0;
    queue[tail++] = cls;
    size_t len = strlen(name);
    while (head < tail && n < max) {
        const SymClass *c = &st->classes[queue[head++]];
        for (uint32_t i = 0; i < c->nsubs && tail < OVERRIDE_SCAN; i++) {
            int32_t sub = c->subs[i];
            bool seen = false;
            for (uint32_t k = 0; k < tail && !seen; k++)
                seen = queue[k] == sub;
            if (seen) continue;
            queue[tail++] = sub;
            const Slot *s = map_get_member(st->names, &st->classes[sub], name, len);
            if (s && s->kind == SR_FUNC && n < max) out[n++] = s->id;
        }
    }
    return n;
}

/* ---- attributes ---------------------------------------------------------------------------- */

static const Slot *attr_slot(const SymTable *st, int32_t cls, const char *attr)
{
    char num[16];
    size_t n = 0;
    uint32_t v = (uint32_t)cls;
    do {
        num[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n / 2; i++) {
        char t = num[i];
        num[i] = num[n - 1 - i];
        num[n - 1 - i] = t;
    }
    return map_get2(st->attrs, num, n, attr, strlen(attr));
}

SymVal sym_attr(const SymTable *st, int32_t cls, const char *attr)
{
    const SymClass *c = &st->classes[cls];
    for (uint32_t i = 0; i < c->nmro; i++) {
        const Slot *s = attr_slot(st, c->mro[i], attr);
        if (s) return (SymVal){s->kind, s->id};
    }
    return (SymVal){SV_UNKNOWN, -1};
}

bool sym_attr_set(SymTable *st, int32_t cls, const char *attr, SymVal v)
{
    if (v.kind == SV_UNKNOWN || attr_slot(st, cls, attr)) return false;
    size_t n = strlen(attr) + 16;
    char *key = arena_alloc(st->arena, n);
    snprintf(key, n, "%d.%s", cls, attr);
    return map_put(st->attrs, key, v.kind, v.id);
}

/* ---- building ------------------------------------------------------------------------------ */

/* "module.name" ("name" when the module is unknown). */
static const char *qualify(const SymTable *st, uint32_t file, const char *name)
{
    size_t m = st->scope_len[file], n = strlen(name), dot = m > 0;
    char *s = arena_alloc_raw(st->arena, m + dot + n + 1);
    memcpy(s, sym_module(st, file), m);
    s[m] = '.';
    memcpy(s + m + dot, name, n + 1);
    return s;
}

static void count_ids(SymTable *st)
{
    st->func_base = ARENA_ARRAY(st->arena, uint32_t, st->nfiles + 1);
    st->class_base = ARENA_ARRAY(st->arena, uint32_t, st->nfiles + 1);
    for (uint32_t f = 0; f < st->nfiles; f++) {
        const FileFacts *ff = st->facts[f];
        st->func_base[f] = st->nfuncs;
        st->class_base[f] = st->nclasses;
        st->nfuncs += ff ? ff->nfuncs : 0;
        st->nclasses += ff ? ff->nclasses : 0;
    }
    st->func_base[st->nfiles] = st->nfuncs;
    st->class_base[st->nfiles] = st->nclasses;
    st->func_class = ARENA_ARRAY(st->arena, int32_t, st->nfuncs + 1);
    st->func_file = ARENA_ARRAY(st->arena, uint32_t, st->nfuncs + 1);
    st->classes = ARENA_ARRAY(st->arena, SymClass, st->nclasses + 1);
}

static bool is_star_import(const FxImport *im)
{
    return im->loc.func < 0 && im->name && strcmp(im->name, "*") == 0;
}

/* Per file: where lookups of its module-level names start, and its star imports. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void index_scopes(SymTable *st)
{
    st->scope_hash = ARENA_ARRAY(st->arena, uint32_t, st->nfiles + 1);
    st->scope_len = ARENA_ARRAY(st->arena, uint32_t, st->nfiles + 1);
    st->star_base = ARENA_ARRAY(st->arena, uint32_t, st->nfiles + 1);
    Vec(const FxImport *) stars = {0};
    for (uint32_t f = 0; f < st->nfiles; f++) {
        const char *m = sym_module(st, f);
        st->scope_len[f] = (uint32_t)strlen(m);
        st->scope_hash[f] = hash_more(hash2(m, st->scope_len[f], NULL, 0), ".", 1);
        st->star_base[f] = stars.n;
        const FileFacts *ff = st->facts[f];
        for (uint32_t i = 0; ff && i < ff->nimports; i++) {
            if (!is_star_import(&ff->imports[i])) continue;
            // NOLINTNEXTLINE(bugprone-sizeof-expression): a vector of pointers
            VEC_PUSH(stars, &ff->imports[i]);
        }
    }
    st->star_base[st->nfiles] = stars.n;
    st->stars = VEC_FREEZE(st->arena, stars); // NOLINT(bugprone-sizeof-expression)
    VEC_FREE(stars);
}

static void simple_name(SymTable *st, const char *name)
{
    map_put(st->simple, name, SR_FUNC, 0);
}

static void index_file(SymTable *st, uint32_t f)
{
    const FileFacts *ff = st->facts[f];
    const char *mod = sym_module(st, f);
    if (*mod) map_put(st->names, mod, SR_MODULE, (int32_t)f);
    for (uint32_t i = 0; i < ff->nclasses; i++) {
        int32_t id = sym_class_id(st, f, (int32_t)i);
        SymClass *c = &st->classes[id];
        c->name = qualify(st, f, ff->classes[i].qualname);
        c->name_len = (uint32_t)strlen(c->name);
        c->member_hash = hash_more(hash2(c->name, c->name_len, NULL, 0), ".", 1);
        c->file = f;
        c->cls = i;
        if (!strstr(ff->classes[i].qualname, "<locals>")) map_put(st->names, c->name, SR_CLASS, id);
        simple_name(st, ff->classes[i].name);
    }
    for (uint32_t i = 0; i < ff->nfuncs; i++) {
        const FxFunc *fn = &ff->funcs[i];
        int32_t id = sym_func_id(st, f, (int32_t)i);
        st->func_file[id] = f;
        st->func_class[id] = sym_class_id(st, f, fn->cls);
        if (!strstr(fn->qualname, "<locals>"))
            map_put(st->names, qualify(st, f, fn->qualname), SR_FUNC, id);
        simple_name(st, fn->name);
    }
}

typedef Vec(SymVar) VarVec;

static void add_var(SymTable *st, VarVec *v, uint32_t f, const Node *target, const Node *value,
                    const Node *ann)
{
    if (!target || target->kind != AST_NAME) return;
    SymVar sv = {qualify(st, f, target->Name.id), f, value, ann, 0};
    sv.line = source_linecol(&st->prog->files[f].src, target->span.start).line;
    VEC_PUSH(*v, sv);
}

/* Module-level assignments, also inside top-level if/try/with blocks (not in defs/classes). */
static void collect_vars(SymTable *st, VarVec *v, uint32_t f, const NodeList *body, int depth)
{
    for (uint32_t i = 0; i < body->n && depth < 8; i++) {
        const Node *s = body->items[i];
        switch ((AstKind)s->kind) {
            case AST_ASSIGN:
                for (uint32_t t = 0; t < s->Assign.targets.n; t++)
                    add_var(st, v, f, s->Assign.targets.items[t], s->Assign.value, NULL);
                break;
            case AST_ANNASSIGN:
                add_var(st, v, f, s->AnnAssign.target, s->AnnAssign.value, s->AnnAssign.annotation);
                break;
            case AST_IF:
                collect_vars(st, v, f, &s->If.body, depth + 1);
                collect_vars(st, v, f, &s->If.orelse, depth + 1);
                break;
            case AST_TRY:
                collect_vars(st, v, f, &s->Try.body, depth + 1);
                collect_vars(st, v, f, &s->Try.orelse, depth + 1);
                break;
            case AST_WITH: collect_vars(st, v, f, &s->With.body, depth + 1); break;
            default: break;
        }
    }
}

static void index_vars(SymTable *st)
{
    VarVec v = {0};
    for (uint32_t f = 0; f < st->nfiles; f++) {
        const Node *m = st->prog->files[f].parse.module;
        if (st->facts[f] && m && m->kind == AST_MODULE) collect_vars(st, &v, f, &m->Module.body, 0);
    }
    st->vars = VEC_FREEZE(st->arena, v);
    st->nvars = v.n;
    for (uint32_t i = 0; i < v.n; i++)
        map_put(st->names, st->vars[i].name, SR_VAR, (int32_t)i);
    VEC_FREE(v);
}

typedef Vec(const char *) StrVec;

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void index_aliases(SymTable *st)
{
    StrVec targets = {0};
    for (uint32_t f = 0; f < st->nfiles; f++) {
        const FileFacts *ff = st->facts[f];
        for (uint32_t i = 0; ff && i < ff->nimports; i++) {
            const FxImport *im = &ff->imports[i];
            if (im->loc.func >= 0 || strcmp(im->bound, "*") == 0 || im->target[0] == '.') continue;
            if (map_put(st->names, qualify(st, f, im->bound), SR_ALIAS, (int32_t)targets.n))
                VEC_PUSH(targets, im->target);
        }
    }
    st->alias_target = VEC_FREEZE(st->arena, targets);
    st->naliases = targets.n;
    VEC_FREE(targets);
}

/* ---- classes: bases and MRO ---------------------------------------------------------------- */

static bool ignorable_base(const char *b)
{
    return strcmp(b, "object") == 0 || strcmp(b, "Generic") == 0 ||
           strcmp(b, "typing.Generic") == 0;
}

typedef Vec(int32_t) IdVec;

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void resolve_bases(SymTable *st, int32_t id)
{
    SymClass *c = &st->classes[id];
    const FxClass *fc = sym_class_facts(st, id);
    IdVec v = {0};
    for (uint32_t b = 0; b < fc->nbases; b++) {
        if (ignorable_base(fc->bases[b])) continue;
        SymRef r = sym_resolve_text(st, c->file, fc->bases[b]);
        if (r.kind == SR_NONE && fc->bases_resolved[b] != fc->bases[b])
            r = sym_lookup(st, fc->bases_resolved[b]);
        if (r.kind == SR_CLASS && r.id != id)
            VEC_PUSH(v, r.id);
        else
            c->external_base = true;
    }
    c->bases = VEC_FREEZE(st->arena, v);
    c->nbases = v.n;
    VEC_FREE(v);
}

/* Depth-first over resolved bases, itself first, each class once. seen: scratch per class. */
// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void compute_mro(SymTable *st, int32_t id, uint32_t *seen, IdVec *stack, IdVec *out)
{
    VEC_CLEAR(*stack);
    VEC_CLEAR(*out);
    VEC_PUSH(*stack, id);
    bool external = false;
    while (stack->n) {
        int32_t x = VEC_POP(*stack);
        if (seen[x] == (uint32_t)id + 1) continue;
        seen[x] = (uint32_t)id + 1;
        VEC_PUSH(*out, x);
        external |= st->classes[x].external_base;
        for (uint32_t b = st->classes[x].nbases; b-- > 0;)
            VEC_PUSH(*stack, st->classes[x].bases[b]);
    }
    SymClass *c = &st->classes[id];
    c->mro = VEC_FREEZE(st->arena, *out);
    c->nmro = out->n;
    c->external_base = external;
}

static void index_subclasses(SymTable *st)
{
    for (uint32_t i = 0; i < st->nclasses; i++)
        for (uint32_t b = 0; b < st->classes[i].nbases; b++)
            st->classes[st->classes[i].bases[b]].nsubs++;
    for (uint32_t i = 0; i < st->nclasses; i++) {
        SymClass *c = &st->classes[i];
        c->subs = ARENA_ARRAY(st->arena, int32_t, c->nsubs + 1);
        c->nsubs = 0;
    }
    for (uint32_t i = 0; i < st->nclasses; i++)
        for (uint32_t b = 0; b < st->classes[i].nbases; b++) {
            SymClass *base = &st->classes[st->classes[i].bases[b]];
            base->subs[base->nsubs++] = (int32_t)i;
        }
}

static void index_classes(SymTable *st)
{
    for (uint32_t i = 0; i < st->nclasses; i++)
        resolve_bases(st, (int32_t)i);
    index_subclasses(st);
    uint32_t *seen = xcalloc(st->nclasses + 1, sizeof *seen);
    IdVec stack = {0}, out = {0};
    for (uint32_t i = 0; i < st->nclasses; i++)
        compute_mro(st, (int32_t)i, seen, &stack, &out);
    free(seen);
    VEC_FREE(stack);
    VEC_FREE(out);
}

SymTable *sym_build(const Program *prog, FileFacts *const *facts, Arena *a)
{
    SymTable *st = ARENA_NEW(a, SymTable);
    st->prog = prog;
    st->facts = facts;
    st->nfiles = prog->nfiles;
    st->arena = a;
    count_ids(st);
    index_scopes(st);
    uint32_t nimports = 0;
    for (uint32_t f = 0; f < st->nfiles; f++)
        nimports += facts[f] ? facts[f]->nimports : 0;
    st->names = map_new(a, st->nfuncs + st->nclasses + nimports + st->nfiles + 64);
    st->simple = map_new(a, st->nfuncs + st->nclasses + 64);
    st->attrs = map_new(a, 256);
    for (uint32_t f = 0; f < st->nfiles; f++)
        if (facts[f]) index_file(st, f);
    index_vars(st);
    index_aliases(st);
    index_classes(st);
    return st;
}
