/*
 * test_deadlock.c - global deadlock detection and its report (runtime/sched).
 *
 * When every goroutine is blocked and no timer is pending, corace prints, as
 * Go does:
 *
 *     fatal error: all goroutines are asleep - deadlock!
 *
 *     goroutine 1 [chan receive]:
 *     dl_scenario()
 *     \t/.../test_deadlock.c:LINE +0x..
 *     ...
 *     main()
 *     \t...
 *
 *     goroutine 5 [sync.Mutex.Lock]:
 *     dl_mutex()
 *     \t/.../test_deadlock.c:LINE +0x..
 *     created by dl_scenario in goroutine 1
 *     \t/.../test_deadlock.c:LINE +0x..
 *
 * and exits with status 2.  Built with -O0 so the recorded __LINE__ of each
 * blocking call is the line the trace shows.
 */
#include "unit_util.h"

#define FIRST_LINE "fatal error: all goroutines are asleep - deadlock!"

/* Recorded by the child, in memory shared with the test. */
struct rec {
    int line;        /* blocking call of the blocker */
    int main_line;   /* blocking call of main in a scenario */
    int spawn_line;  /* co_go of the blocker */
    int64_t gid;     /* the blocker's goroutine id */
    int64_t extra[4];
    int extra_line[4];
};
static struct rec local_rec;
static struct rec *rec = &local_rec;

#define MARK() (rec->line = __LINE__)
#define MAIN_MARK() (rec->main_line = __LINE__)
#define GO(f, a) (rec->gid = co_go((f), (a)), rec->spawn_line = __LINE__)

/* ---- blockers: each blocks forever with one of Go's wait reasons -------------------------- */

static void dl_chan_send(void *arg)
{
    (void)arg;
    co_chan *c = co_chan_make(sizeof(int), 0);
    int v = 1;
    MARK(); co_chan_send(c, &v);
}

static void dl_chan_send_full(void *arg)
{
    (void)arg;
    co_chan *c = co_chan_make(sizeof(int), 1);
    int v = 1;
    co_chan_send(c, &v);
    MARK(); co_chan_send(c, &v);
}

static void dl_chan_recv(void *arg)
{
    (void)arg;
    co_chan *c = co_chan_make(sizeof(int), 0);
    int v;
    MARK(); co_chan_recv(c, &v);
}

static void dl_chan_send_nil(void *arg)
{
    (void)arg;
    int v = 1;
    MARK(); co_chan_send(NULL, &v);
}

static void dl_chan_recv_nil(void *arg)
{
    (void)arg;
    int v;
    MARK(); co_chan_recv(NULL, &v);
}

static void dl_select(void *arg)
{
    (void)arg;
    co_chan *a = co_chan_make(sizeof(int), 0);
    co_chan *b = co_chan_make(sizeof(int), 0);
    int x, y = 1;
    co_case cs[] = {CO_RECV(a, &x, NULL), CO_SEND(b, &y)};
    MARK(); co_select(cs, 2, false);
}

static void dl_select_nil_cases(void *arg)
{
    /* Go: a select whose channels are all nil still reports [select] */
    (void)arg;
    int x, y = 0;
    co_case cs[] = {CO_RECV(NULL, &x, NULL), CO_SEND(NULL, &y)};
    MARK(); co_select(cs, 2, false);
}

static void dl_select_no_cases(void *arg)
{
    (void)arg;
    MARK(); co_select(NULL, 0, false);
}

static void dl_mutex(void *arg)
{
    (void)arg;
    static co_mutex m;
    co_mutex_lock(&m);
    MARK(); co_mutex_lock(&m);
}

static void dl_rwmutex_lock(void *arg)
{
    (void)arg;
    static co_rwmutex m;
    co_rwmutex_rlock(&m);
    MARK(); co_rwmutex_lock(&m);
}

static void dl_rwmutex_rlock(void *arg)
{
    (void)arg;
    static co_rwmutex m;
    co_rwmutex_lock(&m);
    MARK(); co_rwmutex_rlock(&m);
}

static void dl_waitgroup(void *arg)
{
    (void)arg;
    static co_waitgroup wg;
    co_waitgroup_add(&wg, 1);
    MARK(); co_waitgroup_wait(&wg);
}

