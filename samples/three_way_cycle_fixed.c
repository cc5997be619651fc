// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", Coffman conditions: circular
 * wait): fixed twin of three_way_cycle.c.
 *
 * What changed: each philosopher takes the lower-numbered of its two forks
 * first (a global lock order, 0 < 1 < 2), so philosopher 2 now takes fork 0
 * before fork 2 and no ring of waits can form.  The handshake is kept but
 * now happens before anyone takes a fork.  Prints "philosopher i eats" for
 * each of 0, 1 and 2 (in the order the schedule lets them eat), then
 * "3 meals".
 */
#include <corace.h>
#include <stdio.h>

#define N 3

static co_mutex fork_[N];
static co_chan *seated[N]; /* handshake: "philosopher i sits at the table" */
static co_waitgroup wg;
static int ids[N];
static int meals;

static void philosopher(void *arg)
{
    int i = *(int *)arg, right = (i + 1) % N, token = 1;
    int first = i < right ? i : right, second = i < right ? right : i;
    co_chan_send(seated[i], &token);
    co_chan_recv(seated[right], &token);
    co_mutex_lock(&fork_[first]); /* the lower-numbered fork first */
    co_mutex_lock(&fork_[second]);
    meals++;
    printf("philosopher %d eats\n", i);
    co_mutex_unlock(&fork_[second]);
    co_mutex_unlock(&fork_[first]);
    co_waitgroup_done(&wg);
}

int main(void)
{
    for (int i = 0; i < N; i++) {
        seated[i] = co_chan_make(sizeof(int), 1);
        ids[i] = i;
    }
    co_waitgroup_add(&wg, N);
    for (int i = 0; i < N; i++) co_go(philosopher, &ids[i]);
    co_waitgroup_wait(&wg);
    printf("%d meals\n", meals);
    return 0;
}
