// expect: clean
/*
 * Seed 001 ("Writing my first concurrent program in Golang"): fixed twin of
 * sleep_before_go.c.
 *
 * What changed: the sleep is removed; the worker is tracked by a WaitGroup
 * (Add before the go statement, Done in the worker, Wait in main), which
 * guarantees it ran before main returns, whatever the timing.
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;

static void worker(void *arg)
{
    (void)arg;
    /* Perform a network call */
    printf("Task Completed\n");
    co_waitgroup_done(&wg);
}

int main(void)
{
    printf("Starting main function\n");

    co_waitgroup_add(&wg, 1);
    co_go(worker, NULL);
    co_waitgroup_wait(&wg);

    printf("Exiting main function\n");
    return 0;
}
