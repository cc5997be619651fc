/*
 * locks.h - the deadlock checker's picture of locks: who holds each one,
 * who waits for it, and in which order locks were taken.
 *
 * One table for the three checks that read it: wait-for cycles (waitfor.c),
 * lock-order inversions (lockorder.c) and the global deadlock dump.  It
 * mirrors the runtime's lock state event by event (runtime/events.h: a lock
 * handed to a parked waiter is announced by the releaser, so the holders
 * here are the runtime's holders at every moment).  Nothing is bounded: the
 * held list of a goroutine and every table grow; if memory runs out, the
 * loss is recorded with report_degraded, which every later report prints.
 */
#ifndef CORACE_DEADLOCK_LOCKS_H
#define CORACE_DEADLOCK_LOCKS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "detector/race/race.h"

typedef struct dl_site {
    uint32_t frame;              /* depot id of the calling context */
    uintptr_t pc;                /* return address of the corace call */
} dl_site;

typedef struct dl_hold {
    const void *addr;            /* the lock's address: releases find it here, without the table */
    uint32_t lock;               /* node index */
    bool shared;                 /* a read lock */
    dl_site taken;
} dl_hold;

/* A goroutine as the checker sees it, hung on race_g_locks. */
typedef struct dl_g {
    int64_t goid;
    dl_hold *held;
    uint32_t nheld, capheld;
    race_g *gs;                  /* the checker's goroutine */
    const void *asked_addr;      /* the last lock asked for, and its node: */
    uint32_t asked_node;         /* its acquisition needs no table lookup */
    const void *last_addr;       /* the last lock taken, and its node: */
    uint32_t last_node;          /* a lock taken again and again is looked up once */
    uint32_t waiting;            /* node index + 1 while parked on a lock */
    bool wait_shared;
    dl_site asked;               /* where it asked for that lock */
    bool reported;               /* already in a reported wait-for cycle */
    bool pending;                /* closed a cycle that waits for confirmation */
    uint32_t mark;               /* search generation */
    struct dl_g *via;            /* search: the goroutine that waits for this one */
} dl_g;

/* Lock-order edge: the lock was held (mode held_shared) when `to` was asked
   for (mode asked_shared). */
typedef struct dl_edge {
    const void *from_obj, *to_obj; /* the locks themselves (an edge between classes joins their classes) */
    uint32_t to;
    bool held_shared, asked_shared;
    int64_t goid;                /* the goroutine that took the two in this order */
    dl_site from_taken, to_asked;
    /* A second goroutine that took them in this order (goid2 0: none
       yet): a cycle needs a distinct goroutine on each of its edges, and
       two per edge let any cycle that has one find it. */
    int64_t goid2;
    dl_site from_taken2, to_asked2;
} dl_edge;

typedef struct dl_lock {
    const void *addr;
    const char *type;            /* "mutex", "rwmutex" */
    dl_g *writer;                /* exclusive holder, NULL if none */
    dl_g **readers;              /* one entry per read hold */
    uint32_t nreaders, capreaders;
    dl_g **wqueue;               /* goroutines parked for the write lock, FIFO */
    uint32_t nwqueue, capwqueue;
    dl_edge *e;                  /* lock-order edges out of this lock */
    uint32_t ne, cape;
    /* Lock class (lockdep's idea): a lock inside a heap block is of the
       class (allocation site, offset in the block); the class is a node
       too, with order edges of its own.  A class node has is_class set
       and no holders. */
    uint8_t cls_state;           /* 0 not looked up, 1 has a class, 2 has none */
    bool is_class;
    uint32_t cls;                /* class node index, when cls_state is 1 */
    bool handed;                 /* once unlocked by a goroutine that did not hold it */
    uintptr_t alloc_pc;          /* a class node: an allocating call's return address */
    uint64_t site;               /* and the key of its source line */
    size_t offset;               /* and the lock's offset in the block */
    /* A goroutine that read-locked it while already holding it for reading
       (first such case), and the first write-lock request: together, a
       deadlock as soon as the write request falls between the two. */
    bool reread, wrote, reread_reported;
    int64_t reread_goid, wrote_goid;
    dl_site reread_first, reread_again, wrote_at;
    uint32_t mark[2];            /* search generation, per arrival mode */
    uint32_t via[2], via_edge[2];
} dl_lock;

extern dl_lock *dl_locks;

/* The node of lock, created on first sight (type may be NULL when only the
   address is known); UINT32_MAX when memory ran out. */
uint32_t dl_lock_of(const void *lock, const char *type);
/* The node of lock if it has one, else UINT32_MAX. */
uint32_t dl_lock_find(const void *lock);
uint32_t dl_nlocks(void);
/* "mutex" or "rwmutex". */
const char *dl_type(uint32_t lock);

/* The running goroutine's state, created on first use; NULL out of memory
   or when no goroutine runs under the checker. */
dl_g *dl_current(void);
/* gs is the checker's state of any goroutine (race_g). */
dl_g *dl_of(race_g *gs);
dl_site dl_here(uintptr_t pc);
/* Every goroutine that ever took or waited for a lock. */
dl_g *const *dl_all(uint32_t *n);

/* Grow *p to hold need elements; false (and degraded) out of memory. */
bool dl_grow(void *p, uint32_t *cap, uint32_t need, size_t size);

/* The goroutines that x, parked on a lock, waits for: the holders, or for
   a reader queued behind a pending writer, that writer; for a writer, the
   writers queued before it.  Calls fn(dep, held, ctx) for each: held says
   whether dep holds the lock (else it is queued ahead of x). */
void dl_waits_for(const dl_g *x, void (*fn)(dl_g *dep, bool held, void *ctx), void *ctx);


/* The lock events (runtime/events.h), from detector/entry/hooks.c. */
void dl_request(const void *lock, const char *type, bool shared, bool blocks, uintptr_t pc);
void dl_acquired(const void *lock, const char *type, bool shared, uintptr_t pc);
void dl_granted(void *gs, const void *lock, bool shared);
void dl_released(const void *lock, bool shared);

/* The checks. */
void waitfor_blocked(dl_g *x);
/* Nothing will run again (a global deadlock, or the program ends): report
   the cycles that were waiting for that certainty. */
void waitfor_confirm(void);
void lockorder_request(dl_g *x, uint32_t lock, bool shared, dl_site asked);
/* A lock taken without a request of its own (free, nothing held): the
   write lock still counts for recursive read locks. */
void lockorder_taken(dl_g *x, uint32_t lock, bool shared, dl_site taken);
/* sp: the running goroutine's stack pointer where the dump began. */
void waitfor_dump(FILE *f, uintptr_t sp);

#endif
