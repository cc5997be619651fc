/* expect: deadlock -- a deadlock a ticker hides.  A keeper wakes on a
   ticker and needs a mutex; a sender holds that mutex while it sends on a
   full channel nobody receives from; main waits for both.  Once the keeper
   is blocked on the mutex, every goroutine is blocked and the ticker only
   fills its own channel: Go hangs, the checker reports the deadlock with
   every goroutine's stack.  With -DFIXED a receiver drains the channel and
   the program ends. */
#include <corace.h>
#include <stdio.h>

static co_mutex mu;
static co_waitgroup wg;
static co_chan *full;

static void keeper(void *arg)
{
    co_ticker *t = arg;
    int64_t when;
    for (int i = 0; i < 3; i++) {
        co_chan_recv(co_ticker_chan(t), &when);
        co_mutex_lock(&mu); /* LINE:keeper_lock */
        co_mutex_unlock(&mu);
    }
    co_waitgroup_done(&wg);
}

static void sender(void *arg)
{
    (void)arg;
    co_mutex_lock(&mu);
    for (int i = 0; i < 2; i++)
        co_chan_send(full, &i); /* LINE:sender_send */
    co_mutex_unlock(&mu);
    co_waitgroup_done(&wg);
}

#ifdef FIXED
static void drain(void *arg)
{
    (void)arg;
    int v;
    for (int i = 0; i < 2; i++)
        co_chan_recv(full, &v);
}
#endif

int main(void)
{
    full = co_chan_make(sizeof(int), 1);
    co_ticker *t = co_ticker_make(CO_MILLISECOND);
    co_waitgroup_add(&wg, 2);
    co_go(sender, NULL);
    co_go(keeper, t);
#ifdef FIXED
    co_go(drain, NULL);
#endif
    co_waitgroup_wait(&wg); /* LINE:main_wait */
    co_ticker_stop(t);
    printf("done\n");
    return 0;
}
