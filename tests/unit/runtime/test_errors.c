/*
 * test_errors.c - runtime errors (panics and fatal errors), Go's wording.
 *
 * For every error: an exit test (Check sees exit status 2) and a stderr test
 * that runs the misuse in a forked child with fd 2 on a pipe and checks the
 * report's shape as Go prints it:
 *
 *     panic: close of closed channel
 *
 *     goroutine 1 [running]:
 *     misuse_close_closed()
 *     \t/.../test_errors.c:LINE +0x..
 *     ...
 *
 * Built with -O0 so the recorded __LINE__ is the line the trace shows.
 */
#include "unit_util.h"

/* Where the misuse happened, written by the child into shared memory. */
struct rec {
    int line;        /* line of the failing call */
    int spawn_line;  /* line of the co_go that started the failing goroutine */
    int64_t gid;     /* that goroutine's id */
};
static struct rec local_rec;
static struct rec *rec = &local_rec;

#define MARK() (rec->line = __LINE__)
#define GO(f, a) (rec->gid = co_go((f), (a)), rec->spawn_line = __LINE__)

static void block_main(void)
{
    co_select(NULL, 0, false); /* let the misbehaving goroutine run */
}

/* ---- the misuses --------------------------------------------------------------------------- */

static void misuse_send_closed(void)
{
    co_chan *c = co_chan_make(sizeof(int), 1);
    co_chan_close(c);
    int v = 1;
    MARK(); co_chan_send(c, &v);
}

static void misuse_close_closed(void)
{
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_chan_close(c);
    MARK(); co_chan_close(c);
}

static void misuse_close_nil(void)
{
    MARK(); co_chan_close(NULL);
}

static void misuse_select_send_closed(void)
{
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_chan *never = co_chan_make(sizeof(int), 0);
    co_chan_close(c);
    int v = 1, w;
    co_case cs[] = {CO_RECV(never, &w, NULL), CO_SEND(c, &v)};
    MARK(); co_select(cs, 2, false);
}

static void misuse_unlock_unlocked(void)
{
    co_mutex m = {0};
    MARK(); co_mutex_unlock(&m);
}

static void misuse_double_unlock(void)
{
    co_mutex m = {0};
    co_mutex_lock(&m);
    co_mutex_unlock(&m);
    MARK(); co_mutex_unlock(&m);
}

static void misuse_runlock_unlocked(void)
{
    co_rwmutex m = {0};
    MARK(); co_rwmutex_runlock(&m);
}

static void misuse_runlock_write_locked(void)
{
    co_rwmutex m = {0};
    co_rwmutex_lock(&m);
    MARK(); co_rwmutex_runlock(&m);
}

static void misuse_unlock_unlocked_rw(void)
{
    co_rwmutex m = {0};
    MARK(); co_rwmutex_unlock(&m);
}

static void misuse_unlock_read_locked_rw(void)
{
    co_rwmutex m = {0};
    co_rwmutex_rlock(&m);
    MARK(); co_rwmutex_unlock(&m);
}

static void misuse_cond_wait_unlocked(void)
{
    /* Go: Cond.Wait unlocks c.L; with c.L not locked that is a fatal error */
    co_mutex m = {0};
    co_cond c = {0};
    MARK(); co_cond_wait(&c, &m);
}

static void misuse_wg_negative_done(void)
{
    co_waitgroup wg = {0};
    MARK(); co_waitgroup_done(&wg);
}

static void misuse_wg_negative_add(void)
{
    co_waitgroup wg = {0};
    co_waitgroup_add(&wg, 2);
    MARK(); co_waitgroup_add(&wg, -3);
}

static co_waitgroup reuse_wg;

static void reuse_wg_early(void *arg)
{
    (void)arg;
    co_waitgroup_done(&reuse_wg); /* counter 0: the waiter is woken ... */
    co_waitgroup_add(&reuse_wg, 1); /* ... but reuse starts before its Wait returned */
}

static void misuse_wg_reused(void)
{
    co_waitgroup_add(&reuse_wg, 1);
    GO(reuse_wg_early, NULL);
    MARK(); co_waitgroup_wait(&reuse_wg);
}

static void misuse_co_panic(void)
{
    MARK(); co_panic("boom %d", 7);
}

/* in a goroutine other than main */

static void send_closed_in_goroutine(void *arg)
{
    (void)arg;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_chan_close(c);
    int v = 1;
    MARK(); co_chan_send(c, &v);
}

static void misuse_send_closed_goroutine(void)
{
    GO(send_closed_in_goroutine, NULL);
    block_main();
}

static co_chan *blocked_send_ch;

