/*
 * fuzz_options.c - libFuzzer target for the CORACE_OPTIONS parser,
 * options_parse (detector/core/options.c).
 *
 * Besides the sanitizers' findings it checks two properties:
 *  - a failed parse leaves a one-line message in err;
 *  - a string that parses reads back: the options in effect, printed with
 *    options_print_values, parse again to the very same options.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector/core/options.h"

static char *print_values(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        abort();
    options_print_values(m);
    if (fclose(m) != 0)
        abort();
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    /* A short buffer as well as a roomy one: messages are cut, not overrun. */
    char err[256], small[8];
    options_reset();
    bool ok = options_parse(s, err, sizeof err);
    if (!ok && (err[0] == '\0' || strchr(err, '\n') != NULL)) {
        fprintf(stderr, "options_parse failed without a one-line message: '%s'\n", err);
        abort();
    }
    options_reset();
    if (options_parse(s, small, sizeof small) != ok) {
        fprintf(stderr, "options_parse depends on the size of its message buffer\n");
        abort();
    }

    if (ok) {
        char *first = print_values();
        options_reset();
        if (!options_parse(first, err, sizeof err)) {
            fprintf(stderr, "printed options do not parse: '%s': %s\n", first, err);
            abort();
        }
        char *second = print_values();
        if (strcmp(first, second) != 0) {
            fprintf(stderr, "printed options read back differently:\n  %s\n  %s\n", first, second);
            abort();
        }
        free(second);
        free(first);
    }
    options_reset();
    free(s);
    return 0;
}
