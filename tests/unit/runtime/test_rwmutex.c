/*
 * test_rwmutex.c - sync.RWMutex (runtime/rwmutex): shared readers, exclusive
 * writer, and Go's writer preference.
 */
#include "unit_util.h"

static co_rwmutex rw; /* static zero value, fresh in every forked test */

START_TEST(zero_value_lock_unlock)
{
    co_rwmutex m = {0};
    co_rwmutex_lock(&m);
    co_rwmutex_unlock(&m);
    co_rwmutex_rlock(&m);
    co_rwmutex_rlock(&m);
    co_rwmutex_runlock(&m);
    co_rwmutex_runlock(&m);
    co_rwmutex_lock(&m);
    co_rwmutex_unlock(&m);
}
END_TEST

START_TEST(try_results)
{
    co_rwmutex m = {0};
    ck_assert(co_rwmutex_tryrlock(&m));  /* free: read lock ok */
    ck_assert(co_rwmutex_tryrlock(&m));  /* readers share */
    ck_assert(!co_rwmutex_trylock(&m));  /* readers hold: no write lock */
    co_rwmutex_runlock(&m);
    ck_assert(!co_rwmutex_trylock(&m));  /* one reader still holds */
    co_rwmutex_runlock(&m);
    ck_assert(co_rwmutex_trylock(&m));   /* free: write lock ok */
    ck_assert(!co_rwmutex_trylock(&m));  /* writer holds */
    ck_assert(!co_rwmutex_tryrlock(&m)); /* writer holds: no read lock */
    co_rwmutex_unlock(&m);
    ck_assert(co_rwmutex_tryrlock(&m));
    co_rwmutex_runlock(&m);
}
END_TEST

/* ---- many readers at once ---------------------------------------------------------------- */

static int active, max_active;

static void reader(void *arg)
{
    co_chan *done = arg;
    co_rwmutex_rlock(&rw);
    active++;
    if (active > max_active)
        max_active = active;
    for (int i = 0; i < 5; i++)
        co_yield(); /* hold the read lock across yields */
    active--;
    co_rwmutex_runlock(&rw);
    send_int(done, 0);
}

START_TEST(many_readers_at_once)
{
    active = max_active = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    for (int i = 0; i < 10; i++)
        co_go(reader, done);
    for (int i = 0; i < 10; i++)
        recv_int(done);
    ck_assert_int_eq(max_active, 10);
    unit_assert_no_leak();
}
END_TEST

/* ---- writer excludes everyone ---------------------------------------------------------- */

static int writer_in, reader_saw_writer;
static int shared_val;

static void writer_fn(void *arg)
{
    co_chan *done = arg;
    for (int k = 0; k < 20; k++) {
        co_rwmutex_lock(&rw);
        writer_in++;
        int v = shared_val;
        co_yield();
        shared_val = v + 1;
        writer_in--;
        co_rwmutex_unlock(&rw);
        co_yield();
    }
    send_int(done, 0);
}

static void reader_fn(void *arg)
{
    co_chan *done = arg;
    for (int k = 0; k < 20; k++) {
        co_rwmutex_rlock(&rw);
        if (writer_in)
            reader_saw_writer = 1;
        co_yield();
        if (writer_in)
            reader_saw_writer = 1;
        co_rwmutex_runlock(&rw);
        co_yield();
    }
    send_int(done, 0);
}

START_TEST(writer_is_exclusive)
{
    writer_in = reader_saw_writer = shared_val = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    for (int i = 0; i < 4; i++) {
        co_go(writer_fn, done);
        co_go(reader_fn, done);
    }
    for (int i = 0; i < 8; i++)
        recv_int(done);
    ck_assert_int_eq(shared_val, 80);
    ck_assert_int_eq(reader_saw_writer, 0);
    unit_assert_no_leak();
}
END_TEST

static int wlock_got;

static void wlock_and_flag(void *arg)
{
    co_chan *done = arg;
    co_rwmutex_lock(&rw);
    wlock_got = 1;
    co_rwmutex_unlock(&rw);
    send_int(done, 0);
}

START_TEST(lock_waits_for_all_readers)
{
    wlock_got = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    co_rwmutex_rlock(&rw);
    co_rwmutex_rlock(&rw);
    co_go(wlock_and_flag, done);
    unit_yield_n(20);
    ck_assert_int_eq(wlock_got, 0);
    co_rwmutex_runlock(&rw);
    unit_yield_n(20);
    ck_assert_int_eq(wlock_got, 0); /* one reader still holds */
    co_rwmutex_runlock(&rw);
    recv_int(done);
    ck_assert_int_eq(wlock_got, 1);
    unit_assert_no_leak();
}
END_TEST

