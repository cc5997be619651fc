/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: a WaitGroup's Done is synchronized before the Wait it releases
   returns.  The worker writes data, then calls Done; main reads after Wait:
   ordered, no race.  (A second WaitGroup, fin, keeps main until the worker
   has finished, as in waitgroup_race.c.) */
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
static co_waitgroup wg, fin;

static void worker(void *arg)
{
    (void)arg;
    jitter();
    data = 1; /* ACCESS */
    co_waitgroup_done(&wg);
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&wg, 1);
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(worker, NULL);
    jitter();
    co_waitgroup_wait(&wg);
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
