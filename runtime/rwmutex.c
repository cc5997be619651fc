/*
 * rwmutex.c - sync.RWMutex, writer-preferring as Go's.
 *
 * Invariants: _writer != 0 implies _readers == 0; a writer blocked in Lock
 * (_pending_writers > 0) holds back every later RLock; when the write lock is
 * released, the readers that queued behind it all get in before the next
 * writer, so neither side starves.  Handing the lock over is done by the
 * releaser, so a woken goroutine already holds what it waited for.
 */
#include "fatal.h"
#include "announce.h"
#include "park.h"
#include "syncuse.h"

/* The checker's two sync objects per RWMutex, as Go's race annotations use
   its two semaphores: writers release into and everyone acquires from R,
   readers release into W, which writers acquire. */
#define SYNC_R(m) ((const void *)(m))
#define SYNC_W(m) ((const void *)((const char *)(m) + 1))

static void acquired_write(co_rwmutex *m)
{
    ev_acquire(SYNC_R(m));
    ev_acquire(SYNC_W(m));
}

void co_rwmutex_lock(co_rwmutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.RWMutex");
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    bool free_now = m->_writer == 0 && m->_readers == 0 && m->_pending_writers == 0;
    ev_lock_request(m, "rwmutex", false, !free_now, pc);
    if (free_now) {
        /* HB: Unlock and every RUnlock before it are synchronized before
           this Lock returns. */
        m->_writer = sched_cur->id;
        acquired_write(m);
        ev_lock_acquired(m, "rwmutex", false, pc);
        return;
    }
    m->_pending_writers++;
    co__waiter w = {0};
    park_on(&m->_wwaiters, &w, WR_RWMUTEX_LOCK);
    acquired_write(m);
}

bool co_rwmutex_trylock(co_rwmutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.RWMutex");
    if (m->_writer != 0 || m->_readers != 0 || m->_pending_writers != 0) return false;
    m->_writer = sched_cur->id;
    acquired_write(m);
    ev_lock_acquired(m, "rwmutex", false, (uintptr_t)__builtin_return_address(0));
    return true;
}

void co_rwmutex_rlock(co_rwmutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.RWMutex");
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    bool free_now = m->_writer == 0 && m->_pending_writers == 0;
    ev_lock_request(m, "rwmutex", true, !free_now, pc);
    if (free_now) {
        /* HB: the n-th Unlock is synchronized before every RLock that
           follows it returns. */
        m->_readers++;
        ev_acquire(SYNC_R(m));
        ev_lock_acquired(m, "rwmutex", true, pc);
        return;
    }
    co__waiter w = {0};
    park_on(&m->_rwaiters, &w, WR_RWMUTEX_RLOCK);
    ev_acquire(SYNC_R(m));
}

bool co_rwmutex_tryrlock(co_rwmutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.RWMutex");
    if (m->_writer != 0 || m->_pending_writers != 0) return false;
    m->_readers++;
    ev_acquire(SYNC_R(m));
    ev_lock_acquired(m, "rwmutex", true, (uintptr_t)__builtin_return_address(0));
    return true;
}

static void grant_writer(co_rwmutex *m)
{
    co__waiter *w = waitq_take(&m->_wwaiters);
    m->_pending_writers--;
    m->_writer = w->gp->id;
    ev_lock_granted(w->gp, m, false);
    wake(w, true);
}

void co_rwmutex_runlock(co_rwmutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.RWMutex");
    if (m->_readers <= 0) fatal_throw("sync: RUnlock of unlocked RWMutex");
    /* HB: every RUnlock is synchronized before the next Lock returns. */
    ev_release_merge(SYNC_W(m));
    ev_lock_released(m, true);
    if (--m->_readers == 0 && m->_pending_writers > 0) grant_writer(m);
}

void co_rwmutex_unlock(co_rwmutex *m)
{
    ev_sync_point();
    SYNC_USE(m, "sync.RWMutex");
    if (m->_writer == 0) fatal_throw("sync: Unlock of unlocked RWMutex");
    /* HB: Unlock is synchronized before the next Lock and every later RLock
       returns. */
    ev_release_merge(SYNC_R(m));
    ev_lock_released(m, false);
    m->_writer = 0;
    if (!waitq_empty(&m->_rwaiters)) {
        for (co__waiter *w; (w = waitq_take(&m->_rwaiters)) != NULL;) {
            m->_readers++;
            ev_lock_granted(w->gp, m, true);
            wake(w, true);
        }
    } else if (m->_pending_writers > 0) {
        grant_writer(m);
    }
}
