#include "names.h"

#include <string.h>

#include "../base/buf.h"

/* ---- dotted names -------------------------------------------------------------------------- */

static const char *finish(Buf *b, Arena *a)
{
    const char *s = arena_strndup(a, b->data ? b->data : "", b->len);
    buf_free(b);
    return s;
}

/* The length of e as a dotted name, or -1 when it is not one. */
static long dotted_len(const Node *e)
{
    long n = 0;
    for (; e->kind == AST_ATTRIBUTE; e = e->Attribute.value)
        n += 1 + (long)strlen(e->Attribute.attr);
    return e->kind == AST_NAME ? n + (long)strlen(e->Name.id) : -1;
}

/* Writes e, a dotted name of length n, into s[0..n), right to left. */
static void write_dotted(char *s, size_t n, const Node *e)
{
    for (; e->kind == AST_ATTRIBUTE; e = e->Attribute.value) {
        size_t k = strlen(e->Attribute.attr);
        n -= k;
        memcpy(s + n, e->Attribute.attr, k);
        s[--n] = '.';
    }
    memcpy(s, e->Name.id, n);
}

const char *nm_dotted(const Node *e, Arena *a)
{
    if (!e) return NULL;
    if (e->kind == AST_NAME) return e->Name.id;
    long n = dotted_len(e);
    if (n < 0) return NULL;
    char *s = arena_alloc(a, (size_t)n + 1); /* zeroed: NUL-terminated */
    write_dotted(s, (size_t)n, e);
    return s;
}

const char *nm_callee_dotted(const Node *e, Arena *a)
{
    if (e && e->kind == AST_CALL) e = e->Call.func;
    return nm_dotted(e, a);
}

/* ---- annotations --------------------------------------------------------------------------- */

static void put_ann(Buf *b, const Node *e);

static void put_list(Buf *b, const NodeList *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        if (i) buf_puts(b, ", ");
        if (l->items[i]) put_ann(b, l->items[i]);
    }
}

static void put_const(Buf *b, const Node *e)
{
    const Const *c = &e->Constant.value;
    switch ((ConstKind)c->kind) {
        case CONST_NONE: buf_puts(b, "None"); break;
        case CONST_TRUE: buf_puts(b, "True"); break;
        case CONST_FALSE: buf_puts(b, "False"); break;
        case CONST_ELLIPSIS: buf_puts(b, "..."); break;
        case CONST_STR: /* a string annotation, inlined */
        case CONST_INT: buf_put(b, c->text, c->len); break;
        default: buf_puts(b, "?"); break;
    }
}

static void put_ann(Buf *b, const Node *e)
{
    switch ((AstKind)e->kind) {
        case AST_NAME: buf_puts(b, e->Name.id); break;
        case AST_ATTRIBUTE:
            put_ann(b, e->Attribute.value);
            buf_putc(b, '.');
            buf_puts(b, e->Attribute.attr);
            break;
        case AST_CONSTANT: put_const(b, e); break;
        case AST_SUBSCRIPT:
            put_ann(b, e->Subscript.value);
            buf_putc(b, '[');
            put_ann(b, e->Subscript.slice);
            buf_putc(b, ']');
            break;
        case AST_TUPLE: put_list(b, &e->Tuple.elts); break;
        case AST_LIST:
            buf_putc(b, '[');
            put_list(b, &e->List.elts);
            buf_putc(b, ']');
            break;
        case AST_BINOP:
            put_ann(b, e->BinOp.left);
            buf_puts(b, e->BinOp.op == BINOP_BITOR ? " | " : " ? ");
            put_ann(b, e->BinOp.right);
            break;
        default: buf_puts(b, "?"); break;
    }
}

const char *nm_annotation(const Node *e, Arena *a)
{
    if (!e) return NULL;
    Buf b;
    buf_init(&b);
    put_ann(&b, e);
    return finish(&b, a);
}

static bool is_dotted_text(const char *s, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
        if (!ok) return false;
    }
    return s[0] != '.' && s[n - 1] != '.';
}

