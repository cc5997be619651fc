// expect: race
/*
 * Seed 003 (Go concurrency chapter, "Atomic operations": sum the numbers
 * 1..100 by splitting the work between two goroutines that add into the
 * same variable s).
 *
 * Bug: both goroutines do `s += i` on the shared s with a plain,
 * non-atomic read-modify-write.  The two loops are unordered with each
 * other: a data race, and on a preemptive or parallel scheduler updates get
 * lost and the total is below 5050.  corace runs each loop without
 * interruption, so it prints 5050 - the race is still there.
 *
 * Fix (split_sum_race_fixed.c): s is updated with atomic_fetch_add (C11
 * <stdatomic.h>, the equivalent of atomic.AddInt32), which synchronizes as
 * Go's sync/atomic does.
 */
#include <corace.h>
#include <stdio.h>

struct part {
    int from, to;
};

static int s;
static co_waitgroup wg;

static void add_range(void *arg)
{
    const struct part *p = arg;
    for (int i = p->from; i <= p->to; i++)
        s += i; /* BUG: non-atomic update of shared s */
    co_waitgroup_done(&wg);
}

int main(void)
{
    static const struct part low = {1, 50}, high = {51, 100};

    co_waitgroup_add(&wg, 2);
    co_go(add_range, (void *)&low);
    co_go(add_range, (void *)&high);
    co_waitgroup_wait(&wg);
    printf("%d\n", s);
    return 0;
}
