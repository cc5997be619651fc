/* samples.h - the catalogue of bundled samples: names, expect lines, bug summaries. */
#ifndef CORACE_CLI_SAMPLES_H
#define CORACE_CLI_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>

struct sample {
    char *name;       /* "abba_deadlock" */
    char *path;       /* <samples dir>/abba_deadlock.c */
    char *expect_csv; /* the kinds as written on the "// expect:" line, or "?" */
    unsigned expect;  /* the same as a KIND_* set; 0 when the line is malformed */
    char *explore_csv; /* the optional line-2 "// explore:" kinds, or NULL when absent */
    unsigned explore;  /* the same as a KIND_* set; 0 when absent */
    char *problem;    /* why the expect (or explore) line is unusable, or NULL */
    char *summary;    /* the Bug: sentence, or "fixed twin" */
    bool fixed;       /* a NAME_fixed.c twin */
};

struct catalogue {
    char *dir;
    struct sample *v;
    size_t n;
};

/* Read every *.c in dir (sorted by name).  -1 with errno when dir cannot be read. */
int catalogue_load(struct catalogue *c, const char *dir);
void catalogue_free(struct catalogue *c);
/* By name, with or without ".c"; NULL when there is none. */
const struct sample *catalogue_find(const struct catalogue *c, const char *name);
/* The fixed twin of a bug sample (NULL for a twin or when it is missing). */
const struct sample *catalogue_twin(const struct catalogue *c, const struct sample *s);

#endif
