/*
 * Runtime error: close of a nil channel.
 * Go prints the message, a blank line, the running goroutine's trace and
 * exits with status 2.
 *
 * expect-exit: 2
 * expect-first-line: panic: close of nil channel
 * expect-stderr-line: 3 | ^goroutine 1 \[running\]:$
 * expect-goroutines: 1
 * expect-goroutine: main | running | main | err | - | - | -
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_chan *ch = NULL;
    printf("before\n");
    co_chan_close(ch); /* LINE:err */
    printf("after\n");
    return 0;
}
