/*
 * test_sched.c - goroutines and the scheduler (runtime/sched).
 *
 * The scheduler is cooperative on one OS thread: a goroutine runs until it
 * blocks or yields, co_go appends to the tail of the run queue (FIFO).
 */
#define _GNU_SOURCE
#include <sched.h>

#include "unit_util.h"

START_TEST(main_is_goroutine_1)
{
    ck_assert_int_eq(co_id(), 1);
    ck_assert_int_eq(co_num_goroutine(), 1);
}
END_TEST

static int64_t seen_id[16];

static void record_id(void *arg)
{
    seen_id[(intptr_t)arg] = co_id();
}

START_TEST(go_returns_ids)
{
    int64_t ids[8];
    for (int i = 0; i < 8; i++) {
        ids[i] = co_go(record_id, (void *)(intptr_t)i);
        ck_assert_int_gt(ids[i], 1);
        if (i > 0)
            ck_assert_int_gt(ids[i], ids[i - 1]); /* fresh, increasing */
    }
    ck_assert_int_eq(co_id(), 1);
    unit_assert_no_leak();
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(seen_id[i], ids[i]); /* co_id inside = id co_go returned */
    /* ids are never reused */
    int64_t later = co_go(record_id, (void *)(intptr_t)8);
    ck_assert_int_gt(later, ids[7]);
    unit_assert_no_leak();
}
END_TEST

static co_chan *gate;

static void wait_gate(void *arg)
{
    (void)arg;
    int v;
    co_chan_recv(gate, &v);
}

START_TEST(num_goroutine_counts_live)
{
    gate = co_chan_make(sizeof(int), 0);
    ck_assert_int_eq(co_num_goroutine(), 1);
    for (int i = 0; i < 3; i++)
        co_go(wait_gate, NULL);
    ck_assert_int_eq(co_num_goroutine(), 4); /* runnable ones count */
    unit_yield_n(3);
    ck_assert_int_eq(co_num_goroutine(), 4); /* parked ones count */
    co_chan_close(gate);
    unit_assert_no_leak();
}
END_TEST

static int ran;

static void set_ran(void *arg)
{
    (void)arg;
    ran = 1;
}

START_TEST(go_does_not_run_until_yield)
{
    ran = 0;
    co_go(set_ran, NULL);
    ck_assert_int_eq(ran, 0); /* cooperative: main keeps running */
    co_yield();
    ck_assert_int_eq(ran, 1);
    unit_assert_no_leak();
}
END_TEST

static char order_log[64];
static int order_n;
static co_chan *order_done;

static void log_and_yield(void *arg)
{
    char ch = (char)(intptr_t)arg;
    for (int i = 0; i < 3; i++) {
        order_log[order_n++] = ch;
        co_yield();
    }
    send_int(order_done, 0);
}

START_TEST(yield_round_robin_fifo)
{
    order_n = 0;
    memset(order_log, 0, sizeof order_log);
    order_done = co_chan_make(sizeof(int), 3);
    co_go(log_and_yield, (void *)(intptr_t)'A');
    co_go(log_and_yield, (void *)(intptr_t)'B');
    co_go(log_and_yield, (void *)(intptr_t)'C');
    for (int i = 0; i < 3; i++)
        recv_int(order_done);
    ck_assert_str_eq(order_log, "ABCABCABC");
    unit_assert_no_leak();
}
END_TEST

START_TEST(yield_alone_returns)
{
    for (int i = 0; i < 1000; i++)
        co_yield();
    ck_assert_int_eq(co_id(), 1);
    ck_assert_int_eq(co_num_goroutine(), 1);
}
END_TEST

static void spawn_child_and_report(void *arg)
{
    co_chan *c = arg;
    int64_t parent = co_id();
    int64_t child = co_go(record_id, (void *)(intptr_t)9);
    co_chan_send(c, &parent);
    co_chan_send(c, &child);
}

START_TEST(goroutine_spawns_goroutine)
{
    co_chan *c = co_chan_make(sizeof(int64_t), 0);
    int64_t g = co_go(spawn_child_and_report, c);
    int64_t parent, child;
    co_chan_recv(c, &parent);
    co_chan_recv(c, &child);
    ck_assert_int_eq(parent, g);
    ck_assert_int_gt(child, g);
    unit_assert_no_leak();
    ck_assert_int_eq(seen_id[9], child);
}
END_TEST

static int cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set);
    return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

