/*
 * events.h - the one seam between the runtime and the checker.
 *
 * The runtime announces here what happened: goroutines created, switched to
 * and finished, and every happens-before edge of the Go memory model, at the
 * line that implements it.  It never learns how races are found.  Outside a
 * checked program `ev` is NULL and each announcement is one predictable
 * branch; a checked program's instrumented code installs the checker's table
 * from __tsan_init, before main.
 *
 * This header is the checker's view: the table it fills in.  The runtime's
 * side, the ev_* announcements that read goroutine records, is announce.h.
 *
 * Sync objects are named by address.  The checker may keep a clock per
 * address; the runtime frees none of them except through ev_sync_free.
 */
#ifndef CORACE_EVENTS_H
#define CORACE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

typedef struct ev_hooks {
    void *(*go_main)(void);                                   /* goroutine 1's checker state */
    void *(*go_create)(void *parent, int64_t goid, uintptr_t created_pc);
    void (*go_exit)(void *gs);
    void (*go_switch)(void *gs);                              /* gs runs from now on */
    void (*acquire)(const void *sync);                        /* running ⊔= sync */
    void (*release_merge)(const void *sync);                  /* sync ⊔= running */
    void (*release_acquire)(const void *sync);                /* both, as on a channel slot */
    void (*release_acquire_for)(void *gs, const void *sync);  /* both, for a parked goroutine */
    void (*handoff)(void *to);                                /* parked `to` ⊔= running */
    void (*handback)(void *from);                             /* running ⊔= parked `from` */
    void (*sync_free)(const void *sync);
    void (*mem_reset)(void *addr, size_t size);               /* memory reused: forget its accesses */
    void (*read)(const void *addr, size_t size, uintptr_t pc);
    void (*write)(const void *addr, size_t size, uintptr_t pc);
    void (*finish)(void);                                     /* flush reports before exit */
    void (*sync_first_use)(const void *obj, uintptr_t pc);    /* a sync value's first use */
    void (*sync_copied)(const void *obj, const void *original, const char *type, uintptr_t pc);
    /* Locks (Mutex; RWMutex in write or read mode: shared), for the
       deadlock checker: asked for (blocks: it will wait), taken, released;
       and, in the global deadlock dump, who holds and waits for what. */
    void (*lock_request)(const void *lock, const char *type, bool shared, bool blocks, uintptr_t pc);
    void (*lock_acquired)(const void *lock, const char *type, bool shared, uintptr_t pc);
    void (*lock_released)(const void *lock, bool shared);
    void (*lock_granted)(void *gs, const void *lock, bool shared);  /* handed to a parked waiter */
    void (*dump_waits)(FILE *f);
    /* Nothing is runnable but a timer is pending: the scheduler is about to
       sleep until it fires.  A moment when goroutines may have become
       blocked for good while the program still goes on (partial
       deadlocks); goroutine exits (go_exit) are the other. */
    void (*sched_idle)(void);
    /* The program dies: kind "deadlock" (all asleep), "runtime-error" (a
       panic, fatal error or fault) or "timeout" (SIGQUIT); message is Go's
       first line; pcs, when not NULL, is the running goroutine's trace from
       a signal context.  For the checker's structured records. */
    void (*fatal)(const char *kind, const char *message, const uintptr_t *pcs, int npcs);
    /* The program enters a sync operation (a lock, an unlock, a channel
       send, receive or close, a select, a WaitGroup, Cond or Once call, a
       sleep), before it takes effect: a preemption point of exploration,
       so another goroutine may run between two back-to-back operations. */
    void (*sync_point)(void);
} ev_hooks;

/* Nonzero while the runtime itself calls libc (runtime/rtlibc.h): the
   checker's wrappers then ignore the call, which is not the program's. */
extern __attribute__((visibility("default"))) int co__rt_quiet;

/* Called by the checker's initialisation; safe before the runtime's own. */
__attribute__((visibility("default"))) void co__ev_install(const ev_hooks *h);

#endif
