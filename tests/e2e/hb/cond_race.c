/* expect: race -- check_hb.sh asserts one report naming the ACCESS lines and exit 66 on 20 seeds. */
/* cond_ok.c with main's write moved after its Signal: the woken Wait is
   ordered after the Signal, not after the write, and the mutex orders
   nothing after main's last Unlock: a race on every schedule. */
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
static co_cond cv;
static int waiting, ready;   /* under mu */
static co_waitgroup fin;

static void waiter(void *arg)
{
    (void)arg;
    jitter();
    co_mutex_lock(&mu);
    waiting = 1;
    jitter();
    while (!ready)
        co_cond_wait(&cv, &mu);
    jitter();
    co_mutex_unlock(&mu);
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_done(&fin);
}

int main(void)
{
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(waiter, NULL);
    jitter();
    co_mutex_lock(&mu);
    jitter();
    while (!waiting) {
        jitter();
        co_mutex_unlock(&mu);
        co_yield();
        jitter();
        co_mutex_lock(&mu);
    }
    ready = 1;
    jitter();
    co_mutex_unlock(&mu);
    jitter();
    co_cond_signal(&cv);
    jitter();
    data = 1; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
