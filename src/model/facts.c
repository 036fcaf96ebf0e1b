/* facts: extraction driver, imports, shared helpers and the final per-file summaries. */
#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/vec.h"
#include "../base/xmalloc.h"
#include "facts_int.h"
#include "names.h"

/* ---- shared helpers ------------------------------------------------------------------------ */

FxLoc fx_loc(Fx *fx, Span s)
{
    LineCol lc = source_linecol_near(fx->src, s.start, &fx->line_cursor);
    return (FxLoc){s, lc.line, lc.col_byte, fx->func};
}

/* ".db.X" -> "pkg.db.X" with the module from the hints; unchanged without hints. */
static const char *absolute(Fx *fx, const char *r)
{
    if (!r || r[0] != '.' || !fx->hints || !fx->hints->module) return r;
    uint32_t level = 0;
    while (r[level] == '.')
        level++;
    const char *abs =
        nm_absolute(fx->hints->module, fx->hints->is_package, level, r + level, fx->a);
    return abs ? abs : r;
}

static uint32_t bound_hash(const char *name, size_t len)
{
    uint32_t h = FX_HASH_SEED;
    for (size_t i = 0; i < len; i++)
        h = fx_hash_byte(h, name[i]);
    return h;
}

/* The import set slot of bound name[0..len): the one holding it, or the empty one. */
static uint32_t *import_slot(Fx *fx, const char *name, size_t len)
{
    for (uint32_t i = bound_hash(name, len) & fx->import_mask;; i = (i + 1) & fx->import_mask) {
        uint32_t *slot = &fx->import_set[i];
        if (!*slot) return slot;
        const char *b = fx->imports.items[*slot - 1].bound;
        if (strncmp(b, name, len) == 0 && b[len] == '\0') return slot;
    }
}

/* Appends im; the set then finds it (the last one) by its bound name. */
static void push_import(Fx *fx, const FxImport *im)
{
    VEC_PUSH(fx->imports, *im);
    if (!fx->import_set || 2 * fx->imports.n > fx->import_mask + 1) {
        uint32_t slots = fx->import_set ? 2 * (fx->import_mask + 1) : 64;
        free(fx->import_set);
        fx->import_set = xcalloc(slots, sizeof *fx->import_set);
        fx->import_mask = slots - 1;
        for (uint32_t k = 0; k + 1 < fx->imports.n; k++) {
            const char *b = fx->imports.items[k].bound;
            *import_slot(fx, b, strlen(b)) = k + 1;
        }
    }
    *import_slot(fx, im->bound, strlen(im->bound)) = fx->imports.n;
}

/* nm_resolve over fx->imports: the last import binding the first part of dotted. */
const char *fx_resolve(Fx *fx, const char *dotted)
{
    if (!dotted || !fx->import_set) return NULL;
    const char *dot = strchr(dotted, '.');
    size_t flen = dot ? (size_t)(dot - dotted) : strlen(dotted);
    uint32_t k = *import_slot(fx, dotted, flen);
    if (!k) return NULL;
    const char *t = fx->imports.items[k - 1].target;
    return absolute(fx, dot ? nm_join(t, dot + 1, fx->a) : t);
}

/* ---- hints --------------------------------------------------------------------------------- */

#define MAX_PREFIXES 32

/* A name's length and hash, and where it may be cut (before a '.') with the hash of each cut:
 * all made in one pass. Only the first MAX_PREFIXES cuts are kept; cuts[ncuts] is the whole. */
typedef struct Cuts {
    size_t at[MAX_PREFIXES + 1];
    uint32_t hash[MAX_PREFIXES + 1];
    uint32_t ncuts;
} Cuts;

static void cuts_of(const char *name, Cuts *c)
{
    uint32_t h = FX_HASH_SEED;
    size_t i = 0;
    c->ncuts = 0;
    for (; name[i]; i++) {
        if (name[i] == '.' && i > 0 && c->ncuts < MAX_PREFIXES) {
            c->at[c->ncuts] = i;
            c->hash[c->ncuts++] = h;
        }
        h = fx_hash_byte(h, name[i]);
    }
    c->at[c->ncuts] = i;
    c->hash[c->ncuts] = h;
}

