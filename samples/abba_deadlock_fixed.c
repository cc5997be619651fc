// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", Coffman conditions): fixed twin
 * of abba_deadlock.c.
 *
 * What changed: sum_ba now locks a before b, the same order as sum_ab.
 * With one global lock order there is no circular wait.  The handshake is
 * kept but now happens before the goroutines take any mutex (it can no
 * longer make them hold one each), so both finish.  Prints "sum_ab: got
 * both" and "sum_ba: got both" (in the order the schedule lets them run),
 * then "done".
 */
#include <corace.h>
#include <stdio.h>

static co_mutex a, b;
static co_waitgroup wg;
static co_chan *ab_ready, *ba_ready;

static void sum_ab(void *arg)
{
    int token = 1;
    (void)arg;
    co_chan_send(ab_ready, &token);
    co_chan_recv(ba_ready, &token);
    co_mutex_lock(&a);
    co_mutex_lock(&b);
    printf("sum_ab: got both\n");
    co_mutex_unlock(&b);
    co_mutex_unlock(&a);
    co_waitgroup_done(&wg);
}

static void sum_ba(void *arg)
{
    int token = 1;
    (void)arg;
    co_chan_send(ba_ready, &token);
    co_chan_recv(ab_ready, &token);
    co_mutex_lock(&a); /* same order as sum_ab: a, then b */
    co_mutex_lock(&b);
    printf("sum_ba: got both\n");
    co_mutex_unlock(&b);
    co_mutex_unlock(&a);
    co_waitgroup_done(&wg);
}

int main(void)
{
    ab_ready = co_chan_make(sizeof(int), 1);
    ba_ready = co_chan_make(sizeof(int), 1);
    co_waitgroup_add(&wg, 2);
    co_go(sum_ab, NULL);
    co_go(sum_ba, NULL);
    co_waitgroup_wait(&wg);
    printf("done\n");
    return 0;
}
