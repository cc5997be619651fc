// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Race conditions" and "Invisible
 * concurrency" - the Mutex): fixed twin of next_lost_update.c.
 *
 * What changed: next() holds a mutex shared by all goroutines (passed by
 * pointer, as the seed insists: "we'd better create a pointer to a mutex")
 * across the read and the write, so the increments are serialized and
 * none is lost.  Prints 3 on every schedule.
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;
static co_mutex mtx;

static void next(int *v)
{
    co_mutex_lock(&mtx);
    int c = *v;
    *v = c + 1;
    co_mutex_unlock(&mtx);
}

static void worker(void *arg)
{
    next(arg);
    co_waitgroup_done(&wg);
}

int main(void)
{
    int a = 0;
    for (int i = 0; i < 3; i++) {
        co_waitgroup_add(&wg, 1);
        co_go(worker, &a);
    }
    co_waitgroup_wait(&wg);
    printf("%d\n", a);
    return 0;
}