/* The hash of name[0..n), n being the whole or a cut (k: a hint where to look, updated). */
static uint32_t cut_hash(const Cuts *c, uint32_t *k, const char *name, size_t n)
{
    while (*k > 0 && c->at[*k] > n)
        --*k;
    if (c->at[*k] == n) return c->hash[*k];
    uint32_t h = FX_HASH_SEED; /* past the kept cuts */
    for (size_t i = 0; i < n; i++)
        h = fx_hash_byte(h, name[i]);
    return h;
}

/* The longest prefix of name (the whole name first) that is a re-export; sets *cut. */
static const FxHint *alias_prefix(Fx *fx, const char *name, const Cuts *c, size_t *cut)
{
    uint32_t k = c->ncuts;
    for (size_t n = c->at[c->ncuts];;) {
        uint32_t hash = cut_hash(c, &k, name, n);
        const FxHint *alias = fx_hint_exact_hashed(fx, name, n, FX_HINT_ALIAS, hash);
        if (alias) {
            *cut = n;
            return alias;
        }
        while (n > 0 && name[--n] != '.') {
        }
        if (n == 0) return NULL;
    }
}

const FxHint *fx_hint(Fx *fx, const char *name, FxHintKind kind)
{
    if (!fx->hints || !name) return NULL;
    if (fx->hints->absent & (1u << kind)) {
        fx->lookups.unasked |= 1u << kind; /* no hint of that kind anywhere */
        return NULL;
    }
    for (int depth = 0; depth < 6; depth++) {
        Cuts c;
        cuts_of(name, &c);
        const FxHint *x = fx_hint_exact_hashed(fx, name, c.at[c.ncuts], kind, c.hash[c.ncuts]);
        if (x) return x;
        size_t cut;
        const FxHint *alias = alias_prefix(fx, name, &c, &cut);
        if (!alias) return NULL;
        name = name[cut] ? nm_join(alias->type, name + cut + 1, fx->a) : alias->type;
    }
    return NULL;
}

int32_t fx_local_class(Fx *fx, const char *type)
{
    if (!type) return -1;
    if (fx->hints && fx->hints->module) {
        size_t m = strlen(fx->hints->module);
        if (strncmp(type, fx->hints->module, m) == 0 && type[m] == '.') type += m + 1;
    }
    for (uint32_t i = 0; i < fx->classes.n; i++)
        if (strcmp(fx->classes.items[i].qualname, type) == 0) return (int32_t)i;
    return -1;
}

/* The name a class of this file goes by in hints: module-qualified when the module is known. */
static const char *class_name(Fx *fx, int32_t cls)
{
    const char *q = fx->classes.items[cls].qualname;
    return fx->hints && fx->hints->module ? nm_join(fx->hints->module, q, fx->a) : q;
}

static const char *type_of_name(Fx *fx, const char *type, const char *resolved)
{
    int32_t c = fx_local_class(fx, type);
    if (c >= 0 && !resolved) return class_name(fx, c);
    return resolved;
}

static const char *attr_type(Fx *fx, const char *owner, const char *attr)
{
    int32_t c = fx_local_class(fx, owner);
    if (c >= 0) {
        for (uint32_t i = fx->attrs.n; i-- > 0;) {
            const FxSelfAttr *s = &fx->attrs.items[i];
            if (s->cls == c && strcmp(s->attr, attr) == 0 && s->type)
                return type_of_name(fx, s->type, s->type_resolved);
        }
        return NULL;
    }
    const FxHint *h = fx_hint(fx, nm_join(owner, attr, fx->a), FX_HINT_ATTR);
    return h ? h->type : NULL;
}

const char *fx_value_type(Fx *fx, const Node *e)
{
    if (!e) return NULL;
    if (e->kind == AST_ATTRIBUTE) {
        const char *owner = fx_value_type(fx, e->Attribute.value);
        return owner ? attr_type(fx, owner, e->Attribute.attr) : NULL;
    }
    if (e->kind != AST_NAME || fx->func < 0) return NULL;
    const FxFunc *f = &fx->funcs.items[fx->func];
    for (uint32_t i = 0; i < f->nparams; i++) {
        const FxParam *p = &f->params[i];
        if (strcmp(p->name, e->Name.id) != 0) continue;
        if (i == 0 && f->cls >= 0 && !f->is_staticmethod) return class_name(fx, f->cls);
        return p->type ? type_of_name(fx, p->type, p->type_resolved) : NULL;
    }
    return NULL;
}

