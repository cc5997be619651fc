// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Buffers": "We can increase the buffer:
 * ch := make(chan int, 3) And it will work again; we are just not
 * displaying the third number"): fixed twin of overfull_buffered_chan.c.
 *
 * What changed: the channel's capacity is 3, so all three sends fit in the
 * buffer.  Prints 1 and 2; the third value stays in the buffer, which is
 * harmless.
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 3);
    int v;
    v = 1;
    co_chan_send(ch, &v);
    v = 2;
    co_chan_send(ch, &v);
    v = 3;
    co_chan_send(ch, &v);
    co_chan_recv(ch, &v);
    printf("%d\n", v);
    co_chan_recv(ch, &v);
    printf("%d\n", v);
    return 0;
}
