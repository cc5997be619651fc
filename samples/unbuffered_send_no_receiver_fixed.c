// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Channels", the program with
 * ch := make(chan int, 1)): fixed twin of unbuffered_send_no_receiver.c.
 *
 * What changed: the channel has a buffer of one, so the send does not need
 * a receiver to be waiting; main then receives its own value.  Prints 1
 * (the seed logs it with log.Println).
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 1);
    int one = 1, i = 0;
    co_chan_send(ch, &one);
    co_chan_recv(ch, &i);
    printf("%d\n", i);
    return 0;
}
