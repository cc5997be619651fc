/*
 * test_mutex.c - sync.Mutex (runtime/mutex).
 */
#include "unit_util.h"

START_TEST(zero_value_lock_unlock)
{
    co_mutex m = {0};
    co_mutex_lock(&m);
    co_mutex_unlock(&m);
    co_mutex_lock(&m);
    co_mutex_unlock(&m);
}
END_TEST

static co_mutex gm; /* static zero value */

START_TEST(static_zero_value)
{
    co_mutex_lock(&gm);
    ck_assert(!co_mutex_trylock(&gm));
    co_mutex_unlock(&gm);
}
END_TEST

START_TEST(trylock_results)
{
    co_mutex m = {0};
    ck_assert(co_mutex_trylock(&m));   /* unlocked: acquires */
    ck_assert(!co_mutex_trylock(&m));  /* locked (even by us): fails, no deadlock */
    co_mutex_unlock(&m);
    ck_assert(co_mutex_trylock(&m));
    co_mutex_unlock(&m);
}
END_TEST

static co_mutex tm;
static int other_try;

static void try_from_other(void *arg)
{
    co_chan *done = arg;
    other_try = co_mutex_trylock(&tm) ? 1 : 0;
    send_int(done, 0);
}

START_TEST(trylock_from_other_goroutine)
{
    memset(&tm, 0, sizeof tm);
    co_chan *done = co_chan_make(sizeof(int), 0);
    co_mutex_lock(&tm);
    other_try = -1;
    co_go(try_from_other, done);
    recv_int(done);
    ck_assert_int_eq(other_try, 0);
    co_mutex_unlock(&tm);
    co_go(try_from_other, done);
    recv_int(done);
    ck_assert_int_eq(other_try, 1); /* the other goroutine holds it now */
    ck_assert(!co_mutex_trylock(&tm));
    co_mutex_unlock(&tm); /* Go: a Mutex is not tied to a goroutine */
    unit_assert_no_leak();
}
END_TEST

/* ---- mutual exclusion across yields ----------------------------------------------------- */

static co_mutex cm;
static int counter;
static int inside, max_inside;

static void incr(void *arg)
{
    co_chan *done = arg;
    for (int i = 0; i < 100; i++) {
        co_mutex_lock(&cm);
        inside++;
        if (inside > max_inside)
            max_inside = inside;
        int v = counter;
        co_yield(); /* others run while we hold the lock */
        counter = v + 1;
        inside--;
        co_mutex_unlock(&cm);
        if (i % 3 == 0)
            co_yield();
    }
    send_int(done, 0);
}

START_TEST(mutual_exclusion)
{
    memset(&cm, 0, sizeof cm);
    counter = inside = max_inside = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    for (int i = 0; i < 10; i++)
        co_go(incr, done);
    for (int i = 0; i < 10; i++)
        recv_int(done);
    ck_assert_int_eq(counter, 1000);
    ck_assert_int_eq(max_inside, 1);
    unit_assert_no_leak();
}
END_TEST

static co_mutex bm;
static int got_lock;

static void lock_and_flag(void *arg)
{
    co_chan *done = arg;
    co_mutex_lock(&bm);
    got_lock = 1;
    co_mutex_unlock(&bm);
    send_int(done, 0);
}

START_TEST(lock_blocks_until_unlock)
{
    memset(&bm, 0, sizeof bm);
    got_lock = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    co_mutex_lock(&bm);
    co_go(lock_and_flag, done);
    for (int i = 0; i < 50; i++) {
        co_yield();
        ck_assert_int_eq(got_lock, 0);
    }
    co_mutex_unlock(&bm);
    recv_int(done);
    ck_assert_int_eq(got_lock, 1);
    unit_assert_no_leak();
}
END_TEST

static void unlock_for_main(void *arg)
{
    co_mutex_unlock((co_mutex *)arg);
}

START_TEST(unlock_by_other_goroutine)
{
    /* "A locked Mutex is not associated with a particular goroutine. It is
       allowed for one goroutine to lock a Mutex and then arrange for another
       goroutine to unlock it." */
    co_mutex m = {0};
    co_mutex_lock(&m);
    co_go(unlock_for_main, &m);
    co_mutex_lock(&m); /* blocks until the other goroutine unlocks */
    co_mutex_unlock(&m);
    unit_assert_no_leak();
}
END_TEST

static co_mutex wm;
static int waiters_done;

static void lock_briefly(void *arg)
{
    co_chan *done = arg;
    co_mutex_lock(&wm);
    waiters_done++;
    co_mutex_unlock(&wm);
    send_int(done, 0);
}

START_TEST(all_waiters_eventually_lock)
{
    memset(&wm, 0, sizeof wm);
    waiters_done = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    co_mutex_lock(&wm);
    for (int i = 0; i < 20; i++)
        co_go(lock_briefly, done);
    unit_yield_n(5);
    ck_assert_int_eq(waiters_done, 0);
    co_mutex_unlock(&wm);
    for (int i = 0; i < 20; i++)
        recv_int(done);
    ck_assert_int_eq(waiters_done, 20);
    unit_assert_no_leak();
}
END_TEST

/* ---- no starvation ------------------------------------------------------------------------ */

static co_mutex sm;
static int waiter_got;

static void hog(void *arg)
{
    co_chan *done = arg;
    /* re-locks right after every unlock, yielding only while it holds it */
    int64_t t0 = co_now();
    while (!waiter_got && co_now() - t0 < 2 * CO_SECOND) {
        co_mutex_lock(&sm);
        co_yield();
        co_mutex_unlock(&sm);
    }
    send_int(done, 0);
}

static void starving_waiter(void *arg)
{
    co_chan *done = arg;
    co_mutex_lock(&sm);
    waiter_got = 1;
    co_mutex_unlock(&sm);
    send_int(done, 0);
}

START_TEST(no_starvation)
{
    /* Go's Mutex switches to starvation mode after a waiter waited 1 ms: a
       waiter is never locked out for good by a goroutine that keeps
       re-locking */
    waiter_got = 0;
    co_chan *done = co_chan_make(sizeof(int), 2);
    co_go(hog, done);
    co_yield(); /* the hog holds the lock and yields */
    co_go(starving_waiter, done);
    recv_int(done);
    recv_int(done);
    ck_assert_int_eq(waiter_got, 1);
    unit_assert_no_leak();
}
END_TEST

Suite *mutex_suite(void)
{
    Suite *s = suite_create("mutex");
    tcase_add_test(unit_tcase(s, "zero_value"), zero_value_lock_unlock);
    tcase_add_test(unit_tcase(s, "static_zero_value"), static_zero_value);
    tcase_add_test(unit_tcase(s, "trylock"), trylock_results);
    tcase_add_test(unit_tcase(s, "trylock_other_goroutine"), trylock_from_other_goroutine);
    tcase_add_test(unit_tcase(s, "mutual_exclusion"), mutual_exclusion);
    tcase_add_test(unit_tcase(s, "lock_blocks"), lock_blocks_until_unlock);
    tcase_add_test(unit_tcase(s, "unlock_other_goroutine"), unlock_by_other_goroutine);
    tcase_add_test(unit_tcase(s, "all_waiters"), all_waiters_eventually_lock);
    tcase_add_test(unit_tcase(s, "no_starvation"), no_starvation);
    return s;
}

int main(void)
{
    return unit_run(mutex_suite());
}
