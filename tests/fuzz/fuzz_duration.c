/*
 * fuzz_duration.c - libFuzzer target for the Go-style duration parser of
 * `corace run --timeout`, duration_parse (cli/duration.c).
 *
 * Besides the sanitizers' findings it checks what duration.h promises: a
 * refused string leaves *seconds alone; an accepted one gives a duration
 * that is not negative and not NaN, and (Go's syntax being a sequence of
 * number-unit terms) the same duration with "0s" appended means the same.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/duration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 3);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    double secs = -1.0;
    if (!duration_parse(s, &secs)) {
        if (secs != -1.0) {
            fprintf(stderr, "duration_parse refused '%s' but set *seconds\n", s);
            abort();
        }
        free(s);
        return 0;
    }
    if (isnan(secs) || secs < 0) {
        fprintf(stderr, "duration_parse('%s') = %g\n", s, secs);
        abort();
    }
    size_t n = strlen(s);
    if (n > 0 && strcmp(s, "0") != 0) {
        memcpy(s + n, "0s", 3);
        double more = -1.0;
        if (!duration_parse(s, &more) || more != secs) {
            fprintf(stderr, "'%s' and its first part differ: %g, %g\n", s, secs, more);
            abort();
        }
    }
    free(s);
    return 0;
}
