/*
 * suppress.c - the suppression file's parser and matcher (see suppress.h).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"

static const char *const kind_names[SUPPRESS_NKINDS] = {
    [SUPPRESS_RACE] = "race",
    [SUPPRESS_DEADLOCK] = "deadlock",
    [SUPPRESS_LOCK_ORDER] = "lock-order",
    [SUPPRESS_WAIT_CYCLE] = "wait-cycle",
    [SUPPRESS_PARTIAL] = "partial",
    [SUPPRESS_LEAK] = "leak",
    [SUPPRESS_COPY] = "copy",
};

const char *suppress_kind_name(enum suppress_kind k)
{
    return (unsigned)k < SUPPRESS_NKINDS ? kind_names[k] : "?";
}

bool suppress_kind_covers(enum suppress_kind rule, enum suppress_kind finding)
{
    if (rule == finding)
        return true;
    return rule == SUPPRESS_DEADLOCK &&
           (finding == SUPPRESS_LOCK_ORDER || finding == SUPPRESS_WAIT_CYCLE || finding == SUPPRESS_PARTIAL);
}

void suppress_free(suppress_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->rules[i].glob);
    free(l->rules);
    l->rules = NULL;
    l->n = 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* One line, without its newline: true with *rule filled (glob NULL for a
   blank or comment line), or false with the message in err. */
static bool parse_line(const char *s, size_t n, suppress_rule *rule, char *err, size_t errlen)
{
    rule->glob = NULL;
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    if (n == 0 || s[0] == '#')
        return true;
    if (memchr(s, '\0', n)) {
        snprintf(err, errlen, "a NUL byte in the line");
        return false;
    }
    const char *colon = memchr(s, ':', n);
    if (!colon) {
        snprintf(err, errlen, "want KIND:PATTERN (e.g. race:my_func), not '%.*s'", n > 200 ? 200 : (int)n, s);
        return false;
    }
    size_t klen = (size_t)(colon - s);
    while (klen && is_blank(s[klen - 1]))
        klen--;
    int kind = -1;
    for (int k = 0; k < SUPPRESS_NKINDS; k++)
        if (strlen(kind_names[k]) == klen && memcmp(kind_names[k], s, klen) == 0)
            kind = k;
    if (kind < 0) {
        snprintf(err, errlen,
                 "unknown kind '%.*s' (want race, deadlock, lock-order, wait-cycle, partial, leak or copy)",
                 klen > 64 ? 64 : (int)klen, s);
        return false;
    }
    const char *g = colon + 1;
    size_t glen = n - (size_t)(g - s);
    while (glen && is_blank(*g))
        g++, glen--;
    if (glen == 0) {
        snprintf(err, errlen, "'%s:' needs a pattern", kind_names[kind]);
        return false;
    }
    char *glob = malloc(glen + 1);
    if (!glob) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    memcpy(glob, g, glen);
    glob[glen] = '\0';
    rule->kind = (enum suppress_kind)kind;
    rule->glob = glob;
    rule->hits = 0;
    return true;
}

bool suppress_parse(const char *text, size_t len, suppress_list *out, unsigned *err_line, char *err,
                    size_t errlen)
{
    suppress_free(out);
    if (err_line)
        *err_line = 0;
    if (errlen)
        err[0] = '\0';
    size_t cap = 0;
    unsigned line = 0;
    size_t pos = 0;
    while (pos < len) {
        line++;
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        suppress_rule r;
        if (!parse_line(s, n, &r, err, errlen))
            goto fail;
        if (!r.glob)
            continue;
        r.line = line;
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            suppress_rule *nr = realloc(out->rules, ncap * sizeof *nr);
            if (!nr) {
                free(r.glob);
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            out->rules = nr;
            cap = ncap;
        }
        out->rules[out->n++] = r;
    }
    return true;
fail:
    if (err_line)
        *err_line = line;
    suppress_free(out);
    return false;
}

suppress_rule *suppress_match(suppress_list *l, enum suppress_kind k, const char *const *strs, size_t n)
{
    for (size_t i = 0; i < l->n; i++) {
        suppress_rule *r = &l->rules[i];
        if (!suppress_kind_covers(r->kind, k))
            continue;
        for (size_t j = 0; j < n; j++) {
            if (strs[j] && fnmatch(r->glob, strs[j], 0) == 0) {
                r->hits++;
                return r;
            }
        }
    }
    return NULL;
}
