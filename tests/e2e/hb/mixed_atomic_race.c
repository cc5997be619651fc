/* expect: race -- check_hb.sh asserts one report naming the ACCESS lines and exit 66 on 20 seeds. */
/* Mixed atomic and plain access to one location is a race, as in Go: the
   writer stores x atomically, main reads the same bytes with a plain load
   (through the union), unordered: a race on every schedule. */
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

union cell {
    atomic_int a;
    int plain;
};
union cell x; /* external linkage: the compiler keeps every access */
int sink;
static co_waitgroup fin;

static void writer(void *arg)
{
    (void)arg;
    jitter();
    atomic_store(&x.a, 1); /* ACCESS */
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(writer, NULL);
    jitter();
    sink = x.plain; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
