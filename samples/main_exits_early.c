// expect: leak
/*
 * Seed 001 ("Writing my first concurrent program in Golang", section
 * "Goroutines").
 *
 * Bug: main starts a worker goroutine and returns straight away.  When
 * main returns the process exits, whatever other goroutines are doing, so
 * the worker never runs: "Task Completed" is never printed (the seed's
 * "Actual output").  On corace's cooperative scheduler the new goroutine
 * waits in the run queue until main blocks, which it never does, so this
 * happens on every run.  The checker reports the goroutine that was still
 * alive (never even started) when main exited: a leak.
 *
 * Fix (main_exits_early_fixed.c): main waits for the worker with a
 * WaitGroup (the seed's later fix) before printing its last line.
 */
#include <corace.h>
#include <stdio.h>

static void worker(void *arg)
{
    (void)arg;
    /* Perform a network call */
    printf("Task Completed\n");
}

int main(void)
{
    printf("Starting main function\n");

    co_go(worker, NULL);

    printf("Exiting main function\n");
    return 0;
}
