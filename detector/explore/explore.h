/*
 * explore.h - schedule exploration in a checked program: the strategies
 * (strategy.c), the decisions recorded and replayed (decisions.c) and the fork server
 * (server.c).  docs/explore.md says what a user sees of them.
 *
 * A "step" is one preemption point: an instrumented function entry, and for
 * the random and pct strategies also every instrumented memory access and
 * every sync operation the runtime announces.  At a step the strategy
 * decides whether the running goroutine yields.  A sync operation is
 * announced from inside the runtime, in the middle of a channel or lock
 * operation, where switching goroutines would break the runtime's
 * invariants: there the decision is taken (and counted) at once but the
 * yield waits for the next instrumented point, in the program's own code.
 */
#ifndef CORACE_EXPLORE_H
#define CORACE_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum explore_strategy { EXPLORE_ENTRY, EXPLORE_RANDOM, EXPLORE_PCT };

/* Nonzero when memory accesses and sync operations are steps (random,
   pct): the one branch the access path pays. */
extern int explore_on;

/* Before main, from race_start, after the runtime's seed is known: reads
   the options (strategy, pct_depth, pct_steps, record, replay), checks a
   replay trace (exits 1 with one line if it is not this program's), seeds
   the strategy, and when CORACE_EXPLORE is set becomes the fork server:
   returns only in a child, reseeded for its schedule. */
void explore_start(void);

/* The preemption points.  explore_entry: an instrumented function entry
   (always called; the entry strategy's budget lives here).  explore_access:
   a memory access (only when explore_on).  explore_sync: a sync
   operation, inside the runtime (only when explore_on; never yields
   itself). */
void explore_entry(void);
void explore_access(void);
void explore_sync(void);
/* The entry of a sync operation, before it takes effect: where a yield a
   sync step decided is taken, if no instrumented access came first. */
void explore_sync_point(void);
/* The checker saw a goroutine switch: a deferred yield is moot. */
void explore_switched(void);

/* At any exit (normal, exit, fatal error, deadlock, timeout): writes the
   record trace if asked, checks a replay was followed to its end.
   Idempotent. */
void explore_finish(void);

/* Steps taken so far. */
uint64_t explore_steps(void);

/* ---- shared between the files of detector/explore ---- */

/* The strategy's state, seeded from one seed. */
struct explore_state {
    enum explore_strategy strategy;
    uint64_t seed;        /* the scheduling seed (CO_SEED) */
    uint32_t depth;       /* pct: d */
    uint64_t ksteps;      /* pct: k */
};
extern struct explore_state explore_st;

/* The step counter: a static variable, or in the fork server a shared page
   the parent reads after the child ends (even a killed one). */
extern uint64_t *explore_stepp;

/* Reseed everything the seed decides (strategy generator, pct's change
   points, the entry budget), as a fresh process with CO_SEED=seed. */
void explore_seed(uint64_t seed);

/* strategy.c: the strategy named by the options, with k. */
void explore_configure(enum explore_strategy s, uint32_t depth, uint64_t k);

/* ---- decisions.c ---- */

/* A growing byte buffer outside the program's heap (mmap), so recording
   does not move the program's allocations. */
typedef struct explore_buf {
    uint8_t *p;
    size_t n, cap;
} explore_buf;

/* Recording: the decisions as they are taken. */
void decisions_rec_yield(uint64_t step);          /* a yield at this step */
void decisions_rec_prio(uint64_t prio);           /* pct: a goroutine's initial priority */
void decisions_rec_changepoint(uint64_t step);
bool decisions_recording(void);
void decisions_rec_reset(void);
/* Writes the trace (header with steps = n) to path; false with errno. */
bool decisions_write(const char *path, uint64_t nsteps);

/* Replaying: loads path (exits 1 with the one-line error when it is not a
   trace of this program) and fills explore_st from its header. */
void decisions_load(const char *path);
bool decisions_replaying(void);
/* The next recorded yield step after the last one taken, or UINT64_MAX. */
uint64_t decisions_next_yield(void);
void decisions_take_yield(void);
uint64_t decisions_nsteps(void);
/* pct: the i-th priority / change point recorded; false if none. */
bool decisions_prio(size_t i, uint64_t *prio);
bool decisions_changepoint(size_t i, uint64_t *step);
/* Prints `corace: replay FILE: <why>` and exits 1. */
_Noreturn void decisions_diverged(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- server.c ---- */

/* Becomes the fork server if CORACE_EXPLORE is set; returns in a child
   (reseeded) or when the variable is absent. */
void explore_server(void);

#endif
