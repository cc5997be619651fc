/*
 * chan.c - channels.
 *
 * Values move directly between a running goroutine and a parked one when
 * they can (a blocked receiver's buffer is written by the sender), so an
 * unbuffered hand-off is one copy and one context switch.  No operation here
 * allocates or makes a system call.
 */
#include "chan.h"

#include <stdlib.h>
#include <string.h>

#include "announce.h"
#include "fatal.h"
#include "rtlibc.h"
#include "park.h"
#include "timer.h"

co_chan *co_chan_make(size_t elem_size, size_t cap)
{
    if (elem_size && cap > ((size_t)1 << 40) / elem_size) fatal_panic("makechan: size out of range");
    co_chan *c = calloc(1, sizeof *c + elem_size * cap);
    if (!c) fatal_throw("out of memory allocating a channel");
    c->elemsize = elem_size;
    c->cap = cap;
    return c;
}

static inline unsigned char *slot(co_chan *c, size_t i) { return c->buf + i * c->elemsize; }

/* Word-sized elements, the common case, are copied without a call. */
static inline void copy_elem(void *dst, const void *src, size_t n)
{
    if (!dst) return;
    switch (n) {
    case 0: return;
    case 4: memcpy(dst, src, 4); return;
    case 8: memcpy(dst, src, 8); return;
    default: rt_memcpy(dst, src, n);
    }
}

/* Drop waiters whose select already fired through another case. */
static bool has_live(co__waitq *q)
{
    for (co__waiter *w; (w = q->_head) != NULL; waitq_unlink(w))
        if (!w->isselect || !w->gp->selectdone) return true;
    return false;
}

bool chan_send_ready(co_chan *c)
{
    return c->closed || c->len < c->cap || has_live(&c->recvq);
}

bool chan_recv_ready(co_chan *c)
{
    return c->len > 0 || c->closed || has_live(&c->sendq);
}

bool chan_try_send(co_chan *c, const void *elem)
{
    if (c->closed) fatal_panic("send on closed channel");
    co__waiter *r = waitq_take(&c->recvq);
    if (r) {
        if (c->cap == 0) {
            /* HB: a send is synchronized before the completion of the
               receive that takes its value, and on an unbuffered channel
               the receive is synchronized before the send completes. */
            ev_handoff(r->gp);
            ev_handback(r->gp);
        } else {
            /* The value passes through slot recvx without resting there:
               both sides synchronize on the slot, as if it had. */
            const void *s = slot(c, c->recvx);
            ev_release_acquire(s);
            ev_release_acquire_for(r->gp, s);
            if (++c->recvx == c->cap) c->recvx = 0;
            c->sendx = c->recvx;
        }
        copy_elem(r->elem, elem, c->elemsize);
        wake(r, true);
        return true;
    }
    if (c->len < c->cap) {
        /* HB: the send into slot k is synchronized before the receive from
           slot k completes, and the receive that emptied it before this
           send completes. */
        ev_release_acquire(slot(c, c->sendx));
        copy_elem(slot(c, c->sendx), elem, c->elemsize);
        if (++c->sendx == c->cap) c->sendx = 0;
        c->len++;
        return true;
    }
    return false;
}

bool chan_send_nonblock(co_chan *c, const void *elem)
{
    return !c->closed && chan_try_send(c, elem);
}

bool chan_try_recv(co_chan *c, void *out, bool *ok)
{
    if (c->len > 0) {
        unsigned char *p = slot(c, c->recvx);
        ev_release_acquire(p);
        copy_elem(out, p, c->elemsize);
        co__waiter *s = waitq_take(&c->sendq);
        if (s) {
            /* The buffer is full: the oldest blocked sender's value takes the
               slot just emptied, which is also the tail.
               HB: the k-th receive is synchronized before the (k+cap)-th send
               completes. */
            ev_release_acquire_for(s->gp, p);
            copy_elem(p, s->elem, c->elemsize);
            if (++c->recvx == c->cap) c->recvx = 0;
            c->sendx = c->recvx;
            wake(s, true);
        } else {
            if (++c->recvx == c->cap) c->recvx = 0;
            c->len--;
        }
        *ok = true;
        return true;
    }
    co__waiter *s = waitq_take(&c->sendq);
    if (s) {
        /* HB: on an unbuffered channel the receive is synchronized before
           the send completes (and the send before the receive completes). */
        ev_handback(s->gp);
        ev_handoff(s->gp);
        copy_elem(out, s->elem, c->elemsize);
        wake(s, true);
        *ok = true;
        return true;
    }
    if (c->closed) {
        /* HB: close is synchronized before a receive that returns because
           the channel is closed. */
        ev_acquire(c);
        if (out && c->elemsize) rt_memset(out, 0, c->elemsize);
        *ok = false;
        return true;
    }
    return false;
}

void co_chan_send(co_chan *c, const void *elem)
{
    ev_sync_point();
    if (!c) {
        for (;;) sched_park(WR_CHAN_SEND_NIL);
    }
    if (chan_try_send(c, elem)) return;
    co__waiter w = {.elem = (void *)(uintptr_t)elem};
    park_on(&c->sendq, &w, WR_CHAN_SEND);
    if (!w.success) fatal_panic("send on closed channel");
}

bool co_chan_recv(co_chan *c, void *elem_out)
{
    ev_sync_point();
    if (!c) {
        for (;;) sched_park(WR_CHAN_RECV_NIL);
    }
    bool ok;
    if (chan_try_recv(c, elem_out, &ok)) return ok;
    co__waiter w = {.elem = elem_out};
    park_on(&c->recvq, &w, WR_CHAN_RECV);
    if (!w.success) {
        ev_acquire(c);
        if (elem_out && c->elemsize) rt_memset(elem_out, 0, c->elemsize);
    }
    return w.success;
}

void co_chan_close(co_chan *c)
{
    ev_sync_point();
    if (!c) fatal_panic("close of nil channel");
    if (c->closed) fatal_panic("close of closed channel");
    c->closed = true;
    /* HB: close is synchronized before every receive it wakes. */
    ev_release_merge(c);
    for (co__waiter *w; (w = waitq_take(&c->recvq)) != NULL;) wake(w, false);
    /* Blocked senders wake to panic, as in Go. */
    for (co__waiter *w; (w = waitq_take(&c->sendq)) != NULL;) wake(w, false);
}

size_t co_chan_len(co_chan *c) { return c ? c->len : 0; }

size_t co_chan_cap(co_chan *c) { return c ? c->cap : 0; }

void co_chan_free(co_chan *c)
{
    if (!c) return;
    if (has_live(&c->recvq) || has_live(&c->sendq))
        fatal_throw("co_chan_free of a channel with blocked goroutines");
    if (c->timer) {
        timer_disarm(c->timer);
        free(c->timer);
    }
    if (ev) {
        ev_sync_free(c);
        for (size_t i = 0; i < c->cap; i++) ev_sync_free(slot(c, i));
    }
    free(c);
}