/* Keeps the dotted cache at most half full: doubles it and puts every node back. */
static void grow_dotted(Fx *fx)
{
    if (fx->dotted && 2 * (fx->ndotted + 1) <= fx->dotted_mask + 1) return;
    DottedSlot *old = fx->dotted;
    uint32_t oslots = old ? fx->dotted_mask + 1 : 0, slots = old ? 2 * oslots : 256;
    fx->dotted = xcalloc(slots, sizeof *fx->dotted);
    fx->dotted_mask = slots - 1;
    for (uint32_t k = 0; k < oslots; k++) {
        if (!old[k].node) continue;
        uint32_t i = (uint32_t)(((uintptr_t)old[k].node >> 3) * 0x9e3779b9u) & fx->dotted_mask;
        while (fx->dotted[i].node)
            i = (i + 1) & fx->dotted_mask;
        fx->dotted[i] = old[k];
    }
    free(old);
}

const char *fx_dotted(Fx *fx, const Node *e)
{
    if (!e || e->kind == AST_NAME) return nm_dotted(e, fx->a);
    grow_dotted(fx);
    uint32_t i = (uint32_t)(((uintptr_t)e >> 3) * 0x9e3779b9u) & fx->dotted_mask;
    for (; fx->dotted[i].node; i = (i + 1) & fx->dotted_mask)
        if (fx->dotted[i].node == e) return fx->dotted[i].dotted;
    fx->dotted[i] = (DottedSlot){e, nm_dotted(e, fx->a)};
    fx->ndotted++;
    return fx->dotted[i].dotted;
}

const char *fx_resolve_expr(Fx *fx, const Node *e)
{
    return fx_resolve(fx, fx_dotted(fx, e));
}

bool fx_is_sa_call(Fx *fx, const Node *call, const char *name)
{
    if (!call || call->kind != AST_CALL) return false;
    return nm_is_sa(fx_resolve_expr(fx, call->Call.func), name);
}

const char *fx_text(Fx *fx, const Node *e)
{
    return e ? nm_text(fx->src, e->span, fx->a) : NULL;
}

static int32_t sym_scope(Fx *fx)
{
    if (fx->cls >= 0 && (fx->func < 0 || fx->funcs.items[fx->func].cls != fx->cls) &&
        fx->classes.items[fx->cls].loc.func == fx->func)
        return -2 - fx->cls; /* directly in a class body */
    return fx->func;
}

// NOLINTNEXTLINE(readability-function-size): the nesting is VEC_PUSH's expansion
static void globals_in(Fx *fx, const NodeList *body)
{
    for (uint32_t i = 0; i < body->n; i++) {
        const Node *s = body->items[i];
        if (s->kind == AST_GLOBAL) {
            for (uint32_t k = 0; k < s->Global.names.n; k++)
                VEC_PUSH(fx->globals, s->Global.names.items[k]);
        } else if (s->kind == AST_IF) {
            globals_in(fx, &s->If.body);
            globals_in(fx, &s->If.orelse);
        } else if (s->kind == AST_TRY || s->kind == AST_TRYSTAR) {
            globals_in(fx, &s->Try.body);
        }
    }
}

uint32_t fx_enter_globals(Fx *fx, const NodeList *body)
{
    uint32_t saved = fx->globals_base;
    fx->globals_base = fx->globals.n;
    globals_in(fx, body);
    return saved;
}

void fx_leave_globals(Fx *fx, uint32_t saved_base)
{
    fx->globals.n = fx->globals_base;
    fx->globals_base = saved_base;
}

bool fx_is_global(Fx *fx, const char *name)
{
    for (uint32_t i = fx->globals_base; name && i < fx->globals.n; i++)
        if (strcmp(fx->globals.items[i], name) == 0) return true;
    return false;
}

void fx_push_sym(Fx *fx, const char *name, SymKind kind, int32_t idx, FxMode mode)
{
    if (!name) return;
    Sym s = {name, kind,  idx,  fx->func >= 0 && fx_is_global(fx, name) ? -1 : sym_scope(fx),
             mode, false, false};
    VEC_PUSH(fx->syms, s);
}

void fx_drop_local_syms(Fx *fx, uint32_t mark)
{
    uint32_t n = mark;
    for (uint32_t i = mark; i < fx->syms.n; i++)
        if (fx->syms.items[i].scope == -1) fx->syms.items[n++] = fx->syms.items[i];
    fx->syms.n = n;
}

