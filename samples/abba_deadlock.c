// expect: deadlock,lock-order,wait-cycle
/*
 * Seed 002 (notes on "Concurrency in Go", Deadlocks, Livelocks, and
 * Starvation: the Coffman conditions - mutual exclusion, wait for
 * condition, no preemption, circular wait).
 *
 * Bug: the classic AB-BA deadlock.  One goroutine locks a then b, the other
 * locks b then a.  To make it hang on every run (not only on an unlucky
 * schedule), each goroutine takes its first mutex and then does a channel
 * handshake with the other, so both hold one mutex before either asks for
 * its second: a circular wait.  main is blocked in wg.Wait(), so Go reports
 *   fatal error: all goroutines are asleep - deadlock!
 * with goroutine 1 in [sync.WaitGroup.Wait] and the two workers in
 * [sync.Mutex.Lock].  The checker also reports the inconsistent lock
 * order a->b / b->a (lock-order), which it can see even on schedules where
 * the program happens not to hang.
 *
 * Fix (abba_deadlock_fixed.c): both goroutines take the mutexes in the same
 * global order (a before b), which breaks the circular-wait condition.
 */
#include <corace.h>
#include <stdio.h>

static co_mutex a, b;
static co_waitgroup wg;
static co_chan *a_held, *b_held; /* handshake: "I hold my first mutex" */

static void sum_ab(void *arg)
{
    int token = 1;
    (void)arg;
    co_mutex_lock(&a);
    co_chan_send(a_held, &token);
    co_chan_recv(b_held, &token); /* now the other goroutine holds b */
    co_mutex_lock(&b);            /* blocks forever */
    printf("sum_ab: got both\n");
    co_mutex_unlock(&b);
    co_mutex_unlock(&a);
    co_waitgroup_done(&wg);
}

static void sum_ba(void *arg)
{
    int token = 1;
    (void)arg;
    co_mutex_lock(&b);
    co_chan_send(b_held, &token);
    co_chan_recv(a_held, &token); /* now the other goroutine holds a */
    co_mutex_lock(&a);            /* blocks forever */
    printf("sum_ba: got both\n");
    co_mutex_unlock(&a);
    co_mutex_unlock(&b);
    co_waitgroup_done(&wg);
}

int main(void)
{
    a_held = co_chan_make(sizeof(int), 1);
    b_held = co_chan_make(sizeof(int), 1);
    co_waitgroup_add(&wg, 2);
    co_go(sum_ab, NULL);
    co_go(sum_ba, NULL);
    co_waitgroup_wait(&wg);
    printf("done\n");
    return 0;
}
