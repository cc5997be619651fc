// expect: race
/*
 * Seed 000 ("Go Concurrency Part 1", sections "The code that works and is
 * predictable" and "But why do we sleep?").
 *
 * Bug: the seed's second program guards the writes with a mutex but still
 * uses time.Sleep to "wait" for the goroutines, and main reads the shared
 * value without the mutex.  A sleep creates no happens-before edge (Go
 * memory model), so main's read still races with the goroutines' writes;
 * and, as the seed itself says, if a goroutine takes longer than the sleep
 * main exits before it ran.  Here the shared state is one counter per
 * worker so the race is on plain ints.
 *
 * Fix (sleep_as_sync_fixed.c): a WaitGroup replaces the sleep, so the read
 * in main is ordered after every write (the seed's final program).
 */
#include <corace.h>
#include <stdio.h>

static int shared_state[3];
static co_mutex mutex;

static void update_foo(void *arg)
{
    int val = (int)(intptr_t)arg;
    co_mutex_lock(&mutex);
    shared_state[val] += val; /* guarded write... */
    co_mutex_unlock(&mutex);
}

int main(void)
{
    co_go(update_foo, (void *)(intptr_t)1);
    co_go(update_foo, (void *)(intptr_t)2);
    co_sleep(100 * CO_MILLISECOND);               /* the seed sleeps 1000 ms */
    printf("%d\n", shared_state[1] + shared_state[2]); /* ...unguarded read */
    return 0;
}