static bool visible(Fx *fx, int32_t scope, int32_t here)
{
    if (scope == here || scope == -1) return true;
    for (int32_t f = fx->func; f >= 0; f = fx->funcs.items[f].loc.func)
        if (scope == f) return true;
    return false;
}

const Sym *fx_lookup(Fx *fx, const char *name)
{
    if (!name) return NULL;
    int32_t here = sym_scope(fx);
    for (uint32_t i = fx->syms.n; i-- > 0;) {
        const Sym *s = &fx->syms.items[i];
        if (strcmp(s->name, name) == 0 && visible(fx, s->scope, here)) return s;
    }
    return NULL;
}

static int32_t current_class(Fx *fx)
{
    return fx->func >= 0 ? fx->funcs.items[fx->func].cls : fx->cls;
}

const FxSelfAttr *fx_self_attr_of(Fx *fx, const Node *e)
{
    if (!e || e->kind != AST_ATTRIBUTE || e->Attribute.value->kind != AST_NAME || fx->func < 0)
        return NULL;
    const FxFunc *f = &fx->funcs.items[fx->func];
    if (f->cls < 0 || f->nparams == 0 || f->is_staticmethod) return NULL;
    if (strcmp(e->Attribute.value->Name.id, f->params[0].name) != 0) return NULL;
    for (uint32_t i = fx->attrs.n; i-- > 0;) {
        const FxSelfAttr *s = &fx->attrs.items[i];
        if (s->cls == f->cls && strcmp(s->attr, e->Attribute.attr) == 0) return s;
    }
    return NULL;
}

static uint32_t slot_hash(const char *name, int32_t cls, int32_t scope)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 16777619u;
    h = (h ^ (uint32_t)cls) * 16777619u;
    return (h ^ (uint32_t)scope) * 16777619u;
}

/* The slot of a key: the one holding it, or the empty one where it goes. */
static FuncSlot *slot_of(const Fx *fx, const char *name, int32_t cls, int32_t scope)
{
    uint32_t mask = fx->nfunc_slots - 1;
    for (uint32_t i = slot_hash(name, cls, scope) & mask;; i = (i + 1) & mask) {
        FuncSlot *s = &fx->func_index[i];
        if (!s->name || (s->cls == cls && s->scope == scope && strcmp(s->name, name) == 0))
            return s;
    }
}

static void put_func(Fx *fx, uint32_t i)
{
    const FxFunc *f = &fx->funcs.items[i];
    int32_t scope = f->cls >= 0 ? -1 : f->loc.func;
    FuncSlot *s = slot_of(fx, f->name, f->cls, scope);
    if (!s->name) *s = (FuncSlot){f->name, f->cls, scope, (int32_t)i};
}

/* Methods are keyed with scope -1 whatever encloses their class: a method lookup needs only
 * the class. The table stays at most half full: it doubles and is rebuilt as it grows. */
void fx_index_func(Fx *fx, uint32_t i)
{
    if (2 * (fx->funcs.n + 1) > fx->nfunc_slots) {
        free(fx->func_index);
        fx->nfunc_slots = fx->nfunc_slots ? 2 * fx->nfunc_slots : 64;
        fx->func_index = xcalloc(fx->nfunc_slots, sizeof *fx->func_index);
        for (uint32_t k = 0; k < i; k++)
            put_func(fx, k);
    }
    put_func(fx, i);
}

static int32_t first_of(const Fx *fx, const char *name, int32_t cls, int32_t scope)
{
    if (!fx->func_index) return -1; /* no function yet */
    const FuncSlot *s = slot_of(fx, name, cls, scope);
    return s->name ? s->idx : -1;
}

int32_t fx_method_of(Fx *fx, int32_t cls, const char *name)
{
    return first_of(fx, name, cls, -1);
}

/* "name": a module-level function or one nested in the current def (the first in source
 * order); "self.name"/"cls.name": a method of the current class. */
int32_t fx_find_func(Fx *fx, const char *dotted)
{
    if (!dotted) return -1;
    int32_t cls = -1;
    const char *name = dotted;
    if (strncmp(dotted, "self.", 5) == 0 || strncmp(dotted, "cls.", 4) == 0) {
        name = strchr(dotted, '.') + 1;
        cls = current_class(fx);
        if (cls < 0) return -1;
    }
    if (strchr(name, '.')) return -1;
    if (cls >= 0) return fx_method_of(fx, cls, name);
    int32_t top = first_of(fx, name, -1, -1);
    int32_t local = fx->func >= 0 ? first_of(fx, name, -1, fx->func) : -1;
    if (top < 0) return local;
    return local >= 0 && local < top ? local : top;
}

