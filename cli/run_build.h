/* run_build.h - `corace run prog.c ...`: build the sources checked, through the cache. */
#ifndef CORACE_CLI_RUN_BUILD_H
#define CORACE_CLI_RUN_BUILD_H

#include "cache.h"
#include "paths.h"

/* Optimisation of programs built by corace run (checking flags are added by
   the cc driver). */
#define RUN_BUILD_OPT "-O1"

/* Compile and link sources[0..n) for checking into the cache (or take the
   program from it).  Returns 0 with *bin (malloc'd) the program, or the
   nonzero status of the failed compile or link after its diagnostics. */
int run_build(const struct corace_paths *paths, const struct cache *cache, char *const *sources,
              int n, char **bin);

#endif
