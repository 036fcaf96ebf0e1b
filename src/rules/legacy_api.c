/* legacy_api: SA1xx, the 2.0-readiness rules (legacy Query, implicit execution, raw SQL,
 * declarative_base, select([...])). */
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../model/names.h"
#include "rules.h"

#define CHAIN_SHOWN 6

/* `session.query(Job).filter().first()`, methods after query() shown without arguments;
 * `model_query(...).first()` from a query helper. */
static void chain_text(Buf *b, const FxQuery *q)
{
    if (q->helper)
        buf_printf(b, "%s(...)", q->helper);
    else
        buf_printf(b, "%s.query(%s)", q->receiver,
                   q->nentities > 1 ? "..."
                   : q->entity      ? q->entity
                                    : "");
    for (uint32_t i = 1; i < q->nmethods; i++) {
        if (i > CHAIN_SHOWN && i + 1 < q->nmethods) {
            buf_puts(b, "...");
            i = q->nmethods - 2;
            continue;
        }
        buf_printf(b, ".%s()", q->methods[i]);
    }
    if (q->terminal == FX_TERM_ITER) buf_puts(b, " (iterated)");
}

static const char *advice(const FxQuery *q)
{
    bool one = q->is_entity;
    switch (q->terminal) {
        case FX_TERM_ALL:
            return one ? "session.scalars(select(...)).all()"
                       : "session.execute(select(...)).all()";
        case FX_TERM_FIRST:
            return one ? "session.scalars(select(...).limit(1)).first()"
                       : "session.execute(select(...).limit(1)).first()";
        case FX_TERM_ONE:
            return one ? "session.scalars(select(...)).one()"
                       : "session.execute(select(...)).one()";
        case FX_TERM_ONE_OR_NONE:
            return one ? "session.scalars(select(...)).one_or_none()"
                       : "session.execute(select(...)).one_or_none()";
        case FX_TERM_SCALAR: return "session.scalar(select(...))";
        case FX_TERM_COUNT: return "session.scalar(select(func.count()).select_from(...))";
        case FX_TERM_ITER:
            return one ? "session.scalars(select(...))" : "session.execute(select(...))";
        default: return "select()";
    }
}

static FixApplicability query_fix(const FxQuery *q)
{
    if (q->manual) return FIX_MANUAL;
    if (q->across_statements) return FIX_UNSAFE;
    switch (q->terminal) {
        case FX_TERM_ALL:
        case FX_TERM_FIRST:
        case FX_TERM_ONE:
        case FX_TERM_ONE_OR_NONE:
        case FX_TERM_SCALAR:
        case FX_TERM_COUNT:
        case FX_TERM_GET:
        case FX_TERM_UPDATE:
        case FX_TERM_DELETE: return FIX_SAFE;
        default: return FIX_UNSAFE;
    }
}

/* A query consumed twice through a variable is reported once, at its first statement. */
static bool reported_before(const FileFacts *ff, uint32_t i)
{
    for (uint32_t k = 0; k < i; k++)
        if (ff->queries[k].root == ff->queries[i].root) return true;
    return false;
}

static void query_finding(const FileFacts *ff, const FindingSite *site, const FxQuery *q,
                          FindingList *out)
{
    Buf b;
    buf_init(&b);
    chain_text(&b, q);
    const char *qual = facts_qualname(ff, q->loc.func);
    const char *manual = q->manual ? q->manual : NULL;
    Finding *f;
    if (q->terminal == FX_TERM_GET) {
        f = finding_add(out, site, "SA102", q->loc.span, qual,
                        "legacy `Query.get()` in `%s`; use `session.get(%s, ...)`", b.data,
                        q->entity ? q->entity : "Model");
    } else if (q->terminal == FX_TERM_UPDATE || q->terminal == FX_TERM_DELETE) {
        const char *op = q->terminal == FX_TERM_UPDATE ? "update" : "delete";
        f = finding_add(
            out, site, "SA103", q->loc.span, qual,
            "legacy bulk `Query.%s()` in `%s`; use `session.execute(%s(%s).where(...))`", op,
            b.data, op, q->entity ? q->entity : "Model");
    } else if (q->across_statements && q->var) {
        f = finding_add(out, site, "SA101", q->loc.span, qual,
                        "legacy `Query` built across statements in `%s`: `%s`; use `%s`", q->var,
                        b.data, advice(q));
    } else {
        f = finding_add(out, site, "SA101", q->loc.span, qual, "legacy `Query` `%s`; use `%s`",
                        b.data, advice(q));
    }
    f->fix = query_fix(q);
    if (manual) {
        char *m = f->message;
        Buf mb;
        buf_init(&mb);
        buf_printf(&mb, "%s (manual: %s)", m, manual);
        f->message = mb.data;
        free(m);
    }
    buf_free(&b);
}