static void dl_cond(void *arg)
{
    (void)arg;
    static co_mutex m;
    static co_cond c;
    co_mutex_lock(&m);
    MARK(); co_cond_wait(&c, &m);
}

typedef struct blocker {
    const char *name;
    void (*fn)(void *);
    const char *func;
    const char *reason;
} blocker;

static const blocker blockers[] = {
    {"chan_send", dl_chan_send, "dl_chan_send", "chan send"},
    {"chan_send_full", dl_chan_send_full, "dl_chan_send_full", "chan send"},
    {"chan_recv", dl_chan_recv, "dl_chan_recv", "chan receive"},
    {"chan_send_nil", dl_chan_send_nil, "dl_chan_send_nil", "chan send (nil chan)"},
    {"chan_recv_nil", dl_chan_recv_nil, "dl_chan_recv_nil", "chan receive (nil chan)"},
    {"select", dl_select, "dl_select", "select"},
    {"select_nil_cases", dl_select_nil_cases, "dl_select_nil_cases", "select"},
    {"select_no_cases", dl_select_no_cases, "dl_select_no_cases", "select (no cases)"},
    {"mutex", dl_mutex, "dl_mutex", "sync.Mutex.Lock"},
    {"rwmutex_lock", dl_rwmutex_lock, "dl_rwmutex_lock", "sync.RWMutex.Lock"},
    {"rwmutex_rlock", dl_rwmutex_rlock, "dl_rwmutex_rlock", "sync.RWMutex.RLock"},
    {"waitgroup", dl_waitgroup, "dl_waitgroup", "sync.WaitGroup.Wait"},
    {"cond", dl_cond, "dl_cond", "sync.Cond.Wait"},
};
#define NBLOCKERS ((int)(sizeof blockers / sizeof blockers[0]))

/* ---- scenarios run in the child ------------------------------------------------------------ */

/* Main itself blocks with the blocker's reason. */
static void dl_main_blocks(void *arg)
{
    const blocker *b = arg;
    b->fn(NULL);
}

/* A goroutine blocks with the blocker's reason; main waits for it on a channel. */
static void dl_scenario(void *arg)
{
    const blocker *b = arg;
    co_chan *never = co_chan_make(sizeof(int), 0);
    int v;
    GO(b->fn, NULL);
    MAIN_MARK(); co_chan_recv(never, &v);
}

/* ---- checks ----------------------------------------------------------------------------- */

static void assert_deadlock_head(const child_result *r)
{
    assert_exit_status(r, 2);
    assert_line(r, 0, FIRST_LINE);
    assert_line(r, 1, "");
}

/* The goroutine's block: header "goroutine ID [REASON]:", first frame FUNC() at
   test_deadlock.c:LINE; creator check when spawner is given. */
static void assert_goroutine(const child_result *r, int64_t id, const char *reason,
                             const char *func, int line, const char *spawner, int spawn_line)
{
    char header[160];
    snprintf(header, sizeof header, "goroutine %lld [%s]:", (long long)id, reason);
    char *block = goroutine_block(r->err, header);
    ck_assert_msg(block != NULL, "no \"%s\" in the report:\n%s", header, r->err);
    char l1[256], l2[512];
    char want[160];
    snprintf(want, sizeof want, "%s()", func);
    ck_assert_msg(block_line(block, 1, l1, sizeof l1) && strcmp(l1, want) == 0,
                  "goroutine %lld: first frame should be \"%s\", got \"%s\"; report:\n%s",
                  (long long)id, want, l1, r->err);
    ck_assert_msg(block_line(block, 2, l2, sizeof l2) && l2[0] == '\t' &&
                      has_file_line(l2, "test_deadlock.c", line),
                  "goroutine %lld: expected \"\\t.../test_deadlock.c:%d +0x..\", got \"%s\"; "
                  "report:\n%s",
                  (long long)id, line, l2, r->err);
    if (spawner) {
        char created[160];
        snprintf(created, sizeof created, "created by %s in goroutine 1\n\t", spawner);
        char *p = strstr(block, created);
        ck_assert_msg(p != NULL, "goroutine %lld: no \"created by %s in goroutine 1\"; "
                      "report:\n%s", (long long)id, spawner, r->err);
        nth_line(p, 1, l2, sizeof l2);
        ck_assert_msg(has_file_line(l2, "test_deadlock.c", spawn_line),
                      "created-by location: expected test_deadlock.c:%d, got \"%s\"", spawn_line,
                      l2);
    } else {
        ck_assert_msg(strstr(block, "created by") == NULL, "goroutine %lld has a creator:\n%s",
                      (long long)id, r->err);
    }
    free(block);
}

