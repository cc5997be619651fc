/*
 * select.c - Go's select.
 *
 * Pass 1 looks at every case and picks one of the ready ones uniformly at
 * random (reservoir sampling with the seeded generator, so the same CO_SEED
 * makes the same choices).  With none ready and no default, pass 2 links one
 * waiter per case and parks once; the first case to fire marks the select
 * done, and pass 3 unlinks the waiters that lost.
 */
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "announce.h"
#include "fatal.h"
#include "rtlibc.h"
#include "park.h"

enum { DIR_SEND = 1, DIR_RECV = 2, STACK_WAITERS = 64 };

static bool ready(const co_case *k)
{
    if (!k->_chan) return false;
    return k->_dir == DIR_SEND ? chan_send_ready(k->_chan) : chan_recv_ready(k->_chan);
}

static void run_ready(co_case *k)
{
    bool ok;
    if (k->_dir == DIR_SEND) {
        chan_try_send(k->_chan, k->_elem);
    } else {
        chan_try_recv(k->_chan, k->_elem, &ok);
        if (k->_ok) *k->_ok = ok;
    }
}

int co_select(co_case *cases, size_t n, bool has_default)
{
    ev_sync_point();
    if (n && !cases) fatal_panic("runtime error: invalid memory address or nil pointer dereference");
    for (size_t i = 0; i < n; i++)
        if (cases[i]._dir != DIR_SEND && cases[i]._dir != DIR_RECV)
            fatal_panic("co_select: case %zu was not made with CO_SEND or CO_RECV", i);

    int chosen = -1;
    uint32_t nready = 0;
    for (size_t i = 0; i < n; i++)
        if (ready(&cases[i]) && sched_randn(++nready) == 0) chosen = (int)i;
    if (chosen >= 0) {
        run_ready(&cases[chosen]);
        return chosen;
    }
    if (has_default) return -1;
    if (n == 0) {
        for (;;) sched_park(WR_SELECT_NO_CASES);
    }

    co__waiter stack_ws[STACK_WAITERS];
    co__waiter *ws = stack_ws;
    if (n > STACK_WAITERS && !(ws = malloc(n * sizeof *ws))) fatal_throw("out of memory in select");
    g *cur = sched_cur;
    size_t linked = 0;
    for (size_t i = 0; i < n; i++) {
        co__waiter *w = &ws[i];
        rt_memset(w, 0, sizeof *w);
        if (!cases[i]._chan) continue;
        w->gp = cur;
        w->elem = cases[i]._elem;
        w->index = (int32_t)i;
        w->isselect = true;
        waitq_push(cases[i]._dir == DIR_SEND ? &cases[i]._chan->sendq : &cases[i]._chan->recvq, w);
        linked++;
    }
    cur->waitobj = cases;
    cur->waitn = (uint32_t)n;
    if (!linked) {
        /* Only nil channels: nothing can ever fire. */
        for (;;) sched_park(WR_SELECT);
    }
    cur->selectdone = false;
    sched_park(WR_SELECT);

    co__waiter *win = cur->param;
    for (size_t i = 0; i < n; i++) waitq_unlink(&ws[i]);
    cur->selectdone = false;
    chosen = win->index;
    co_case *k = &cases[chosen];
    bool success = win->success;
    if (ws != stack_ws) free(ws);
    if (k->_dir == DIR_SEND) {
        if (!success) fatal_panic("send on closed channel");
    } else {
        if (!success) {
            ev_acquire(k->_chan);
            if (k->_elem && k->_chan->elemsize) rt_memset(k->_elem, 0, k->_chan->elemsize);
        }
        if (k->_ok) *k->_ok = success;
    }
    return chosen;
}
