/* simple_fix: SA105, SA107, SA305 and SA403 fixes (see the header). */
#include "simple_fix.h"

#include <string.h>

#include "imports.h"

#define MAX_SCOPES 16

bool sf_handles(const char *code)
{
    return strcmp(code, "SA105") == 0 || strcmp(code, "SA107") == 0 || strcmp(code, "SA305") == 0 ||
           strcmp(code, "SA403") == 0;
}

static bool same_span(Span a, Span b)
{
    return a.start == b.start && a.end == b.end;
}

static void note_edit(QsContext *qc, uint32_t offset)
{
    if (offset < qc->first_edit) qc->first_edit = offset;
}

/* ---- SA105: a constant SQL string wrapped in text() ------------------------------------------ */

static const char *fix_text_call(QsContext *qc, const Finding *f, EditList *l)
{
    const FxSql *q = NULL;
    for (uint32_t i = 0; i < qc->ff->nsqls && !q; i++)
        if (qc->ff->sqls[i].kind == FX_SQL_STRING && same_span(qc->ff->sqls[i].loc.span, f->span))
            q = &qc->ff->sqls[i];
    if (!q) return "not understood";
    const Node *a = q->arg;
    if (!a || a->kind != AST_CONSTANT || a->Constant.value.kind != CONST_STR)
        return "the SQL is built at run time, not a constant string: bind its values as "
               "parameters of text()";
    const Node *scopes[MAX_SCOPES];
    uint32_t n = qs_scopes(qc->ff, q->loc.func, scopes, MAX_SCOPES);
    bool needs;
    const char *name = im_spell(&qc->imports, IM_TEXT, scopes, n, &needs);
    if (!name) return "the name 'text' means something else here";
    if (needs) im_require(&qc->imports, IM_TEXT);
    rw_insert(l, a->span.start, arena_strcat(qc->a, name, "("));
    rw_insert(l, a->span.end, ")");
    note_edit(qc, a->span.start);
    return NULL;
}

/* ---- SA107: select([a, b]) -> select(a, b) ------------------------------------------------- */

static const char *fix_select_list(QsContext *qc, const Finding *f, EditList *l)
{
    const FxStmt *s = NULL;
    for (uint32_t i = 0; i < qc->ff->nstmts && !s; i++)
        if (qc->ff->stmts[i].list_form && same_span(qc->ff->stmts[i].loc.span, f->span))
            s = &qc->ff->stmts[i];
    if (!s || !s->call || s->call->kind != AST_CALL) return "not understood";
    const Node *c = s->call;
    if (c->Call.args.n != 1 || c->Call.keywords.n != 0)
        return "select() has arguments besides the column list (1.x whereclause, from_obj...): "
               "move them to .where() / .select_from()";
    const Node *list = c->Call.args.items[0];
    const char *t = qc->src->text;
    if (list->kind != AST_LIST || t[list->span.start] != '[' || t[list->span.end - 1] != ']')
        return "the columns are not a list display";
    rw_add(l, (Span){list->span.start, list->span.start + 1}, "");
    rw_add(l, (Span){list->span.end - 1, list->span.end}, "");
    note_edit(qc, list->span.start);
    return NULL;
}

/* ---- SA305: expire_on_commit=False --------------------------------------------------------- */

/* Offset after the last argument or keyword of call, or after its `(` when it has none. */
static uint32_t args_end(const QsContext *qc, const Node *call)
{
    uint32_t end = 0;
    for (uint32_t i = 0; i < call->Call.args.n; i++)
        if (call->Call.args.items[i]->span.end > end) end = call->Call.args.items[i]->span.end;
    for (uint32_t i = 0; i < call->Call.keywords.n; i++)
        if (call->Call.keywords.items[i]->span.end > end)
            end = call->Call.keywords.items[i]->span.end;
    if (end) return end;
    uint32_t k = rw_tok_from(qc->toks, call->Call.func->span.end);
    return k < qc->toks->n && qc->toks->items[k].kind == TK_LPAR ? qc->toks->items[k].span.end
                                                                 : UINT32_MAX;
}

static const char *fix_expire(QsContext *qc, const Finding *f, EditList *l)
{
    const FxSessionmaker *m = NULL;
    for (uint32_t i = 0; i < qc->ff->nsessionmakers && !m; i++)
        if (same_span(qc->ff->sessionmakers[i].loc.span, f->span)) m = &qc->ff->sessionmakers[i];
    if (!m || !m->call || m->call->kind != AST_CALL) return "not understood";
    if (strcmp(m->factory, "sessionmaker") != 0 && strcmp(m->factory, "async_sessionmaker") != 0)
        return "set expire_on_commit=False on the session factory this wraps";
    const NodeList *kw = &m->call->Call.keywords;
    for (uint32_t i = 0; i < kw->n; i++) {
        const Node *k = kw->items[i];
        if (!k->keyword.arg) return "keyword arguments passed with ** may set expire_on_commit";
        if (strcmp(k->keyword.arg, "expire_on_commit") != 0) continue;
        const Node *v = k->keyword.value;
        if (v->kind != AST_CONSTANT || v->Constant.value.kind != CONST_TRUE)
            return "expire_on_commit is computed";
        rw_add(l, v->span, "False");
        note_edit(qc, v->span.start);
        return NULL;
    }
    uint32_t at = args_end(qc, m->call);
    if (at == UINT32_MAX) return "not understood";
    bool first = m->call->Call.args.n == 0 && kw->n == 0;
    rw_insert(l, at, first ? "expire_on_commit=False" : ", expire_on_commit=False");
    note_edit(qc, at);
    return NULL;
}

/* ---- SA403: AsyncAttrs mixed into a declarative base class ------------------------------------
 */

static const char *fix_async_attrs(QsContext *qc, const Finding *f, EditList *l)
{
    const FxClass *c = NULL;
    for (uint32_t i = 0; i < qc->ff->nclasses && !c; i++)
        if (same_span(qc->ff->classes[i].loc.span, f->span)) c = &qc->ff->classes[i];
    if (!c || c->base_form != FX_BASE_CLASS || !c->node || c->node->ClassDef.bases.n == 0)
        return "a base made by declarative_base(): subclass DeclarativeBase and AsyncAttrs";
    bool needs;
    const char *name = im_spell_async_attrs(&qc->imports, &needs);
    if (!name) return "the name 'AsyncAttrs' means something else here";
    if (needs) im_require_async_attrs(&qc->imports);
    uint32_t at = c->node->ClassDef.bases.items[0]->span.start;
    rw_insert(l, at, arena_strcat(qc->a, name, ", "));
    note_edit(qc, at);
    return NULL;
}

const char *sf_fix(QsContext *qc, const Finding *f, EditList *l)
{
    if (strcmp(f->code, "SA105") == 0) return fix_text_call(qc, f, l);
    if (strcmp(f->code, "SA107") == 0) return fix_select_list(qc, f, l);
    if (strcmp(f->code, "SA305") == 0) return fix_expire(qc, f, l);
    if (strcmp(f->code, "SA403") == 0) return fix_async_attrs(qc, f, l);
    return "no automatic fix";
}
