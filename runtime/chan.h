/*
 * chan.h - channel internals shared by chan.c, select.c and time.c.
 *
 * Invariants (Go's chan.go): at least one of sendq and recvq holds no live
 * waiter; receivers wait only when the buffer is empty, senders only when it
 * is full; a closed channel has no waiting senders.
 */
#ifndef CORACE_CHAN_H
#define CORACE_CHAN_H

#include <stdbool.h>
#include <stddef.h>

#include "corace.h"

struct tmr;

struct co_chan {
    size_t elemsize;       /* bytes per element */
    size_t cap;            /* buffer slots; 0 for unbuffered */
    size_t len;            /* values in the buffer */
    size_t recvx, sendx;   /* next slot to receive from / send into */
    bool closed;
    co__waitq recvq;       /* blocked receivers */
    co__waitq sendq;       /* blocked senders */
    struct tmr *timer;     /* the timer that feeds it (co_after, tickers), else NULL */
    unsigned char buf[];   /* cap * elemsize bytes */
};

/* Complete a send now if a receiver waits or the buffer has room.  Panics on
   a closed channel, as a send there does. */
bool chan_try_send(co_chan *c, const void *elem);
/* Complete a receive now if a value or close is there; *ok tells which. */
bool chan_try_recv(co_chan *c, void *out, bool *ok);
/* Whether a send or receive could complete now (stale waiters pruned). */
bool chan_send_ready(co_chan *c);
bool chan_recv_ready(co_chan *c);
/* A send that never blocks and never panics: for timers, whose value is
   dropped when the buffer is full (Go's sendTime). */
bool chan_send_nonblock(co_chan *c, const void *elem);

#endif
