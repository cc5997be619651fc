/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: Pool Put(x) is synchronized before the Get that returns x.  The
   worker fills an object, then puts it; main polls the pool (yielding while
   it is empty: no edge) until Get returns the object, then reads it: no
   race. */
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
    x->v = 1; /* ACCESS */
    co_pool_put(&pool, x);
    jitter();
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