/* Trims spaces and one level of matching quotes from [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    for (;;) {
        while (*n && (**s == ' ' || **s == '\t'))
            (*s)++, (*n)--;
        while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
            (*n)--;
        if (*n >= 2 && (**s == '"' || **s == '\'') && (*s)[*n - 1] == **s) {
            (*s)++;
            *n -= 2;
            continue;
        }
        return;
    }
}

/* Splits [s, s+n) at top-level occurrences of sep (outside brackets); returns part count and
 * fills at most max parts. */
static int split_top(const char *s, size_t n, char sep, const char **part, size_t *plen, int max)
{
    int depth = 0, k = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? s[i] : sep;
        if (c == '[' || c == '(')
            depth++;
        else if (c == ']' || c == ')')
            depth--;
        if (c != sep || depth != 0) continue;
        if (k < max) {
            part[k] = s + start;
            plen[k] = i - start;
        }
        k++;
        start = i + 1;
    }
    return k;
}

/* If [s, s+n) is `Wrapper[inner]` with Wrapper's last component one of names, sets the
 * inner slice. */
static bool unwrap(const char *s, size_t n, const char *const *names, const char **in, size_t *inn)
{
    const char *lb = memchr(s, '[', n);
    if (!lb || s[n - 1] != ']') return false;
    size_t hn = (size_t)(lb - s);
    const char *h = s;
    for (size_t i = 0; i < hn; i++)
        if (s[i] == '.') h = s + i + 1;
    size_t hl = (size_t)(lb - h);
    for (int i = 0; names[i]; i++) {
        if (strlen(names[i]) == hl && memcmp(h, names[i], hl) == 0) {
            *in = lb + 1;
            *inn = n - hn - 2;
            return true;
        }
    }
    return false;
}

static bool is_none(const char *s, size_t n)
{
    trim(&s, &n);
    return n == 4 && memcmp(s, "None", 4) == 0;
}

/* Drops None members of a top-level union; returns false if more than one other member. */
static bool drop_none(const char **s, size_t *n, char sep, bool *nullable)
{
    const char *part[8];
    size_t plen[8];
    int k = split_top(*s, *n, sep, part, plen, 8);
    if (k < 2) return true;
    if (k > 8) return false;
    int keep = -1;
    for (int i = 0; i < k; i++) {
        if (is_none(part[i], plen[i])) {
            *nullable = true;
        } else if (keep >= 0) {
            return false;
        } else {
            keep = i;
        }
    }
    if (keep < 0) return false;
    *s = part[keep];
    *n = plen[keep];
    return true;
}

const char *nm_core_type(const char *ann, Arena *a, bool *nullable)
{
    static const char *const opt[] = {"Optional", NULL};
    static const char *const uni[] = {"Union", NULL};
    static const char *const annot[] = {"Annotated", "Mapped", NULL};
    bool dummy = false;
    if (!nullable) nullable = &dummy;
    if (!ann) return NULL;
    const char *s = ann;
    size_t n = strlen(ann);
    for (int guard = 0; guard < 8; guard++) {
        trim(&s, &n);
        if (n == 0) return NULL;
        const char *in;
        size_t inn;
        if (unwrap(s, n, opt, &in, &inn)) {
            *nullable = true;
            s = in, n = inn;
        } else if (unwrap(s, n, uni, &in, &inn)) {
            s = in, n = inn;
            if (!drop_none(&s, &n, ',', nullable)) return NULL;
        } else if (unwrap(s, n, annot, &in, &inn)) {
            const char *part[1];
            size_t plen[1];
            split_top(in, inn, ',', part, plen, 1);
            s = part[0], n = plen[0];
        } else if (split_top(s, n, '|', (const char *[1]){0}, (size_t[1]){0}, 1) > 1) {
            if (!drop_none(&s, &n, '|', nullable)) return NULL;
        } else {
            break;
        }
    }
    trim(&s, &n);
    return is_dotted_text(s, n) ? arena_strndup(a, s, n) : NULL;
}

