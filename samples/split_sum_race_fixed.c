// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Atomic operations"): fixed twin of
 * split_sum_race.c.
 *
 * What changed: s is an atomic_int and each goroutine adds with
 * atomic_fetch_add(&s, i) - C11's counterpart of atomic.AddInt32(&s, i).
 * The updates are indivisible and, being sequentially consistent atomics,
 * are not data races.  Prints 5050 on every schedule.
 */
#include <corace.h>
#include <stdatomic.h>
#include <stdio.h>

struct part {
    int from, to;
};

static atomic_int s;
static co_waitgroup wg;

static void add_range(void *arg)
{
    const struct part *p = arg;
    for (int i = p->from; i <= p->to; i++)
        atomic_fetch_add(&s, i);
    co_waitgroup_done(&wg);
}

int main(void)
{
    static const struct part low = {1, 50}, high = {51, 100};

    co_waitgroup_add(&wg, 2);
    co_go(add_range, (void *)&low);
    co_go(add_range, (void *)&high);
    co_waitgroup_wait(&wg);
    printf("%d\n", atomic_load(&s));
    return 0;
}
