// expect: clean
/*
 * Seed 000 ("Go Concurrency Part 1", the WaitGroup program): fixed twin of
 * sleep_as_sync.c.
 *
 * What changed: the time.Sleep is gone; main calls wg.Add(1) before each go
 * statement, each goroutine calls wg.Done() after its guarded write, and
 * main reads only after wg.Wait(), which orders the read after both writes.
 * Prints 3.
 */
#include <corace.h>
#include <stdio.h>

static int shared_state[3];
static co_mutex mutex;
static co_waitgroup wg;

static void update_foo(void *arg)
{
    int val = (int)(intptr_t)arg;
    co_mutex_lock(&mutex);
    shared_state[val] += val;
    co_mutex_unlock(&mutex);
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 1);
    co_go(update_foo, (void *)(intptr_t)1);
    co_waitgroup_add(&wg, 1);
    co_go(update_foo, (void *)(intptr_t)2);
    co_waitgroup_wait(&wg);
    printf("%d\n", shared_state[1] + shared_state[2]);
    return 0;
}
