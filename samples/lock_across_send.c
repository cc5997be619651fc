// expect: deadlock
/*
 * Seed 002 (notes on "Concurrency in Go", Coffman conditions: "Wait For
 * Condition: concurrent process must simultaneously hold a resource and be
 * waiting for an additional resource"), with seed 003's unbuffered channel
 * ("Channels": a send "will block until we can pass the item through the
 * channel").
 *
 * Bug: a lock held across a channel send.  The producer locks the mutex
 * that guards the stats, and, still holding it, sends the item on an
 * unbuffered channel.  The send waits for a receiver, but the consumer
 * (main) first takes the same mutex to read the stats before it receives:
 * the producer waits for the consumer and the consumer for the producer's
 * mutex.  A channel is a resource too: this is hold-and-wait across a lock
 * and a channel.  A handshake ("I hold the mutex") makes it hang on every
 * run, not only when the consumer happens to look at the stats at the wrong
 * moment.  Go reports
 *   fatal error: all goroutines are asleep - deadlock!
 * with main in [sync.Mutex.Lock] and the producer in [chan send].  The
 * checker's dump adds who holds the mutex (the producer, and where it
 * locked it) and that main waits for it.
 *
 * Fix (lock_across_send_fixed.c): the producer updates the stats under the
 * mutex and unlocks before it sends; nothing is held while it blocks on
 * the channel.
 */
#include <corace.h>
#include <stdio.h>

static co_mutex mu;
static int produced;       /* guarded by mu */
static co_chan *items;     /* unbuffered */
static co_chan *locked;    /* handshake: "the producer holds mu" */

static void producer(void *arg)
{
    int item = 42, token = 1;
    (void)arg;
    co_mutex_lock(&mu);
    produced++;
    co_chan_send(locked, &token);
    co_chan_send(items, &item); /* blocks forever, holding mu */
    co_mutex_unlock(&mu);
}

int main(void)
{
    int item = 0, token = 0;
    items = co_chan_make(sizeof(int), 0);
    locked = co_chan_make(sizeof(int), 1);
    co_go(producer, NULL);
    co_chan_recv(locked, &token);
    co_mutex_lock(&mu); /* blocks forever: the producer holds mu */
    printf("produced so far: %d\n", produced);
    co_mutex_unlock(&mu);
    co_chan_recv(items, &item);
    printf("got %d\n", item);
    return 0;
}
