/* expect: race -- check_hb.sh asserts one report naming the ACCESS lines and exit 66 on 20 seeds. */
/* annotate_ok.c without the co_race_release/co_race_acquire annotations:
   the flag the checker cannot see orders nothing it knows of: a race on
   every schedule. */
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
static volatile int hidden;
static co_waitgroup fin;

__attribute__((noinline, no_sanitize_thread)) static void hidden_set(void)
{
    hidden = 1;
}

__attribute__((noinline, no_sanitize_thread)) static int hidden_get(void)
{
    return hidden;
}

static void writer(void *arg)
{
    (void)arg;
    jitter();
    data = 1; /* ACCESS */
    hidden_set();
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(writer, NULL);
    jitter();
    while (!hidden_get())
        co_yield();
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
