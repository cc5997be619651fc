/* Two goroutines take two locks back to back in opposite orders, with no
   memory access between the Locks: only a preemption point at a sync
   operation, before it takes effect, lets exploration run the other
   goroutine between lock(a) and lock(b), where they deadlock. */
#include <corace.h>
#include <stdio.h>

static co_mutex a, b;
static co_waitgroup wg;

static void ab(void *x)
{
    (void)x;
    co_mutex_lock(&a);
    co_mutex_lock(&b);
    co_mutex_unlock(&b);
    co_mutex_unlock(&a);
    co_waitgroup_done(&wg);
}

static void ba(void *x)
{
    (void)x;
    co_mutex_lock(&b);
    co_mutex_lock(&a);
    co_mutex_unlock(&a);
    co_mutex_unlock(&b);
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 2);
    co_go(ab, NULL);
    co_go(ba, NULL);
    co_waitgroup_wait(&wg);
    printf("ok\n");
    return 0;
}
