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
 * Sync objects are named by address.  The checker may keep a clock per
 * address; the runtime frees none of them except through ev_sync_free.
 */
#ifndef CORACE_EVENTS_H
#define CORACE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "g.h"

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
} ev_hooks;

extern const ev_hooks *ev;

/* Called by the checker's initialisation; safe before the runtime's own. */
__attribute__((visibility("default"))) void co__ev_install(const ev_hooks *h);

#define EV_ON __builtin_expect(ev != NULL, 0)

static inline void ev_acquire(const void *s) { if (EV_ON) ev->acquire(s); }
static inline void ev_release_merge(const void *s) { if (EV_ON) ev->release_merge(s); }
static inline void ev_release_acquire(const void *s) { if (EV_ON) ev->release_acquire(s); }
static inline void ev_release_acquire_for(g *gp, const void *s) { if (EV_ON) ev->release_acquire_for(gp->race, s); }
static inline void ev_handoff(g *to) { if (EV_ON) ev->handoff(to->race); }
static inline void ev_handback(g *from) { if (EV_ON) ev->handback(from->race); }
static inline void ev_sync_free(const void *s) { if (EV_ON) ev->sync_free(s); }
static inline void ev_mem_reset(void *a, size_t n) { if (EV_ON) ev->mem_reset(a, n); }
static inline void ev_lock_request(const void *l, const char *type, bool shared, bool blocks, uintptr_t pc)
{
    if (EV_ON) ev->lock_request(l, type, shared, blocks, pc);
}
static inline void ev_lock_acquired(const void *l, const char *type, bool shared, uintptr_t pc)
{
    if (EV_ON) ev->lock_acquired(l, type, shared, pc);
}
static inline void ev_lock_released(const void *l, bool shared) { if (EV_ON) ev->lock_released(l, shared); }
static inline void ev_lock_granted(g *to, const void *l, bool shared)
{
    if (EV_ON) ev->lock_granted(to->race, l, shared);
}
/* Tables built before the member existed leave it NULL. */
static inline void ev_sched_idle(void) { if (EV_ON && ev->sched_idle) ev->sched_idle(); }
static inline void ev_fatal(const char *kind, const char *message, const uintptr_t *pcs, int npcs)
{
    if (EV_ON && ev->fatal) ev->fatal(kind, message, pcs, npcs);
}
static inline void ev_go_switch(g *gp) { if (EV_ON) ev->go_switch(gp->race); }
static inline void ev_go_exit(g *gp) { if (EV_ON) ev->go_exit(gp->race); }
static inline void ev_go_create(g *parent, g *child)
{
    if (EV_ON) child->race = ev->go_create(parent->race, child->id, child->created_pc);
}

#endif
