/*
 * time.c - timers, co_sleep, co_after and tickers.
 *
 * Armed timers sit in a binary min-heap ordered by (deadline, arming order),
 * so timers due at the same instant fire in the order they were armed and a
 * run is reproducible.  Time is the real monotonic clock: when every
 * goroutine is asleep on a timer, the thread sleeps until the next deadline.
 */
#include "timer.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "chan.h"
#include "announce.h"
#include "fatal.h"
#include "park.h"

uint32_t timer_count;
static tmr **heap;
static uint32_t heap_cap;
static uint64_t arm_seq;

int64_t co_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * CO_SECOND + ts.tv_nsec;
}

static bool before(const tmr *a, const tmr *b)
{
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void place(uint32_t i, tmr *t)
{
    heap[i] = t;
    t->heap_idx = i;
}

static void sift_up(uint32_t i)
{
    tmr *t = heap[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!before(t, heap[p])) break;
        place(i, heap[p]);
        i = p;
    }
    place(i, t);
}

static void sift_down(uint32_t i)
{
    tmr *t = heap[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= timer_count) break;
        if (c + 1 < timer_count && before(heap[c + 1], heap[c])) c++;
        if (!before(heap[c], t)) break;
        place(i, heap[c]);
        i = c;
    }
    place(i, t);
}

void timer_arm(tmr *t, int64_t when)
{
    if (timer_count == heap_cap) {
        heap_cap = heap_cap ? 2 * heap_cap : 64;
        tmr **h = realloc(heap, heap_cap * sizeof *h);
        if (!h) fatal_throw("out of memory arming a timer");
        heap = h;
        /* Past timer_count the array holds no pointers (see timer_disarm),
           not even what the memory held before malloc gave it to us. */
        for (uint32_t i = timer_count; i < heap_cap; i++) heap[i] = NULL;
    }
    t->when = when;
    t->seq = arm_seq++;
    place(timer_count++, t);
    sift_up(t->heap_idx);
}

void timer_disarm(tmr *t)
{
    if (t->heap_idx < 0) return;
    uint32_t i = (uint32_t)t->heap_idx;
    t->heap_idx = -1;
    tmr *last = heap[--timer_count];
    /* No stale pointer past the end: the heap array is scanned as part of
       the program's memory, and a fired timer's channel is no longer fed. */
    heap[timer_count] = NULL;
    if (i == timer_count) return;
    place(i, last);
    sift_down(i);
    sift_up((uint32_t)last->heap_idx);
}

bool timer_fire_due(int64_t now)
{
    bool fired = false;
    /* Timers fire on no goroutine's behalf: whoever happens to be running
       must not seem to synchronize with what they wake. */
    const ev_hooks *saved = ev;
    ev = NULL;
    while (timer_count && heap[0]->when <= now) {
        tmr *t = heap[0];
        timer_disarm(t);
        if (t->period > 0) {
            /* Skip the ticks that were missed rather than delivering a burst. */
            int64_t next = t->when + t->period;
            if (next <= now) next += ((now - next) / t->period + 1) * t->period;
            timer_arm(t, next);
        }
        t->fire(t, now);
        fired = true;
    }
    ev = saved;
    return fired;
}

tmr *timer_nth(uint32_t i) { return i < timer_count ? heap[i] : NULL; }

static void wake_sleeper(tmr *t, int64_t now);
static void send_time(tmr *t, int64_t now);

bool timer_can_wake(void)
{
    for (uint32_t i = 0; i < timer_count; i++) {
        const tmr *t = heap[i];
        if (t->fire != send_time) return true;   /* a sleeper's, or one we cannot judge */
        const co_chan *c = t->arg;
        /* A select's waiter may be stale (another case fired): counted as
           a receiver all the same, so no deadlock is claimed on its word. */
        if (!waitq_empty(&c->recvq)) return true;
    }
    return false;
}

void timer_sleep_until_next(void)
{
    int64_t when = heap[0]->when;
    struct timespec ts = {.tv_sec = when / CO_SECOND, .tv_nsec = when % CO_SECOND};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

/* ---- co_sleep ---- */

static void wake_sleeper(tmr *t, int64_t now)
{
    (void)now;
    sched_ready(t->arg);
}

void co_sleep(int64_t ns)
{
    ev_sync_point();
    if (ns <= 0) return;
    tmr t = {.fire = wake_sleeper, .arg = sched_cur, .heap_idx = -1};
    int64_t now = co_now();
    timer_arm(&t, ns > INT64_MAX - now ? INT64_MAX : now + ns);
    sched_park(WR_SLEEP);
}

/* ---- timer channels ---- */

static void send_time(tmr *t, int64_t now)
{
    /* HB: none beyond the channel's own; the value is the firing time. */
    chan_send_nonblock(t->arg, &now);
}

static co_chan *timer_chan(tmr *t, int64_t ns, int64_t period)
{
    co_chan *c = co_chan_make(sizeof(int64_t), 1);
    t->fire = send_time;
    t->arg = c;
    t->period = period;
    t->heap_idx = -1;
    c->timer = t;
    int64_t now = co_now();
    timer_arm(t, ns <= 0 ? now : (ns > INT64_MAX - now ? INT64_MAX : now + ns));
    return c;
}

co_chan *co_after(int64_t ns)
{
    tmr *t = calloc(1, sizeof *t);
    if (!t) fatal_throw("out of memory in co_after");
    return timer_chan(t, ns, 0);
}

/* The timer comes first, so freeing the channel (which frees c->timer)
   frees the whole ticker. */
struct co_ticker {
    tmr t;
    co_chan *c;
};

co_ticker *co_ticker_make(int64_t period_ns)
{
    if (period_ns <= 0) fatal_panic("non-positive interval for NewTicker");
    co_ticker *k = calloc(1, sizeof *k);
    if (!k) fatal_throw("out of memory in co_ticker_make");
    k->c = timer_chan(&k->t, period_ns, period_ns);
    return k;
}

co_chan *co_ticker_chan(co_ticker *t) { return t->c; }

void co_ticker_stop(co_ticker *t) { timer_disarm(&t->t); }
