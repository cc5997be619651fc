/*
 * locks.c - the lock table and the lock events that keep it current.
 *
 * Locks are found by address through an address map to node indices;
 * nodes are never removed (a lock's order edges outlive its holders).
 * Each goroutine's held list is a plain array, searched from the end: locks
 * are mostly released in the reverse order of taking.
 */
#include "locks.h"

#include <stdlib.h>

#include "detector/core/addrmap.h"
#include "detector/core/options.h"
#include "detector/report/report.h"

dl_lock *dl_locks;
static uint32_t nlocks, caplocks;
static addrmap index_of = ADDRMAP_INIT(sizeof(uint32_t));   /* lock -> node index */
static dl_g **all;
static uint32_t nall, capall;

static const char no_memory[] = "the deadlock checker ran out of memory: lock holders and orders are incomplete";

bool dl_grow(void *p, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap) return true;
    uint32_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < need) ncap *= 2;
    void **pp = p;
    void *q = realloc(*pp, (size_t)ncap * size);
    if (!q) {
        report_degraded(no_memory);
        return false;
    }
    *pp = q;
    *cap = ncap;
    return true;
}

uint32_t dl_lock_find(const void *lock)
{
    const uint32_t *i = lock ? addrmap_find(&index_of, (uintptr_t)lock) : NULL;
    return i ? *i : UINT32_MAX;
}

uint32_t dl_lock_of(const void *lock, const char *type)
{
    if (!lock)
        return UINT32_MAX;
    bool added;
    uint32_t *i = addrmap_insert(&index_of, (uintptr_t)lock, &added);
    if (!i) {
        report_degraded(no_memory);
        return UINT32_MAX;
    }
    if (!added) {
        if (type && !dl_locks[*i].type) dl_locks[*i].type = type;
        return *i;
    }
    if (!dl_grow(&dl_locks, &caplocks, nlocks + 1, sizeof *dl_locks)) {
        addrmap_delete(&index_of, (uintptr_t)lock);
        return UINT32_MAX;
    }
    dl_locks[nlocks] = (dl_lock){.addr = lock, .type = type};
    *i = nlocks;
    return nlocks++;
}

uint32_t dl_nlocks(void) { return nlocks; }

dl_g *dl_of(race_g *gs)
{
    if (!gs) return NULL;
    void **p = race_g_locks(gs);
    if (*p) return *p;
    dl_g *x = calloc(1, sizeof *x);
    if (!x || !dl_grow(&all, &capall, nall + 1, sizeof *all)) {
        free(x);
        report_degraded(no_memory);
        return NULL;
    }
    x->goid = race_g_goid(gs);
    x->gs = gs;
    all[nall++] = x;
    return *p = x;
}

dl_g *dl_current(void)
{
    /* Locks are taken in runs by one goroutine: remember the last one. */
    static race_g *last_gs;
    static dl_g *last;
    race_g *gs = race_current();
    if (gs != last_gs || !last) {
        last_gs = gs;
        last = dl_of(gs);
    }
    return last;
}

dl_g *const *dl_all(uint32_t *n)
{
    *n = nall;
    return all;
}

dl_site dl_here(uintptr_t pc)
{
    race_g *g = race_current();
    return (dl_site){g ? race_g_frame(g) : 0, pc};
}

const char *dl_type(uint32_t lock)
{
    return dl_locks[lock].type ? dl_locks[lock].type : "mutex";
}

/* ---- holders ---- */

static void hold(dl_g *x, uint32_t lock, bool shared, dl_site taken)
{
    dl_lock *l = &dl_locks[lock];
    if (!dl_grow(&x->held, &x->capheld, x->nheld + 1, sizeof *x->held)) return;
    x->held[x->nheld++] = (dl_hold){l->addr, lock, shared, taken};
    if (!shared) {
        l->writer = x;
    } else if (dl_grow(&l->readers, &l->capreaders, l->nreaders + 1, sizeof *l->readers)) {
        l->readers[l->nreaders++] = x;
    }
}

/* Element moves are loops, not memmove: this library's memmove is the
   checked program's wrapped one. */
static void drop_hold_at(dl_g *x, uint32_t i)
{
    for (uint32_t j = i; j + 1 < x->nheld; j++) x->held[j] = x->held[j + 1];
    x->nheld--;
}

static void drop_held(dl_g *x, uint32_t lock, bool shared)
{
    for (uint32_t i = x->nheld; i > 0; i--)
        if (x->held[i - 1].lock == lock && x->held[i - 1].shared == shared) {
            drop_hold_at(x, i - 1);
            return;
        }
}

static void remove_at(dl_g **v, uint32_t *n, uint32_t i)
{
    for (uint32_t j = i; j + 1 < *n; j++) v[j] = v[j + 1];
    (*n)--;
}

