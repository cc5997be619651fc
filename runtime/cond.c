/*
 * cond.c - sync.Cond.
 *
 * Wait joins the queue before it unlocks the mutex, so a Signal sent
 * between the unlock and the park still finds it: no lost wake-up.
 */
#include "announce.h"
#include "mutex.h"
#include "park.h"
#include "syncuse.h"

void co_cond_wait(co_cond *c, co_mutex *m)
{
    ev_sync_point();
    SYNC_USE(c, "sync.Cond");
    co__waiter w = {0};
    w.gp = sched_cur;
    sched_cur->waitobj = c;
    sched_cur->waitn = 0;
    waitq_push(&c->_waiters, &w);
    co_mutex_unlock(m);
    sched_park(WR_COND);
    mutex_lock_at(m, (uintptr_t)__builtin_return_address(0));
}

void co_cond_signal(co_cond *c)
{
    ev_sync_point();
    SYNC_USE(c, "sync.Cond");
    /* HB: Signal is synchronized before the Wait it wakes returns. */
    co__waiter *w = waitq_take(&c->_waiters);
    if (w) {
        ev_handoff(w->gp);
        wake(w, true);
    }
}

void co_cond_broadcast(co_cond *c)
{
    ev_sync_point();
    SYNC_USE(c, "sync.Cond");
    /* HB: Broadcast is synchronized before every Wait it wakes returns. */
    for (co__waiter *w; (w = waitq_take(&c->_waiters)) != NULL;) {
        ev_handoff(w->gp);
        wake(w, true);
    }
}
