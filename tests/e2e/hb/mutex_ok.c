/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: the n-th Unlock of a Mutex is synchronized before the (n+1)-th
   Lock returns.  Both goroutines access data only while holding mu; in
   either order the first one's Unlock orders it before the second: no race. */
#include <corace.h>

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

int data; /* external linkage: the compiler keeps every access */
int sink;
static co_mutex mu;
static co_waitgroup fin;

static void writer(void *arg)
{
    (void)arg;
    jitter();
    co_mutex_lock(&mu);
    jitter();
    data = 1; /* ACCESS */
    co_mutex_unlock(&mu);
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(writer, NULL);
    jitter();
    co_mutex_lock(&mu);
    jitter();
    sink = data; /* ACCESS */
    co_mutex_unlock(&mu);
    jitter();
    co_waitgroup_wait(&fin);
    return 0;
}
