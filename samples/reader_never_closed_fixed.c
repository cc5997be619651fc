// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Buffers", the readThem(ch, wg)
 * program): fixed twin of reader_never_closed.c.
 *
 * What changed: the reader loops `while (co_chan_recv(ch, &v))` (Go's
 * `for i := range ch`), which ends when the channel is closed and drained;
 * main sends 1..5, closes the channel and waits on a WaitGroup that the
 * reader marks Done after its loop.  Every number is printed and no
 * goroutine is left behind.
 */
#include <corace.h>
#include <stdio.h>

struct reader_args {
    co_chan *ch;
    co_waitgroup *wg;
};

static void read_them(void *arg)
{
    struct reader_args *a = arg;
    int v;
    while (co_chan_recv(a->ch, &v)) /* for i := range ch */
        printf("%d\n", v);
    co_waitgroup_done(a->wg);
}

int main(void)
{
    co_waitgroup wg = {0};
    co_waitgroup_add(&wg, 1);
    co_chan *ch = co_chan_make(sizeof(int), 0);
    struct reader_args args = {ch, &wg};
    co_go(read_them, &args);
    for (int v = 1; v <= 5; v++)
        co_chan_send(ch, &v);
    co_chan_close(ch);
    co_waitgroup_wait(&wg);
    return 0;
}
