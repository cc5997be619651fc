/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: co_race_release(a) is synchronized before a later
   co_race_acquire(a).  The two goroutines hand off through a flag the
   checker cannot see (set and read only by functions built without
   instrumentation, as code from an uninstrumented library would be); the
   annotations around it are the only edge: no race. */
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
static int token;
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
    co_race_release(&token);
    jitter();
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
    co_race_acquire(&token);
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
