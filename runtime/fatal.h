/*
 * fatal.h - runtime errors, panics and the all-goroutines dump, worded as Go's.
 * Each prints to stderr after flushing stdout, then exits with status 2.
 */
#ifndef CORACE_FATAL_H
#define CORACE_FATAL_H

#include <stdio.h>

#include "g.h"

/* "fatal error: MSG" and the running goroutine's trace (Go's throw/fatal). */
_Noreturn void fatal_throw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "panic: MSG" and the running goroutine's trace (an unrecovered Go panic). */
_Noreturn void fatal_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A setup error with no goroutine to blame: "fatal error: MSG" alone. */
_Noreturn void fatal_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Go's checkdead: every goroutine is asleep and no timer is pending. */
_Noreturn void fatal_deadlock(void);

/* "goroutine N [reason]:", its stack and where it was created. */
void fatal_print_goroutine(FILE *f, g *gp);

/* SIGSEGV/SIGBUS/SIGFPE become Go-worded runtime errors; stack overflow is
   told apart by the faulting address.  SIGQUIT (unless ignored) prints
   every goroutine's stack as Go does ("SIGQUIT: quit") and exits 2. */
void fatal_install_signals(void);

#endif