static void unqueue(dl_lock *l, const dl_g *x)
{
    for (uint32_t i = 0; i < l->nwqueue; i++)
        if (l->wqueue[i] == x) {
            remove_at(l->wqueue, &l->nwqueue, i);
            return;
        }
}

static void stop_waiting(dl_g *x, uint32_t lock)
{
    if (x->waiting != lock + 1) return;
    if (!x->wait_shared) unqueue(&dl_locks[lock], x);
    x->waiting = 0;
}

/* ---- events ---- */

void dl_request(const void *lock, const char *type, bool shared, bool blocks, uintptr_t pc)
{
    if (!corace_opts.detect_deadlocks) return;
    dl_g *x = dl_current();
    /* Nothing to learn from a free lock asked for with no lock held: no
       order edge, no wait, and no read lock it could be recursive with.
       Its node is made when it is taken. */
    if (!x || (!blocks && !x->nheld)) return;
    uint32_t n = dl_lock_of(lock, type);
    if (n == UINT32_MAX) return;
    dl_site asked = dl_here(pc);
    x->asked_addr = lock;
    x->asked_node = n;
    lockorder_request(x, n, shared, asked);
    if (!blocks) return;
    dl_lock *l = &dl_locks[n];
    if (!shared) {
        if (!dl_grow(&l->wqueue, &l->capwqueue, l->nwqueue + 1, sizeof *l->wqueue)) return;
        l->wqueue[l->nwqueue++] = x;
    }
    x->waiting = n + 1;
    x->wait_shared = shared;
    x->asked = asked;
    waitfor_blocked(x);
}

void dl_acquired(const void *lock, const char *type, bool shared, uintptr_t pc)
{
    if (!corace_opts.detect_deadlocks) return;
    dl_g *x = dl_current();
    if (!x) return;
    bool asked = x->asked_addr == lock;
    uint32_t n = asked                    ? x->asked_node
               : x->last_addr == lock     ? x->last_node
                                          : dl_lock_of(lock, type);
    if (n == UINT32_MAX) return;
    x->asked_addr = NULL;
    x->last_addr = lock;
    x->last_node = n;
    dl_site taken = {race_g_frame(x->gs), pc};
    if (!asked && !shared && type[0] == 'r') lockorder_taken(x, n, shared, taken);
    hold(x, n, shared, taken);
}

void dl_granted(void *gs, const void *lock, bool shared)
{
    if (!corace_opts.detect_deadlocks) return;
    dl_g *x = dl_of(gs);
    uint32_t n = x ? dl_lock_of(lock, NULL) : UINT32_MAX;
    if (n == UINT32_MAX) return;
    stop_waiting(x, n);
    /* It holds the lock from where it asked for it. */
    hold(x, n, shared, x->asked);
}

/* Any goroutine may unlock (as in Go).  A read unlock drops the caller's own
   read hold when it has one, else the oldest reader's. */
void dl_released(const void *lock, bool shared)
{
    if (!corace_opts.detect_deadlocks) return;
    /* Mostly the releaser holds it, and it was its last lock taken. */
    dl_g *me = dl_current();
    if (me)
        for (uint32_t i = me->nheld; i > 0; i--) {
            const dl_hold *h = &me->held[i - 1];
            if (h->addr != lock || h->shared != shared) continue;
            dl_lock *l = &dl_locks[h->lock];
            if (!shared) {
                l->writer = NULL;
            } else {
                uint32_t k = 0;
                while (k < l->nreaders && l->readers[k] != me) k++;
                if (k < l->nreaders) remove_at(l->readers, &l->nreaders, k);
            }
            drop_hold_at(me, i - 1);
            return;
        }
    uint32_t n = dl_lock_find(lock);
    if (n == UINT32_MAX) return;
    dl_lock *l = &dl_locks[n];
    /* Go lets any goroutine unlock: the holder did not, so a goroutine
       blocked holding this lock may yet be freed by someone else. */
    l->handed = true;
    dl_g *owner = NULL;
    if (!shared) {
        owner = l->writer;
        l->writer = NULL;
    } else if (l->nreaders) {
        owner = l->readers[0];
        remove_at(l->readers, &l->nreaders, 0);
    }
    if (owner) drop_held(owner, n, shared);
}

void dl_waits_for(const dl_g *x, void (*fn)(dl_g *dep, bool held, void *ctx), void *ctx)
{
    if (!x->waiting) return;
    dl_lock *l = &dl_locks[x->waiting - 1];
    if (l->writer) {
        fn(l->writer, true, ctx);
        return;
    }
    if (x->wait_shared) {
        /* Go's RWMutex: a pending writer holds back new readers. */
        if (l->nwqueue) fn(l->wqueue[0], false, ctx);
        return;
    }
    if (l->nreaders) {
        for (uint32_t i = 0; i < l->nreaders; i++) fn(l->readers[i], true, ctx);
        return;
    }
    for (uint32_t i = 0; i < l->nwqueue && l->wqueue[i] != x; i++) fn(l->wqueue[i], false, ctx);
}
