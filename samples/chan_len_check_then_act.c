// expect: clean
// explore: deadlock
/*
 * Seed 003 (Go concurrency chapter, "Buffers": a channel of capacity 2 and
 * a send that finds the buffer full blocks, "fatal error: all goroutines
 * are asleep - deadlock!").
 *
 * Bug: a check-then-act race on a channel's length: two reporters send
 * into a mailbox of capacity 1 only if len < cap, and both can see room
 * before either sends.  The mailbox holds the latest status only; the
 * check is meant to keep a reporter from ever blocking:
 *   if len(mailbox) < cap(mailbox) { mailbox <- status }
 * The check and the send are two steps.  Usually one reporter posts and
 * the other sees the mailbox full and drops its status.  But if one is
 * preempted between its check and its send while the other checks, both
 * see room, both send, and the second send blocks forever on the full
 * buffer; nobody receives until both reporters are done, so main waits in
 * wg.Wait():
 *   fatal error: all goroutines are asleep - deadlock!
 * with a reporter in [chan send].  The window holds no function call, so
 * `corace run` (which preempts at function entries) never splits it and
 * every run is clean; `corace explore` also preempts at memory accesses
 * and sync operations, and finds the schedule that hangs.
 *
 * Fix (chan_len_check_then_act_fixed.c): a select with a default case,
 *   select { case mailbox <- status: default: }
 * checks for room and sends as one operation, so no other goroutine can
 * fill the buffer in between.
 */
#include <corace.h>
#include <stdio.h>

static co_chan *mailbox; /* capacity 1: the latest status only */
static co_waitgroup wg;

struct reporter {
    int id;
    int status;
    int posted; /* this reporter's own count: posted (1) or dropped (0) */
};

/* Computing the status: a few calls, no shared state. */
static int probe(int id, int i)
{
    return (id * 100 + i) % 97;
}

static void reporter(void *arg)
{
    struct reporter *r = arg;
    for (int i = 0; i < 8; i++)
        r->status += probe(r->id, i);
    if (co_chan_len(mailbox) < co_chan_cap(mailbox)) { /* BUG: check... */
        /* The window: the other reporter may fill the mailbox from here
           until the send below.  No call in it. */
        r->posted = 1;
        co_chan_send(mailbox, &r->status); /* ...then act: blocks forever if it is full now */
    }
    co_waitgroup_done(&wg);
}

int main(void)
{
    struct reporter r1 = {1, 0, 0}, r2 = {2, 0, 0};
    mailbox = co_chan_make(sizeof(int), 1);
    co_waitgroup_add(&wg, 2);
    co_go(reporter, &r1);
    co_go(reporter, &r2);
    co_waitgroup_wait(&wg);
    while (co_chan_len(mailbox) > 0) {
        int status;
        co_chan_recv(mailbox, &status);
        printf("status %d\n", status);
    }
    printf("posted: reporter 1 %d, reporter 2 %d\n", r1.posted, r2.posted);
    return 0;
}
