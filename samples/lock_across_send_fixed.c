// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", Coffman conditions: wait for
 * condition): fixed twin of lock_across_send.c.
 *
 * What changed: the producer unlocks the mutex before it sends, so it holds
 * nothing while it blocks on the unbuffered channel; the consumer takes the
 * mutex, reads the stats, and then receives.  The handshake is kept (it now
 * says "the stats are updated"), and main waits for the producer to end.
 * Prints "produced so far: 1", then "got 42".
 */
#include <corace.h>
#include <stdio.h>

static co_mutex mu;
static int produced;       /* guarded by mu */
static co_chan *items;     /* unbuffered */
static co_chan *updated;   /* handshake: "the stats are updated" */
static co_waitgroup wg;

static void producer(void *arg)
{
    int item = 42, token = 1;
    (void)arg;
    co_mutex_lock(&mu);
    produced++;
    co_mutex_unlock(&mu); /* unlock before sending */
    co_chan_send(updated, &token);
    co_chan_send(items, &item);
    co_waitgroup_done(&wg);
}

int main(void)
{
    int item = 0, token = 0;
    items = co_chan_make(sizeof(int), 0);
    updated = co_chan_make(sizeof(int), 1);
    co_waitgroup_add(&wg, 1);
    co_go(producer, NULL);
    co_chan_recv(updated, &token);
    co_mutex_lock(&mu);
    printf("produced so far: %d\n", produced);
    co_mutex_unlock(&mu);
    co_chan_recv(items, &item);
    printf("got %d\n", item);
    co_waitgroup_wait(&wg); /* the producer has finished too */
    return 0;
}
