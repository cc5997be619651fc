/* expect: clean -- check_partial.sh asserts no partial-deadlock report and
   exit 0: every goroutine here waits a while, but something that can still
   run (or a timer) can always reach what it waits on. */
#include <corace.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define MS CO_MILLISECOND

static void early_return(void *arg) { (void)arg; }

static void recv_one(void *arg)
{
    int v;
    co_chan_recv(arg, &v);
}

/* 1. A global names the channel: main sends much later. */
static co_chan *global_c;
static co_waitgroup published;   /* global_c and mailbox are set */

static void start_global(void *arg)
{
    (void)arg;
    global_c = co_chan_make(sizeof(int), 0);
    co_go(recv_one, global_c);
    co_go(early_return, NULL);
    co_waitgroup_done(&published);
}

/* 2. A heap box held by a sleeping goroutine. */
struct box {
    int pad[5];
    co_chan *c;
};

static void holder(void *arg)
{
    struct box *b = arg;
    co_sleep(15 * MS);
    int v = 2;
    co_chan_send(b->c, &v);
    free(b);
}

static void start_heap(void *arg)
{
    (void)arg;
    struct box *b = calloc(1, sizeof *b);
    b->c = co_chan_make(sizeof(int), 0);
    co_go(recv_one, b->c);
    co_go(holder, b);
}

/* 3. On a live goroutine's stack only: the holder hands the channel over
   and sleeps; the hand-over channel itself is dropped by the waiter. */
static void stack_holder(void *arg)
{
    co_chan *volatile mine = co_chan_make(sizeof(int), 0);
    co_chan *hand = arg;
    co_chan_send(hand, (co_chan **)&mine);
    hand = NULL;
    co_sleep(15 * MS);
    int v = 3;
    co_chan_send(mine, &v);
}

static void stack_waiter(void *arg)
{
    co_chan *c;
    co_chan_recv(arg, &c);
    int v;
    co_chan_recv(c, &v);
}

static void start_stack(void *arg)
{
    (void)arg;
    co_chan *hand = co_chan_make(sizeof(co_chan *), 0);
    co_go(stack_waiter, hand);
    co_go(stack_holder, hand);
}

/* 4. Timer channels: a co_after and a ticker nobody else holds. */
static void after_waiter(void *arg)
{
    (void)arg;
    int64_t t;
    co_chan_recv(co_after(12 * MS), &t);
}

static void ticker_waiter(void *arg)
{
    (void)arg;
    co_ticker *k = co_ticker_make(4 * MS);
    int64_t t;
    for (int i = 0; i < 3; i++) {
        co_case cases[] = {CO_RECV(co_ticker_chan(k), &t, NULL)};
        co_select(cases, 1, false);
    }
    co_ticker_stop(k);
}

/* 5. Unblocked by a goroutine made later, which finds the channel in a global. */
static co_chan *mailbox;

static void start_mailbox(void *arg)
{
    (void)arg;
    mailbox = co_chan_make(sizeof(int), 0);
    co_go(recv_one, mailbox);
    co_waitgroup_done(&published);
}

static void late_sender(void *arg)
{
    (void)arg;
    int v = 5;
    co_chan_send(mailbox, &v);
}

/* 6. Hand-offs: two goroutines ping-pong over a channel only they hold. */
static void pong(void *arg)
{
    int v;
    while (co_chan_recv(arg, &v) && v < 200) {
        v++;
        co_chan_send(arg, &v);
    }
}

static void ping(void *arg)
{
    (void)arg;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(pong, c);
    int v = 0;
    while (v < 199) {
        co_chan_send(c, &v);
        co_chan_recv(c, &v);
        if (v % 50 == 0)
            co_sleep(1 * MS);
    }
    co_chan_close(c);
}

/* 7. A WaitGroup inside a struct on main's stack, reached through a pointer
   to the struct's start, from goroutines that sleep first. */
struct job {
    long sum;
    co_mutex mu;
    co_waitgroup wg;
};

static void job_part(void *arg)
{
    struct job *j = arg;
    co_sleep(5 * MS);
    co_mutex_lock(&j->mu);
    j->sum += 1;
    co_mutex_unlock(&j->mu);
    co_waitgroup_done(&j->wg);
}

/* 8. A Cond in a heap struct whose signaller sleeps first. */
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
        co_cond_wait(&f->cv, &f->mu);
    co_mutex_unlock(&f->mu);
}

static void cond_signaller(void *arg)
{
    struct flag *f = arg;
    co_sleep(10 * MS);
    co_mutex_lock(&f->mu);
    f->ready = true;
    co_cond_signal(&f->cv);
    co_mutex_unlock(&f->mu);
}

int main(void)
{
    co_waitgroup_add(&published, 2);
    co_go(start_global, NULL);
    co_go(start_heap, NULL);
    co_go(start_stack, NULL);
    co_go(after_waiter, NULL);
    co_go(ticker_waiter, NULL);
    co_go(start_mailbox, NULL);
    co_go(ping, NULL);
    struct flag *f = calloc(1, sizeof *f);
    co_go(cond_waiter, f);
    co_go(cond_signaller, f);
    f = NULL;

    struct job j = {0};
    co_waitgroup_add(&j.wg, 3);
    for (int i = 0; i < 3; i++)
        co_go(job_part, &j);
    co_waitgroup_wait(&j.wg);

    co_waitgroup_wait(&published);
    co_sleep(20 * MS);
    co_go(late_sender, NULL);
    int v = 1;
    co_chan_send(global_c, &v);
    co_sleep(10 * MS);
    printf("main done: %ld, %d goroutine(s) left\n", j.sum, co_num_goroutine());
    return 0;
}
