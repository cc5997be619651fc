/* expect: race -- check_hb.sh asserts one report naming the ACCESS lines and exit 66 on 20 seeds. */
/* once_ok.c with main's Do bypassing the Once that runs init: main calls Do
   on another Once (whose fn does nothing), so its read is ordered after
   init's start (the send), not after init's write: a race on every
   schedule. */
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
static co_once once, other;
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

static void nothing(void *arg)
{
    (void)arg;
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
    co_once_do(&other, nothing, NULL);
    jitter();
    sink = data; /* ACCESS */
    co_waitgroup_wait(&fin);
    return 0;
}
