/*
 * A fatal signal the program raises itself: abort(), as a failed assert()
 * does, in a goroutine.  Go prints the signal's name, the pc and the running
 * goroutine's trace, and exits with status 2; what the program printed before
 * stays.
 *
 * expect-exit: 2
 * expect-first-line: SIGABRT: abort
 * expect-stderr-line: 2 | ^PC=0x[0-9a-f]+ m=0 sigcode=-?[0-9]+$
 * expect-goroutines: 1
 * expect-goroutine: check | running | check | err | main | main | go
 * expect-stdout: before
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

static void check(void *arg)
{
    int *balance = arg;
    printf("G check %lld\n", (long long)co_id());
    fflush(stdout);
    if (*balance < 0)
        abort(); /* LINE:err */
}

int main(void)
{
    int balance = -1;
    printf("G main %lld\n", (long long)co_id());
    printf("before\n");
    fflush(stdout);
    co_go(check, &balance); /* GO:go */
    co_sleep(1000000000);
    printf("after\n");
    return 0;
}
