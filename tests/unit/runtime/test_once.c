/*
 * test_once.c - sync.Once (runtime/once).
 */
#include "unit_util.h"

static int calls;
static int fn_finished;

static void count_call(void *arg)
{
    calls++;
    if (arg)
        *(int *)arg += 1;
}

START_TEST(runs_once)
{
    co_once o = {0};
    calls = 0;
    int x = 0;
    for (int i = 0; i < 5; i++)
        co_once_do(&o, count_call, &x);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(x, 1); /* the argument is passed through */
}
END_TEST

START_TEST(separate_onces)
{
    co_once a = {0}, b = {0};
    calls = 0;
    co_once_do(&a, count_call, NULL);
    co_once_do(&b, count_call, NULL);
    co_once_do(&a, count_call, NULL);
    co_once_do(&b, count_call, NULL);
    ck_assert_int_eq(calls, 2);
}
END_TEST

/* ---- concurrent callers wait for fn to finish ----------------------------------------------- */

static co_once slow_once;
static int early_returns;
static co_chan *once_done;

static void slow_fn(void *arg)
{
    (void)arg;
    calls++;
    for (int i = 0; i < 10; i++)
        co_yield(); /* let every other caller reach Do */
    co_sleep(2 * CO_MILLISECOND);
    co_yield();
    fn_finished = 1;
}

static void once_caller(void *arg)
{
    (void)arg;
    co_once_do(&slow_once, slow_fn, NULL);
    if (!fn_finished)
        early_returns++; /* Do returned before fn had */
    send_int(once_done, 0);
}

START_TEST(concurrent_callers_wait)
{
    calls = fn_finished = early_returns = 0;
    once_done = co_chan_make(sizeof(int), 0);
    for (int i = 0; i < 8; i++)
        co_go(once_caller, NULL);
    co_once_do(&slow_once, slow_fn, NULL); /* main joins in too */
    ck_assert_int_eq(fn_finished, 1);
    for (int i = 0; i < 8; i++)
        recv_int(once_done);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(early_returns, 0);
    unit_assert_no_leak();
}
END_TEST

START_TEST(concurrent_callers_wait_goroutine_first)
{
    /* the first caller is not main: main arrives while fn is mid-way */
    calls = fn_finished = early_returns = 0;
    once_done = co_chan_make(sizeof(int), 0);
    co_go(once_caller, NULL);
    co_yield(); /* the caller enters fn and yields inside it */
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(fn_finished, 0);
    co_go(once_caller, NULL);
    co_once_do(&slow_once, slow_fn, NULL);
    ck_assert_int_eq(fn_finished, 1);
    recv_int(once_done);
    recv_int(once_done);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(early_returns, 0);
    unit_assert_no_leak();
}
END_TEST

static co_once nested_inner;

static void outer_fn(void *arg)
{
    (void)arg;
    co_once_do(&nested_inner, count_call, NULL); /* a different Once inside: fine */
}

START_TEST(nested_different_once)
{
    co_once outer = {0};
    calls = 0;
    co_once_do(&outer, outer_fn, NULL);
    co_once_do(&outer, outer_fn, NULL);
    co_once_do(&nested_inner, count_call, NULL);
    ck_assert_int_eq(calls, 1);
}
END_TEST

Suite *once_suite(void)
{
    Suite *s = suite_create("once");
    tcase_add_test(unit_tcase(s, "runs_once"), runs_once);
    tcase_add_test(unit_tcase(s, "separate_onces"), separate_onces);
    tcase_add_test(unit_tcase(s, "callers_wait"), concurrent_callers_wait);
    tcase_add_test(unit_tcase(s, "callers_wait_goroutine_first"),
                   concurrent_callers_wait_goroutine_first);
    tcase_add_test(unit_tcase(s, "nested"), nested_different_once);
    return s;
}

int main(void)
{
    return unit_run(once_suite());
}
