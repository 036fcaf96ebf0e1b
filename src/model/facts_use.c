/* facts_use: how names are used in a body (is a local a session?), summarised once per body
 * for every name instead of rescanning the body for each assignment (facts_int.h). */
#include <stdlib.h>
#include <string.h>

#include "../base/xmalloc.h"
#include "facts_int.h"

enum { USE_STRONG = 1, USE_WEAK = 2 };

typedef struct UseSlot {
    const char *name; /* NULL: empty */
    uint8_t flags;
} UseSlot;

struct FxUses {
    const NodeList *body; /* the body summarised */
    bool session_params;  /* a function of the file has a `Session` parameter */
    UseSlot *slots;       /* open addressing by name */
    uint32_t mask, n;
};

static UseSlot *slot_of(FxUses *u, const char *name)
{
    for (uint32_t i = fx_name_hash(name, strlen(name)) & u->mask;; i = (i + 1) & u->mask) {
        UseSlot *s = &u->slots[i];
        if (!s->name || strcmp(s->name, name) == 0) return s;
    }
}

static void grow(FxUses *u)
{
    UseSlot *old = u->slots;
    uint32_t nold = old ? u->mask + 1 : 0;
    uint32_t slots = old ? 2 * nold : 64;
    u->slots = xcalloc(slots, sizeof *u->slots);
    u->mask = slots - 1;
    for (uint32_t i = 0; i < nold; i++)
        if (old[i].name) *slot_of(u, old[i].name) = old[i];
    free(old);
}

static void mark(FxUses *u, const char *name, uint8_t flags)
{
    if (!u->slots || 2 * (u->n + 1) > u->mask + 1) grow(u);
    UseSlot *s = slot_of(u, name);
    if (!s->name) {
        s->name = name;
        u->n++;
    }
    s->flags |= flags;
}

/* Session-only methods (strong) and methods a session shares with other objects (weak). */
static uint8_t attr_flags(const char *attr)
{
    static const struct {
        const char *name;
        uint8_t flags;
    } methods[] = {
        {"expunge", USE_STRONG},
        {"expunge_all", USE_STRONG},
        {"add_all", USE_STRONG},
        {"bulk_save_objects", USE_STRONG},
        {"bulk_insert_mappings", USE_STRONG},
        {"bulk_update_mappings", USE_STRONG},
        {"begin_nested", USE_STRONG},
        {"get_bind", USE_STRONG},
        {"no_autoflush", USE_STRONG},
        {"query", USE_WEAK},
        {"add", USE_WEAK},
        {"delete", USE_WEAK},
        {"execute", USE_WEAK},
        {"scalars", USE_WEAK},
        {"scalar", USE_WEAK},
        {"commit", USE_WEAK},
        {"rollback", USE_WEAK},
        {"flush", USE_WEAK},
        {"refresh", USE_WEAK},
        {"merge", USE_WEAK},
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (methods[i].name[0] == attr[0] && strcmp(methods[i].name, attr) == 0)
            return methods[i].flags;
    return 0;
}

/* Names passed to a function of this file whose parameter there is annotated `Session`
 * (`self._enqueue(session, item)` with `def _enqueue(self, session: Session, ...)`). */
static void session_args(Fx *fx, FxUses *u, const Node *call)
{
    const char *callee = fx_dotted(fx, call->Call.func);
    int32_t f = fx_find_func(fx, callee);
    if (f < 0) return;
    const FxFunc *fn = &fx->funcs.items[f];
    uint32_t skip = fn->cls >= 0 && strchr(callee, '.') ? 1 : 0; /* self/cls is bound */
    for (uint32_t i = 0; i < call->Call.args.n && i + skip < fn->nparams; i++) {
        const Node *a = call->Call.args.items[i];
        if (a->kind == AST_NAME && fn->params[i + skip].is_session) mark(u, a->Name.id, USE_STRONG);
    }
    for (uint32_t i = 0; i < call->Call.keywords.n; i++) {
        const Node *kw = call->Call.keywords.items[i];
        if (!kw->keyword.arg || kw->keyword.value->kind != AST_NAME) continue;
        for (uint32_t k = 0; k < fn->nparams; k++)
            if (fn->params[k].is_session && strcmp(fn->params[k].name, kw->keyword.arg) == 0)
                mark(u, kw->keyword.value->Name.id, USE_STRONG);
    }
}

typedef struct UseWalk {
    Fx *fx;
    FxUses *u;
} UseWalk;

static void use_node(Node *n, void *ud)
{
    UseWalk *w = ud;
    if (n->kind == AST_FUNCTIONDEF || n->kind == AST_ASYNCFUNCTIONDEF || n->kind == AST_CLASSDEF ||
        n->kind == AST_LAMBDA)
        return;
    if (n->kind == AST_ATTRIBUTE && n->Attribute.value->kind == AST_NAME) {
        uint8_t flags = attr_flags(n->Attribute.attr);
        if (flags) mark(w->u, n->Attribute.value->Name.id, flags);
    }
    if (n->kind == AST_CALL && w->u->session_params) session_args(w->fx, w->u, n);
    ast_children(n, use_node, ud);
}

static bool any_session_param(const Fx *fx)
{
    for (uint32_t i = 0; i < fx->funcs.n; i++)
        for (uint32_t k = 0; k < fx->funcs.items[i].nparams; k++)
            if (fx->funcs.items[i].params[k].is_session) return true;
    return false;
}

static FxUses *uses_of(Fx *fx, const NodeList *body)
{
    FxUses *u = fx->uses;
    if (!u) {
        u = fx->uses = xcalloc(1, sizeof *u);
        u->session_params = any_session_param(fx); /* the functions are all known by now */
    }
    if (u->body == body) return u;
    if (u->slots) memset(u->slots, 0, (u->mask + 1) * sizeof *u->slots);
    u->n = 0;
    u->body = body;
    UseWalk w = {fx, u};
    for (uint32_t i = 0; i < body->n; i++)
        use_node(body->items[i], &w);
    return u;
}

bool fx_used_as_session(Fx *fx, const NodeList *body, const char *var, bool hint)
{
    if (!body) return false;
    FxUses *u = uses_of(fx, body);
    if (!u->n) return false;
    uint8_t flags = slot_of(u, var)->flags;
    return (flags & USE_STRONG) || (hint && (flags & USE_WEAK));
}

void fx_uses_free(Fx *fx)
{
    if (fx->uses) free(fx->uses->slots);
    free(fx->uses);
    fx->uses = NULL;
}
