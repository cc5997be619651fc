// expect: deadlock
/*
 * Seed 003 (Go concurrency chapter, "Buffers": ch := make(chan int, 2)
 * followed by three sends).
 *
 * Bug: the third send finds the buffer of two already full and blocks
 * until someone receives; the receives are further down in the same (and
 * only) goroutine, so it blocks forever:
 *   fatal error: all goroutines are asleep - deadlock!
 *
 *   goroutine 1 [chan send]:
 *
 * Fix (overfull_buffered_chan_fixed.c): the seed's own fix, a buffer of
 * three.
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 2);
    int v;
    v = 1;
    co_chan_send(ch, &v);
    v = 2;
    co_chan_send(ch, &v);
    v = 3;
    co_chan_send(ch, &v); /* BUG: the buffer is full: blocks forever */
    co_chan_recv(ch, &v);
    printf("%d\n", v);
    co_chan_recv(ch, &v);
    printf("%d\n", v);
    return 0;
}