static int rlock_got;

static void rlock_and_flag(void *arg)
{
    co_chan *done = arg;
    co_rwmutex_rlock(&rw);
    rlock_got++;
    co_rwmutex_runlock(&rw);
    send_int(done, 0);
}

START_TEST(readers_wait_for_writer)
{
    rlock_got = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    co_rwmutex_lock(&rw);
    for (int i = 0; i < 3; i++)
        co_go(rlock_and_flag, done);
    unit_yield_n(20);
    ck_assert_int_eq(rlock_got, 0);
    co_rwmutex_unlock(&rw); /* all waiting readers get in */
    for (int i = 0; i < 3; i++)
        recv_int(done);
    ck_assert_int_eq(rlock_got, 3);
    unit_assert_no_leak();
}
END_TEST

/* ---- writer preference ------------------------------------------------------------------- */

static char pref_log[8];
static int pref_n;
static int r2_started;

static void pref_writer(void *arg)
{
    co_chan *done = arg;
    co_rwmutex_lock(&rw);
    pref_log[pref_n++] = 'W';
    co_yield(); /* hold it for a while: R2 must still wait */
    co_yield();
    co_rwmutex_unlock(&rw);
    send_int(done, 0);
}

static void pref_reader2(void *arg)
{
    co_chan *done = arg;
    r2_started = 1;
    co_rwmutex_rlock(&rw);
    pref_log[pref_n++] = 'R';
    co_rwmutex_runlock(&rw);
    send_int(done, 0);
}

START_TEST(writer_preference)
{
    /* R1 (main) holds a read lock; W blocks in Lock; then R2 calls RLock: as in
       Go, a blocked writer holds back new readers, so R2 gets the lock only
       after W has had it. */
    pref_n = r2_started = 0;
    memset(pref_log, 0, sizeof pref_log);
    co_chan *done = co_chan_make(sizeof(int), 0);
    co_rwmutex_rlock(&rw); /* R1 */
    co_go(pref_writer, done);
    /* Wait until W is blocked in Lock.  R1 holds only a read lock, so
       TryRLock fails exactly when a writer is waiting. */
    bool writer_waiting = false;
    for (int i = 0; i < 1000 && !writer_waiting; i++) {
        co_yield();
        if (co_rwmutex_tryrlock(&rw))
            co_rwmutex_runlock(&rw);
        else
            writer_waiting = true;
    }
    ck_assert_msg(writer_waiting, "TryRLock kept succeeding while a writer waits in Lock");
    ck_assert_int_eq(pref_n, 0);
    co_go(pref_reader2, done);
    for (int i = 0; i < 1000 && !r2_started; i++)
        co_yield();
    unit_yield_n(20);
    ck_assert_int_eq(r2_started, 1);
    ck_assert_msg(pref_n == 0, "R2 got the read lock while a writer was waiting: log %s",
                  pref_log);
    co_rwmutex_runlock(&rw); /* R1 leaves: W, then R2 */
    recv_int(done);
    recv_int(done);
    ck_assert_str_eq(pref_log, "WR");
    unit_assert_no_leak();
}
END_TEST

static void unlock_rw_for_main(void *arg)
{
    (void)arg;
    co_rwmutex_unlock(&rw);
}

START_TEST(unlock_by_other_goroutine)
{
    /* As sync.Mutex, an RWMutex is not tied to a goroutine. */
    co_rwmutex_lock(&rw);
    co_go(unlock_rw_for_main, NULL);
    co_rwmutex_rlock(&rw);
    co_rwmutex_runlock(&rw);
    unit_assert_no_leak();
}
END_TEST

Suite *rwmutex_suite(void)
{
    Suite *s = suite_create("rwmutex");
    tcase_add_test(unit_tcase(s, "zero_value"), zero_value_lock_unlock);
    tcase_add_test(unit_tcase(s, "try"), try_results);
    tcase_add_test(unit_tcase(s, "many_readers"), many_readers_at_once);
    tcase_add_test(unit_tcase(s, "writer_exclusive"), writer_is_exclusive);
    tcase_add_test(unit_tcase(s, "lock_waits_readers"), lock_waits_for_all_readers);
    tcase_add_test(unit_tcase(s, "readers_wait_writer"), readers_wait_for_writer);
    tcase_add_test(unit_tcase(s, "writer_preference"), writer_preference);
    tcase_add_test(unit_tcase(s, "unlock_other_goroutine"), unlock_by_other_goroutine);
    return s;
}

int main(void)
{
    return unit_run(rwmutex_suite());
}
