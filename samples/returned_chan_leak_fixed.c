// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Some more common practices"): fixed
 * twin of returned_chan_leak.c.
 *
 * What changed: do_something() returns the work channel and a done
 * channel; its goroutine closes done after the range loop ends.  main
 * closes the work channel after its last send and receives from done, so
 * both values are printed and the goroutine has exited before main
 * returns.  Prints 1 and 4.
 */
#include <corace.h>
#include <stdio.h>

struct pipe {
    co_chan *ch;   /* values to log */
    co_chan *done; /* closed by the logger when ch is closed and drained */
};

static void logger(void *arg)
{
    struct pipe *p = arg;
    int i;
    while (co_chan_recv(p->ch, &i))
        printf("%d\n", i);
    co_chan_close(p->done);
}

static struct pipe do_something(struct pipe *p)
{
    p->ch = co_chan_make(sizeof(int), 0);
    p->done = co_chan_make(sizeof(int), 0);
    co_go(logger, p);
    return *p;
}

int main(void)
{
    static struct pipe storage;
    struct pipe p = do_something(&storage);
    int v;
    v = 1;
    co_chan_send(p.ch, &v);
    v = 4;
    co_chan_send(p.ch, &v);
    co_chan_close(p.ch);
    co_chan_recv(p.done, &v); /* returns false once the logger closed done */
    return 0;
}