static bool is_string_literal(const Node *e)
{
    return e && ((e->kind == AST_CONSTANT && e->Constant.value.kind == CONST_STR) ||
                 e->kind == AST_JOINEDSTR);
}

static bool engine_name(const char *recv)
{
    if (!recv) return false;
    const char *last = nm_last(recv);
    size_t n = strlen(last);
    return strcmp(last, "engine") == 0 || (n > 7 && strcmp(last + n - 7, "_engine") == 0);
}

static void sql_finding(const FileFacts *ff, const FindingSite *site, const FxSql *s,
                        FindingList *out)
{
    const char *qual = facts_qualname(ff, s->loc.func);
    const char *recv = s->receiver ? s->receiver : "session";
    Finding *f;
    if (s->kind == FX_SQL_STRING) {
        f = finding_add(out, site, "SA105", s->loc.span, qual,
                        "SQL string passed to `%s.execute()` without `text()`%s", recv,
                        s->is_fstring ? "; the f-string also needs bound parameters" : "");
        const Node *a = s->arg;
        f->fix = a && a->kind == AST_CONSTANT && a->Constant.value.kind == CONST_STR ? FIX_SAFE
                                                                                     : FIX_MANUAL;
    } else if (s->kind == FX_SQL_ENGINE_EXECUTE) {
        if (!s->arg && !engine_name(recv))
            f = finding_add(out, site, "SA104", s->loc.span, qual,
                            "implicit execution `%s.execute()` was removed in SQLAlchemy 2.0; "
                            "execute the statement on a connection or session",
                            recv);
        else if (is_string_literal(s->arg) && !engine_name(recv))
            f = finding_add(out, site, "SA104", s->loc.span, qual,
                            "`%s.execute()` with a plain SQL string was removed in SQLAlchemy 2.0; "
                            "wrap it in `text()`",
                            recv);
        else
            f = finding_add(out, site, "SA104", s->loc.span, qual,
                            "`%s.execute()` (connectionless execution) was removed in SQLAlchemy "
                            "2.0; use `with %s.begin() as conn: conn.execute(...)`",
                            recv, recv);
        f->fix = FIX_MANUAL;
    }
}

static void declarative_findings(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    bool imported = false;
    for (uint32_t i = 0; i < ff->nimports; i++) {
        const FxImport *im = &ff->imports[i];
        if (!im->name || strcmp(im->name, "declarative_base") != 0) continue;
        bool ext = strcmp(im->module, "sqlalchemy.ext.declarative") == 0;
        if (!ext && strcmp(im->module, "sqlalchemy.orm") != 0 &&
            strcmp(im->module, "sqlalchemy.orm.decl_api") != 0)
            continue;
        imported = true;
        finding_add(out, site, "SA106", im->loc.span, facts_qualname(ff, im->loc.func),
                    ext ? "`declarative_base` imported from the deprecated "
                          "`sqlalchemy.ext.declarative`; subclass "
                          "`sqlalchemy.orm.DeclarativeBase`"
                        : "legacy `declarative_base` import; subclass "
                          "`sqlalchemy.orm.DeclarativeBase`");
    }
    for (uint32_t i = 0; i < ff->nbase_assigns && !imported; i++) {
        const FxBaseAssign *b = &ff->base_assigns[i];
        if (b->form != FX_BASE_FUNCTION) continue;
        finding_add(out, site, "SA106", b->loc.span, facts_qualname(ff, b->loc.func),
                    "legacy `declarative_base()` for `%s`; subclass "
                    "`sqlalchemy.orm.DeclarativeBase`",
                    b->name);
    }
}

bool rule_is_query_code(const char *code)
{
    return strcmp(code, "SA101") == 0 || strcmp(code, "SA102") == 0 || strcmp(code, "SA103") == 0;
}

void rule_legacy_api(const FileFacts *ff, const FindingSite *site, FindingList *out)
{
    for (uint32_t i = 0; i < ff->nqueries; i++)
        if (!reported_before(ff, i)) query_finding(ff, site, &ff->queries[i], out);
    for (uint32_t i = 0; i < ff->nsqls; i++)
        sql_finding(ff, site, &ff->sqls[i], out);
    declarative_findings(ff, site, out);
    for (uint32_t i = 0; i < ff->nstmts; i++) {
        const FxStmt *s = &ff->stmts[i];
        if (!s->list_form) continue;
        Finding *f = finding_add(out, site, "SA107", s->loc.span, facts_qualname(ff, s->loc.func),
                                 "`select([...])` list form was removed in SQLAlchemy 2.0; pass "
                                 "the columns positionally");
        f->fix = FIX_SAFE;
    }
}