int32_t fx_func_of_node(Fx *fx, const Node *def)
{
    if (fx->next_func < fx->funcs.n && fx->funcs.items[fx->next_func].node == def)
        return (int32_t)fx->next_func++;
    for (uint32_t i = 0; i < fx->funcs.n; i++)
        if (fx->funcs.items[i].node == def) return (int32_t)i;
    return -1;
}

int32_t fx_class_of_node(Fx *fx, const Node *def)
{
    if (fx->next_class < fx->classes.n && fx->classes.items[fx->next_class].node == def)
        return (int32_t)fx->next_class++;
    for (uint32_t i = 0; i < fx->classes.n; i++)
        if (fx->classes.items[i].node == def) return (int32_t)i;
    return -1;
}

bool fx_name_says_session(const char *name)
{
    if (!name) return false;
    for (const char *p = name; *p; p++) {
        if ((*p | 0x20) != 's') continue; /* strncasecmp only where an 's' or 'S' starts */
        if (strncasecmp(p, "session", 7) == 0) return strncasecmp(p, "sessionmaker", 12) != 0;
    }
    return false;
}

/* ---- imports ------------------------------------------------------------------------------- */

static bool is_type_checking(const Node *test)
{
    if (test->kind == AST_NAME) return strcmp(test->Name.id, "TYPE_CHECKING") == 0;
    return test->kind == AST_ATTRIBUTE && strcmp(test->Attribute.attr, "TYPE_CHECKING") == 0;
}

static void note_module(FileFacts *ff, const char *mod, const char *name)
{
    if (strncmp(mod, "sqlalchemy", 10) == 0 || strncmp(mod, "sqlmodel", 8) == 0) {
        ff->imports_sqlalchemy = true;
        if (name && strcmp(name, "select") == 0) ff->imports_select = true;
    }
    if (strcmp(mod, "asyncio") == 0) ff->imports_asyncio = true;
    if (strncmp(mod, "flask", 5) == 0) ff->imports_flask = true;
    if (strncmp(mod, "fastapi", 7) == 0) ff->imports_fastapi = true;
    if (strncmp(mod, "oslo_db.sqlalchemy", 18) == 0) ff->imports_enginefacade = true;
}

static void add_import(Fx *fx, const Node *stmt, const Node *alias, bool tc)
{
    Arena *a = fx->a;
    FxImport im = {0};
    im.loc = fx_loc(fx, alias->span);
    im.loc.func = fx->func;
    im.asname = alias->alias.asname;
    im.type_checking = tc;
    if (stmt->kind == AST_IMPORT) {
        im.module = alias->alias.name;
        im.bound = im.asname ? im.asname : nm_first(im.module, a);
        im.target = im.asname ? im.module : im.bound;
    } else {
        const char *mod = stmt->ImportFrom.module ? stmt->ImportFrom.module : "";
        uint32_t level = (uint32_t)stmt->ImportFrom.level;
        im.module = mod;
        im.name = alias->alias.name;
        im.level = level;
        im.bound = im.asname ? im.asname : im.name;
        size_t n = strlen(mod) + strlen(im.name) + level + 2;
        char *t = arena_alloc(a, n);
        memset(t, '.', level);
        if (*mod)
            snprintf(t + level, n - level, "%s.%s", mod, im.name);
        else
            snprintf(t + level, n - level, "%s", im.name);
        im.target = t;
    }
    note_module(fx->ff, im.module, im.name);
    im.target = absolute(fx, im.target);
    push_import(fx, &im);
}

static void collect_imports(Fx *fx, const NodeList *body, bool tc);

static void imports_in_handlers(Fx *fx, const NodeList *handlers, bool tc)
{
    for (uint32_t i = 0; i < handlers->n; i++)
        collect_imports(fx, &handlers->items[i]->ExceptHandler.body, tc);
}