static void blocked_sender(void *arg)
{
    (void)arg;
    int v = 1;
    MARK(); co_chan_send(blocked_send_ch, &v); /* parked here when the channel is closed */
}

static void misuse_close_with_blocked_sender(void)
{
    /* Go: closing a channel with a blocked sender makes that sender panic */
    blocked_send_ch = co_chan_make(sizeof(int), 0);
    GO(blocked_sender, NULL);
    co_yield();
    co_yield();
    co_chan_close(blocked_send_ch);
    block_main();
}

static co_chan *sel_send_ch;

static void blocked_select_sender(void *arg)
{
    (void)arg;
    co_chan *never = co_chan_make(sizeof(int), 0);
    int v = 1, w;
    co_case cs[] = {CO_RECV(never, &w, NULL), CO_SEND(sel_send_ch, &v)};
    MARK(); co_select(cs, 2, false);
}

static void misuse_close_with_blocked_select_sender(void)
{
    sel_send_ch = co_chan_make(sizeof(int), 0);
    GO(blocked_select_sender, NULL);
    co_yield();
    co_yield();
    co_chan_close(sel_send_ch);
    block_main();
}

static void unlock_in_goroutine(void *arg)
{
    (void)arg;
    co_mutex m = {0};
    MARK(); co_mutex_unlock(&m);
}

static void misuse_unlock_goroutine(void)
{
    GO(unlock_in_goroutine, NULL);
    block_main();
}

/* ---- table -------------------------------------------------------------------------------- */

typedef struct misuse {
    const char *name;
    void (*fn)(void);
    const char *first;   /* exact first line on stderr */
    const char *func;    /* function holding the failing call (first frame) */
    const char *spawner; /* non-NULL: fails in goroutine rec->gid created there */
    bool any_goroutine;  /* don't check the goroutine number */
} misuse;

#define PANIC_SEND "panic: send on closed channel"

static const misuse misuses[] = {
    {"send_closed", misuse_send_closed, PANIC_SEND, "misuse_send_closed", NULL, false},
    {"close_closed", misuse_close_closed, "panic: close of closed channel", "misuse_close_closed",
     NULL, false},
    {"close_nil", misuse_close_nil, "panic: close of nil channel", "misuse_close_nil", NULL, false},
    {"select_send_closed", misuse_select_send_closed, PANIC_SEND, "misuse_select_send_closed",
     NULL, false},
    {"unlock_unlocked", misuse_unlock_unlocked, "fatal error: sync: unlock of unlocked mutex",
     "misuse_unlock_unlocked", NULL, false},
    {"double_unlock", misuse_double_unlock, "fatal error: sync: unlock of unlocked mutex",
     "misuse_double_unlock", NULL, false},
    {"runlock_unlocked", misuse_runlock_unlocked,
     "fatal error: sync: RUnlock of unlocked RWMutex", "misuse_runlock_unlocked", NULL, false},
    {"runlock_write_locked", misuse_runlock_write_locked,
     "fatal error: sync: RUnlock of unlocked RWMutex", "misuse_runlock_write_locked", NULL, false},
    {"unlock_unlocked_rw", misuse_unlock_unlocked_rw,
     "fatal error: sync: Unlock of unlocked RWMutex", "misuse_unlock_unlocked_rw", NULL, false},
    {"unlock_read_locked_rw", misuse_unlock_read_locked_rw,
     "fatal error: sync: Unlock of unlocked RWMutex", "misuse_unlock_read_locked_rw", NULL, false},
    {"cond_wait_unlocked", misuse_cond_wait_unlocked,
     "fatal error: sync: unlock of unlocked mutex", "misuse_cond_wait_unlocked", NULL, false},
    {"wg_negative_done", misuse_wg_negative_done, "panic: sync: negative WaitGroup counter",
     "misuse_wg_negative_done", NULL, false},
    {"wg_negative_add", misuse_wg_negative_add, "panic: sync: negative WaitGroup counter",
     "misuse_wg_negative_add", NULL, false},
    {"wg_reused", misuse_wg_reused,
     "panic: sync: WaitGroup is reused before previous Wait has returned", NULL, NULL, true},
    {"co_panic", misuse_co_panic, "panic: boom 7", "misuse_co_panic", NULL, false},
    {"send_closed_goroutine", misuse_send_closed_goroutine, PANIC_SEND,
     "send_closed_in_goroutine", "misuse_send_closed_goroutine", false},
    {"close_with_blocked_sender", misuse_close_with_blocked_sender, PANIC_SEND, "blocked_sender",
     "misuse_close_with_blocked_sender", false},
    {"close_with_blocked_select_sender", misuse_close_with_blocked_select_sender, PANIC_SEND,
     "blocked_select_sender", "misuse_close_with_blocked_select_sender", false},
    {"unlock_goroutine", misuse_unlock_goroutine, "fatal error: sync: unlock of unlocked mutex",
     "unlock_in_goroutine", "misuse_unlock_goroutine", false},
};
#define NMISUSE ((int)(sizeof misuses / sizeof misuses[0]))

