/*
 * gate.h - the checker's re-entry guard, the one place it is defined.
 *
 * Every object of a checked program's link sees the libc wrappers, the
 * checker's own included.  The checker raises race_abi_depth while it runs
 * (and any code that calls wrapped functions on its own behalf brackets the
 * calls with race_abi_ignore_begin/end), so that whatever it calls that is
 * wrapped (memcpy, malloc, strlen while reporting) does not come back into
 * it.  The runtime, below the checker, cannot name this counter: it raises
 * its own, co__rt_quiet (declared in the seam, runtime/events.h), which the
 * gate reads too.
 */
#ifndef CORACE_CORE_GATE_H
#define CORACE_CORE_GATE_H

#include "runtime/events.h"

/* Nonzero while the detector runs on this OS thread (or a wrapper is
   already reporting): wrappers and __tsan_* callbacks then only do the real
   work, so the detector is never re-entered through its own memcpy, malloc
   or strlen.  Initial-exec: read on every instrumented access. */
extern __thread int race_abi_depth __attribute__((tls_model("initial-exec")));

/* Whether neither the checker nor the runtime is already on this thread. */
static inline __attribute__((always_inline)) int gate_open(void)
{
    return race_abi_depth == 0 && co__rt_quiet == 0;
}

/* Code that calls wrapped functions on its own behalf (not the program's)
   brackets the calls with these; they nest. */
static inline void race_abi_ignore_begin(void) { race_abi_depth++; }
static inline void race_abi_ignore_end(void) { race_abi_depth--; }

#endif
