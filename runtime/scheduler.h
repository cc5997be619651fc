/*
 * scheduler.h - the scheduler's interface to the primitives.
 *
 * Every blocking operation in corace goes through sched_park; every wake-up
 * through sched_ready.  The run queue stays behind these two calls so that an
 * M:N scheduler can replace it without touching channels or sync.
 *
 * Ground rules: one OS thread runs every goroutine; a goroutine runs until it
 * parks, yields or exits (no preemption outside the checker).
 */
#ifndef CORACE_SCHEDULER_H
#define CORACE_SCHEDULER_H

#include "g.h"

extern g *sched_cur;        /* the running goroutine */

/* Block the running goroutine with reason wr until someone calls sched_ready
   on it.  Returns when it runs again. */
void sched_park(enum waitreason wr);

/* Make gp runnable (FIFO).  gp must be G_WAITING. */
void sched_ready(g *gp);

/* Iterate over live goroutines, in id order. */
g *sched_first(void);

/* The seeded generator: same CO_SEED, same sequence. */
uint64_t sched_rand(void);
/* Uniform in [0, n). */
uint32_t sched_randn(uint32_t n);

/* The seed the generator started from (CO_SEED, or the time-based one). */
uint64_t co__sched_seed(void);
/* Restart the generator from seed, as a fresh process with CO_SEED=seed
   would have it (the explore fork server's children). */
void co__sched_reseed(uint64_t seed);

/* Schedule exploration's hook (detector/explore, PCT): NULL in every
   program but a checked one exploring with priorities.  When set, the run
   queue is kept in descending g->prio order (FIFO among equals), so the
   scheduler always runs the highest-priority runnable goroutine; a
   goroutine with prio 0 gets its priority from the hook when it first
   enters the queue.  One predictable branch in runq_put otherwise. */
extern uint64_t (*co__sched_prio)(g *gp);
/* The run queue's head (the next to run), or NULL. */
g *co__sched_runq_head(void);
/* Yields as exploration preempts: back into the queue by its order. */
void sched_preempt(void);

/* One-time process setup; safe to call more than once. */
void sched_init(void);

#endif
