// expect: clean
/*
 * Seed 001 ("Writing my first concurrent program in Golang"): fixed twin of
 * main_exits_early.c.
 *
 * What changed: main calls wg.Add(1) before starting the worker, the worker
 * calls wg.Done() when it is finished (Go's `defer wg.Done()`), and main
 * calls wg.Wait() before it returns.  The seed's "Expected output" is
 * printed:
 *   Starting main function
 *   Task Completed
 *   Exiting main function
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
