/*
 * Runtime error: RUnlock of an RWMutex that is not read-locked; a fatal error.
 * Go prints the message, a blank line, the running goroutine's trace and
 * exits with status 2.
 *
 * expect-exit: 2
 * expect-first-line: fatal error: sync: RUnlock of unlocked RWMutex
 * expect-stderr-line: 3 | ^goroutine 1 \[running\]:$
 * expect-goroutines: 1
 * expect-goroutine: main | running | main | err | - | - | -
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>

int main(void)
{
    co_rwmutex rw = {0};
    co_rwmutex_rlock(&rw);
    co_rwmutex_runlock(&rw);
    printf("before\n");
    co_rwmutex_runlock(&rw); /* LINE:err */
    printf("after\n");
    return 0;
}