const char *nm_yield_type(const char *ann, Arena *a)
{
    static const char *const gens[] = {"Iterator",
                                       "Generator",
                                       "AsyncIterator",
                                       "AsyncGenerator",
                                       "ContextManager",
                                       "AbstractContextManager",
                                       "Iterable",
                                       "AsyncContextManager",
                                       "AbstractAsyncContextManager",
                                       NULL};
    if (!ann) return NULL;
    const char *s = ann, *in;
    size_t n = strlen(ann), inn;
    trim(&s, &n);
    if (n == 0 || !unwrap(s, n, gens, &in, &inn)) return nm_core_type(ann, a, NULL);
    const char *part[1];
    size_t plen[1];
    split_top(in, inn, ',', part, plen, 1);
    return nm_core_type(arena_strndup(a, part[0], plen[0]), a, NULL);
}

/* ---- text ---------------------------------------------------------------------------------- */

const char *nm_text(const Source *src, Span s, Arena *a)
{
    if (s.end > src->len || s.start > s.end) return "";
    return arena_strndup(a, src->text + s.start, s.end - s.start);
}

const char *nm_str(const Node *e, Arena *a)
{
    if (!e || e->kind != AST_CONSTANT || e->Constant.value.kind != CONST_STR) return NULL;
    return arena_strndup(a, e->Constant.value.text, e->Constant.value.len);
}

const char *nm_last(const char *d)
{
    const char *dot = strrchr(d, '.');
    return dot ? dot + 1 : d;
}

const char *nm_first(const char *d, Arena *a)
{
    const char *dot = strchr(d, '.');
    return dot ? arena_strndup(a, d, (size_t)(dot - d)) : d;
}

const char *nm_join(const char *x, const char *y, Arena *a)
{
    size_t nx = strlen(x), ny = strlen(y);
    char *s = arena_alloc(a, nx + ny + 2);
    memcpy(s, x, nx + 1);
    s[nx] = '.';
    memcpy(s + nx + 1, y, ny + 1);
    return s;
}

/* ---- resolution ---------------------------------------------------------------------------- */

const char *nm_resolve(const FxImport *imports, uint32_t n, const char *dotted, Arena *a)
{
    if (!dotted) return NULL;
    const char *dot = strchr(dotted, '.');
    size_t flen = dot ? (size_t)(dot - dotted) : strlen(dotted);
    for (uint32_t i = n; i-- > 0;) {
        const char *b = imports[i].bound;
        if (b[0] != dotted[0] || strncmp(b, dotted, flen) != 0 || b[flen] != '\0') continue;
        return dot ? nm_join(imports[i].target, dot + 1, a) : imports[i].target;
    }
    return NULL;
}

bool nm_is_sa(const char *resolved, const char *name)
{
    if (!resolved || resolved[0] != 's') return false; /* most names: one comparison */
    bool sa = strncmp(resolved, "sqlalchemy.", 11) == 0 || strncmp(resolved, "sqlmodel.", 9) == 0;
    return sa && strcmp(nm_last(resolved), name) == 0;
}

bool nm_in_set(const char *s, const char *const *set)
{
    for (int i = 0; s && set[i]; i++)
        if (s[0] == set[i][0] && strcmp(s, set[i]) == 0) return true;
    return false;
}

bool nm_is(const char *resolved, const char *module, const char *name)
{
    if (!resolved || resolved[0] != module[0]) return false;
    size_t m = strlen(module);
    return strncmp(resolved, module, m) == 0 && resolved[m] == '.' &&
           strcmp(resolved + m + 1, name) == 0;
}

const char *nm_absolute(const char *module, bool is_package, uint32_t level, const char *rest,
                        Arena *a)
{
    size_t n = strlen(module);
    uint32_t up = is_package ? level - 1 : level;
    for (uint32_t i = 0; i < up; i++) {
        while (n > 0 && module[n - 1] != '.')
            n--;
        if (n == 0) return NULL;
        n--; /* the dot */
    }
    const char *base = arena_strndup(a, module, n);
    if (!rest || !*rest) return base;
    return n ? nm_join(base, rest, a) : rest;
}
