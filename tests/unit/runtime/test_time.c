/*
 * test_time.c - time (runtime/time): co_now, co_sleep, co_after, tickers.
 *
 * These check semantics (a sleep lasts at least its duration, wake-ups come
 * in deadline order), not timing precision.
 */
#include <time.h>

#include "unit_util.h"

START_TEST(now_is_monotonic_ns)
{
    int64_t a = co_now();
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
    int64_t b = co_now();
    ck_assert_int_ge(b - a, 2 * CO_MILLISECOND); /* nanoseconds */
    ck_assert_int_lt(b - a, 10 * CO_SECOND);
    int64_t prev = co_now();
    for (int i = 0; i < 10000; i++) {
        int64_t t = co_now();
        ck_assert_int_ge(t, prev);
        prev = t;
    }
}
END_TEST

START_TEST(sleep_lasts_at_least)
{
    int64_t t0 = co_now();
    co_sleep(10 * CO_MILLISECOND);
    int64_t d = co_now() - t0;
    ck_assert_msg(d >= 10 * CO_MILLISECOND, "co_sleep(10ms) lasted %lld ns", (long long)d);
}
END_TEST

static void return_at_once(void *arg)
{
    (void)arg;
}

START_TEST(sleep_zero_and_negative)
{
    int64_t t0 = co_now();
    co_sleep(0);
    co_sleep(-1);
    co_sleep(-5 * CO_SECOND);
    ck_assert_int_lt(co_now() - t0, 50 * CO_MILLISECOND);
    /* also with another goroutine around */
    co_go(return_at_once, NULL);
    t0 = co_now();
    co_sleep(0);
    co_sleep(-CO_MILLISECOND);
    ck_assert_int_lt(co_now() - t0, 50 * CO_MILLISECOND);
    unit_assert_no_leak();
}
END_TEST

static co_chan *order_ch;

static void sleeper(void *arg)
{
    int ms = (int)(intptr_t)arg;
    co_sleep(ms * CO_MILLISECOND);
    send_int(order_ch, ms);
}

/* Sleeps until a deadline shared by all sleepers plus its own offset, so
   the order of deadlines does not depend on when each one started. */
static int64_t sleep_base;

static void deadline_sleeper(void *arg)
{
    int ms = (int)(intptr_t)arg;
    co_sleep(sleep_base + ms * CO_MILLISECOND - co_now());
    send_int(order_ch, ms);
}

START_TEST(sleepers_wake_in_deadline_order)
{
    order_ch = co_chan_make(sizeof(int), 3);
    co_go(sleeper, (void *)(intptr_t)30);
    co_go(sleeper, (void *)(intptr_t)10);
    co_go(sleeper, (void *)(intptr_t)20);
    ck_assert_int_eq(recv_int(order_ch), 10);
    ck_assert_int_eq(recv_int(order_ch), 20);
    ck_assert_int_eq(recv_int(order_ch), 30);
    unit_assert_no_leak();
}
END_TEST

START_TEST(many_sleepers_wake_in_order)
{
    /* 40 sleepers with shuffled deadlines 1..40 ms apart wake in deadline order */
    enum { N = 40 };
    order_ch = co_chan_make(sizeof(int), N);
    int ms[N];
    for (int i = 0; i < N; i++)
        ms[i] = i + 1;
    unsigned x = 12345;
    for (int i = N - 1; i > 0; i--) {
        x = x * 1103515245u + 12345u;
        int j = (int)((x >> 8) % (unsigned)(i + 1));
        int t = ms[i];
        ms[i] = ms[j];
        ms[j] = t;
    }
    sleep_base = co_now() + 50 * CO_MILLISECOND;
    for (int i = 0; i < N; i++)
        co_go(deadline_sleeper, (void *)(intptr_t)ms[i]);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(recv_int(order_ch), i + 1);
    unit_assert_no_leak();
}
END_TEST

START_TEST(ticker_stop_before_first_tick)
{
    co_ticker *t = co_ticker_make(10 * CO_MILLISECOND);
    co_chan *c = co_ticker_chan(t);
    co_ticker_stop(t);
    co_sleep(40 * CO_MILLISECOND);
    int64_t when;
    co_case cs[] = {CO_RECV(c, &when, NULL)};
    ck_assert_int_eq(co_select(cs, 1, true), -1);
}
END_TEST

static int sleeper_done;

static void long_sleeper(void *arg)
{
    (void)arg;
    co_sleep(200 * CO_MILLISECOND);
    sleeper_done = 1;
}

static void echo(void *arg)
{
    co_chan *c = arg;
    int v;
    while (co_chan_recv(c, &v))
        co_chan_send(c, &v);
}

START_TEST(sleep_parks_only_the_sleeper)
{
    /* while one goroutine sleeps, others keep running */
    sleeper_done = 0;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(long_sleeper, NULL);
    co_go(echo, c);
    for (int i = 0; i < 200; i++) {
        send_int(c, i);
        ck_assert_int_eq(recv_int(c), i);
    }
    ck_assert_int_eq(sleeper_done, 0);
    co_chan_close(c);
    co_sleep(300 * CO_MILLISECOND);
    ck_assert_int_eq(sleeper_done, 1);
    unit_assert_no_leak();
}
END_TEST

