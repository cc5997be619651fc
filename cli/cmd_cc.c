/* cmd_cc.c - `corace cc [COMPILER] ARGS...`: the compiler wrapper for existing builds. */
#include "ccdriver.h"
#include "cmd.h"
#include "paths.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An executable file named a (a path, or found in PATH). */
static bool is_program(const char *a)
{
    if (strchr(a, '/'))
        return is_regular_file(a) && access(a, X_OK) == 0;
    const char *path = getenv("PATH");
    char *copy = xstrdup(path ? path : "/usr/bin:/bin");
    bool found = false;
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char *p = xasprintf("%s/%s", d, a);
        found = is_regular_file(p) && access(p, X_OK) == 0;
        free(p);
    }
    free(copy);
    return found;
}

/* The launcher form, `corace cc /usr/bin/cc ARGS` (CMAKE_C_COMPILER_LAUNCHER,
   like ccache): the first argument is a compiler when it is no option, has
   no file extension and names a program. */
static bool is_compiler_word(const char *a)
{
    if (a[0] == '-' || a[0] == '\0')
        return false;
    const char *base = strrchr(a, '/');
    base = base ? base + 1 : a;
    const char *dot = strrchr(base, '.');
    if (dot && dot != base && strspn(dot + 1, "0123456789") != strlen(dot + 1))
        return false; /* prog.c, x.o, libm.a; but gcc-12.2 is a compiler */
    return is_program(a);
}

int cmd_cc(int argc, char **argv)
{
    struct corace_paths paths;
    paths_resolve(&paths);
    struct argv_buf cc = {0};
    int first = 1;
    if (argc > 1 && is_compiler_word(argv[1])) {
        argv_push(&cc, argv[1]);
        first = 2;
    } else {
        cc_compiler(&cc);
    }
    int status = cc_run(cc.v, &paths, argv + first, argc - first);
    argv_free(&cc);
    paths_free(&paths);
    return status > 255 ? 255 : status;
}
