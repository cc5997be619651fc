/*
 * Runtime error: send on a closed channel (go-reference/p_send.go).
 * Go prints the message, a blank line, the running goroutine's trace and
 * exits with status 2.
 *
 * expect-exit: 2
 * expect-first-line: panic: send on closed channel
 * expect-stderr-line: 3 | ^goroutine 1 \[running\]:$
 * expect-goroutines: 1
 * expect-goroutine: main | running | main | err | - | - | -
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 1);
    int v = 1;
    co_chan_close(ch);
    printf("before\n");
    co_chan_send(ch, &v); /* LINE:err */
    printf("after\n");
    return 0;
}
