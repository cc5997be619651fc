/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: on an unbuffered channel, a receive is synchronized before the
   send it takes from completes.  The receiver writes data before receiving;
   main reads it after its send completes: ordered, no race. */
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
static co_chan *c;
static co_waitgroup fin;

static void receiver(void *arg)
{
    (void)arg;
    int v;
    jitter();
    data = 1; /* ACCESS */
    co_chan_recv(c, &v);
    jitter();
    co_waitgroup_done(&fin);
}

int main(void)
{
    c = co_chan_make(sizeof(int), 0);
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(receiver, NULL);
    int v = 1;
    jitter();
    co_chan_send(c, &v);
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
