/*
 * test_cond.c - sync.Cond (runtime/cond).
 */
#include "unit_util.h"

static co_mutex m;   /* static zero values, fresh in every forked test */
static co_cond cv;
static int waiting;  /* guarded by m */
static int ready;    /* guarded by m */
static co_chan *woke;
static int relocked_ok;

static void cond_waiter(void *arg)
{
    int id = (int)(intptr_t)arg;
    co_mutex_lock(&m);
    waiting++;
    co_cond_wait(&cv, &m);
    /* Wait returns with m locked again */
    if (co_mutex_trylock(&m))
        relocked_ok = 0;
    waiting--;
    co_mutex_unlock(&m);
    send_int(woke, id);
}

/* Start n waiters in order 1..n and return once all are parked in Wait. */
static void start_waiters(int n)
{
    waiting = 0;
    relocked_ok = 1;
    woke = co_chan_make(sizeof(int), (size_t)n);
    for (int i = 1; i <= n; i++) {
        co_go(cond_waiter, (void *)(intptr_t)i);
        co_yield(); /* the new one runs and parks: Wait order is 1..n */
    }
    for (int i = 0; i < 1000; i++) {
        co_mutex_lock(&m);
        int w = waiting;
        co_mutex_unlock(&m);
        if (w == n)
            break;
        co_yield();
    }
    co_mutex_lock(&m);
    ck_assert_int_eq(waiting, n);
    co_mutex_unlock(&m);
}

START_TEST(signal_wakes_exactly_one_fifo)
{
    start_waiters(3);
    for (int k = 1; k <= 3; k++) {
        co_cond_signal(&cv);
        ck_assert_int_eq(recv_int(woke), k); /* the longest waiter first */
        unit_yield_n(20);
        ck_assert_uint_eq(co_chan_len(woke), 0); /* and only it */
        co_mutex_lock(&m);
        ck_assert_int_eq(waiting, 3 - k);
        co_mutex_unlock(&m);
    }
    ck_assert_int_eq(relocked_ok, 1);
    unit_assert_no_leak();
}
END_TEST

START_TEST(signal_without_waiters_is_noop)
{
    co_cond c = {0};
    co_cond_signal(&c);
    co_cond_broadcast(&c);
    /* a later waiter is not woken by the earlier signal */
    start_waiters(1);
    unit_yield_n(20);
    ck_assert_uint_eq(co_chan_len(woke), 0);
    co_cond_signal(&cv);
    ck_assert_int_eq(recv_int(woke), 1);
    unit_assert_no_leak();
}
END_TEST

START_TEST(broadcast_wakes_all)
{
    start_waiters(5);
    co_cond_broadcast(&cv);
    int seen = 0;
    for (int i = 0; i < 5; i++) {
        int id = recv_int(woke);
        ck_assert(id >= 1 && id <= 5);
        ck_assert_int_eq(seen & (1 << id), 0);
        seen |= 1 << id;
    }
    ck_assert_int_eq(waiting, 0);
    ck_assert_int_eq(relocked_ok, 1);
    unit_assert_no_leak();
}
END_TEST

START_TEST(broadcast_only_current_waiters)
{
    start_waiters(2);
    co_cond_broadcast(&cv);
    recv_int(woke);
    recv_int(woke);
    unit_assert_no_leak();
    start_waiters(1); /* arrives after the broadcast: still waits */
    unit_yield_n(20);
    ck_assert_uint_eq(co_chan_len(woke), 0);
    co_cond_broadcast(&cv);
    ck_assert_int_eq(recv_int(woke), 1);
    unit_assert_no_leak();
}
END_TEST

/* ---- Wait releases and relocks the mutex --------------------------------------------------- */

static int in_cs;        /* the waiter is between Wait's return and its Unlock */
static int main_saw_cs;

static void predicate_waiter(void *arg)
{
    co_chan *done = arg;
    co_mutex_lock(&m);
    while (!ready)
        co_cond_wait(&cv, &m);
    in_cs = 1;
    for (int i = 0; i < 10; i++)
        co_yield(); /* still holding m: main must not get it */
    in_cs = 0;
    co_mutex_unlock(&m);
    send_int(done, 0);
}

static void lock_m_check(void *arg)
{
    co_chan *done = arg;
    co_mutex_lock(&m);
    if (in_cs)
        main_saw_cs = 1;
    co_mutex_unlock(&m);
    send_int(done, 0);
}

START_TEST(wait_unlocks_and_relocks)
{
    ready = in_cs = main_saw_cs = 0;
    co_chan *done = co_chan_make(sizeof(int), 2);
    co_go(predicate_waiter, done);
    unit_yield_n(5);
    /* the waiter parked in Wait and released m: we can take it */
    ck_assert(co_mutex_trylock(&m));
    ready = 1;
    co_cond_signal(&cv);
    co_mutex_unlock(&m);
    co_yield(); /* the waiter runs, relocks m and yields inside its section */
    co_go(lock_m_check, done);
    recv_int(done);
    recv_int(done);
    ck_assert_int_eq(main_saw_cs, 0);
    unit_assert_no_leak();
}
END_TEST

Suite *cond_suite(void)
{
    Suite *s = suite_create("cond");
    tcase_add_test(unit_tcase(s, "signal_one_fifo"), signal_wakes_exactly_one_fifo);
    tcase_add_test(unit_tcase(s, "signal_no_waiters"), signal_without_waiters_is_noop);
    tcase_add_test(unit_tcase(s, "broadcast_all"), broadcast_wakes_all);
    tcase_add_test(unit_tcase(s, "broadcast_current"), broadcast_only_current_waiters);
    tcase_add_test(unit_tcase(s, "wait_relocks"), wait_unlocks_and_relocks);
    return s;
}

int main(void)
{
    return unit_run(cond_suite());
}
