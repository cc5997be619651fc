// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Buffers"): fixed twin of
 * chan_len_check_then_act.c.
 *
 * What changed: a reporter posts with a select that has a default case,
 * Go's non-blocking send:
 *   select { case mailbox <- status: default: }
 * The runtime checks for room and sends in one step, so the other reporter
 * cannot fill the buffer between the two; whichever comes second finds it
 * full and drops its status, on every schedule.  Prints the one status
 * posted, then which reporter posted it.
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

static int probe(int id, int i)
{
    return (id * 100 + i) % 97;
}

static void reporter(void *arg)
{
    struct reporter *r = arg;
    for (int i = 0; i < 8; i++)
        r->status += probe(r->id, i);
    co_case post[] = {CO_SEND(mailbox, &r->status)};
    if (co_select(post, 1, true) == 0) /* -1: the mailbox was full, dropped */
        r->posted = 1;
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
