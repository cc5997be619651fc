// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", The sync Package, Cond): fixed
 * twin of cond_lost_wakeup.c.
 *
 * What changed: the consumer checks the condition the way the book's Cond
 * example does, under the mutex and in a loop:
 *   c.L.Lock(); for !condition() { c.Wait() }; c.L.Unlock()
 * The loader changes the flag and signals while holding the same mutex,
 * so the consumer either sees the flag already set (and does not wait) or
 * is queued on the Cond before the loader can take the mutex to signal;
 * and it checks again after each wake-up.  No schedule loses the signal.
 * The flag no longer needs to be atomic: the mutex orders every access.
 * Prints "consumer uses port 8888" and how often it waited (0 or 1,
 * depending on the schedule).
 */
#include <corace.h>
#include <stdbool.h>
#include <stdio.h>

static co_mutex mu;
static co_cond loaded_cond;
static bool loaded;     /* guarded by mu */
static int config_port; /* guarded by mu */
static co_waitgroup wg;

struct consumer {
    int slept; /* how often this consumer had to wait: its own statistic */
    int port;
};

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
    co_mutex_lock(&mu);
    while (!loaded) { /* checked under the mutex, and again after each wake-up */
        c->slept++;
        co_cond_wait(&loaded_cond, &mu);
    }
    c->port = config_port;
    co_mutex_unlock(&mu);
    co_waitgroup_done(&wg);
}

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
    loaded = true;
    co_cond_signal(&loaded_cond);
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
