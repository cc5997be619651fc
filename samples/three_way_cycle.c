// expect: deadlock,lock-order,wait-cycle
/*
 * Seed 002 (notes on "Concurrency in Go", Deadlocks, Livelocks, and
 * Starvation: "Circular Wait: concurrent process (P1) must be waiting on a
 * chain of other concurrent processes (P2), which are in turn waiting on it
 * (P1)").  The dining philosophers, with three at the table.
 *
 * Bug: a circular wait of three goroutines (dining philosophers).  Three
 * mutexes (forks) lie in a ring, and each philosopher takes the fork on
 * its left and then the one on its right.  Philosopher i locks fork i,
 * then fork (i + 1) % 3; to make it hang on every run (not only on an
 * unlucky schedule), each one, holding its left fork, tells its left
 * neighbour so and waits to hear the same from its right neighbour, so all
 * three hold one fork before any asks for a second: every philosopher
 * waits for the next one round the table, a circular wait of three.  main
 * is blocked in wg.Wait(), so Go reports
 *   fatal error: all goroutines are asleep - deadlock!
 * with the three philosophers in [sync.Mutex.Lock].  The checker reports
 * the wait-for cycle goroutine 2 -> 3 -> 4 -> 2 the moment it closes, and
 * the lock order fork 0 -> fork 1 -> fork 2 -> fork 0 (lock-order), which
 * it would see even on a schedule that did not hang.
 *
 * Fix (three_way_cycle_fixed.c): one global order of the forks.  Every
 * philosopher takes the lower-numbered of its two forks first, so the last
 * one takes fork 0 before fork 2 and the ring of waits cannot close.
 */
#include <corace.h>
#include <stdio.h>

#define N 3

static co_mutex fork_[N];
static co_chan *holds_left[N]; /* handshake: "philosopher i holds fork i" */
static co_waitgroup wg;
static int ids[N];
static int meals;

static void philosopher(void *arg)
{
    int i = *(int *)arg, right = (i + 1) % N, token = 1;
    co_mutex_lock(&fork_[i]);
    co_chan_send(holds_left[i], &token);
    co_chan_recv(holds_left[right], &token); /* the neighbour holds fork right */
    co_mutex_lock(&fork_[right]);            /* blocks forever */
    meals++;
    printf("philosopher %d eats\n", i);
    co_mutex_unlock(&fork_[right]);
    co_mutex_unlock(&fork_[i]);
    co_waitgroup_done(&wg);
}

int main(void)
{
    for (int i = 0; i < N; i++) {
        holds_left[i] = co_chan_make(sizeof(int), 1);
        ids[i] = i;
    }
    co_waitgroup_add(&wg, N);
    for (int i = 0; i < N; i++) co_go(philosopher, &ids[i]);
    co_waitgroup_wait(&wg);
    printf("%d meals\n", meals);
    return 0;
}
