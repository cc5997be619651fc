/* Correct programs that spin: two waiters poll an atomic flag and a channel
   with select's default, yielding each turn, until a worker that has work
   to do first sets the flag and sends.  A yield is the program asking that
   someone else run: under PCT a spinning goroutine of the highest priority
   must not run again at once, or the worker starves until a change point
   and exploration's speed is set by the spinning, not by the work. */
#include <corace.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int ready;
static co_chan *done;
static co_waitgroup wg;
static int sum;

static void worker(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 100; i++)
        sum += i;
    atomic_store(&ready, 1);
    co_chan_close(done);
    co_waitgroup_done(&wg);
}

static void flag_spinner(void *arg)
{
    (void)arg;
    while (!atomic_load(&ready))
        co_yield();
    co_waitgroup_done(&wg);
}

static void select_spinner(void *arg)
{
    (void)arg;
    int v;
    for (;;) {
        co_case c = CO_RECV(done, &v, NULL);
        if (co_select(&c, 1, true) == 0)
            break;
        co_yield();
    }
    co_waitgroup_done(&wg);
}

int main(void)
{
    done = co_chan_make(sizeof(int), 0);
    co_waitgroup_add(&wg, 3);
    co_go(flag_spinner, NULL);
    co_go(select_spinner, NULL);
    co_go(worker, NULL);
    co_waitgroup_wait(&wg);
    printf("sum %d\n", sum);
    return sum == 5050 ? 0 : 1;   /* the waiters saw the flag before the work was done */
}
