/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: C11 atomics synchronize (the checker treats them as sequentially
   consistent, as Go's sync/atomic).  The writer writes data, then stores the
   flag (release); main spins on the flag (acquire loads, yielding) and then
   reads data: no race.  data and flag share one 8-byte granule, as in
   atomic_flag_race.c: plain and atomic accesses to different bytes of a
   granule do not conflict. */
#include <corace.h>
#include <stdatomic.h>

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

struct shared {
    int data;
    atomic_int flag;
};
_Alignas(8) struct shared s; /* external linkage: the compiler keeps every access */
int sink;
static co_waitgroup fin;

static void writer(void *arg)
{
    (void)arg;
    jitter();
    s.data = 1; /* ACCESS */
    atomic_store_explicit(&s.flag, 1, memory_order_release);
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(writer, NULL);
    jitter();
    while (!atomic_load_explicit(&s.flag, memory_order_acquire))
        co_yield();
    jitter();
    sink = s.data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
