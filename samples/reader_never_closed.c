// expect: leak
/*
 * Seed 003 (Go concurrency chapter, "Buffers": readThem(ch) loops forever on
 * `fmt.Println(<-ch)` while main sends 1, 2, 3 and returns; "there is a
 * chance you could see fewer numbers").
 *
 * Bug: nothing tells the reader that no more values will come, and main
 * does not wait for it.  main returns right after its last send, so the
 * reader may not have printed the last value yet (on corace's FIFO
 * scheduler the unbuffered hand-offs happen to let it print 1, 2 and 3),
 * and the reader is left blocked in a receive that can never complete: a
 * leaked goroutine, reported by the checker at exit.
 *
 * Fix (reader_never_closed_fixed.c): the seed's fix - the reader ranges
 * over the channel (loop until recv reports closed), main closes the
 * channel after the last send and waits on a WaitGroup that the reader
 * marks Done after its loop.
 */
#include <corace.h>
#include <stdio.h>

static void read_them(void *arg)
{
    co_chan *ch = arg;
    int v;
    for (;;) { /* for { fmt.Println(<-ch) } */
        co_chan_recv(ch, &v);
        printf("%d\n", v);
    }
}

int main(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 0);
    co_go(read_them, ch);
    for (int v = 1; v <= 3; v++)
        co_chan_send(ch, &v);
    return 0; /* the reader is still blocked in co_chan_recv */
}
