/*
 * introspect.h - what the checker may know of the runtime's goroutines,
 * channels and timers, and how schedule exploration steers the scheduler.
 *
 * The checker (detector/) sees the runtime through this header and
 * events.h only, so that the runtime's records (g.h, chan.h, timer.h) can
 * change shape without the checker noticing.  Goroutines are opaque
 * handles; everything else comes back as values.  All of it is read on the
 * one thread that runs goroutines, so a value is true until the next
 * switch.
 */
#ifndef CORACE_INTROSPECT_H
#define CORACE_INTROSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "corace.h"

typedef struct g intro_g;

/* A goroutine's state; the runtime's enum g_status, value for value. */
enum intro_status {
    INTRO_RUNNABLE,
    INTRO_RUNNING,
    INTRO_WAITING,
    INTRO_DEAD,
};

/* Why a goroutine waits; the runtime's wait reasons, value for value. */
enum intro_wait {
    INTRO_WR_NONE,
    INTRO_WR_CHAN_SEND,
    INTRO_WR_CHAN_RECV,
    INTRO_WR_CHAN_SEND_NIL,
    INTRO_WR_CHAN_RECV_NIL,
    INTRO_WR_SELECT,
    INTRO_WR_SELECT_NO_CASES,
    INTRO_WR_MUTEX,
    INTRO_WR_RWMUTEX_LOCK,
    INTRO_WR_RWMUTEX_RLOCK,
    INTRO_WR_WAITGROUP,
    INTRO_WR_COND,
    INTRO_WR_SLEEP,
};

/* Addresses [lo, hi); empty (lo == hi) when unknown. */
typedef struct intro_range {
    uintptr_t lo, hi;
} intro_range;

/* One case of a select a goroutine waits in. */
typedef struct intro_case {
    const co_chan *chan;   /* NULL: the case never proceeds */
    bool recv;             /* a receive, else a send */
} intro_case;

/* ---- goroutines ---- */

intro_g *intro_current(void);
/* The live goroutines in id order: intro_first, then intro_next until NULL. */
intro_g *intro_first(void);
intro_g *intro_next(const intro_g *gp);

int64_t intro_id(const intro_g *gp);
enum intro_status intro_status(const intro_g *gp);
/* Meaningful while INTRO_WAITING. */
enum intro_wait intro_waitreason(const intro_g *gp);
/* As Go prints it in a goroutine header ("chan receive"); "" for NONE. */
const char *intro_waitreason_str(enum intro_wait wr);

/* What a waiting goroutine waits on: the channel of a channel wait, the
   WaitGroup or Cond; for a lock, an address inside it; NULL for a select
   (see intro_select_*) and for waits on nothing. */
const void *intro_wait_object(const intro_g *gp);
/* The cases of the select gp waits in (0 when it is not in one). */
uint32_t intro_select_ncases(const intro_g *gp);
intro_case intro_select_case(const intro_g *gp, uint32_t i);

/* The stack pointer saved when gp was switched out; NULL if it never ran.
   Stale for the running goroutine. */
void *intro_saved_sp(const intro_g *gp);
/* gp's usable stack; empty if it has none yet. */
intro_range intro_stack(const intro_g *gp);
/* The bytes of gp's record itself (main's lies in the runtime's data). */
intro_range intro_record(const intro_g *gp);

/* The entry function's address and its argument. */
uintptr_t intro_entry_fn(const intro_g *gp);
void *intro_entry_arg(const intro_g *gp);
/* The return address of the co_go call that made gp, and the goroutine
   that made the call. */
uintptr_t intro_created_pc(const intro_g *gp);
int64_t intro_parent_id(const intro_g *gp);

/* The checker's own state for gp: what its go_create hook returned. */
void *intro_checker_state(const intro_g *gp);

/* The runtime's goroutine-leak report at exit (docs in runtime/leak.c);
   skip leaves a goroutine out.  Returns how many it names. */
int intro_leak_report(FILE *f, bool (*skip)(intro_g *gp));

/* ---- channels and timers ---- */

/* The bytes of a channel's record that precede its buffer. */
size_t intro_chan_record_size(void);
/* Whether an armed timer will send on c (co_after, a ticker): a receiver
   there will be woken.  False for NULL. */
bool intro_chan_timer_armed(const co_chan *c);

/* The armed timers: the memory of the i-th, for i < intro_timer_count(). */
uint32_t intro_timer_count(void);
intro_range intro_timer(uint32_t i);

/* ---- steering (detector/explore) ---- */

/* The seed of the scheduler's generator, and restarting it from seed as a
   fresh process with CO_SEED=seed would have it. */
uint64_t intro_seed(void);
void intro_reseed(uint64_t seed);

/* With a hook set, the run queue is kept in descending priority order
   (FIFO among equals) and a goroutine of priority 0 gets its priority from
   the hook as it first enters the queue; NULL restores FIFO. */
void intro_set_prio_hook(uint64_t (*hook)(intro_g *gp));
uint64_t intro_prio(const intro_g *gp);
void intro_set_prio(intro_g *gp, uint64_t prio);
/* The goroutine the scheduler runs next, or NULL. */
intro_g *intro_runq_head(void);
/* Preempts the running goroutine: it goes back into the run queue by the
   queue's order (priority, with a hook), where a program's co_yield goes
   behind every runnable goroutine. */
void intro_preempt(void);

#endif
