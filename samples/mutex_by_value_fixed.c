// expect: clean
/*
 * Seed 003 (Go concurrency chapter, "Invisible concurrency": "we'd better
 * create a pointer to a mutex ... This ensures we use the same mutex
 * everywhere"): fixed twin of mutex_by_value.c.
 *
 * What changed: the argument struct holds `co_mutex *mtx` and every
 * goroutine locks main's one mutex.  A goroutine that yields inside the
 * critical section keeps the lock, the others block in Lock until it
 * unlocks, and no update is lost: prints 20.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

struct adder_args {
    co_mutex *mtx; /* the one shared mutex */
    int *s;
    co_waitgroup *wg;
};

static void adder(void *arg)
{
    struct adder_args *a = arg;
    co_mutex_lock(a->mtx);
    int c = *a->s;
    co_yield(); /* others run, but cannot enter the critical section */
    *a->s = c + 5;
    co_mutex_unlock(a->mtx);
    co_waitgroup_done(a->wg);
    free(a);
}

int main(void)
{
    co_mutex mtx = {0};
    co_waitgroup wg = {0};
    int s;

    co_mutex_lock(&mtx);
    s = 0;
    co_mutex_unlock(&mtx);

    for (int i = 0; i < 4; i++) {
        struct adder_args *a = malloc(sizeof *a);
        if (!a)
            return 1;
        a->mtx = &mtx;
        a->s = &s;
        a->wg = &wg;
        co_waitgroup_add(&wg, 1);
        co_go(adder, a);
    }
    co_waitgroup_wait(&wg);
    printf("%d\n", s);
    return 0;
}
