/*
 * mutex.c - sync.Mutex.
 *
 * Unlock hands the mutex straight to the longest waiter, so waiters are
 * served FIFO and a woken goroutine never finds the mutex taken again (Go's
 * starvation mode, always on: with one thread and no preemption, Go's normal
 * mode would buy nothing).  The owner id is kept for reports; as in Go, any
 * goroutine may unlock.
 */
#include "fatal.h"
#include "announce.h"
#include "mutex.h"
#include "park.h"
#include "syncuse.h"

void co_mutex_lock(co_mutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.Mutex");
    mutex_lock_at(m, (uintptr_t)__builtin_return_address(0));
}

void mutex_lock_at(co_mutex *m, uintptr_t pc)
{
    ev_lock_request(m, "mutex", false, m->_owner != 0, pc);
    if (m->_owner == 0) {
        /* HB: the n-th Unlock is synchronized before the m-th Lock returns,
           n < m. */
        m->_owner = sched_cur->id;
        ev_acquire(m);
        ev_lock_acquired(m, "mutex", false, pc);
        return;
    }
    co__waiter w = {0};
    park_on(&m->_waiters, &w, WR_MUTEX);
    ev_acquire(m);
}

bool co_mutex_trylock(co_mutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.Mutex");
    if (m->_owner != 0) return false;
    m->_owner = sched_cur->id;
    ev_acquire(m);
    ev_lock_acquired(m, "mutex", false, (uintptr_t)__builtin_return_address(0));
    return true;
}

void co_mutex_unlock(co_mutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.Mutex");
    if (m->_owner == 0) fatal_throw("sync: unlock of unlocked mutex");
    ev_release_merge(m);
    ev_lock_released(m, false);
    co__waiter *w = waitq_take(&m->_waiters);
    if (!w) {
        m->_owner = 0;
        return;
    }
    m->_owner = w->gp->id;
    /* Announced here, not when w runs: the checker's holders must match
       the runtime's at every moment, or a wait-for cycle could be missed. */
    ev_lock_granted(w->gp, m, false);
    wake(w, true);
}
