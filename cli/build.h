/* build.h - compile one sample against libcorace.a, through the cache. */
#ifndef CORACE_CLI_BUILD_H
#define CORACE_CLI_BUILD_H

#include "cache.h"
#include "paths.h"
#include "samples.h"

enum build_status {
    BUILD_OK,          /* compiled now */
    BUILD_CACHED,      /* the cache already had it */
    BUILD_FAILED,      /* the compiler ran and failed: *diag has its output */
    BUILD_NO_COMPILER, /* $CC (or cc) could not be started */
    BUILD_NO_RUNTIME,  /* the header or the static library is missing */
};

/* Compile s into the cache.  On BUILD_OK/BUILD_CACHED *bin is the program's
   path; otherwise *msg is one line saying what went wrong and *diag (may be
   NULL) is the compiler's output.  All three are malloc'd. */
enum build_status build_sample(const struct corace_paths *paths, const struct cache *cache,
                               const struct sample *s, char **bin, char **msg, char **diag);

#endif