// NOLINTNEXTLINE(readability-function-size): flat dispatch over statement kinds
static void imports_in_stmt(Fx *fx, const Node *s, bool tc)
{
    switch ((AstKind)s->kind) {
        case AST_IMPORT:
            for (uint32_t i = 0; i < s->Import.names.n; i++)
                add_import(fx, s, s->Import.names.items[i], tc);
            break;
        case AST_IMPORTFROM:
            for (uint32_t i = 0; i < s->ImportFrom.names.n; i++)
                add_import(fx, s, s->ImportFrom.names.items[i], tc);
            break;
        case AST_IF:
            collect_imports(fx, &s->If.body, tc || is_type_checking(s->If.test));
            collect_imports(fx, &s->If.orelse, tc);
            break;
        case AST_TRY:
        case AST_TRYSTAR:
            collect_imports(fx, &s->Try.body, tc);
            imports_in_handlers(fx, &s->Try.handlers, tc);
            collect_imports(fx, &s->Try.orelse, tc);
            collect_imports(fx, &s->Try.finalbody, tc);
            break;
        case AST_WITH:
        case AST_ASYNCWITH: collect_imports(fx, &s->With.body, tc); break;
        case AST_FUNCTIONDEF:
        case AST_ASYNCFUNCTIONDEF: collect_imports(fx, &s->FunctionDef.body, tc); break;
        case AST_CLASSDEF: collect_imports(fx, &s->ClassDef.body, tc); break;
        default: break;
    }
}

static void collect_imports(Fx *fx, const NodeList *body, bool tc)
{
    for (uint32_t i = 0; i < body->n; i++)
        imports_in_stmt(fx, body->items[i], tc);
}

/* ---- summaries ----------------------------------------------------------------------------- */

static bool path_is_test(const char *path, bool *conftest)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    *conftest = strcmp(base, "conftest.py") == 0;
    if (*conftest || strncmp(base, "test_", 5) == 0) return true;
    if (n > 8 && strcmp(base + n - 8, "_test.py") == 0) return true;
    return strncmp(path, "tests/", 6) == 0 || strstr(path, "/tests/") != NULL ||
           strncmp(path, "test/", 5) == 0 || strstr(path, "/test/") != NULL;
}

static bool class_is_base(Fx *fx, const char *name)
{
    for (uint32_t i = 0; i < fx->bases.n; i++)
        if (strcmp(fx->bases.items[i].name, name) == 0) return true;
    for (uint32_t i = 0; i < fx->classes.n; i++) {
        const FxClass *c = &fx->classes.items[i];
        if ((c->base_form != FX_BASE_NONE || c->is_mapped) && strcmp(c->name, name) == 0)
            return true;
    }
    return false;
}

static bool class_has_async_attrs(Fx *fx, const char *name)
{
    for (uint32_t i = 0; i < fx->classes.n; i++) {
        const FxClass *c = &fx->classes.items[i];
        if (c->has_async_attrs && strcmp(c->name, name) == 0) return true;
    }
    return false;
}

/* Mapped classes and inherited AsyncAttrs within the file, to a fixpoint. */
static void finish_classes(Fx *fx)
{
    bool changed = true;
    for (int round = 0; changed && round < 16; round++) {
        changed = false;
        for (uint32_t i = 0; i < fx->classes.n; i++) {
            FxClass *c = &fx->classes.items[i];
            for (uint32_t b = 0; b < c->nbases; b++) {
                if (!c->is_mapped && c->base_form == FX_BASE_NONE && class_is_base(fx, c->bases[b]))
                    c->is_mapped = changed = true;
                if (!c->has_async_attrs && class_has_async_attrs(fx, c->bases[b]))
                    c->has_async_attrs = changed = true;
            }
        }
    }
}

static void bump(Fx *fx, int32_t f)
{
    if (f >= 0) fx->funcs.items[f].ndb_direct++;
}

static void count_db(Fx *fx)
{
    for (uint32_t i = 0; i < fx->sessions.n; i++) {
        FxAcqForm k = fx->sessions.items[i].form;
        if (k != FX_ACQ_PARAM && k != FX_ACQ_SELF_ATTR && k != FX_ACQ_DEPENDS)
            bump(fx, fx->sessions.items[i].loc.func);
    }
    for (uint32_t i = 0; i < fx->queries.n; i++)
        bump(fx, fx->queries.items[i].loc.func);
    for (uint32_t i = 0; i < fx->ops.n; i++)
        bump(fx, fx->ops.items[i].loc.func);
    for (uint32_t i = 0; i < fx->eios.n; i++)
        bump(fx, fx->eios.items[i].loc.func);
}

