#include "cmd_rule.h"

#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../rules/rules.h"

/* Prints text indented by four spaces, line by line. */
static void indented(Buf *b, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        buf_puts(b, "    ");
        buf_put(b, p, n);
        buf_putc(b, '\n');
        p += n + (nl != NULL);
    }
}

/* Wraps a paragraph at 80 columns. */
static void wrapped(Buf *b, const char *text)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        if (col && col + 1 + n > 80) {
            buf_putc(b, '\n');
            col = 0;
        } else if (col) {
            buf_putc(b, ' ');
            col++;
        }
        buf_put(b, p, n);
        col += n;
        p += n + (sp != NULL);
    }
    buf_putc(b, '\n');
}

static void print_rule(Buf *b, const RuleInfo *r)
{
    buf_printf(b, "%s (%s): %s\n\n", r->code, r->name, r->summary);
    wrapped(b, r->explanation);
    buf_printf(b, "\nfix: %s%s\n", finding_fix_name(r->fix),
               r->needs_graph ? " (found by the whole-program analysis)" : "");
    buf_printf(b, "docs: %s\n\nexample:\n", r->url);
    indented(b, r->example);
    buf_puts(b, "\nfixed:\n");
    indented(b, r->fixed);
}

static void list_rules(Buf *b)
{
    uint32_t n;
    const RuleInfo *t = rule_table(&n);
    for (uint32_t i = 0; i < n; i++)
        buf_printf(b, "%s  %-7s %-30s %s\n", t[i].code, finding_fix_name(t[i].fix), t[i].name,
                   t[i].summary);
}

int cmd_rule(int argc, char **argv)
{
    if (argc != 1) {
        fputs("usage: sqlasync rule CODE | --all\n", stderr);
        return 2;
    }
    Buf b;
    buf_init(&b);
    int rc = 0;
    if (strcmp(argv[0], "--all") == 0) {
        list_rules(&b);
    } else {
        const RuleInfo *r = rule_find(argv[0]);
        if (r) {
            print_rule(&b, r);
        } else {
            fprintf(stderr, "sqlasync rule: unknown rule '%s' (see `sqlasync rule --all`)\n",
                    argv[0]);
            rc = 2;
        }
    }
    fwrite(b.data ? b.data : "", 1, b.len, stdout);
    buf_free(&b);
    return rc;
}
