/*
 * park.h - waiter records and wait queues (Go's sudog and waitq).
 *
 * A goroutine that blocks puts a co__waiter on its own stack and links it
 * into the object's queue, so blocking never allocates.  A select links one
 * waiter per case; the first case to fire sets g->selectdone, which makes
 * the other waiters stale: whoever meets a stale waiter in a queue unlinks
 * it and looks further.
 */
#ifndef CORACE_PARK_H
#define CORACE_PARK_H

#include <stdbool.h>

#include "scheduler.h"

typedef struct co__waiter {
    struct co__waiter *_next, *_prev; /* links in one co__waitq */
    g *gp;                 /* the blocked goroutine */
    void *elem;            /* value to send, or where a received value goes */
    co__waitq *q;          /* the queue it is linked into, NULL once unlinked */
    int32_t index;         /* select case index */
    bool isselect;         /* one of several waiters of one select */
    bool success;          /* woken by a completed operation, not by close */
} co__waiter;

static inline void waitq_push(co__waitq *q, co__waiter *w)
{
    w->_next = NULL;
    w->_prev = q->_tail;
    if (q->_tail) q->_tail->_next = w;
    else q->_head = w;
    q->_tail = w;
    w->q = q;
}

static inline void waitq_unlink(co__waiter *w)
{
    co__waitq *q = w->q;
    if (!q) return;
    if (w->_prev) w->_prev->_next = w->_next;
    else q->_head = w->_next;
    if (w->_next) w->_next->_prev = w->_prev;
    else q->_tail = w->_prev;
    w->_next = w->_prev = NULL;
    w->q = NULL;
}

/* The first waiter that can still be woken, unlinked; NULL if none.  A select
   waiter taken here wins its select. */
static inline co__waiter *waitq_take(co__waitq *q)
{
    for (co__waiter *w; (w = q->_head) != NULL;) {
        waitq_unlink(w);
        if (w->isselect) {
            if (w->gp->selectdone) continue;
            w->gp->selectdone = true;
        }
        return w;
    }
    return NULL;
}

static inline bool waitq_empty(const co__waitq *q) { return q->_head == NULL; }

/* Park the running goroutine on w until a waker readies it via wake(). */
static inline void park_on(co__waitq *q, co__waiter *w, enum waitreason wr)
{
    /* The queue lies inside the object: its address names the object. */
    sched_cur->waitobj = q;
    sched_cur->waitn = 0;
    w->gp = sched_cur;
    w->isselect = false;
    w->success = false;
    waitq_push(q, w);
    sched_park(wr);
}

/* Hand the outcome to w's goroutine and make it runnable. */
static inline void wake(co__waiter *w, bool success)
{
    w->success = success;
    w->gp->param = w;
    sched_ready(w->gp);
}

#endif