static void alembic_facts(Fx *fx)
{
    FxAlembic *al = &fx->ff->alembic;
    al->online_func = -1;
    bool ctx = false;
    for (uint32_t i = 0; i < fx->imports.n; i++)
        if (strcmp(fx->imports.items[i].target, "alembic.context") == 0) ctx = true;
    if (!ctx) return;
    al->is_env = true;
    for (uint32_t i = 0; i < fx->engines.n; i++) {
        const FxEngine *e = &fx->engines.items[i];
        al->uses_engine_from_config |= e->form == FX_ENGINE_FROM_CONFIG;
        al->uses_async_engine |= e->mode == FX_ASYNC;
    }
    for (uint32_t i = 0; i < fx->funcs.n; i++) {
        const FxFunc *f = &fx->funcs.items[i];
        if (f->cls >= 0) continue;
        if (strcmp(f->name, "run_migrations_online") == 0) {
            al->online_func = (int32_t)i;
            al->online_is_async |= f->is_async;
        }
        if (strcmp(f->name, "run_async_migrations") == 0 && f->is_async) al->online_is_async = true;
    }
    al->loc.func = -1;
    al->loc.line = 1;
    if (fx->engines.n)
        al->loc = fx->engines.items[0].loc;
    else if (al->online_func >= 0)
        al->loc = fx->funcs.items[al->online_func].loc;
}

/* ---- driver -------------------------------------------------------------------------------- */

#define FREEZE(dst, ndst, v)            \
    do {                                \
        (dst) = VEC_FREEZE(fx->a, (v)); \
        (ndst) = (v).n;                 \
        VEC_FREE(v);                    \
    } while (0)

static void freeze_queries(Fx *fx)
{
    for (uint32_t i = 0; i < fx->queries.n; i++) {
        FxQuery *q = &fx->queries.items[i];
        QMeta *m = &fx->qmeta.items[i];
        q->methods = VEC_FREEZE(fx->a, m->methods);
        q->nmethods = m->methods.n;
        if (q->across_statements) {
            q->steps = VEC_FREEZE(fx->a, m->steps); // NOLINT(bugprone-sizeof-expression)
            q->nsteps = m->steps.n;
        }
        VEC_FREE(m->methods);
        VEC_FREE(m->steps);
    }
    VEC_FREE(fx->qmeta);
}

static void freeze(Fx *fx, FileFacts *ff)
{
    freeze_queries(fx);
    FREEZE(ff->imports, ff->nimports, fx->imports);
    FREEZE(ff->classes, ff->nclasses, fx->classes);
    FREEZE(ff->base_assigns, ff->nbase_assigns, fx->bases);
    FREEZE(ff->funcs, ff->nfuncs, fx->funcs);
    FREEZE(ff->self_attrs, ff->nself_attrs, fx->attrs);
    FREEZE(ff->calls, ff->ncalls, fx->calls);
    FREEZE(ff->sessions, ff->nsessions, fx->sessions);
    FREEZE(ff->queries, ff->nqueries, fx->queries);
    FREEZE(ff->stmts, ff->nstmts, fx->stmts);
    FREEZE(ff->session_ops, ff->nsession_ops, fx->ops);
    FREEZE(ff->sqls, ff->nsqls, fx->sqls);
    FREEZE(ff->engine_ios, ff->nengine_ios, fx->eios);
    FREEZE(ff->engines, ff->nengines, fx->engines);
    FREEZE(ff->sessionmakers, ff->nsessionmakers, fx->makers);
    FREEZE(ff->relationships, ff->nrelationships, fx->rels);
    FREEZE(ff->depends, ff->ndepends, fx->deps);
    FREEZE(ff->offloads, ff->noffloads, fx->offs);
    FREEZE(ff->awaits_in_session, ff->nawaits_in_session, fx->ais);
    FREEZE(ff->sleeps, ff->nsleeps, fx->sleeps);
    FREEZE(ff->facades, ff->nfacades, fx->facades);
    free(fx->func_index);
    VEC_FREE(fx->syms);
    VEC_FREE(fx->with_names);
    fx_uses_free(fx);
    VEC_FREE(fx->file_markers);
    VEC_FREE(fx->withs);
    VEC_FREE(fx->globals);
}

FileFacts *facts_extract(const Node *module, Source *src, Arena *a)
{
    return facts_extract_hinted(module, src, a, NULL);
}

/* Can a function of this file be a session provider? Every provider ends in SQLAlchemy,
 * Flask-SQLAlchemy or oslo.db names: imported here, or reached through hints (a provider or a
 * factory elsewhere, a re-export of a SQLAlchemy name). Without those imports and with none of
 * those hint kinds (the first round), no search can find one. */