/* ---- tests -------------------------------------------------------------------------------- */

START_TEST(misuse_exits_2)
{
    unit_silence_stderr();
    misuses[_i].fn();
    /* reaching here: no error was raised, the test exits 0 and fails */
}
END_TEST

static void call_misuse(void *arg)
{
    const misuse *m = arg;
    m->fn();
}

START_TEST(misuse_report)
{
    const misuse *m = &misuses[_i];
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(call_misuse, (void *)m);
    assert_exit_status(&r, 2);
    assert_line(&r, 0, m->first);
    assert_line(&r, 1, "");

    char header[128], got[512];
    if (m->any_goroutine) {
        ck_assert_msg(nth_line(r.err, 2, got, sizeof got) && strncmp(got, "goroutine ", 10) == 0 &&
                          strstr(got, " [running]:") != NULL,
                      "stderr line 3: expected \"goroutine N [running]:\"; stderr:\n%s", r.err);
        free(r.err);
        return;
    }
    snprintf(header, sizeof header, "goroutine %lld [running]:",
             (long long)(m->spawner ? rec->gid : 1));
    assert_line(&r, 2, header);

    /* the trace starts at the user's call into corace */
    char want_func[128];
    snprintf(want_func, sizeof want_func, "%s()", m->func);
    assert_line(&r, 3, want_func);
    ck_assert_msg(nth_line(r.err, 4, got, sizeof got) && got[0] == '\t' &&
                      has_file_line(got, "test_errors.c", rec->line),
                  "stderr line 5: expected \"\\t.../test_errors.c:%d +0x..\", got \"%s\"; "
                  "stderr:\n%s",
                  rec->line, got, r.err);

    char *block = goroutine_block(r.err, header);
    ck_assert_ptr_nonnull(block);
    if (m->spawner) {
        char created[160];
        snprintf(created, sizeof created, "created by %s in goroutine 1\n\t", m->spawner);
        char *p = strstr(block, created);
        ck_assert_msg(p != NULL, "no \"created by %s in goroutine 1\" in:\n%s", m->spawner,
                      r.err);
        char l2[512];
        nth_line(p, 1, l2, sizeof l2);
        ck_assert_msg(has_file_line(l2, "test_errors.c", rec->spawn_line),
                      "created-by location: expected test_errors.c:%d, got \"%s\"",
                      rec->spawn_line, l2);
    } else {
        ck_assert_msg(strstr(block, "created by") == NULL, "goroutine 1 has a creator:\n%s",
                      r.err);
    }
    free(block);
    free(r.err);
}
END_TEST

static const misuse *find_misuse(const char *name)
{
    for (int i = 0; i < NMISUSE; i++)
        if (strcmp(misuses[i].name, name) == 0)
            return &misuses[i];
    ck_abort_msg("no misuse %s", name);
    return NULL;
}

START_TEST(panic_report_ends_with_main)
{
    /* goroutine 1's trace runs down to main(), as Go's ends at main.main() */
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(call_misuse, (void *)find_misuse("close_closed"));
    assert_exit_status(&r, 2);
    ck_assert_msg(strstr(r.err, "\nmain()\n\t") != NULL, "no main() frame in:\n%s", r.err);
    free(r.err);
}
END_TEST

START_TEST(panic_report_only_failing_goroutine)
{
    /* Go prints the panicking goroutine's trace only (GOTRACEBACK=single) */
    rec = unit_shared(sizeof *rec);
    child_result r = run_child(call_misuse, (void *)find_misuse("send_closed_goroutine"));
    assert_exit_status(&r, 2);
    ck_assert_msg(strstr(r.err, "goroutine 1 [") == NULL,
                  "the panic report lists other goroutines:\n%s", r.err);
    free(r.err);
}
END_TEST

Suite *errors_suite(void)
{
    Suite *s = suite_create("errors");
    for (int i = 0; i < NMISUSE; i++) {
        TCase *tc = unit_tcase(s, misuses[i].name);
        tcase_add_loop_exit_test(tc, misuse_exits_2, 2, i, i + 1);
        tcase_add_loop_test(tc, misuse_report, i, i + 1);
    }
    tcase_add_test(unit_tcase(s, "report_ends_with_main"), panic_report_ends_with_main);
    tcase_add_test(unit_tcase(s, "report_single_goroutine"), panic_report_only_failing_goroutine);
    return s;
}

int main(void)
{
    return unit_run(errors_suite());
}
