/*
 * fuzz_suppress.c - libFuzzer target for the suppression-file parser,
 * suppress_parse (detector/report/suppress.c).
 *
 * Besides the sanitizers' findings it checks what suppress.h promises: a
 * failed parse leaves the list empty, a message and a line within the text;
 * a parsed list has globs that are strings and rules in line order, and
 * matching each rule's own glob against itself (as a literal name) never
 * crashes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector/report/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    suppress_list l = { 0 };
    unsigned line = 0;
    char err[256];
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';

    if (!suppress_parse((const char *)data, size, &l, &line, err, sizeof err)) {
        if (l.n != 0 || l.rules != NULL || err[0] == '\0' || line < 1 || line > lines) {
            fprintf(stderr, "suppress_parse failed badly: n=%zu line=%u/%zu err='%s'\n", l.n,
                    line, lines, err);
            abort();
        }
        return 0;
    }
    for (size_t i = 0; i < l.n; i++) {
        const suppress_rule *r = &l.rules[i];
        if (r->kind >= SUPPRESS_NKINDS || r->glob == NULL || r->line < 1 || r->line > lines ||
            (i > 0 && r->line <= l.rules[i - 1].line) || suppress_kind_name(r->kind) == NULL) {
            fprintf(stderr, "suppress_parse gave a bad rule %zu (line %u of %zu)\n", i, r->line,
                    lines);
            abort();
        }
    }
    for (size_t i = 0; i < l.n; i++) {
        const char *strs[2] = { l.rules[i].glob, NULL };
        for (int k = 0; k < SUPPRESS_NKINDS; k++)
            (void)suppress_match(&l, (enum suppress_kind)k, strs, 2);
    }
    suppress_free(&l);
    if (l.n != 0 || l.rules != NULL)
        abort();
    return 0;
}