static bool may_have_providers(const Fx *fx)
{
    const FileFacts *ff = fx->ff;
    uint32_t kinds = 1u << FX_HINT_PROVIDER | 1u << FX_HINT_FACTORY | 1u << FX_HINT_ALIAS;
    bool hinted = !fx->hints || (fx->hints->absent & kinds) != kinds;
    return hinted || ff->imports_sqlalchemy || ff->imports_flask || fx->enginefacade;
}

/* The providers of prior (the same file, the same hint answers), when its functions are ours. */
static bool take_providers(Fx *fx, const FileFacts *prior)
{
    if (!prior || prior->nfuncs != fx->funcs.n) return false;
    for (uint32_t i = 0; i < prior->nfuncs; i++) {
        FxFunc *f = &fx->funcs.items[i];
        f->is_session_provider = prior->funcs[i].is_session_provider;
        f->provider_mode = prior->funcs[i].provider_mode;
        f->provider_expr = prior->funcs[i].provider_expr;
    }
    return true;
}

/* Is name, or its module (name less its last part), a module holding enginefacade hints? */
static bool tx_module(Fx *fx, const char *name)
{
    if (fx_hint_exact(fx, name, strlen(name), FX_HINT_TXMODULE)) return true;
    const char *dot = strrchr(name, '.');
    return dot && fx_hint_exact(fx, name, (size_t)(dot - name), FX_HINT_TXMODULE);
}

/* Can this file hold enginefacade sessions: it imports oslo_db.sqlalchemy, or something from a
 * module that holds transaction contexts or decorators? Exact lookups, so that only the files
 * importing such a module are extracted again when the hints change. */
static bool may_use_facades(Fx *fx)
{
    if (fx->ff->imports_enginefacade) return true;
    if (!fx->hints) return false;
    for (uint32_t i = 0; i < fx->imports.n; i++)
        if (fx->imports.items[i].target[0] != '.' && tx_module(fx, fx->imports.items[i].target))
            return true;
    return false;
}

FileFacts *facts_extract_hinted(const Node *module, Source *src, Arena *a, const FxHints *h)
{
    FileFacts *ff = ARENA_NEW(a, FileFacts);
    ff->src = src;
    ff->alembic.online_func = -1;
    ff->is_test_file = path_is_test(src->path ? src->path : "", &ff->is_conftest);
    Fx fx;
    memset(&fx, 0, sizeof fx);
    fx.a = a;
    fx.src = src;
    fx.ff = ff;
    fx.hints = h;
    fx.func = fx.cls = -1;
    if (module && module->kind == AST_MODULE) {
        collect_imports(&fx, &module->Module.body, false);
        fx.enginefacade = may_use_facades(&fx);
        fx_collect_structure(&fx, module);
        if (!take_providers(&fx, h ? h->prior : NULL) && may_have_providers(&fx))
            fx_find_providers(&fx);
        fx_find_transactions(&fx);
        fx.light = h && h->light;
        fx_walk_module(&fx, module);
        if (!fx.light) {
            finish_classes(&fx);
            count_db(&fx);
            alembic_facts(&fx);
        }
    }
    freeze(&fx, ff);
    fx_hint_done(&fx);
    free(fx.dotted);
    free(fx.import_set);
    return ff;
}

/* ---- names --------------------------------------------------------------------------------- */

const char *facts_qualname(const FileFacts *ff, int32_t func)
{
    return func >= 0 && (uint32_t)func < ff->nfuncs ? ff->funcs[func].qualname : "";
}

const char *facts_acq_form_name(FxAcqForm form)
{
    static const char *const names[] = {"with",         "async_with",   "no_with",
                                        "session_ctor", "factory_call", "param",
                                        "self_attr",    "depends",      "decorator"};
    return (unsigned)form < sizeof names / sizeof names[0] ? names[form] : "?";
}

const char *facts_terminal_name(FxTerminal term)
{
    static const char *const names[] = {"none",   "all",    "first", "one",    "one_or_none",
                                        "scalar", "count",  "get",   "update", "delete",
                                        "iter",   "exists", "other"};
    return (unsigned)term < sizeof names / sizeof names[0] ? names[term] : "?";
}

const char *facts_mode_name(FxMode mode)
{
    return mode == FX_SYNC ? "sync" : mode == FX_ASYNC ? "async" : "unknown";
}
