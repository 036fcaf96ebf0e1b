/* imports: spelling of the sqlalchemy names rewritten code uses, and the edits importing them. */
#include "imports.h"

#include <stdio.h>
#include <string.h>

static const char *const name_texts[IM__COUNT] = {"delete", "func", "select", "text", "update"};

const char *im_name_text(ImName name)
{
    return name_texts[name];
}

/* Modules that export a name (as `from M import name`). */
static bool exports(const char *module, ImName name)
{
    if (!module) return false;
    if (strcmp(module, "sqlalchemy") == 0 || strcmp(module, "sqlalchemy.sql") == 0 ||
        strcmp(module, "sqlalchemy.sql.expression") == 0)
        return true;
    if (name == IM_SELECT && strcmp(module, "sqlalchemy.future") == 0) return true;
    return name == IM_FUNC && strcmp(module, "sqlalchemy.sql.functions") == 0;
}

/* ---- bindings -------------------------------------------------------------------------------- */

typedef struct BindWalk {
    const char *name;
    const ImportPlan *skip; /* top-level sqlalchemy imports are not conflicts, or NULL */
    bool found;
} BindWalk;

static bool alias_binds(const Node *al, const char *name)
{
    if (al->alias.asname) return strcmp(al->alias.asname, name) == 0;
    const char *dot = strchr(al->alias.name, '.');
    size_t n = dot ? (size_t)(dot - al->alias.name) : strlen(al->alias.name);
    return strlen(name) == n && strncmp(al->alias.name, name, n) == 0;
}

static bool idents_have(const IdentList *l, const char *name)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], name) == 0) return true;
    return false;
}

static bool is_sa_import(const BindWalk *w, const Node *n)
{
    if (!w->skip || n->kind != AST_IMPORTFROM || n->ImportFrom.level != 0) return false;
    for (int k = 0; k < IM__COUNT; k++)
        if (exports(n->ImportFrom.module, (ImName)k)) return true;
    return false;
}

static bool is_sa_module_import(const BindWalk *w, const Node *al)
{
    return w->skip && (strcmp(al->alias.name, "sqlalchemy") == 0 ||
                       strncmp(al->alias.name, "sqlalchemy.", 11) == 0);
}

static void visit_bind(Node *n, void *ud);

static bool visit_leaf(BindWalk *w, const Node *n)
{
    const char *id = NULL;
    switch (n->kind) {
        case AST_NAME: id = n->Name.ctx != CTX_LOAD ? n->Name.id : NULL; break;
        case AST_ARG: id = n->arg.arg; break;
        case AST_EXCEPTHANDLER: id = n->ExceptHandler.name; break;
        case AST_MATCHAS: id = n->MatchAs.name; break;
        case AST_MATCHSTAR: id = n->MatchStar.name; break;
        case AST_MATCHMAPPING: id = n->MatchMapping.rest; break;
        case AST_GLOBAL: w->found |= idents_have(&n->Global.names, w->name); return false;
        case AST_NONLOCAL: w->found |= idents_have(&n->Nonlocal.names, w->name); return false;
        case AST_ALIAS:
            w->found |= !is_sa_module_import(w, n) && alias_binds(n, w->name);
            return true;
        default: return false;
    }
    if (id && strcmp(id, w->name) == 0) w->found = true;
    return false;
}

static void visit_bind(Node *n, void *ud)
{
    BindWalk *w = ud;
    if (w->found) return;
    switch (n->kind) {
        case AST_FUNCTIONDEF: w->found = strcmp(n->FunctionDef.name, w->name) == 0; return;
        case AST_ASYNCFUNCTIONDEF:
            w->found = strcmp(n->AsyncFunctionDef.name, w->name) == 0;
            return;
        case AST_CLASSDEF: w->found = strcmp(n->ClassDef.name, w->name) == 0; return;
        case AST_LAMBDA: return;
        case AST_IMPORTFROM:
            if (is_sa_import(w, n)) return;
            break;
        default: break;
    }
    if (visit_leaf(w, n)) return;
    ast_children(n, visit_bind, w);
}

static bool list_binds(const NodeList *body, const char *name, const ImportPlan *skip)
{
    BindWalk w = {name, skip, false};
    for (uint32_t i = 0; i < body->n && !w.found; i++)
        if (body->items[i]) visit_bind(body->items[i], &w);
    return w.found;
}