/* ---- tests -------------------------------------------------------------------------------- */

START_TEST(main_deadlock_exits_2)
{
    unit_silence_stderr();
    dl_main_blocks((void *)&blockers[_i]);
}
END_TEST

START_TEST(goroutine_deadlock_exits_2)
{
    unit_silence_stderr();
    dl_scenario((void *)&blockers[_i]);
}
END_TEST

START_TEST(main_deadlock_report)
{
    const blocker *b = &blockers[_i];
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(dl_main_blocks, (void *)b);
    assert_deadlock_head(&r);
    char header[160];
    snprintf(header, sizeof header, "goroutine 1 [%s]:", b->reason);
    assert_line(&r, 2, header);
    assert_goroutine(&r, 1, b->reason, b->func, rec->line, NULL, 0);
    /* the caller's frame follows */
    char *block = goroutine_block(r.err, header);
    ck_assert_msg(strstr(block, "\ndl_main_blocks()\n\t") != NULL, "no caller frame in:\n%s",
                  r.err);
    free(block);
    free(r.err);
}
END_TEST

START_TEST(goroutine_deadlock_report)
{
    const blocker *b = &blockers[_i];
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(dl_scenario, (void *)b);
    assert_deadlock_head(&r);
    assert_line(&r, 2, "goroutine 1 [chan receive]:");
    assert_goroutine(&r, 1, "chan receive", "dl_scenario", rec->main_line, NULL, 0);
    assert_goroutine(&r, rec->gid, b->reason, b->func, rec->line, "dl_scenario", rec->spawn_line);
    free(r.err);
}
END_TEST

/* ---- several goroutines: all listed, main first, then in creation order ---------------------- */

static void dl_many(void *arg)
{
    (void)arg;
    static co_waitgroup wg;
    rec->extra[0] = co_go(dl_mutex, NULL); rec->extra_line[0] = __LINE__;
    rec->extra[1] = co_go(dl_select_no_cases, NULL); rec->extra_line[1] = __LINE__;
    rec->extra[2] = co_go(dl_chan_recv_nil, NULL); rec->extra_line[2] = __LINE__;
    co_yield(); /* each blocker records its own line in rec->line; not checked here */
    co_waitgroup_add(&wg, 1);
    MAIN_MARK(); co_waitgroup_wait(&wg);
}

START_TEST(many_goroutines_report)
{
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(dl_many, NULL);
    assert_deadlock_head(&r);
    assert_line(&r, 2, "goroutine 1 [sync.WaitGroup.Wait]:");
    assert_goroutine(&r, 1, "sync.WaitGroup.Wait", "dl_many", rec->main_line, NULL, 0);
    const char *reasons[3] = {"sync.Mutex.Lock", "select (no cases)", "chan receive (nil chan)"};
    const char *pos[3];
    for (int i = 0; i < 3; i++) {
        char header[160];
        snprintf(header, sizeof header, "\n\ngoroutine %lld [%s]:\n", (long long)rec->extra[i],
                 reasons[i]);
        pos[i] = strstr(r.err, header);
        ck_assert_msg(pos[i] != NULL, "no \"%s\" block in:\n%s", header + 2, r.err);
        char created[160];
        snprintf(created, sizeof created, "created by dl_many in goroutine 1\n\t");
        const char *c = strstr(pos[i] + 2, created);
        const char *end = strstr(pos[i] + 2, "\n\n");
        ck_assert_msg(c != NULL && (end == NULL || c < end),
                      "goroutine %lld: no \"created by dl_many in goroutine 1\" in:\n%s",
                      (long long)rec->extra[i], r.err);
        char l2[512];
        nth_line(c, 1, l2, sizeof l2);
        ck_assert_msg(has_file_line(l2, "test_deadlock.c", rec->extra_line[i]),
                      "created-by location: expected test_deadlock.c:%d, got \"%s\"",
                      rec->extra_line[i], l2);
    }
    ck_assert_msg(pos[0] < pos[1] && pos[1] < pos[2], "goroutines not in creation order:\n%s",
                  r.err);
    free(r.err);
}
END_TEST

