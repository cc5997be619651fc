/*
 * The smallest deadlock (seed 003's unbuffered send): only main, blocked in
 * a receive nobody will satisfy.  Checks the exact shape of the report's
 * first lines, as Go prints it:
 *   fatal error: all goroutines are asleep - deadlock!
 *   <blank>
 *   goroutine 1 [chan receive]:
 *   main()
 *   <TAB>.../dl_main_alone.c:LINE
 *
 * expect-exit: 2
 * expect-first-line: fatal error: all goroutines are asleep - deadlock!
 * expect-stderr-line: 3 | ^goroutine 1 \[chan receive\]:$
 * expect-stderr-line: 4 | ^main\(
 * expect-stderr-line: 5 | ^	.*dl_main_alone\.c:@recv([^0-9]|$)
 * expect-goroutines: 1
 * expect-goroutine: main | chan receive | main | recv | - | - | -
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_chan *ch = co_chan_make(sizeof(int), 0);
    int v = 0;
    printf("before\n");
    co_chan_recv(ch, &v); /* LINE:recv */
    printf("after %d\n", v);
    return 0;
}
