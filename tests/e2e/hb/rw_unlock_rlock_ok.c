/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: an RWMutex's Unlock is synchronized before every later RLock
   returns.  main holds the write lock from before co_go until after its
   write, so the goroutine's RLock returns only after main's Unlock: no race. */
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

static void reader(void *arg)
{
    (void)arg;
    jitter();
    co_rwmutex_rlock(&rw);
    jitter();
    sink = data; /* ACCESS */
    co_rwmutex_runlock(&rw);
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_rwmutex_lock(&rw);
    jitter();
    co_go(reader, NULL);
    jitter();
    data = 1; /* ACCESS */
    co_rwmutex_unlock(&rw);
    jitter();
    co_waitgroup_wait(&fin);
    return 0;
}
