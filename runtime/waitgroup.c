/*
 * waitgroup.c - sync.WaitGroup.
 *
 * Invariant: goroutines wait only while the counter is positive; the Add
 * that brings it to zero releases them all at once.
 */
#include "fatal.h"
#include "announce.h"
#include "park.h"
#include "syncuse.h"

static void add(co_waitgroup *wg, int delta)
{
    int64_t v = wg->_count + delta;
    wg->_count = v;
    /* As Go's: Done (a negative delta) releases; a positive Add does not. */
    if (delta < 0) ev_release_merge(wg);
    if (v < 0) fatal_panic("sync: negative WaitGroup counter");
    if (v > 0 || delta == 0) return;
    /* HB: every Add and Done is synchronized before the Wait it releases
       returns. */
    for (co__waiter *w; (w = waitq_take(&wg->_waiters)) != NULL;) wake(w, true);
}

void co_waitgroup_add(co_waitgroup *wg, int delta)
{
    ev_sync_point();
    SYNC_USE(wg, "sync.WaitGroup");
    add(wg, delta);
}

void co_waitgroup_done(co_waitgroup *wg)
{
    SYNC_USE(wg, "sync.WaitGroup");
    add(wg, -1);
}

void co_waitgroup_wait(co_waitgroup *wg)
{
    ev_sync_point();
    SYNC_USE(wg, "sync.WaitGroup");
    if (wg->_count == 0) {
        ev_acquire(wg);
        return;
    }
    co__waiter w = {0};
    park_on(&wg->_waiters, &w, WR_WAITGROUP);
    ev_acquire(wg);
    /* Released at zero but counting again before this Wait returned. */
    if (wg->_count != 0) fatal_panic("sync: WaitGroup is reused before previous Wait has returned");
}