START_TEST(maxprocs_query_and_set)
{
    int def = co_maxprocs(0);
    ck_assert_int_ge(def, 1);
    const char *env = getenv("CO_MAXPROCS");
    if (env && *env) {
        ck_assert_int_eq(def, atoi(env)); /* CO_MAXPROCS sets it, like GOMAXPROCS */
    } else {
        /* default: number of CPUs, like GOMAXPROCS */
        int n = cpus();
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        ck_assert_msg(def == n || def == online, "co_maxprocs default %d, cpus %d/%ld", def, n,
                      online);
    }
    ck_assert_int_eq(co_maxprocs(-1), def); /* n <= 0 only queries */
    ck_assert_int_eq(co_maxprocs(0), def);
    ck_assert_int_eq(co_maxprocs(3), def); /* returns the previous value */
    ck_assert_int_eq(co_maxprocs(0), 3);
    ck_assert_int_eq(co_maxprocs(1), 3);
    ck_assert_int_eq(co_maxprocs(0), 1);
    ck_assert_int_eq(co_maxprocs(def), 1);
    ck_assert_int_eq(co_maxprocs(0), def);
}
END_TEST

/* ---- 10,000 goroutines ------------------------------------------------------------------ */

enum { MANY = 10000 };
static co_chan *many_in, *many_out;

static void many_worker(void *arg)
{
    int x = recv_int(many_in); /* all 10,000 park here at once */
    send_int(many_out, x + (int)(intptr_t)arg);
}

START_TEST(ten_thousand_goroutines)
{
    many_in = co_chan_make(sizeof(int), 0);
    many_out = co_chan_make(sizeof(int), MANY);
    for (int i = 0; i < MANY; i++)
        co_go(many_worker, (void *)(intptr_t)i);
    ck_assert_int_eq(co_num_goroutine(), MANY + 1);
    co_yield(); /* every one runs and parks in recv */
    ck_assert_int_eq(co_num_goroutine(), MANY + 1);
    ck_assert_uint_eq(co_chan_len(many_out), 0);
    for (int i = 0; i < MANY; i++)
        send_int(many_in, 1);
    long sum = 0;
    for (int i = 0; i < MANY; i++)
        sum += recv_int(many_out);
    ck_assert_int_eq(sum, (long)MANY + (long)MANY * (MANY - 1) / 2);
    unit_assert_no_leak();
}
END_TEST

static int deep(int n)
{
    volatile char buf[256];
    buf[0] = (char)n;
    if (n == 0)
        return buf[0];
    co_yield();
    return deep(n - 1) + 1 + buf[0] - (char)n;
}

static void deep_worker(void *arg)
{
    co_chan *c = arg;
    send_int(c, deep(64)); /* ~20 KiB of frames, yielding on the way down */
}

START_TEST(goroutine_stacks_are_separate)
{
    co_chan *c = co_chan_make(sizeof(int), 10);
    for (int i = 0; i < 10; i++)
        co_go(deep_worker, c);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(recv_int(c), 64);
    unit_assert_no_leak();
}
END_TEST

static void block_forever(void *arg)
{
    (void)arg;
    co_select(NULL, 0, false);
}

START_TEST(exit_with_goroutines_alive)
{
    /* co_exit ends the process whatever the other goroutines do */
    co_go(block_forever, NULL);
    co_go(block_forever, NULL);
    co_yield();
    co_exit(3);
}
END_TEST

Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    tcase_add_test(unit_tcase(s, "main_is_1"), main_is_goroutine_1);
    tcase_add_test(unit_tcase(s, "go_ids"), go_returns_ids);
    tcase_add_test(unit_tcase(s, "num_goroutine"), num_goroutine_counts_live);
    tcase_add_test(unit_tcase(s, "go_cooperative"), go_does_not_run_until_yield);
    tcase_add_test(unit_tcase(s, "yield_fifo"), yield_round_robin_fifo);
    tcase_add_test(unit_tcase(s, "yield_alone"), yield_alone_returns);
    tcase_add_test(unit_tcase(s, "nested_go"), goroutine_spawns_goroutine);
    tcase_add_test(unit_tcase(s, "maxprocs"), maxprocs_query_and_set);
    tcase_add_test(unit_tcase(s, "ten_thousand"), ten_thousand_goroutines);
    tcase_add_test(unit_tcase(s, "separate_stacks"), goroutine_stacks_are_separate);
    tcase_add_exit_test(unit_tcase(s, "co_exit"), exit_with_goroutines_alive, 3);
    return s;
}

int main(void)
{
    return unit_run(sched_suite());
}
