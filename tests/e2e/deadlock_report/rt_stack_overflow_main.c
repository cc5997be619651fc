/*
 * Unbounded recursion in main (goroutine 1, which runs on the process's
 * own stack, bounded by ulimit -s): reported like a goroutine's overflow,
 *   runtime: goroutine stack exceeds N-byte limit
 *   fatal error: stack overflow
 * with goroutine 1's trace, exit status 2 - not a bare SIGSEGV.
 *
 * expect-exit: 2
 * expect-stderr: fatal error: stack overflow
 * expect-stderr: goroutine 1 [running]:
 * expect-stdout: recursing
 */
#include <corace.h>
#include <stdio.h>

static volatile int depth_limit = 1 << 30; /* never reached */

static int recurse(int d)
{
    volatile char buf[2000];
    buf[0] = (char)d;
    buf[sizeof buf - 1] = (char)(d >> 8);
    if (d >= depth_limit)
        return buf[0];
    return recurse(d + 1) + buf[sizeof buf - 1];
}

int main(void)
{
    printf("recursing\n");
    co_yield(); /* any corace call links the runtime in */
    printf("%d\n", recurse(0));
    return 0;
}
