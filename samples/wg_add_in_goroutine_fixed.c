// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", WaitGroup): fixed twin of
 * wg_add_in_goroutine.c.
 *
 * What changed: the co_waitgroup_add(&wg, 1) calls moved out of the
 * goroutines into main, before each co_go, so the counter is 2 when Wait
 * runs; Wait blocks until both batches called Done, and the results are
 * read after Wait.  Prints "5050 55".
 */
#include <corace.h>
#include <stdio.h>

struct batch {
    int from, to;
    int result;
};

static co_waitgroup wg;

static int sum(int from_num, int to_num)
{
    int result = 0;
    for (int i = from_num; i <= to_num; i++)
        result += i;
    return result;
}

static void run_batch(void *arg)
{
    struct batch *b = arg;
    b->result = sum(b->from, b->to);
    co_waitgroup_done(&wg);
}

int main(void)
{
    static struct batch batch1 = {1, 100, 0}, batch2 = {1, 10, 0};

    co_waitgroup_add(&wg, 1);
    co_go(run_batch, &batch1);
    co_waitgroup_add(&wg, 1);
    co_go(run_batch, &batch2);
    co_waitgroup_wait(&wg);
    printf("%d %d\n", batch1.result, batch2.result);
    return 0;
}
