/*
 * libtsan_check.c - refuse to run when libtsan is loaded (libtsan_check.h).
 *
 * Looks at the names of the loaded objects (dl_iterate_phdr), so it sees
 * libtsan whether it came in as a DT_NEEDED of the executable (gcc adds it
 * to any link line with -fsanitize=thread) or of a shared library, or by
 * dlopen.  Runs from __tsan_init, before anything allocates: no malloc, no
 * stdio, and no string functions (intercept.c may wrap them).
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdbool.h>
#include <unistd.h>

#include "libtsan_check.h"

/* Whether the file name of path (after its last '/') contains "libtsan":
   a directory called libtsan-something does not count. */
static bool base_has_libtsan(const char *path)
{
    static const char word[] = "libtsan";
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/')
            base = p + 1;
    for (const char *p = base; *p; p++) {
        size_t i = 0;
        while (word[i] && p[i] == word[i])
            i++;
        if (word[i] == '\0')
            return true;
    }
    return false;
}

/* dl_iterate_phdr callback: nonzero (stop) at the first libtsan. */
static int is_libtsan(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    return info->dlpi_name != NULL && base_has_libtsan(info->dlpi_name);
}

void race_refuse_libtsan(void)
{
    static const char msg[] = CORACE_LIBTSAN_MESSAGE "\n";
    ssize_t r;
    if (!dl_iterate_phdr(is_libtsan, NULL))
        return;
    r = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)r;
    /* _exit: the program has not started; its atexit handlers and libtsan's
       must not run. */
    _exit(2);
}
