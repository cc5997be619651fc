/*
 * once.c - sync.Once.
 *
 * Callers that arrive while fn runs wait for it to return, as Go's do on the
 * Once's mutex (and are reported with Go's wait reason for it); a Do on the
 * same Once from inside fn therefore deadlocks, as in Go.
 */
#include "announce.h"
#include "park.h"

void co_once_do(co_once *o, co_fn fn, void *arg)
{
    ev_sync_point();
    if (o->_done) {
        ev_acquire(o);
        return;
    }
    if (o->_running) {
        co__waiter w = {0};
        park_on(&o->_waiters, &w, WR_MUTEX);
        ev_acquire(o);
        return;
    }
    o->_running = 1;
    fn(arg);
    o->_done = 1;
    o->_running = 0;
    /* HB: the return of fn is synchronized before the return of every Do. */
    ev_release_merge(o);
    for (co__waiter *w; (w = waitq_take(&o->_waiters)) != NULL;) wake(w, true);
}
