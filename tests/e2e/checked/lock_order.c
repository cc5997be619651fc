/* expect: lock-order when built with -DINVERT, else clean -- check_lock_order.sh asserts
   the report (both edges' lines, the unsafe scenario, exit 66) and its absence. */
#include <corace.h>
#include <stdio.h>

static co_mutex a, b;
static int total;
static co_waitgroup wg;

/* Takes a then b. */
static void forward(void *arg)
{
    (void)arg;
    co_mutex_lock(&a); /* LINE:fwd_a */
    co_mutex_lock(&b); /* LINE:fwd_b */
    total++;
    co_mutex_unlock(&b);
    co_mutex_unlock(&a);
    co_waitgroup_done(&wg);
}

/* Takes b then a (the inversion), or a then b. */
static void backward(void *arg)
{
    (void)arg;
#ifdef INVERT
    co_mutex_lock(&b); /* LINE:bwd_b */
    co_mutex_lock(&a); /* LINE:bwd_a */
#else
    co_mutex_lock(&a);
    co_mutex_lock(&b);
#endif
    total++;
    co_mutex_unlock(&a);
    co_mutex_unlock(&b);
    co_waitgroup_done(&wg);
}

int main(void)
{
    /* One after the other: this run never hangs, the order still can. */
    co_waitgroup_add(&wg, 1);
    co_go(forward, NULL);
    co_waitgroup_wait(&wg);
    co_waitgroup_add(&wg, 1);
    co_go(backward, NULL);
    co_waitgroup_wait(&wg);
    printf("total %d\n", total);
    return 0;
}
