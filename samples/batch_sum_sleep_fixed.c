// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "WaitGroup"): fixed twin of
 * batch_sum_sleep.c.
 *
 * What changed: the sleep is replaced by a WaitGroup: main calls
 * wg.Add(1) before the go statement, the goroutine calls wg.Done() after
 * writing batch1, and main reads batch1 only after wg.Wait().  Prints
 * "5050 55".
 */
#include <corace.h>
#include <stdio.h>

static int batch1, batch2;
static co_waitgroup wg;

static int sum(int from_num, int to_num)
{
    int result = 0;
    for (int i = from_num; i <= to_num; i++)
        result += i;
    return result;
}

static void batch1_func(void *arg)
{
    (void)arg;
    batch1 = sum(1, 100);
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 1);
    co_go(batch1_func, NULL);
    batch2 = sum(1, 10);

    co_waitgroup_wait(&wg);
    printf("%d %d\n", batch1, batch2);
    return 0;
}
