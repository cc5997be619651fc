// expect: clean
// explore: deadlock
/*
 * Seed 002 (notes on "Concurrency in Go", The sync Package, Cond: "a way
 * for a goroutine to efficiently sleep until it was signaled to wake and
 * check its condition"; "upon entering Wait, Unlock is called on the Cond
 * variable's Locker").
 *
 * Bug: a lost wake-up with Cond: the consumer checks the condition
 * outside the mutex and never again under it, so a Signal sent between
 * the check and the Wait wakes nobody.  The check (is the config loaded?)
 * reads an atomic flag, meant as a fast path; then the consumer locks and
 * waits.  If the loader runs in the narrow window between that check and
 * the Lock, it sets the flag and signals while nobody waits yet; the
 * consumer then waits for a signal that already came and sleeps forever,
 * and main waits in wg.Wait():
 *   fatal error: all goroutines are asleep - deadlock!
 * with the consumer in [sync.Cond.Wait].  The window holds no function
 * call, so `corace run` (which preempts at function entries) never splits
 * it and every run is clean; `corace explore` also preempts at memory
 * accesses and sync operations, and finds the schedule that hangs.
 *
 * Fix (cond_lost_wakeup_fixed.c): the Cond idiom of the seed's book,
 *   c.L.Lock(); for !condition() { c.Wait() }
 * the condition is read under the mutex the loader holds when it changes
 * it and signals, and read again after every wake-up, so a signal can no
 * longer fall between the check and the Wait.
 */
#include <corace.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

static co_mutex mu;
static co_cond loaded_cond;
static atomic_bool loaded; /* set once the config is in place */
static int config_port;    /* written before loaded is set */
static co_waitgroup wg;

struct consumer {
    int slept; /* how often this consumer had to wait: its own statistic */
    int port;
};

/* Where the consumer spends its time before it needs the config. */
static int warm_up_step(int x)
{
    return x * 7 % 13;
}

static void consumer(void *arg)
{
    struct consumer *c = arg;
    int x = 1;
    for (int i = 0; i < 16; i++)
        x = warm_up_step(x);
    if (!atomic_load(&loaded)) { /* BUG: checked outside the mutex, and never again */
        /* The window: the loader may set loaded and signal from here until
           the Wait below queues this goroutine.  No call in it. */
        c->slept++;
        co_mutex_lock(&mu);
        co_cond_wait(&loaded_cond, &mu); /* sleeps forever if the signal came already */
        co_mutex_unlock(&mu);
    }
    c->port = config_port;
    co_waitgroup_done(&wg);
}

/* Reading the config: a few calls, no shared state. */
static int parse_step(int x)
{
    return (x * 10 + 8) % 65536;
}

static void loader(void *arg)
{
    int port = 0;
    (void)arg;
    for (int i = 0; i < 4; i++)
        port = parse_step(port);
    co_mutex_lock(&mu);
    config_port = port;
    atomic_store(&loaded, true);
    co_cond_signal(&loaded_cond); /* wakes nobody if the consumer has not queued yet */
    co_mutex_unlock(&mu);
    co_waitgroup_done(&wg);
}

int main(void)
{
    struct consumer c = {0, 0};
    co_waitgroup_add(&wg, 2);
    co_go(consumer, &c);
    co_go(loader, NULL);
    co_waitgroup_wait(&wg);
    printf("consumer uses port %d (waited %d time%s)\n", c.port, c.slept, c.slept == 1 ? "" : "s");
    return 0;
}
