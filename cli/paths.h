/* paths.h - where the header, the static library and the samples are. */
#ifndef CORACE_CLI_PATHS_H
#define CORACE_CLI_PATHS_H

#include <stdbool.h>

struct corace_paths {
    char *include_dir; /* holds corace.h */
    char *library;     /* libcorace.a */
    char *race_library; /* libcorace_race.a, the checker; NULL: not in this build */
    char *samples_dir; /* the bundled samples (CORACE_SAMPLES_DIR overrides) */
    bool installed;    /* true: the install-tree layout next to the executable */
};

/* Fill *p: the install tree around /proc/self/exe when it is there (header
   and library both present), else the build tree baked in at build time. */
void paths_resolve(struct corace_paths *p);

void paths_free(struct corace_paths *p);

#endif
