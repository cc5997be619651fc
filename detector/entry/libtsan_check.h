/*
 * libtsan_check.h - refuse to run next to ThreadSanitizer's own runtime.
 *
 * A program linked with -fsanitize=thread gets libtsan as well as ours: our
 * __tsan_* definitions win, but libtsan still initialises and intercepts
 * (malloc, pthread, signals) behind our back.  Checked programs must be
 * linked without the flag; this says so instead of misbehaving.
 */
#ifndef CORACE_LIBTSAN_CHECK_H
#define CORACE_LIBTSAN_CHECK_H

/* The message printed, without the trailing newline. */
#define CORACE_LIBTSAN_MESSAGE                                                \
    "corace: the program is linked with ThreadSanitizer's runtime (libtsan); " \
    "corace has its own checker: link with 'corace cc' and without "         \
    "-fsanitize=thread on the link line"

/* When an object whose name contains "libtsan" is loaded in the process,
   print CORACE_LIBTSAN_MESSAGE on stderr and exit with status 2; otherwise
   return.  Called by __tsan_init. */
void race_refuse_libtsan(void);

#endif
