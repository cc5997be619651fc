/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: the return of a Once's fn is synchronized before every Do on it
   returns.  The worker's Do runs init, which tells main it has started (an
   unbuffered send: that orders only what came before it) and then writes
   data.  main's Do on the same Once arrives while init runs or after, so it
   waits for init and returns after it; then main reads: no race.  main never
   runs init itself. */
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
static co_once once;
static co_chan *inside;
static co_waitgroup fin;

static void init(void *arg)
{
    (void)arg;
    int v = 1;
    jitter();
    co_chan_send(inside, &v);
    jitter();
    data = 1; /* ACCESS */
}

static void worker(void *arg)
{
    (void)arg;
    jitter();
    co_once_do(&once, init, NULL);
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    inside = co_chan_make(sizeof(int), 0);
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(worker, NULL);
    int v;
    jitter();
    co_chan_recv(inside, &v);
    jitter();
    co_once_do(&once, init, NULL);
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
