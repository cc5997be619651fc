// expect: partial,leak
/*
 * Built on seed 003's pattern (Go concurrency chapter, "Some more common
 * practices": a function makes a channel, starts goroutines on it and
 * returns), with an error path added to show corace's partial-deadlock
 * report (docs/partial-deadlock.md).  load_config() starts a parser
 * goroutine that hands the parsed value to a waiting applier goroutine over
 * an unbuffered channel, then returns; main goes on serving requests.
 *
 * Bug: the parser has an error path (a malformed line) that returns early
 * without sending and without closing the channel.  The applier waits in a
 * receive that nothing can ever complete: the only goroutine that held the
 * channel has exited, and no other goroutine, global or heap object still
 * points to it.  The program does not hang (main keeps working), so no
 * "all goroutines are asleep" ever comes: the applier is silently stuck,
 * and the config silently never applied.  The checker reports the applier
 * as soon as the parser has exited, while main still works, and again in
 * the leak report when main returns.
 *
 * Fix (partial_deadlock_fixed.c): the parser closes the channel on every
 * path (Go's `defer close(ch)`); the applier's receive then returns false
 * and it reports the error instead of waiting; main waits for it.
 */
#include <corace.h>
#include <stdio.h>
#include <string.h>

struct config {
    int workers;
};

static void applier(void *arg)
{
    co_chan *parsed = arg;
    struct config cfg;
    co_chan_recv(parsed, &cfg); /* blocks forever: nobody will send or close */
    printf("applied: %d workers\n", cfg.workers);
}

static void parser(void *arg)
{
    co_chan *parsed = arg;
    const char *text = "workers=four";
    struct config cfg = {0};
    if (sscanf(text, "workers=%d", &cfg.workers) != 1)
        return; /* BUG: error path: neither sends nor closes */
    co_chan_send(parsed, &cfg);
}

static void load_config(void)
{
    co_chan *parsed = co_chan_make(sizeof(struct config), 0);
    co_go(applier, parsed);
    co_go(parser, parsed);
}

static co_waitgroup served;
static int answers[4];

static void serve(void *arg)
{
    int id = (int)(long)arg;
    answers[id] = id * id;
    co_sleep(2 * CO_MILLISECOND);
    co_waitgroup_done(&served);
}

int main(void)
{
    load_config();
    /* Main goes on serving while the applier is stuck. */
    for (int round = 0; round < 3; round++) {
        co_waitgroup_add(&served, 4);
        for (long i = 0; i < 4; i++)
            co_go(serve, (void *)i);
        co_waitgroup_wait(&served);
    }
    printf("served: %d\n", answers[3]);
    return 0;
}
