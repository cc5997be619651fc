/*
 * Runtime error: WaitGroup counter going negative (go-reference/p_wg.go).
 * Go prints the message, a blank line, the running goroutine's trace and
 * exits with status 2.
 *
 * expect-exit: 2
 * expect-first-line: panic: sync: negative WaitGroup counter
 * expect-stderr-line: 3 | ^goroutine 1 \[running\]:$
 * expect-goroutines: 1
 * expect-goroutine: main | running | main | err | - | - | -
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_waitgroup wg = {0};
    co_waitgroup_add(&wg, 1);
    co_waitgroup_done(&wg);
    printf("before\n");
    co_waitgroup_done(&wg); /* LINE:err */
    printf("after\n");
    return 0;
}
