/*
 * test_waitgroup.c - sync.WaitGroup (runtime/waitgroup).
 */
#include "unit_util.h"

static co_waitgroup wg; /* static zero value, fresh in every forked test */
static int finished;

static void worker(void *arg)
{
    int yields = (int)(intptr_t)arg;
    for (int i = 0; i < yields; i++)
        co_yield();
    finished++;
    co_waitgroup_done(&wg);
}

START_TEST(wait_for_all)
{
    finished = 0;
    co_waitgroup_add(&wg, 5);
    for (int i = 0; i < 5; i++)
        co_go(worker, (void *)(intptr_t)(i * 3));
    co_waitgroup_wait(&wg);
    ck_assert_int_eq(finished, 5);
    unit_assert_no_leak();
}
END_TEST

START_TEST(add_one_at_a_time)
{
    finished = 0;
    for (int i = 0; i < 5; i++) {
        co_waitgroup_add(&wg, 1);
        co_go(worker, (void *)(intptr_t)(5 - i));
    }
    co_waitgroup_wait(&wg);
    ck_assert_int_eq(finished, 5);
    unit_assert_no_leak();
}
END_TEST

START_TEST(wait_with_zero_counter)
{
    co_waitgroup w = {0};
    int64_t t0 = co_now();
    co_waitgroup_wait(&w); /* returns at once, nothing else runs */
    co_waitgroup_wait(&w);
    ck_assert_int_lt(co_now() - t0, 100 * CO_MILLISECOND);
    /* and after Add(n) + n Done in the same goroutine */
    co_waitgroup_add(&w, 3);
    co_waitgroup_done(&w);
    co_waitgroup_add(&w, -2);
    co_waitgroup_wait(&w);
}
END_TEST

START_TEST(reuse_after_wait_returned)
{
    for (int round = 0; round < 5; round++) {
        finished = 0;
        co_waitgroup_add(&wg, 3);
        for (int i = 0; i < 3; i++)
            co_go(worker, (void *)(intptr_t)(i + round));
        co_waitgroup_wait(&wg);
        ck_assert_int_eq(finished, 3);
        unit_assert_no_leak();
    }
}
END_TEST

static co_chan *waiters_out;

static void waiter(void *arg)
{
    (void)arg;
    co_waitgroup_wait(&wg);
    send_int(waiters_out, finished);
}

START_TEST(many_waiters_all_released)
{
    finished = 0;
    waiters_out = co_chan_make(sizeof(int), 4);
    co_waitgroup_add(&wg, 2);
    for (int i = 0; i < 4; i++)
        co_go(waiter, NULL);
    unit_yield_n(5);
    ck_assert_uint_eq(co_chan_len(waiters_out), 0); /* all parked in Wait */
    co_go(worker, (void *)(intptr_t)2);
    co_go(worker, (void *)(intptr_t)4);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(recv_int(waiters_out), 2);
    unit_assert_no_leak();
}
END_TEST

static int wait_returned;

static void wait_and_flag(void *arg)
{
    co_chan *done = arg;
    co_waitgroup_wait(&wg);
    wait_returned = 1;
    send_int(done, 0);
}

START_TEST(wait_blocks_until_zero)
{
    wait_returned = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    co_waitgroup_add(&wg, 2);
    co_go(wait_and_flag, done);
    unit_yield_n(10);
    ck_assert_int_eq(wait_returned, 0);
    co_waitgroup_done(&wg);
    unit_yield_n(10);
    ck_assert_int_eq(wait_returned, 0); /* counter 1: still waiting */
    co_waitgroup_done(&wg);
    recv_int(done);
    ck_assert_int_eq(wait_returned, 1);
    unit_assert_no_leak();
}
END_TEST

static void add_minus_two(void *arg)
{
    (void)arg;
    finished = 1;
    co_waitgroup_add(&wg, -2); /* Add with a negative delta to zero releases Wait */
}

START_TEST(negative_add_releases_waiters)
{
    finished = 0;
    co_waitgroup_add(&wg, 2);
    co_go(add_minus_two, NULL);
    co_waitgroup_wait(&wg);
    ck_assert_int_eq(finished, 1);
    unit_assert_no_leak();
}
END_TEST

Suite *waitgroup_suite(void)
{
    Suite *s = suite_create("waitgroup");
    tcase_add_test(unit_tcase(s, "wait_for_all"), wait_for_all);
    tcase_add_test(unit_tcase(s, "add_one_at_a_time"), add_one_at_a_time);
    tcase_add_test(unit_tcase(s, "wait_zero"), wait_with_zero_counter);
    tcase_add_test(unit_tcase(s, "reuse"), reuse_after_wait_returned);
    tcase_add_test(unit_tcase(s, "many_waiters"), many_waiters_all_released);
    tcase_add_test(unit_tcase(s, "wait_blocks"), wait_blocks_until_zero);
    tcase_add_test(unit_tcase(s, "negative_add_releases"), negative_add_releases_waiters);
    return s;
}

int main(void)
{
    return unit_run(waitgroup_suite());
}
