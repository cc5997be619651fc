/* expect: race -- check_hb.sh asserts one report naming the ACCESS lines and exit 66 on 20 seeds. */
/* pool_ok.c with the worker's write moved after its Put (using an object
   after giving it back): main's Get is ordered after the Put, not after the
   write: a race on every schedule.  fin orders both before the free. */
#include <corace.h>
#include <stdlib.h>

/* Preemption points: checked mode may switch goroutines at the entry of an
   instrumented function, after a number of entries drawn from CO_SEED, so
   calling this between steps lets each seed try another interleaving. */
static volatile int zero;
__attribute__((noinline)) static void pause_point(void) { (void)zero; }
static void jitter(void)
{
    for (int i = 0; i < 24; i++)
        pause_point();
}

struct obj {
    int v;
};

int sink;
static co_pool pool;
static co_waitgroup fin;

static void worker(void *arg)
{
    (void)arg;
    struct obj *x = calloc(1, sizeof *x);
    jitter();
    co_pool_put(&pool, x);
    jitter();
    x->v = 1; /* ACCESS */
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(worker, NULL);
    jitter();
    struct obj *x;
    jitter();
    while ((x = co_pool_get(&pool)) == NULL)
        co_yield();
    jitter();
    sink = x->v; /* ACCESS */
    co_waitgroup_wait(&fin);
    free(x);
    return 0;
}
