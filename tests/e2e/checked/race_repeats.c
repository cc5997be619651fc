/* Two goroutines increment one int 100 times each, unsynchronized: the
   first, at once; the second, once the first is long done (a sleep orders
   nothing).  Each increment of the second races with the first's last
   write, its read and its write alike: 200 races.  Each goroutine locks
   a mutex of its own between increments, which orders nothing either but
   starts a new epoch, so that no increment is a repeat of the one before
   at the same epoch.  One race is printed: the other 199 repeat it (the
   read's pair of pcs, or the write's, on the same 8-byte word), and with
   verbosity=1 the exit line counts them. */
#include <corace.h>

int counter; /* external linkage: the compiler keeps every access */
static co_waitgroup done;

struct worker {
    co_mutex own;
    int64_t delay_ms;
};

static void increment(void *arg)
{
    struct worker *w = arg;
    if (w->delay_ms)
        co_sleep(w->delay_ms * CO_MILLISECOND);
    for (int i = 0; i < 100; i++) {
        counter++;
        co_mutex_lock(&w->own);
        co_mutex_unlock(&w->own);
    }
    co_waitgroup_done(&done);
}

int main(void)
{
    static struct worker first = { .delay_ms = 0 }, second = { .delay_ms = 100 };
    co_waitgroup_add(&done, 2);
    co_go(increment, &first);
    co_go(increment, &second);
    co_waitgroup_wait(&done);
    return 0;
}
