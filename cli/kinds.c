/* kinds.c - parse and print report-kind lists ("race,deadlock"). */
#include "kinds.h"

#include <stdio.h>
#include <string.h>

#include "detector/report/kinds.h"

/* The expect names of detector/report/kinds.inc, as bits in the order the
   samples' table lists them, and "clean". */
static const struct {
    unsigned bit;
    const char *name;
} kind_names[] = {
    {KIND_RACE, "race"},
    {KIND_LEAK, "leak"},
    {KIND_LOCK_ORDER, "lock-order"},
    {KIND_WAIT_CYCLE, "wait-cycle"},
    {KIND_PARTIAL, "partial"},
    {KIND_COPY, "copy"},
    {KIND_DEADLOCK, "deadlock"},
    {KIND_PANIC, "panic"},
    {KIND_CLEAN, "clean"},
};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])

bool kinds_parse(const char *csv, unsigned *out, char *bad, size_t bad_size)
{
    unsigned set = 0;
    const char *p = csv;
    if (bad_size)
        bad[0] = '\0';
    for (;;) {
        size_t n = strcspn(p, ",");
        bool known = false;
        for (size_t i = 0; i < N_KINDS; i++) {
            if (strlen(kind_names[i].name) == n && strncmp(p, kind_names[i].name, n) == 0) {
                set |= kind_names[i].bit;
                known = true;
            }
        }
        if (!known) {
            if (bad_size)
                snprintf(bad, bad_size, "%.*s", (int)n, p);
            return false;
        }
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    *out = set;
    return set != 0;
}

const char *kinds_checker_line(unsigned kind)
{
    for (size_t i = 0; i < N_KINDS; i++) {
        if (kind_names[i].bit != kind)
            continue;
        for (int k = 0; k < FINDING_NKINDS; k++) {
            const finding_info *f = finding_of((enum finding_kind)k);
            if (f->warning && strcmp(f->expect, kind_names[i].name) == 0)
                return f->warning;
        }
    }
    return NULL;
}

void kinds_format(unsigned kinds, char *buf, size_t size)
{
    size_t len = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < N_KINDS; i++) {
        if (!(kinds & kind_names[i].bit))
            continue;
        int n = snprintf(buf + len, size > len ? size - len : 0, "%s%s", len ? "," : "",
                         kind_names[i].name);
        if (n < 0 || (size_t)n >= (size > len ? size - len : 0))
            return;
        len += (size_t)n;
    }
}