static void exit_at_once(void *arg)
{
    (void)arg;
}

static void dl_with_finished(void *arg)
{
    (void)arg;
    rec->extra[0] = co_go(exit_at_once, NULL);
    co_yield();
    co_yield();
    int v;
    MAIN_MARK(); co_chan_recv(NULL, &v);
}

START_TEST(finished_goroutines_not_listed)
{
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(dl_with_finished, NULL);
    assert_deadlock_head(&r);
    assert_line(&r, 2, "goroutine 1 [chan receive (nil chan)]:");
    char header[64];
    snprintf(header, sizeof header, "goroutine %lld [", (long long)rec->extra[0]);
    ck_assert_msg(strstr(r.err, header) == NULL, "a finished goroutine is listed:\n%s", r.err);
    free(r.err);
}
END_TEST

static co_rwmutex rec_rw;

static void rw_writer(void *arg)
{
    (void)arg;
    MARK(); co_rwmutex_lock(&rec_rw);
}

static void dl_recursive_rlock(void *arg)
{
    /* Go: a blocked Lock call excludes new readers, so recursive read locking
       deadlocks once a writer waits */
    (void)arg;
    co_rwmutex_rlock(&rec_rw);
    GO(rw_writer, NULL);
    co_yield(); /* the writer blocks in Lock */
    MAIN_MARK(); co_rwmutex_rlock(&rec_rw);
}

START_TEST(recursive_rlock_with_waiting_writer)
{
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(dl_recursive_rlock, NULL);
    assert_deadlock_head(&r);
    assert_line(&r, 2, "goroutine 1 [sync.RWMutex.RLock]:");
    assert_goroutine(&r, 1, "sync.RWMutex.RLock", "dl_recursive_rlock", rec->main_line, NULL, 0);
    assert_goroutine(&r, rec->gid, "sync.RWMutex.Lock", "rw_writer", rec->line,
                     "dl_recursive_rlock", rec->spawn_line);
    free(r.err);
}
END_TEST

START_TEST(main_trace_ends_at_main)
{
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(dl_scenario, (void *)&blockers[0]);
    assert_deadlock_head(&r);
    char *block = goroutine_block(r.err, "goroutine 1 [chan receive]:");
    ck_assert_ptr_nonnull(block);
    ck_assert_msg(strstr(block, "\nmain()\n\t") != NULL, "goroutine 1 does not end at main():\n%s",
                  r.err);
    free(block);
    free(r.err);
}
END_TEST

/* ---- timers: sleeping is not a deadlock ------------------------------------------------------ */

static void sleep_then_send(void *arg)
{
    co_chan *c = arg;
    co_sleep(20 * CO_MILLISECOND);
    send_int(c, 5);
}

START_TEST(sleeper_is_not_deadlock)
{
    /* main waits on a goroutine that is in co_sleep: not a deadlock (runs in
       the Check child; a false deadlock would exit 2 and fail the test) */
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(sleep_then_send, c);
    int64_t t0 = co_now();
    ck_assert_int_eq(recv_int(c), 5);
    ck_assert_int_ge(co_now() - t0, 20 * CO_MILLISECOND);
    unit_assert_no_leak();
}
END_TEST

static void block_on_nil(void *arg)
{
    (void)arg;
    int v;
    co_chan_recv(NULL, &v);
}

START_TEST(only_timers_remain_time_advances)
{
    /* every other goroutine is blocked for good; main sleeps: the only thing
       left is main's timer, so the runtime waits for it */
    co_go(block_on_nil, NULL);
    co_go(block_on_nil, NULL);
    int64_t t0 = co_now();
    co_sleep(30 * CO_MILLISECOND);
    ck_assert_int_ge(co_now() - t0, 30 * CO_MILLISECOND);
    ck_assert_int_eq(co_num_goroutine(), 3);
}
END_TEST

