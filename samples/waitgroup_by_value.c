// expect: copy,deadlock
/*
 * Seed 001 ("Writing my first concurrent program in Golang", section
 * "WaitGroups"); the same program as go-reference/dl_wg.go.
 *
 * Bug: `func worker(workerId int, wg sync.WaitGroup)` takes the WaitGroup by
 * value.  Each worker gets its own copy, made after main's wg.Add(3), and
 * calls Done on the copy; main's WaitGroup never goes back to zero and
 * wg.Wait() blocks forever.  With every worker finished, Go reports
 *   fatal error: all goroutines are asleep - deadlock!
 *   goroutine 1 [sync.WaitGroup.Wait]:      (Go 1.19 says [semacquire])
 * In C the closure's arguments live in a heap-allocated struct, and the
 * WaitGroup is copied into it by value.  The checker reports the copy of a
 * WaitGroup after its first use (the Add), naming where that was.
 *
 * Fix (waitgroup_by_value_fixed.c): the args struct holds a pointer to
 * main's WaitGroup (Go's `wg *sync.WaitGroup` and `&wg`).
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

struct worker_args {
    int worker_id;
    co_waitgroup wg; /* BUG: a copy, not the caller's WaitGroup */
};

static void worker(void *arg)
{
    struct worker_args *a = arg;
    /* Perform a network call */
    printf("Task Completed by worker %d\n", a->worker_id);
    co_waitgroup_done(&a->wg); /* Go: defer wg.Done(), on the copy */
    free(a);
}

int main(void)
{
    static const int workers[] = {1, 2, 3};

    printf("Starting main function\n");
    co_waitgroup wg = {0};
    co_waitgroup_add(&wg, 3);

    for (size_t i = 0; i < sizeof workers / sizeof workers[0]; i++) {
        struct worker_args *a = malloc(sizeof *a);
        if (!a)
            return 1;
        a->worker_id = workers[i];
        a->wg = wg; /* passed by value */
        co_go(worker, a);
    }

    co_waitgroup_wait(&wg); /* never returns */

    printf("Exiting main function\n");
    return 0;
}
