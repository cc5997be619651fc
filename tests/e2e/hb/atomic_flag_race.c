/* expect: race -- check_hb.sh asserts one report naming the ACCESS lines and exit 66 on 20 seeds. */
/* atomic_flag_ok.c with a plain flag instead of an atomic one: nothing
   orders anything.  The flag accesses are the conflict found first on every
   schedule (main reads the flag before it reads data; the writer writes
   data before the flag, and main has not read data yet), so they are the
   marked ones.  data shares the flag's 8-byte granule, so its own race is
   folded into the same report, as Go's race detector folds races per
   granule: one report. */
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

struct shared {
    int data;
    int flag;
};
_Alignas(8) struct shared s; /* external linkage: the compiler keeps every access */
int sink;
static co_waitgroup fin;

static void writer(void *arg)
{
    (void)arg;
    jitter();
    s.data = 1;
    jitter();
    s.flag = 1; /* ACCESS */
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(writer, NULL);
    jitter();
    while (!s.flag) /* ACCESS */
        co_yield();
    jitter();
    sink = s.data;
    jitter();
    co_waitgroup_wait(&fin);
    return 0;
}
