// expect: leak
/*
 * Seed 001 ("Writing my first concurrent program in Golang", the program
 * after "This can be fixed with providing the Goroutine enough time").
 *
 * Bug: the seed's "fix" for main exiting early puts time.Sleep(1 *
 * time.Second) BEFORE `go worker()`.  The sleep happens while there is no
 * worker yet; once the worker is started main prints its last line and
 * returns at once, so the worker still never runs.  (Sleeping after the go
 * statement would only make the failure less likely: a sleep is not
 * synchronization.)  The goroutine still alive at exit is a leak.
 *
 * Fix (sleep_before_go_fixed.c): no sleep at all; main waits for the
 * worker on a WaitGroup.
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

    co_sleep(100 * CO_MILLISECOND); /* the seed sleeps 1 s, before the go statement */
    co_go(worker, NULL);

    printf("Exiting main function\n");
    return 0;
}
