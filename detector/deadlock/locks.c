/*
 * locks.c - the lock table and the lock events that keep it current.
 *
 * Locks are found by address through open addressing over node indices;
 * nodes are never removed (a lock's order edges outlive its holders).
 * Each goroutine's held list is a plain array, searched from the end: locks
 * are mostly released in the reverse order of taking.
 */
#include "locks.h"

#include <stdlib.h>
#include <string.h>

#include "detector/report/options.h"
#include "detector/report/report.h"

dl_lock *dl_locks;
static uint32_t nlocks, caplocks;
static uint32_t *index_of;   /* node index + 1; 0 is empty */
static uint32_t capidx;
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

static uint32_t hash(const void *lock)
{
    uint64_t h = (uint64_t)(uintptr_t)lock * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

static uint32_t *slot(const void *lock)
{
    for (uint32_t i = hash(lock) & (capidx - 1);; i = (i + 1) & (capidx - 1))
        if (!index_of[i] || dl_locks[index_of[i] - 1].addr == lock) return &index_of[i];
}

uint32_t dl_lock_find(const void *lock)
{
    if (!capidx) return UINT32_MAX;
    uint32_t s = *slot(lock);
    return s ? s - 1 : UINT32_MAX;
}

uint32_t dl_lock_of(const void *lock, const char *type)
{
    if ((nlocks + 1) * 2 > capidx) {
        uint32_t ncap = capidx ? capidx * 2 : 256;
        uint32_t *t = calloc(ncap, sizeof *t);
        if (!t) {
            report_degraded(no_memory);
            return UINT32_MAX;
        }
        free(index_of);
        index_of = t;
        capidx = ncap;
        for (uint32_t i = 0; i < nlocks; i++) *slot(dl_locks[i].addr) = i + 1;
    }
    uint32_t *s = slot(lock);
    if (*s) {
        if (type && !dl_locks[*s - 1].type) dl_locks[*s - 1].type = type;
        return *s - 1;
    }
    if (!dl_grow(&dl_locks, &caplocks, nlocks + 1, sizeof *dl_locks)) return UINT32_MAX;
    dl_locks[nlocks] = (dl_lock){.addr = lock, .type = type};
    *s = ++nlocks;
    return nlocks - 1;
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
    all[nall++] = x;
    return *p = x;
}

dl_g *dl_current(void) { return dl_of(race_current()); }

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
    x->held[x->nheld++] = (dl_hold){lock, shared, taken};
    if (!shared) {
        l->writer = x;
    } else if (dl_grow(&l->readers, &l->capreaders, l->nreaders + 1, sizeof *l->readers)) {
        l->readers[l->nreaders++] = x;
    }
}

static void drop_held(dl_g *x, uint32_t lock, bool shared)
{
    for (uint32_t i = x->nheld; i > 0; i--)
        if (x->held[i - 1].lock == lock && x->held[i - 1].shared == shared) {
            memmove(&x->held[i - 1], &x->held[i], (x->nheld - i) * sizeof *x->held);
            x->nheld--;
            return;
        }
}

static void unqueue(dl_lock *l, const dl_g *x)
{
    for (uint32_t i = 0; i < l->nwqueue; i++)
        if (l->wqueue[i] == x) {
            memmove(&l->wqueue[i], &l->wqueue[i + 1], (l->nwqueue - i - 1) * sizeof *l->wqueue);
            l->nwqueue--;
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
    uint32_t n = x ? dl_lock_of(lock, type) : UINT32_MAX;
    if (n == UINT32_MAX) return;
    dl_site asked = dl_here(pc);
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

void dl_acquired(const void *lock, bool shared, uintptr_t pc)
{
    if (!corace_opts.detect_deadlocks) return;
    dl_g *x = dl_current();
    uint32_t n = x ? dl_lock_of(lock, NULL) : UINT32_MAX;
    if (n == UINT32_MAX) return;
    hold(x, n, shared, dl_here(pc));
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
    uint32_t n = dl_lock_find(lock);
    if (n == UINT32_MAX) return;
    dl_lock *l = &dl_locks[n];
    dl_g *owner = NULL;
    if (!shared) {
        owner = l->writer;
        l->writer = NULL;
    } else if (l->nreaders) {
        dl_g *me = dl_current();
        uint32_t i = 0;
        while (i < l->nreaders && l->readers[i] != me) i++;
        if (i == l->nreaders) i = 0;
        owner = l->readers[i];
        memmove(&l->readers[i], &l->readers[i + 1], (l->nreaders - i - 1) * sizeof *l->readers);
        l->nreaders--;
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
