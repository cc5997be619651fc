// expect: copy,race
/*
 * Seed 003 (Go concurrency chapter, "Invisible concurrency": "mtx :=
 * sync.Mutex{} ... most of the time, we want to pass a mutex across
 * several functions, so we'd better create a pointer to a mutex ... This
 * ensures we use the same mutex everywhere", and the critical section
 * `mtx.Lock(); s = s + 5; mtx.Unlock()`).
 *
 * Bug: the mutex is passed by value.  main uses mtx once (to reset s),
 * then copies it into each goroutine's argument struct; every goroutine
 * locks its own private copy, so there is no mutual exclusion at all and
 * the `s = s + 5` updates race.  The co_yield() between the read and the
 * write stands in for a preemption: it lets the next goroutine enter its
 * "critical section" too, so updates are lost and the program prints 5
 * instead of 20.  The checker reports the copy of a mutex after first use
 * (naming main's co_mutex_lock) and the race on s.
 *
 * Fix (mutex_by_value_fixed.c): the goroutines get a pointer to the one
 * mutex.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

struct adder_args {
    co_mutex mtx; /* BUG: a copy of main's mutex */
    int *s;
    co_waitgroup *wg;
};

static void adder(void *arg)
{
    struct adder_args *a = arg;
    co_mutex_lock(&a->mtx);
    int c = *a->s;
    co_yield(); /* stands in for a preemption inside the critical section */
    *a->s = c + 5;
    co_mutex_unlock(&a->mtx);
    co_waitgroup_done(a->wg);
    free(a);
}

int main(void)
{
    co_mutex mtx = {0};
    co_waitgroup wg = {0};
    int s;

    co_mutex_lock(&mtx); /* first use of mtx */
    s = 0;
    co_mutex_unlock(&mtx);

    for (int i = 0; i < 4; i++) {
        struct adder_args *a = malloc(sizeof *a);
        if (!a)
            return 1;
        a->mtx = mtx; /* copied by value after first use */
        a->s = &s;
        a->wg = &wg;
        co_waitgroup_add(&wg, 1);
        co_go(adder, a);
    }
    co_waitgroup_wait(&wg);
    printf("%d\n", s);
    return 0;
}
