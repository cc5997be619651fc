/*
 * suppressions.c - loads the suppressions option's file for the checked
 * program and keeps the counts.  Parsing and matching are suppress.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "detector/core/options.h"
#include "suppressions.h"

static suppress_list rules;
static bool loaded;
static unsigned long nsuppressed;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (n < cap) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int e = errno;
    fclose(f);
    errno = e;
    *len = n;
    return buf;
}

void suppressions_init(void)
{
    if (loaded)
        return;
    loaded = true;
    options_init();
    const char *path = corace_opts.suppressions;
    if (!path || !path[0])
        return;
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text) {
        fflush(stdout);
        fprintf(stderr, "corace: %s: cannot read the suppressions: %s\n", path, strerror(errno));
        exit(1);
    }
    char err[512];
    unsigned line = 0;
    bool ok = suppress_parse(text, len, &rules, &line, err, sizeof err);
    free(text);
    if (!ok) {
        fflush(stdout);
        fprintf(stderr, "corace: %s:%u: %s\n", path, line, err);
        exit(1);
    }
}

bool suppressions_active(void)
{
    suppressions_init();
    return rules.n > 0;
}

suppress_rule *suppressions_match(enum suppress_kind k, const char *const *strs, size_t n)
{
    suppressions_init();
    suppress_rule *r = suppress_match(&rules, k, strs, n);
    if (r)
        nsuppressed++;
    return r;
}

unsigned long suppressions_count(void)
{
    return nsuppressed;
}

void suppressions_print_stats(FILE *f)
{
    if (!rules.n)
        return;
    const char *path = corace_opts.suppressions;
    fprintf(f, "corace: %lu finding(s) suppressed by %s\n", nsuppressed, path);
    for (size_t i = 0; i < rules.n; i++)
        if (rules.rules[i].hits)
            fprintf(f, "corace: suppression %s:%u %s:%s matched %lu finding(s)\n", path, rules.rules[i].line,
                    suppress_kind_name(rules.rules[i].kind), rules.rules[i].glob, rules.rules[i].hits);
    for (size_t i = 0; i < rules.n; i++)
        if (!rules.rules[i].hits)
            fprintf(f, "corace: suppression %s:%u %s:%s matched nothing\n", path, rules.rules[i].line,
                    suppress_kind_name(rules.rules[i].kind), rules.rules[i].glob);
}

void suppressions_reset(void)
{
    suppress_free(&rules);
    loaded = false;
    nsuppressed = 0;
}