START_TEST(timer_channel_wait_is_not_deadlock)
{
    co_go(block_on_nil, NULL);
    co_chan *never = co_chan_make(sizeof(int), 0);
    int64_t t0 = co_now();
    int v;
    int64_t when;
    co_case cs[] = {CO_RECV(never, &v, NULL), CO_RECV(co_after(25 * CO_MILLISECOND), &when, NULL)};
    ck_assert_int_eq(co_select(cs, 2, false), 1);
    ck_assert_int_ge(co_now() - t0, 25 * CO_MILLISECOND);
    /* and a plain receive on a timer channel */
    ck_assert(co_chan_recv(co_after(5 * CO_MILLISECOND), &when));
}
END_TEST

START_TEST(ticker_wait_is_not_deadlock)
{
    co_go(block_on_nil, NULL);
    co_ticker *t = co_ticker_make(5 * CO_MILLISECOND);
    int64_t when;
    for (int i = 0; i < 3; i++)
        ck_assert(co_chan_recv(co_ticker_chan(t), &when));
    co_ticker_stop(t);
}
END_TEST

static void sleep_then_exit(void *arg)
{
    (void)arg;
    co_sleep(10 * CO_MILLISECOND);
}

static void dl_after_sleeper(void *arg)
{
    (void)arg;
    co_go(sleep_then_exit, NULL);
    int v;
    MAIN_MARK(); co_chan_recv(NULL, &v);
}

START_TEST(deadlock_after_last_timer)
{
    /* the sleeper keeps the program alive; once it exits, main is stuck */
    rec = unit_shared(sizeof *rec);
    int64_t t0 = co_now();
    child_result r = run_child(dl_after_sleeper, NULL);
    assert_deadlock_head(&r);
    ck_assert_int_ge(co_now() - t0, 10 * CO_MILLISECOND);
    assert_line(&r, 2, "goroutine 1 [chan receive (nil chan)]:");
    assert_goroutine(&r, 1, "chan receive (nil chan)", "dl_after_sleeper", rec->main_line, NULL,
                     0);
    free(r.err);
}
END_TEST

Suite *deadlock_suite(void)
{
    Suite *s = suite_create("deadlock");
    for (int i = 0; i < NBLOCKERS; i++) {
        char name[64];
        snprintf(name, sizeof name, "reason_%s", blockers[i].name);
        TCase *tc = unit_tcase(s, strdup(name));
        tcase_add_loop_exit_test(tc, main_deadlock_exits_2, 2, i, i + 1);
        tcase_add_loop_exit_test(tc, goroutine_deadlock_exits_2, 2, i, i + 1);
        tcase_add_loop_test(tc, main_deadlock_report, i, i + 1);
        tcase_add_loop_test(tc, goroutine_deadlock_report, i, i + 1);
    }
    tcase_add_test(unit_tcase(s, "many_goroutines"), many_goroutines_report);
    tcase_add_test(unit_tcase(s, "finished_not_listed"), finished_goroutines_not_listed);
    tcase_add_test(unit_tcase(s, "trace_ends_at_main"), main_trace_ends_at_main);
    tcase_add_test(unit_tcase(s, "recursive_rlock"), recursive_rlock_with_waiting_writer);
    tcase_add_test(unit_tcase(s, "sleeper_not_deadlock"), sleeper_is_not_deadlock);
    tcase_add_test(unit_tcase(s, "only_timers_remain"), only_timers_remain_time_advances);
    tcase_add_test(unit_tcase(s, "timer_chan_not_deadlock"), timer_channel_wait_is_not_deadlock);
    tcase_add_test(unit_tcase(s, "ticker_not_deadlock"), ticker_wait_is_not_deadlock);
    tcase_add_test(unit_tcase(s, "deadlock_after_last_timer"), deadlock_after_last_timer);
    return s;
}

int main(void)
{
    return unit_run(deadlock_suite());
}