bool im_binds(const Node *def, const char *name)
{
    if (def->kind != AST_FUNCTIONDEF && def->kind != AST_ASYNCFUNCTIONDEF) return false;
    const Node *args =
        def->kind == AST_FUNCTIONDEF ? def->FunctionDef.args : def->AsyncFunctionDef.args;
    BindWalk w = {name, NULL, false};
    ast_children(args, visit_bind, &w);
    if (w.found) return true;
    const NodeList *body =
        def->kind == AST_FUNCTIONDEF ? &def->FunctionDef.body : &def->AsyncFunctionDef.body;
    return list_binds(body, name, NULL);
}

/* Bound at module level by anything but a top-level import from sqlalchemy. The module does
 * not change while a file is converted, so each name's answer is kept (a walk of the module
 * per chain made conversion quadratic). */
static bool module_binds(ImportPlan *ip, const char *name)
{
    uint32_t cap = sizeof ip->bound / sizeof ip->bound[0];
    for (uint32_t i = 0; i < ip->nbound; i++)
        if (strcmp(ip->bound[i], name) == 0) return ip->is_bound[i];
    bool found = list_binds(&ip->module->Module.body, name, ip);
    if (ip->nbound < cap) {
        ip->bound[ip->nbound] = name;
        ip->is_bound[ip->nbound++] = found;
    }
    return found;
}

static bool scopes_bind(const Node *const *scopes, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (scopes[i] && im_binds(scopes[i], name)) return true;
    return false;
}

/* ---- reading the module ---------------------------------------------------------------------- */

static void read_from(ImportPlan *ip, const Node *st)
{
    const char *mod = st->ImportFrom.module;
    if (st->ImportFrom.level != 0 || !mod) return;
    for (uint32_t i = 0; strcmp(mod, "sqlalchemy.ext.asyncio") == 0 && i < st->ImportFrom.names.n;
         i++) {
        const Node *al = st->ImportFrom.names.items[i];
        if (!ip->async_attrs && strcmp(al->alias.name, "AsyncAttrs") == 0)
            ip->async_attrs = al->alias.asname ? al->alias.asname : al->alias.name;
    }
    bool plain = strcmp(mod, "sqlalchemy") == 0;
    for (uint32_t i = 0; i < st->ImportFrom.names.n; i++) {
        const Node *al = st->ImportFrom.names.items[i];
        if (strcmp(al->alias.name, "*") == 0) {
            ip->star |= plain;
            continue;
        }
        for (int k = 0; k < IM__COUNT; k++)
            if (!ip->existing[k] && strcmp(al->alias.name, name_texts[k]) == 0 &&
                exports(mod, (ImName)k))
                ip->existing[k] = al->alias.asname ? al->alias.asname : al->alias.name;
    }
    if (plain && !ip->from_stmt && !ip->star) ip->from_stmt = st;
}

static void read_import(ImportPlan *ip, const Node *st)
{
    for (uint32_t i = 0; i < st->Import.names.n && !ip->sa_alias; i++) {
        const Node *al = st->Import.names.items[i];
        if (al->alias.asname && strcmp(al->alias.name, "sqlalchemy") == 0)
            ip->sa_alias = al->alias.asname;
        else if (!al->alias.asname && (strcmp(al->alias.name, "sqlalchemy") == 0 ||
                                       strncmp(al->alias.name, "sqlalchemy.", 11) == 0))
            ip->sa_alias = "sqlalchemy";
    }
}

void im_init(ImportPlan *ip, const Node *module, const Source *src, const TokenArray *toks,
             Arena *a)
{
    memset(ip, 0, sizeof *ip);
    ip->module = module;
    ip->src = src;
    ip->toks = toks;
    ip->a = a;
    const NodeList *body = &module->Module.body;
    for (uint32_t i = 0; i < body->n; i++) {
        const Node *st = body->items[i];
        if (st->kind == AST_IMPORTFROM)
            read_from(ip, st);
        else if (st->kind == AST_IMPORT)
            read_import(ip, st);
    }
}

void im_require(ImportPlan *ip, ImName name)
{
    ip->add[name] = true;
}

const char *im_spell_async_attrs(ImportPlan *ip, bool *needs)
{
    *needs = false;
    if (ip->async_attrs) return ip->async_attrs;
    if (module_binds(ip, "AsyncAttrs")) return NULL;
    *needs = true;
    return "AsyncAttrs";
}

