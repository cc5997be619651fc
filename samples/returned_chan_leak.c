// expect: leak
/*
 * Seed 003 (Go concurrency chapter, "Some more common practices":
 * doSomething() makes a channel, starts a goroutine that ranges over it
 * and returns the channel; main does `ch := doSomething(); ch <- 1;
 * ch <- 4`).
 *
 * Bug: the channel is never closed, so the goroutine started inside
 * do_something() never leaves its range loop; and main does not wait for
 * it, so the last value may not be logged before the process exits.  When
 * main returns the goroutine is still blocked in a receive: a leak.
 *
 * Fix (returned_chan_leak_fixed.c): do_something() also returns a "done"
 * channel that its goroutine closes when the range loop ends; main closes
 * the work channel when it has nothing more to send and waits on done.
 */
#include <corace.h>
#include <stdio.h>

static void logger(void *arg)
{
    co_chan *ch = arg;
    int i;
    while (co_chan_recv(ch, &i)) /* for i := range ch */
        printf("%d\n", i);
}

static co_chan *do_something(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 0);
    co_go(logger, ch);
    return ch;
}

int main(void)
{
    co_chan *ch = do_something();
    int v;
    v = 1;
    co_chan_send(ch, &v);
    v = 4;
    co_chan_send(ch, &v);
    return 0; /* BUG: ch never closed; the logger goroutine leaks */
}
