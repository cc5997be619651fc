// expect: clean
/*
 * Seed 001 ("Writing my first concurrent program in Golang", the program
 * after "the WaitGroup functions need to be called on a pointer"): fixed
 * twin of waitgroup_by_value.c.
 *
 * What changed: the args struct holds `co_waitgroup *wg` and main passes
 * &wg (Go's `wg *sync.WaitGroup`), so every Done decrements main's counter
 * and Wait returns after the third one.  Output:
 *   Starting main function
 *   Task Completed by worker 1
 *   Task Completed by worker 2
 *   Task Completed by worker 3
 *   Exiting main function
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

struct worker_args {
    int worker_id;
    co_waitgroup *wg; /* the caller's WaitGroup */
};

static void worker(void *arg)
{
    struct worker_args *a = arg;
    /* Perform a network call */
    printf("Task Completed by worker %d\n", a->worker_id);
    co_waitgroup_done(a->wg);
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
        a->wg = &wg;
        co_go(worker, a);
    }

    co_waitgroup_wait(&wg);

    printf("Exiting main function\n");
    return 0;
}
