/* table.h - the results table of `corace samples` and its footnotes. */
#ifndef CORACE_CLI_TABLE_H
#define CORACE_CLI_TABLE_H

#include "outcome.h"
#include "samples.h"

#include <stdio.h>

struct row {
    const struct sample *sample;
    struct outcome outcome;
    enum verdict verdict;
    char found[48];
};

/* The table, then a count line and the footnotes on what "needs checker" means. */
void table_print(FILE *f, const struct row *rows, size_t n, double seconds);
/* The plain `samples list` listing: name, expected kinds, bug summary. */
void list_print(FILE *f, const struct sample *v, size_t n);

#endif
