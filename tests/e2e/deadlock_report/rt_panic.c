/*
 * Runtime error: co_panic formats its message like fmt.Sprintf: panic("boom 7").
 * Go prints the message, a blank line, the running goroutine's trace and
 * exits with status 2.
 *
 * expect-exit: 2
 * expect-first-line: panic: boom 7
 * expect-stderr-line: 3 | ^goroutine 1 \[running\]:$
 * expect-goroutines: 1
 * expect-goroutine: main | running | main | err | - | - | -
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    printf("before\n");
    co_panic("boom %d", 7); /* LINE:err */
    printf("after\n");
    return 0;
}
