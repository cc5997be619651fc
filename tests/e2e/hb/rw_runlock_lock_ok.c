/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: an RWMutex's RUnlock is synchronized before the next Lock
   returns.  main holds a read lock from before co_go until after its read,
   so the goroutine's Lock returns only after main's RUnlock: no race. */
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
static co_rwmutex rw;
static co_waitgroup fin;

static void writer(void *arg)
{
    (void)arg;
    jitter();
    co_rwmutex_lock(&rw);
    jitter();
    data = 1; /* ACCESS */
    co_rwmutex_unlock(&rw);
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_rwmutex_rlock(&rw);
    jitter();
    co_go(writer, NULL);
    jitter();
    sink = data; /* ACCESS */
    co_rwmutex_runlock(&rw);
    jitter();
    co_waitgroup_wait(&fin);
    return 0;
}