START_TEST(after_fires_once)
{
    int64_t t0 = co_now();
    co_chan *c = co_after(10 * CO_MILLISECOND);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(co_chan_cap(c), 1);
    int64_t when = 0;
    ck_assert(co_chan_recv(c, &when));
    int64_t t1 = co_now();
    ck_assert_int_ge(t1 - t0, 10 * CO_MILLISECOND);
    /* the value is the time it fired */
    ck_assert_int_ge(when, t0 + 10 * CO_MILLISECOND);
    ck_assert_int_le(when, t1);
    /* once only */
    co_sleep(30 * CO_MILLISECOND);
    int64_t again = 0;
    co_case cs[] = {CO_RECV(c, &again, NULL)};
    ck_assert_int_eq(co_select(cs, 1, true), -1);
    ck_assert_uint_eq(co_chan_len(c), 0);
}
END_TEST

START_TEST(after_value_buffered)
{
    /* the timer fires even if nobody is receiving: the value waits in the buffer */
    co_chan *c = co_after(5 * CO_MILLISECOND);
    co_sleep(30 * CO_MILLISECOND);
    ck_assert_uint_eq(co_chan_len(c), 1);
    int64_t when = 0;
    co_case cs[] = {CO_RECV(c, &when, NULL)};
    ck_assert_int_eq(co_select(cs, 1, true), 0);
    ck_assert_int_gt(when, 0);
}
END_TEST

START_TEST(after_in_select_timeout)
{
    co_chan *never = co_chan_make(sizeof(int), 0);
    int64_t t0 = co_now();
    int v;
    int64_t when;
    co_case cs[] = {CO_RECV(never, &v, NULL), CO_RECV(co_after(15 * CO_MILLISECOND), &when, NULL)};
    ck_assert_int_eq(co_select(cs, 2, false), 1);
    ck_assert_int_ge(co_now() - t0, 15 * CO_MILLISECOND);
    co_chan_free(never);
}
END_TEST

START_TEST(after_zero_fires_at_once)
{
    int64_t t0 = co_now();
    co_chan *c = co_after(0);
    int64_t when = 0;
    ck_assert(co_chan_recv(c, &when));
    ck_assert_int_lt(co_now() - t0, 100 * CO_MILLISECOND);
    c = co_after(-CO_SECOND);
    ck_assert(co_chan_recv(c, &when));
    ck_assert_int_lt(co_now() - t0, 100 * CO_MILLISECOND);
}
END_TEST

START_TEST(ticker_ticks_in_order_and_stops)
{
    const int64_t period = 5 * CO_MILLISECOND;
    int64_t t0 = co_now();
    co_ticker *t = co_ticker_make(period);
    ck_assert_ptr_nonnull(t);
    co_chan *c = co_ticker_chan(t);
    ck_assert_ptr_nonnull(c);
    int64_t prev = t0;
    for (int i = 0; i < 5; i++) {
        int64_t when = 0;
        ck_assert(co_chan_recv(c, &when));
        ck_assert_int_gt(when, prev); /* in order */
        if (i == 0)
            ck_assert_int_ge(when, t0 + period); /* first tick after one period */
        prev = when;
    }
    ck_assert_int_ge(co_now() - t0, 5 * period);
    co_ticker_stop(t);
    /* a tick may already sit in the buffer (cap 1); after that, nothing */
    int64_t when;
    co_case cs[] = {CO_RECV(c, &when, NULL)};
    co_select(cs, 1, true);
    co_sleep(6 * period);
    ck_assert_int_eq(co_select(cs, 1, true), -1);
}
END_TEST

START_TEST(ticker_drops_ticks_for_slow_receiver)
{
    /* Go: the ticker adjusts or drops ticks for slow receivers; it never
       blocks and never queues more than its buffer. */
    co_ticker *t = co_ticker_make(2 * CO_MILLISECOND);
    co_sleep(30 * CO_MILLISECOND);
    co_chan *c = co_ticker_chan(t);
    ck_assert_uint_le(co_chan_len(c), 1);
    int64_t a = 0, b = 0;
    ck_assert(co_chan_recv(c, &a));
    ck_assert(co_chan_recv(c, &b));
    ck_assert_int_gt(b, a);
    co_ticker_stop(t);
}
END_TEST

Suite *time_suite(void)
{
    Suite *s = suite_create("time");
    tcase_add_test(unit_tcase(s, "now"), now_is_monotonic_ns);
    tcase_add_test(unit_tcase(s, "sleep_at_least"), sleep_lasts_at_least);
    tcase_add_test(unit_tcase(s, "sleep_zero_negative"), sleep_zero_and_negative);
    tcase_add_test(unit_tcase(s, "sleep_order"), sleepers_wake_in_deadline_order);
    tcase_add_test(unit_tcase(s, "sleep_parks_sleeper"), sleep_parks_only_the_sleeper);
    tcase_add_test(unit_tcase(s, "many_sleepers_order"), many_sleepers_wake_in_order);
    tcase_add_test(unit_tcase(s, "ticker_stop_early"), ticker_stop_before_first_tick);
    tcase_add_test(unit_tcase(s, "after_once"), after_fires_once);
    tcase_add_test(unit_tcase(s, "after_buffered"), after_value_buffered);
    tcase_add_test(unit_tcase(s, "after_select"), after_in_select_timeout);
    tcase_add_test(unit_tcase(s, "after_zero"), after_zero_fires_at_once);
    tcase_add_test(unit_tcase(s, "ticker"), ticker_ticks_in_order_and_stops);
    tcase_add_test(unit_tcase(s, "ticker_slow_receiver"), ticker_drops_ticks_for_slow_receiver);
    return s;
}

int main(void)
{
    return unit_run(time_suite());
}