void im_require_async_attrs(ImportPlan *ip)
{
    ip->add_async_attrs = true;
}

const char *im_spell(ImportPlan *ip, ImName name, const Node *const *scopes, uint32_t nscopes,
                     bool *needs)
{
    *needs = false;
    const char *text = name_texts[name];
    const char *have = ip->existing[name];
    if (have && !module_binds(ip, have) && !scopes_bind(scopes, nscopes, have)) return have;
    bool free_here = !module_binds(ip, text) && !scopes_bind(scopes, nscopes, text);
    if (free_here && (ip->star || !have || strcmp(have, text) != 0)) {
        *needs = !ip->star;
        return text;
    }
    const char *sa = ip->sa_alias;
    if (sa && !module_binds(ip, sa) && !scopes_bind(scopes, nscopes, sa)) {
        size_t n = strlen(sa) + strlen(text) + 2;
        char *s = arena_alloc(ip->a, n);
        snprintf(s, n, "%s.%s", sa, text);
        return s;
    }
    return NULL;
}

/* ---- edits ----------------------------------------------------------------------------------- */

static const char *joined(ImportPlan *ip, const char *sep, const char *before, const char *after)
{
    Buf b;
    buf_init(&b);
    for (int k = 0; k < IM__COUNT; k++) {
        if (!ip->add[k]) continue;
        buf_puts(&b, b.len ? sep : before);
        buf_puts(&b, name_texts[k]);
    }
    buf_puts(&b, after);
    const char *s = arena_strndup(ip->a, b.data, b.len);
    buf_free(&b);
    return s;
}

static uint32_t line_start(const char *text, uint32_t off)
{
    while (off > 0 && text[off - 1] != '\n' && text[off - 1] != '\r')
        off--;
    return off;
}

static uint32_t line_end(const Source *src, uint32_t off)
{
    while (off < src->len && src->text[off] != '\n' && src->text[off] != '\r')
        off++;
    return off;
}

static bool only_space(const char *text, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\f') return false;
    return true;
}

/* One alias per line inside parentheses: append lines with the same indentation. */
static void add_lines(ImportPlan *ip, EditList *l, uint32_t after, bool comma, Span indent)
{
    const char *text = ip->src->text;
    const char *eol = rw_eol_at(text, ip->src->len, after);
    char *pre = arena_alloc(ip->a, strlen(eol) + indent.end - indent.start + 1);
    sprintf(pre, "%s%.*s", eol, (int)(indent.end - indent.start), text + indent.start);
    char *sep = arena_alloc(ip->a, strlen(pre) + 2);
    sprintf(sep, ",%s", pre);
    if (!comma) rw_insert(l, after, ",");
    uint32_t end = line_end(ip->src, after);
    rw_insert(l, end, joined(ip, sep, pre, comma ? "," : ""));
}

static void extend_from(ImportPlan *ip, EditList *l)
{
    const NodeList *names = &ip->from_stmt->ImportFrom.names;
    const Node *last = names->items[names->n - 1];
    const Token *t = ip->toks->items;
    uint32_t ti = rw_tok_from(ip->toks, last->span.end);
    bool comma = ti < ip->toks->n && t[ti].kind == TK_COMMA;
    uint32_t after = comma ? t[ti].span.end : last->span.end;
    uint32_t fi = rw_tok_from(ip->toks, names->items[0]->span.start);
    bool paren = fi > 0 && t[fi - 1].kind == TK_LPAR;
    uint32_t ls = line_start(ip->src->text, last->span.start);
    uint32_t next = rw_tok_from(ip->toks, after);
    bool closes_here = next < ip->toks->n && t[next].kind == TK_RPAR &&
                       only_space(ip->src->text, after, t[next].span.start);
    if (paren && !closes_here && ls > ip->from_stmt->span.start &&
        only_space(ip->src->text, ls, last->span.start)) {
        add_lines(ip, l, after, comma, (Span){ls, last->span.start});
        return;
    }
    if (comma)
        rw_insert(l, after, joined(ip, ", ", " ", ","));
    else
        rw_insert(l, after, joined(ip, ", ", ", ", ""));
}

/* Offset where a statement's logical line ends (after its NEWLINE), and whether that NEWLINE
 * is the empty one at the end of the text. */
