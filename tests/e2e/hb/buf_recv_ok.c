/* expect: no race -- check_hb.sh asserts exit 0 and no report on 20 seeds. */
/* HB edge: on a channel of capacity C, the k-th receive is synchronized
   before the (k+C)-th send completes.  C = 1: the receiver writes data, then
   makes the 1st receive; main's 2nd send can complete only after it, then
   main reads: ordered, no race.  main never receives, so no send->receive
   edge runs from the receiver to main. */
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
    c = co_chan_make(sizeof(int), 1);
    co_waitgroup_add(&fin, 1);
    jitter();
    co_go(receiver, NULL);
    int v = 1;
    jitter();
    co_chan_send(c, &v);   /* 1st send: fills the buffer */
    co_chan_send(c, &v);   /* 2nd send: completes after the 1st receive */
    sink = data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
