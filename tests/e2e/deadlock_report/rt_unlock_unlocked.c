/*
 * Runtime error: Unlock of an unlocked Mutex (go-reference/p_unlock.go); a fatal error, not a panic.
 * Go prints the message, a blank line, the running goroutine's trace and
 * exits with status 2.
 *
 * expect-exit: 2
 * expect-first-line: fatal error: sync: unlock of unlocked mutex
 * expect-stderr-line: 3 | ^goroutine 1 \[running\]:$
 * expect-goroutines: 1
 * expect-goroutine: main | running | main | err | - | - | -
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_mutex mu = {0};
    printf("before\n");
    co_mutex_unlock(&mu); /* LINE:err */
    printf("after\n");
    return 0;
}
