// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", Mutex and RWMutex): fixed twin
 * of rwmutex_recursive_rlock.c.
 *
 * What changed: the helper comes in two versions, get_config() which takes
 * the read lock and get_config_locked() for callers that already hold it
 * (Go code often names these fooLocked).  The reader, holding the read
 * lock, calls get_config_locked(), so it read-locks the RWMutex only once;
 * the writer's pending Lock waits until the reader's RUnlock and then goes
 * on.  The handshake is the same.  Prints "reader: 14" and "writer:
 * config updated" (in the order the schedule lets them run), then
 * "config 8" and "done".
 */
#include <corace.h>
#include <stdio.h>

static co_rwmutex mu;
static int config = 7;
static co_waitgroup wg;
static co_chan *reading;        /* the reader holds its read lock */
static co_chan *writer_coming;  /* the writer calls Lock right after this */

/* Reads config: the caller holds the read (or write) lock. */
static int get_config_locked(void)
{
    return config;
}

/* Reads config under the read lock: callers must not hold it already. */
static int get_config(void)
{
    co_rwmutex_rlock(&mu);
    int v = get_config_locked();
    co_rwmutex_runlock(&mu);
    return v;
}

static void reader(void *arg)
{
    int token = 1;
    (void)arg;
    co_rwmutex_rlock(&mu);
    co_chan_send(reading, &token);
    co_chan_recv(writer_coming, &token);
    int twice = config + get_config_locked(); /* no second RLock */
    co_rwmutex_runlock(&mu);
    printf("reader: %d\n", twice);
    co_waitgroup_done(&wg);
}

static void writer(void *arg)
{
    int token = 1;
    (void)arg;
    co_chan_recv(reading, &token);
    co_chan_send(writer_coming, &token);
    co_rwmutex_lock(&mu); /* waits for the reader's RUnlock */
    config = 8;
    co_rwmutex_unlock(&mu);
    printf("writer: config updated\n");
    co_waitgroup_done(&wg);
}

int main(void)
{
    reading = co_chan_make(sizeof(int), 1);
    writer_coming = co_chan_make(sizeof(int), 0);
    co_waitgroup_add(&wg, 2);
    co_go(reader, NULL);
    co_go(writer, NULL);
    co_waitgroup_wait(&wg);
    printf("config %d\n", get_config());
    printf("done\n");
    return 0;
}
