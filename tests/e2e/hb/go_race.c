/* expect: race -- check_hb.sh asserts one report naming the ACCESS lines and exit 66 on 20 seeds. */
/* go_ok.c with the edge bypassed: main writes data after co_go, so nothing
   orders the write with the goroutine's read (fin orders both before main's
   return, not one before the other): a race on every schedule. */
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
static co_waitgroup fin;

static void reader(void *arg)
{
    (void)arg;
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(reader, NULL);
    jitter();
    data = 1; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
