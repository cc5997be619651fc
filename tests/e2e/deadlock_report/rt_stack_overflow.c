/*
 * Unbounded recursion in a goroutine, with a local array in every frame:
 * the goroutine runs off the end of its stack.  Go prints
 *   runtime: goroutine stack exceeds 1000000000-byte limit
 *   fatal error: stack overflow
 * and exits 2; corace must catch the overflow (guard page) and report it
 * the same way rather than crash with SIGSEGV or corrupt memory.  The
 * array is kept below a page so that every page of the stack is touched on
 * the way down and the guard page cannot be stepped over.
 *
 * expect-exit: 2
 * expect-stderr: fatal error: stack overflow
 * expect-stdout: recursing
 */
#include <corace.h>
#include <stdio.h>

static volatile int depth_limit = 1 << 30; /* never reached */
static co_waitgroup wg;

static int recurse(int d)
{
    volatile char buf[2000];
    buf[0] = (char)d;
    buf[sizeof buf - 1] = (char)(d >> 8);
    if (d >= depth_limit)
        return buf[0];
    return recurse(d + 1) + buf[sizeof buf - 1];
}

static void deep(void *arg)
{
    (void)arg;
    printf("recursing\n");
    fflush(stdout);
    printf("%d\n", recurse(0));
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 1);
    co_go(deep, NULL);
    co_waitgroup_wait(&wg);
    printf("unreachable\n");
    return 0;
}