static uint32_t after_newline(const ImportPlan *ip, uint32_t from, bool *at_eof)
{
    for (uint32_t i = rw_tok_from(ip->toks, from); i < ip->toks->n; i++) {
        const Token *t = &ip->toks->items[i];
        if (t->kind == TK_NEWLINE) {
            *at_eof = t->span.start == t->span.end;
            return t->span.end;
        }
    }
    *at_eof = true;
    return ip->src->len;
}

static uint32_t stmt_first_line(const ImportPlan *ip, const Node *st)
{
    uint32_t start = st->span.start;
    const NodeList *decos = NULL;
    if (st->kind == AST_FUNCTIONDEF)
        decos = &st->FunctionDef.decorator_list;
    else if (st->kind == AST_ASYNCFUNCTIONDEF)
        decos = &st->AsyncFunctionDef.decorator_list;
    else if (st->kind == AST_CLASSDEF)
        decos = &st->ClassDef.decorator_list;
    if (decos && decos->n && decos->items[0]->span.start < start)
        start = decos->items[0]->span.start;
    uint32_t ls = line_start(ip->src->text, start);
    return only_space(ip->src->text, ls, start) ? ls : start;
}

static bool is_docstring(const Node *st)
{
    return st->kind == AST_EXPR && st->Expr.value->kind == AST_CONSTANT &&
           st->Expr.value->Constant.value.kind == CONST_STR;
}

/* `import sqlalchemy...` / `from sqlalchemy... import`: new imports go next to these. */
static bool is_sa_stmt(const Node *st)
{
    if (st->kind == AST_IMPORTFROM)
        return st->ImportFrom.level == 0 && st->ImportFrom.module &&
               (strcmp(st->ImportFrom.module, "sqlalchemy") == 0 ||
                strncmp(st->ImportFrom.module, "sqlalchemy.", 11) == 0);
    if (st->kind != AST_IMPORT) return false;
    for (uint32_t i = 0; i < st->Import.names.n; i++) {
        const char *m = st->Import.names.items[i]->alias.name;
        if (strcmp(m, "sqlalchemy") == 0 || strncmp(m, "sqlalchemy.", 11) == 0) return true;
    }
    return false;
}

/* Inserts the import statement stmt on a line of its own: after the last top-level sqlalchemy
 * import before first_use (else the last import, else a leading docstring), else at the top. */
static void add_line(ImportPlan *ip, EditList *l, uint32_t first_use, const char *stmt)
{
    const NodeList *body = &ip->module->Module.body;
    const Node *anchor = NULL, *sa_anchor = NULL;
    for (uint32_t i = 0; i < body->n; i++) {
        const Node *st = body->items[i];
        if (st->span.start >= first_use) break;
        if (is_sa_stmt(st)) sa_anchor = st;
        if (st->kind == AST_IMPORT || st->kind == AST_IMPORTFROM || (i == 0 && is_docstring(st)))
            anchor = st;
    }
    if (sa_anchor) anchor = sa_anchor;
    const char *text = ip->src->text;
    if (!anchor) {
        uint32_t at = body->n ? stmt_first_line(ip, body->items[0]) : ip->src->len;
        if (at == 0 && ip->src->len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) at = 3;
        rw_insert(l, at, arena_strcat(ip->a, stmt, rw_eol_at(text, ip->src->len, at)));
        return;
    }
    bool at_eof;
    uint32_t at = after_newline(ip, anchor->span.end, &at_eof);
    const char *eol = rw_eol_at(text, ip->src->len, anchor->span.start);
    rw_insert(l, at, at_eof ? arena_strcat(ip->a, eol, stmt) : arena_strcat(ip->a, stmt, eol));
}

void im_edits(ImportPlan *ip, EditList *l, uint32_t first_use)
{
    bool any = false;
    for (int k = 0; k < IM__COUNT; k++)
        any |= ip->add[k];
    if (any && ip->from_stmt && ip->from_stmt->ImportFrom.names.n > 0)
        extend_from(ip, l);
    else if (any)
        add_line(ip, l, first_use, joined(ip, ", ", "from sqlalchemy import ", ""));
    if (ip->add_async_attrs)
        add_line(ip, l, first_use, "from sqlalchemy.ext.asyncio import AsyncAttrs");
}
