// expect: deadlock,lock-order,wait-cycle
/*
 * Seed 002 (notes on "Concurrency in Go", Mutex and RWMutex: "an arbitrary
 * number of readers can hold a reader lock so long as nothing else is
 * holding a writer lock"), and the sync.RWMutex documentation: "If any
 * goroutine calls Lock while the lock is already locked by one or more
 * readers, concurrent calls to RLock will block until the writer has
 * acquired (and released) the lock ... this prohibits recursive read
 * locking".
 *
 * Bug: a recursive RLock while a writer's Lock is pending.  A reader holds
 * the read lock and calls a helper that read-locks the same RWMutex again,
 * while a writer's Lock arrives in between.  Go's RWMutex prefers writers:
 * once a Lock is pending, new RLocks queue behind it, so the second RLock
 * waits for the writer, and the writer waits for the reader's first read
 * lock to be released, which never happens.  A channel handshake makes it
 * hang on every run: the reader, holding its read lock, tells the writer
 * and waits; the writer answers and calls Lock at once, so the Lock is
 * pending when the reader's helper calls RLock.  main is blocked in
 * wg.Wait(), so Go reports
 *   fatal error: all goroutines are asleep - deadlock!
 * with the reader in [sync.RWMutex.RLock] and the writer in
 * [sync.RWMutex.Lock].  The checker reports the wait-for cycle (the reader
 * waits for the pending writer, the writer for the reader) and the
 * recursive read lock of an RWMutex that some goroutine write-locks
 * (lock-order), which it would see even on a schedule that did not hang.
 *
 * Fix (rwmutex_recursive_rlock_fixed.c): the helper is split; the version
 * called with the read lock already held does not lock again.
 */
#include <corace.h>
#include <stdio.h>

static co_rwmutex mu;
static int config = 7;
static co_waitgroup wg;
static co_chan *reading;        /* the reader holds its read lock */
static co_chan *writer_coming;  /* the writer calls Lock right after this */

/* Reads config under the read lock: callers must not hold it already. */
static int get_config(void)
{
    co_rwmutex_rlock(&mu); /* blocks forever: a Lock is pending */
    int v = config;
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
    int twice = config + get_config(); /* second RLock, behind the writer */
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
    co_rwmutex_lock(&mu); /* waits for the reader's first RLock */
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
    printf("done\n");
    return 0;
}
