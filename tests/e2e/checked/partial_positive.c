/* expect: partial,leak -- check_partial.sh asserts each report: goroutines
   blocked on a channel, WaitGroup, Cond, select, nil channel and a send,
   each after every partner has exited, while main still works; exit 66. */
#include <corace.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Each scenario is set up by a goroutine of its own, so that main never
   holds the objects; main waits for the set-up to finish before the next,
   which keeps goroutine ids the same under every seed. */
static co_chan *set_up;

static void recv_worker(void *arg)
{
    int v;
    co_chan_recv(arg, &v); /* LINE:recv */
}

static void early_return(void *arg)
{
    (void)arg; /* an error path: returns before it does its part */
}

static void start_recv(void *arg)
{
    (void)arg;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(recv_worker, c);
    co_go(early_return, c);
    co_chan_send(set_up, NULL);
}

static void wg_waiter(void *arg)
{
    co_waitgroup_wait(arg); /* LINE:wg */
}

static void start_wg(void *arg)
{
    (void)arg;
    co_waitgroup *wg = calloc(1, sizeof *wg);
    co_waitgroup_add(wg, 1);
    co_go(wg_waiter, wg);
    co_go(early_return, wg); /* should have called Done */
    co_chan_send(set_up, NULL);
}

struct flag {
    co_mutex mu;
    co_cond cv;
    bool ready;
};

static void cond_waiter(void *arg)
{
    struct flag *f = arg;
    co_mutex_lock(&f->mu);
    while (!f->ready)
        co_cond_wait(&f->cv, &f->mu); /* LINE:cond */
    co_mutex_unlock(&f->mu);
}

static void start_cond(void *arg)
{
    (void)arg;
    struct flag *f = calloc(1, sizeof *f);
    co_go(cond_waiter, f);
    co_go(early_return, f); /* should have set ready and signalled */
    co_chan_send(set_up, NULL);
}

struct pair {
    co_chan *a, *b;
};

static void select_waiter(void *arg)
{
    struct pair *p = arg;
    int x, y;
    co_case cases[] = {CO_RECV(p->a, &x, NULL), CO_RECV(p->b, &y, NULL)};
    co_select(cases, 2, false); /* LINE:select */
}

static void start_select(void *arg)
{
    (void)arg;
    struct pair *p = malloc(sizeof *p);
    p->a = co_chan_make(sizeof(int), 0);
    p->b = co_chan_make(sizeof(int), 1);
    co_go(select_waiter, p);
    co_go(early_return, p);
    co_chan_send(set_up, NULL);
}

static void nil_waiter(void *arg)
{
    (void)arg;
    co_chan *none = NULL;
    co_chan_recv(none, NULL); /* LINE:nil */
}

static void start_nil(void *arg)
{
    (void)arg;
    co_go(nil_waiter, NULL);
    co_chan_send(set_up, NULL);
}

static void send_worker(void *arg)
{
    int v = 42;
    co_chan_send(arg, &v); /* LINE:send */
}

static void start_send(void *arg)
{
    (void)arg;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(send_worker, c);
    co_go(early_return, c); /* the receiver that gave up */
    co_chan_send(set_up, NULL);
}

static co_waitgroup batch;
static long results[8];

static void compute(void *arg)
{
    long i = (long)arg, s = 0;
    for (long k = 0; k <= i * 1000; k++)
        s += k;
    results[i] = s;
    co_waitgroup_done(&batch);
}

int main(void)
{
    set_up = co_chan_make(0, 0);
    co_fn starts[] = {start_recv, start_wg, start_cond, start_select, start_nil, start_send};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        co_go(starts[i], NULL);
        co_chan_recv(set_up, NULL);
    }
    /* Main goes on with other work while the six stay blocked. */
    co_waitgroup_add(&batch, 8);
    for (long i = 0; i < 8; i++)
        co_go(compute, (void *)i);
    co_waitgroup_wait(&batch);
    for (int i = 0; i < 3; i++)
        co_sleep(2 * CO_MILLISECOND);
    printf("main done: %ld\n", results[7]);
    return 0;
}
