/* paths.c - locate the install tree (relative to the executable) or the build tree. */
#include "paths.h"

#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Build-tree locations and install-tree relative directories, from CMake. */
#ifndef CORACE_BUILD_INCLUDE_DIR
#error "CORACE_BUILD_INCLUDE_DIR must be defined by the build"
#endif
#ifndef CORACE_BUILD_LIBRARY
#error "CORACE_BUILD_LIBRARY must be defined by the build"
#endif
#ifndef CORACE_BUILD_SAMPLES_DIR
#error "CORACE_BUILD_SAMPLES_DIR must be defined by the build"
#endif
#ifndef CORACE_INSTALL_BINDIR
#define CORACE_INSTALL_BINDIR "bin"
#endif
#ifndef CORACE_INSTALL_INCLUDEDIR
#define CORACE_INSTALL_INCLUDEDIR "include"
#endif
#ifndef CORACE_INSTALL_LIBDIR
#define CORACE_INSTALL_LIBDIR "lib"
#endif
#ifndef CORACE_INSTALL_DATADIR
#define CORACE_INSTALL_DATADIR "share"
#endif
#ifndef CORACE_LIBRARY_NAME
#define CORACE_LIBRARY_NAME "libcorace.a"
#endif
/* The checker's static library.  The build tree's is baked in when CMake
   knows the corace_race target; without it a build-tree corace has no
   checker (corace run and corace cc then say so when they need it). */
#ifndef CORACE_RACE_LIBRARY_NAME
#define CORACE_RACE_LIBRARY_NAME "libcorace_race.a"
#endif

/* The directory holding the running executable, or NULL. */
static char *exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return xstrdup(buf[0] ? buf : "/");
}

/* <prefix> when dir is <prefix>/<bindir>, else NULL. */
static char *install_prefix(const char *dir)
{
    const char *bindir = CORACE_INSTALL_BINDIR;
    if (bindir[0] == '/') /* an absolute bindir says nothing about the prefix */
        return NULL;
    size_t n = strlen(dir), m = strlen(bindir);
    if (n <= m || strcmp(dir + n - m, bindir) != 0 || dir[n - m - 1] != '/')
        return NULL;
    char *prefix = xstrdup(dir);
    prefix[n - m - 1] = '\0';
    if (prefix[0] == '\0') {
        free(prefix);
        return xstrdup("/");
    }
    return prefix;
}

/* <prefix>/<rel>, or rel itself when it is absolute. */
static char *under(const char *prefix, const char *rel)
{
    if (rel[0] == '/')
        return xstrdup(rel);
    return xasprintf("%s%s%s", prefix, strcmp(prefix, "/") ? "/" : "", rel);
}

void paths_free(struct corace_paths *p)
{
    free(p->include_dir);
    free(p->library);
    free(p->race_library);
    free(p->samples_dir);
    p->include_dir = p->library = p->race_library = p->samples_dir = NULL;
}

void paths_resolve(struct corace_paths *p)
{
    memset(p, 0, sizeof *p);
    char *dir = exe_dir();
    char *prefix = dir ? install_prefix(dir) : NULL;
    if (prefix) {
        char *inc = under(prefix, CORACE_INSTALL_INCLUDEDIR);
        char *libdir = under(prefix, CORACE_INSTALL_LIBDIR);
        char *lib = xasprintf("%s/%s", libdir, CORACE_LIBRARY_NAME);
        char *hdr = xasprintf("%s/corace.h", inc);
        if (is_regular_file(hdr) && is_regular_file(lib)) {
            char *data = under(prefix, CORACE_INSTALL_DATADIR);
            p->include_dir = inc;
            p->library = lib;
            p->race_library = xasprintf("%s/%s", libdir, CORACE_RACE_LIBRARY_NAME);
            p->samples_dir = xasprintf("%s/corace/samples", data);
            p->installed = true;
            free(data);
        } else {
            free(inc);
            free(lib);
        }
        free(libdir);
        free(hdr);
        free(prefix);
    }
    free(dir);
    if (!p->installed) {
        p->include_dir = xstrdup(CORACE_BUILD_INCLUDE_DIR);
        p->library = xstrdup(CORACE_BUILD_LIBRARY);
#ifdef CORACE_BUILD_RACE_LIBRARY
        p->race_library = xstrdup(CORACE_BUILD_RACE_LIBRARY);
#else
        p->race_library = NULL;
#endif
        p->samples_dir = xstrdup(CORACE_BUILD_SAMPLES_DIR);
    }
    const char *env = getenv("CORACE_SAMPLES_DIR");
    if (env && env[0]) {
        free(p->samples_dir);
        p->samples_dir = xstrdup(env);
    }
}
