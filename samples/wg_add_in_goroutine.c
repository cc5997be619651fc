// expect: leak
/*
 * Seed 002 (notes on "Concurrency in Go", The sync Package / WaitGroup:
 * "Notice that the calls to Add are done outside the goroutines ... If we
 * didn't do this, we would have introduced a race condition ... the call
 * to Wait could have returned without blocking at all because the calls to
 * Add would not have taken place").
 *
 * Bug: each goroutine calls wg.Add(1) itself, so nothing orders the Adds
 * before main's wg.Wait().
 *
 * Why `leak` and not `race`: on corace's single-thread cooperative FIFO
 * scheduler a new goroutine does not run until main blocks or yields.
 * main reaches co_waitgroup_wait with the counter still 0, Wait returns
 * at once without blocking, main prints "0 0" instead of "5050 55" and
 * returns: the two goroutines never ran.  No Add ever executes, so there is
 * no pair of conflicting accesses (Add vs Wait, or the result writes vs
 * main's reads) for a happens-before checker to observe in this execution;
 * what the checker can see is two goroutines alive and never started when
 * main exited.  The race is in the source, the symptom corace shows is the
 * leak (plus the wrong output).  Under a scheduler that switched to a new
 * goroutine at co_go the same program would instead run correctly.
 *
 * Fix (wg_add_in_goroutine_fixed.c): main calls wg.Add before each go
 * statement; the goroutines only call Done.
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
    co_waitgroup_add(&wg, 1); /* BUG: Add inside the goroutine */
    b->result = sum(b->from, b->to);
    co_waitgroup_done(&wg);
}

int main(void)
{
    static struct batch batch1 = {1, 100, 0}, batch2 = {1, 10, 0};

    co_go(run_batch, &batch1);
    co_go(run_batch, &batch2);
    co_waitgroup_wait(&wg); /* counter is still 0: returns at once */
    printf("%d %d\n", batch1.result, batch2.result);
    return 0;
}
