/*
 * g.h - the goroutine record and the context-switch primitives.
 *
 * Records come from chunks of 256 that are never returned to malloc
 * (runtime/sched.c), so a waiter or timer may hold a g pointer without caring
 * whether it was recycled.  The stack is separate (runtime/stack.c): bound
 * when the goroutine first runs and returned when it exits, so spawn-then-wait
 * loops reuse one warm stack.  Main (goroutine 1) runs on the process's stack
 * and its record is static.
 */
#ifndef CORACE_G_H
#define CORACE_G_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "corace.h"

enum g_status {
    G_RUNNABLE,  /* in the run queue */
    G_RUNNING,   /* the one running now */
    G_WAITING,   /* parked; waitreason says on what */
    G_DEAD,      /* exited; record and stack back in the pool */
};

/* Wait reasons, worded as Go prints them in a goroutine header. */
#define CO_WAITREASONS(X)                                  \
    X(WR_NONE, "")                                         \
    X(WR_CHAN_SEND, "chan send")                           \
    X(WR_CHAN_RECV, "chan receive")                        \
    X(WR_CHAN_SEND_NIL, "chan send (nil chan)")            \
    X(WR_CHAN_RECV_NIL, "chan receive (nil chan)")         \
    X(WR_SELECT, "select")                                 \
    X(WR_SELECT_NO_CASES, "select (no cases)")             \
    X(WR_MUTEX, "sync.Mutex.Lock")                         \
    X(WR_RWMUTEX_LOCK, "sync.RWMutex.Lock")                \
    X(WR_RWMUTEX_RLOCK, "sync.RWMutex.RLock")              \
    X(WR_WAITGROUP, "sync.WaitGroup.Wait")                 \
    X(WR_COND, "sync.Cond.Wait")                           \
    X(WR_SLEEP, "sleep")

enum waitreason {
#define X(id, s) id,
    CO_WAITREASONS(X)
#undef X
};

extern const char *const waitreason_str[];

struct stk;

typedef struct g {
    void *sp;                  /* saved stack pointer while switched out */
    int64_t id;                /* goroutine id; main is 1 */
    uint8_t status;            /* enum g_status */
    uint8_t waitreason;        /* enum waitreason while G_WAITING */
    bool selectdone;           /* a select case of this g has won: its other waiters are stale */
    struct g *schednext;       /* run-queue link */
    struct g *allnext, *allprev; /* list of live goroutines, in id order */
    struct co__waiter *param;  /* the waiter that woke this g */
    co_fn fn;                  /* entry function and its argument */
    void *arg;
    struct stk *stack;         /* NULL for main */
    void *stack_lo;            /* lowest usable stack address */
    size_t stack_size;         /* usable bytes from stack_lo up */
    uintptr_t created_pc;      /* return address of the co_go call that made it */
    int64_t parent_id;         /* goroutine that called co_go */
    void *asan_fake;           /* AddressSanitizer fake-stack handle across switches */
    void *race;                /* the checker's state for this goroutine, when checking */
    /* While G_WAITING on a channel, select, WaitGroup or Cond (and whatever
       else parks with park_on): an address inside the object waited on, or
       for a select its co_case array and waitn, the number of cases.  Only
       the checker reads them (partial deadlocks); meaningful only for the
       current waitreason. */
    const void *waitobj;
    uint32_t waitn;
    /* Schedule exploration (PCT, detector/explore): the goroutine's
       priority, 0 until co__sched_prio gives it one.  Unused otherwise. */
    uint64_t prio;
} g;

/* Switch from the running context to the one saved at new_sp. */
void ctx_switch(void **save_sp, void *new_sp);
/* Switch to new_sp without saving: the current stack is dead. */
_Noreturn void ctx_jump(void *new_sp);
void co__trampoline(void);

#endif
