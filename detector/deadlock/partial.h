/*
 * partial.h - partial deadlocks: goroutines blocked for good on a channel,
 * select, WaitGroup or Cond while the rest of the program goes on.
 *
 * Called from the event hooks (hooks.c) with race_abi_depth raised, at the
 * two moments the runtime announces after which a goroutine may have lost
 * its last partner: a goroutine finishing, and the scheduler going idle
 * with only timers pending.  docs/partial-deadlock.md has the argument.
 */
#ifndef CORACE_PARTIAL_H
#define CORACE_PARTIAL_H

#include <stdio.h>

/* The running goroutine is exiting (its stack is dead for the scan). */
void partial_goroutine_exited(void);

/* Nothing runnable, a timer pending; the running goroutine has parked or
   exited. */
void partial_sched_idle(void);

/* With verbosity >= 1: scans made, words scanned, time spent (stderr). */
void partial_print_stats(void);

#include <stdbool.h>

#include <jansson.h>

#include "detector/report/suppress.h"
#include "runtime/introspect.h"

/* Whether a suppression rule covering kind matches a frame of gp's stack
   (where it is blocked, or its entry function if it never ran) or of the
   stack that created it.  Used for partial deadlocks and for leaks. */
bool partial_goroutine_suppressed(intro_g *gp, enum suppress_kind kind);

/* A goroutine's stack as a JSON array of frames (running: from here). */
json_t *partial_json_stack(intro_g *gp);

#endif
