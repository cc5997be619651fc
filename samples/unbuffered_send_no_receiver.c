// expect: deadlock
/*
 * Seed 003 (Go concurrency chapter, "Channels": "Let's make the channel
 * unbuffered by changing the channel definition to ch := make(chan int)").
 *
 * Bug: main sends on an unbuffered channel and is the only goroutine.  An
 * unbuffered send blocks until a receiver takes the value, and the receive
 * is on the next line of the same goroutine, so it never comes:
 *   fatal error: all goroutines are asleep - deadlock!
 *
 *   goroutine 1 [chan send]:
 *   main()
 *   	.../unbuffered_send_no_receiver.c:LINE
 *
 * Fix (unbuffered_send_no_receiver_fixed.c): the seed's original program,
 * with a buffer of one (make(chan int, 1)): the send completes into the
 * buffer and the receive takes it out.
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 0); /* BUG: unbuffered */
    int one = 1, i = 0;
    co_chan_send(ch, &one); /* blocks forever: no receiver */
    co_chan_recv(ch, &i);
    printf("%d\n", i);
    return 0;
}
