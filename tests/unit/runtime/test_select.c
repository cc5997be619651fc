/*
 * test_select.c - select (runtime/select): Go's select statement.
 */
#include "unit_util.h"

START_TEST(default_when_none_ready)
{
    co_chan *a = co_chan_make(sizeof(int), 0);
    co_chan *b = co_chan_make(sizeof(int), 1);
    send_int(b, 1); /* b full: a send on it is not ready */
    int v = 0, w = 5;
    bool ok = true;
    co_case cs[] = {CO_RECV(a, &v, &ok), CO_SEND(b, &w)};
    int64_t t0 = co_now();
    ck_assert_int_eq(co_select(cs, 2, true), -1);
    ck_assert_int_lt(co_now() - t0, 100 * CO_MILLISECOND); /* at once */
    ck_assert_uint_eq(co_chan_len(b), 1);
    ck_assert_int_eq(co_select(NULL, 0, true), -1); /* select { default: } */
    co_chan_free(a);
    co_chan_free(b);
}
END_TEST

START_TEST(default_not_taken_when_ready)
{
    co_chan *a = co_chan_make(sizeof(int), 1);
    send_int(a, 11);
    int v = 0;
    bool ok = false;
    co_case cs[] = {CO_RECV(a, &v, &ok)};
    ck_assert_int_eq(co_select(cs, 1, true), 0);
    ck_assert_int_eq(v, 11);
    ck_assert(ok);
    co_chan_free(a);
}
END_TEST

START_TEST(uniform_choice)
{
    /* Four always-ready buffered channels: each case is taken 1/4 of the time.
       CO_SEED=42 is set by ctest, so the run is reproducible. */
    enum { N = 4, ROUNDS = 40000 };
    co_chan *c[N];
    int vals[N];
    int count[N] = {0};
    co_case cs[N];
    for (int i = 0; i < N; i++) {
        c[i] = co_chan_make(sizeof(int), 1);
        send_int(c[i], i);
        cs[i] = CO_RECV(c[i], &vals[i], NULL);
    }
    for (int r = 0; r < ROUNDS; r++) {
        int k = co_select(cs, N, false);
        ck_assert_int_ge(k, 0);
        ck_assert_int_lt(k, N);
        ck_assert_int_eq(vals[k], k);
        count[k]++;
        send_int(c[k], k); /* ready again */
    }
    for (int i = 0; i < N; i++)
        ck_assert_msg(count[i] >= 9500 && count[i] <= 10500,
                      "case %d chosen %d times of %d (want 10000 +- 5%%): %d %d %d %d", i,
                      count[i], ROUNDS, count[0], count[1], count[2], count[3]);
}
END_TEST

START_TEST(uniform_choice_mixed_send_recv)
{
    /* A ready send and a ready receive are also chosen about evenly. */
    co_chan *in = co_chan_make(sizeof(int), 1);
    co_chan *out = co_chan_make(sizeof(int), 1);
    int cnt[2] = {0, 0};
    for (int r = 0; r < 20000; r++) {
        if (co_chan_len(in) == 0)
            send_int(in, 1);
        if (co_chan_len(out) == 1)
            recv_int(out);
        int v = 0, w = 2;
        co_case cs[] = {CO_RECV(in, &v, NULL), CO_SEND(out, &w)};
        int k = co_select(cs, 2, false);
        ck_assert(k == 0 || k == 1);
        cnt[k]++;
    }
    ck_assert_msg(cnt[0] >= 9500 && cnt[0] <= 10500, "recv %d send %d", cnt[0], cnt[1]);
}
END_TEST

START_TEST(send_and_recv_cases_ready)
{
    co_chan *s = co_chan_make(sizeof(int), 1);
    co_chan *r = co_chan_make(sizeof(int), 1);
    int out = 31, in = 0;
    bool ok = false;
    co_case cs[] = {CO_SEND(s, &out), CO_RECV(r, &in, &ok)};
    /* only the send is ready */
    ck_assert_int_eq(co_select(cs, 2, false), 0);
    ck_assert_int_eq(recv_int(s), 31);
    /* only the receive is ready */
    send_int(s, 0); /* s full */
    send_int(r, 77);
    ck_assert_int_eq(co_select(cs, 2, false), 1);
    ck_assert_int_eq(in, 77);
    ck_assert(ok);
    co_chan_free(s);
    co_chan_free(r);
}
END_TEST

static co_chan *sel_a, *sel_b;

static void take_from_b(void *arg)
{
    (void)arg;
    int v = recv_int(sel_b);
    ck_assert_int_eq(v, 55);
}

static void give_to_a(void *arg)
{
    (void)arg;
    send_int(sel_a, 66);
}

START_TEST(blocking_select_woken_by_receiver)
{
    sel_a = co_chan_make(sizeof(int), 0);
    sel_b = co_chan_make(sizeof(int), 0);
    co_go(take_from_b, NULL);
    int in = 0, out = 55;
    co_case cs[] = {CO_RECV(sel_a, &in, NULL), CO_SEND(sel_b, &out)};
    /* the receiver on b may or may not be parked yet; either way the send wins */
    ck_assert_int_eq(co_select(cs, 2, false), 1);
    unit_assert_no_leak();
}
END_TEST

START_TEST(blocking_select_woken_by_sender)
{
    sel_a = co_chan_make(sizeof(int), 0);
    sel_b = co_chan_make(sizeof(int), 0);
    co_go(give_to_a, NULL);
    int in = 0, out = 55;
    bool ok = false;
    co_case cs[] = {CO_RECV(sel_a, &in, &ok), CO_SEND(sel_b, &out)};
    ck_assert_int_eq(co_select(cs, 2, false), 0);
    ck_assert_int_eq(in, 66);
    ck_assert(ok);
    unit_assert_no_leak();
}
END_TEST

static int stale_result;

static void try_send_b(void *arg)
{
    (void)arg;
    int v = 1;
    co_case cs[] = {CO_SEND(sel_b, &v)};
    stale_result = co_select(cs, 1, true);
}

START_TEST(select_leaves_no_stale_waiters)
{
    /* Main parks in a select on a and b; a sender on a wins.  Afterwards main
       no longer waits on b: a non-blocking send on b must find no receiver. */
    sel_a = co_chan_make(sizeof(int), 0);
    sel_b = co_chan_make(sizeof(int), 0);
    co_go(give_to_a, NULL);
    int x = 0, y = 0;
    co_case cs[] = {CO_RECV(sel_a, &x, NULL), CO_RECV(sel_b, &y, NULL)};
    ck_assert_int_eq(co_select(cs, 2, false), 0);
    ck_assert_int_eq(x, 66);
    stale_result = 99;
    co_go(try_send_b, NULL);
    unit_assert_no_leak();
    ck_assert_int_eq(stale_result, -1);
    ck_assert_int_eq(y, 0);
}
END_TEST

START_TEST(null_channels_never_proceed)
{
    co_chan *c = co_chan_make(sizeof(int), 1);
    int v = 0, w = 1;
    for (int i = 0; i < 1000; i++) {
        send_int(c, i);
        co_case cs[] = {CO_RECV(NULL, &w, NULL), CO_SEND(NULL, &w), CO_RECV(c, &v, NULL),
                        CO_RECV(NULL, &w, NULL)};
        ck_assert_int_eq(co_select(cs, 4, false), 2);
        ck_assert_int_eq(v, i);
    }
    co_case only_nil[] = {CO_RECV(NULL, &w, NULL), CO_SEND(NULL, &w)};
    ck_assert_int_eq(co_select(only_nil, 2, true), -1);
    ck_assert_int_eq(w, 1);
    co_chan_free(c);
}
END_TEST

static int nil_sel_returned;

static void select_only_nil(void *arg)
{
    (void)arg;
    int w = 0;
    co_case cs[] = {CO_RECV(NULL, &w, NULL), CO_SEND(NULL, &w)};
    co_select(cs, 2, false);
    nil_sel_returned = 1;
}

static void select_no_cases(void *arg)
{
    (void)arg;
    co_select(NULL, 0, false);
    nil_sel_returned = 1;
}

START_TEST(select_only_null_channels_blocks)
{
    nil_sel_returned = 0;
    co_go(select_only_nil, NULL);
    unit_yield_n(100);
    ck_assert_int_eq(nil_sel_returned, 0);
    ck_assert_int_eq(co_num_goroutine(), 2);
}
END_TEST

START_TEST(select_no_cases_blocks)
{
    nil_sel_returned = 0;
    co_go(select_no_cases, NULL);
    unit_yield_n(100);
    ck_assert_int_eq(nil_sel_returned, 0);
    ck_assert_int_eq(co_num_goroutine(), 2);
}
END_TEST

START_TEST(recv_case_on_closed_channel)
{
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_chan *never = co_chan_make(sizeof(int), 0);
    co_chan_close(c);
    int v = 123, w = 0;
    bool ok = true;
    co_case cs[] = {CO_RECV(never, &w, NULL), CO_RECV(c, &v, &ok)};
    ck_assert_int_eq(co_select(cs, 2, false), 1);
    ck_assert(!ok);
    ck_assert_int_eq(v, 0);
    co_chan_free(c);
    co_chan_free(never);
}
END_TEST

static co_chan *close_me;

static void closer(void *arg)
{
    (void)arg;
    co_chan_close(close_me);
}

START_TEST(blocking_select_woken_by_close)
{
    close_me = co_chan_make(sizeof(int), 0);
    co_chan *never = co_chan_make(sizeof(int), 0);
    co_go(closer, NULL);
    int v = 4, w = 0;
    bool ok = true;
    co_case cs[] = {CO_RECV(never, &w, NULL), CO_RECV(close_me, &v, &ok)};
    ck_assert_int_eq(co_select(cs, 2, false), 1);
    ck_assert(!ok);
    ck_assert_int_eq(v, 0);
    unit_assert_no_leak();
}
END_TEST

START_TEST(select_ok_pointer_optional)
{
    co_chan *c = co_chan_make(sizeof(int), 1);
    send_int(c, 8);
    int v = 0;
    co_case cs[] = {CO_RECV(c, &v, NULL)};
    ck_assert_int_eq(co_select(cs, 1, false), 0);
    ck_assert_int_eq(v, 8);
    co_chan_close(c);
    v = 1;
    ck_assert_int_eq(co_select(cs, 1, false), 0);
    ck_assert_int_eq(v, 0);
    co_chan_free(c);
}
END_TEST

/* ---- two selects pair with each other --------------------------------------------------- */

static int pair_got;

static void select_recv_side(void *arg)
{
    co_chan *c = arg;
    co_chan *never = co_chan_make(sizeof(int), 0);
    int v = 0, w = 0;
    co_case cs[] = {CO_RECV(never, &w, NULL), CO_RECV(c, &v, NULL)};
    ck_assert_int_eq(co_select(cs, 2, false), 1);
    pair_got = v;
}

START_TEST(select_pairs_with_select)
{
    /* a blocked select receiving and a select sending on the same
       unbuffered channel complete each other */
    pair_got = 0;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_chan *never = co_chan_make(sizeof(int), 0);
    co_go(select_recv_side, c);
    co_yield(); /* the receiver parks in its select */
    int out = 314, w = 0;
    co_case cs[] = {CO_RECV(never, &w, NULL), CO_SEND(c, &out)};
    ck_assert_int_eq(co_select(cs, 2, true), 1); /* ready: a select waits on c */
    unit_assert_no_leak();
    ck_assert_int_eq(pair_got, 314);
}
END_TEST

START_TEST(select_does_not_pair_with_itself)
{
    /* send and receive on the same unbuffered channel in one select: no
       other goroutine, nothing can proceed */
    co_chan *c = co_chan_make(sizeof(int), 0);
    int out = 1, in = 0;
    co_case cs[] = {CO_SEND(c, &out), CO_RECV(c, &in, NULL)};
    ck_assert_int_eq(co_select(cs, 2, true), -1);
    co_chan_free(c);
}
END_TEST

static void select_send_forever(void *arg)
{
    co_chan *c = arg;
    int v = 21;
    co_case cs[] = {CO_SEND(c, &v)};
    co_select(cs, 1, false);
}

START_TEST(plain_recv_from_blocked_select_sender)
{
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(select_send_forever, c);
    co_yield();
    ck_assert_int_eq(recv_int(c), 21);
    unit_assert_no_leak();
}
END_TEST

/* ---- stale select waiters on a buffered channel ---------------------------------------- */

static co_chan *st_full, *st_a;
static int st_chosen = -2;

static void select_send_full_or_recv(void *arg)
{
    (void)arg;
    int out = 2, in = 0;
    co_case cs[] = {CO_SEND(st_full, &out), CO_RECV(st_a, &in, NULL)};
    st_chosen = co_select(cs, 2, false);
}

static void send_on_a(void *arg)
{
    (void)arg;
    send_int(st_a, 1);
}

START_TEST(buffered_recv_skips_stale_select_sender)
{
    /* G1 blocks in select {send on full c; recv on a}.  G2 sends on a, so
       G1's select is decided, though G1 has not run yet.  A receive from c
       must then not take G1's (lost) send: c holds only its one value. */
    st_full = co_chan_make(sizeof(int), 1);
    st_a = co_chan_make(sizeof(int), 0);
    send_int(st_full, 1);
    co_go(select_send_full_or_recv, NULL);
    co_yield(); /* G1 parks */
    co_go(send_on_a, NULL);
    co_yield(); /* G2 completes G1's receive case */
    ck_assert_int_eq(recv_int(st_full), 1);
    ck_assert_uint_eq(co_chan_len(st_full), 0);
    unit_assert_no_leak();
    ck_assert_int_eq(st_chosen, 1);
    int v;
    co_case cs[] = {CO_RECV(st_full, &v, NULL)};
    ck_assert_int_eq(co_select(cs, 1, true), -1); /* the lost send never happened */
}
END_TEST

/* ---- the seed decides the choices ---------------------------------------------------------- */

static void print_choices(void)
{
    co_chan *c[4];
    int v[4];
    co_case cs[4];
    for (int i = 0; i < 4; i++) {
        c[i] = co_chan_make(sizeof(int), 0);
        co_chan_close(c[i]); /* always ready */
        cs[i] = CO_RECV(c[i], &v[i], NULL);
    }
    for (int r = 0; r < 200; r++)
        putchar('0' + co_select(cs, 4, false));
    putchar('\n');
    fflush(stdout);
}

/* The choices of a fresh process (this binary, re-executed) with CO_SEED=seed. */
static char *choices_with_seed(const char *seed)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        setenv("CO_SEED", seed, 1);
        execl("/proc/self/exe", "test_select", "--print-choices", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    static char bufs[4][512];
    static int nb;
    char *buf = bufs[nb++ % 4];
    size_t n = 0;
    ssize_t k;
    while ((k = read(p[0], buf + n, sizeof bufs[0] - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
    close(p[0]);
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "re-executed child failed");
    ck_assert_uint_eq(strlen(buf), 201);
    return buf;
}

START_TEST(same_seed_same_choices)
{
    char *a = choices_with_seed("42");
    char *b = choices_with_seed("42");
    char *c = choices_with_seed("43");
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
}
END_TEST

Suite *select_suite(void)
{
    Suite *s = suite_create("select");
    tcase_add_test(unit_tcase(s, "default_none_ready"), default_when_none_ready);
    tcase_add_test(unit_tcase(s, "default_not_taken"), default_not_taken_when_ready);
    tcase_add_test(unit_tcase(s, "uniform_choice"), uniform_choice);
    tcase_add_test(unit_tcase(s, "uniform_mixed"), uniform_choice_mixed_send_recv);
    tcase_add_test(unit_tcase(s, "send_and_recv_cases"), send_and_recv_cases_ready);
    tcase_add_test(unit_tcase(s, "woken_by_receiver"), blocking_select_woken_by_receiver);
    tcase_add_test(unit_tcase(s, "woken_by_sender"), blocking_select_woken_by_sender);
    tcase_add_test(unit_tcase(s, "no_stale_waiters"), select_leaves_no_stale_waiters);
    tcase_add_test(unit_tcase(s, "null_channels"), null_channels_never_proceed);
    tcase_add_test(unit_tcase(s, "only_null_blocks"), select_only_null_channels_blocks);
    tcase_add_test(unit_tcase(s, "no_cases_blocks"), select_no_cases_blocks);
    tcase_add_test(unit_tcase(s, "recv_closed"), recv_case_on_closed_channel);
    tcase_add_test(unit_tcase(s, "woken_by_close"), blocking_select_woken_by_close);
    tcase_add_test(unit_tcase(s, "ok_optional"), select_ok_pointer_optional);
    tcase_add_test(unit_tcase(s, "select_pairs_select"), select_pairs_with_select);
    tcase_add_test(unit_tcase(s, "stale_select_sender"), buffered_recv_skips_stale_select_sender);
    tcase_add_test(unit_tcase(s, "seed_determines_choices"), same_seed_same_choices);
    tcase_add_test(unit_tcase(s, "not_pair_itself"), select_does_not_pair_with_itself);
    tcase_add_test(unit_tcase(s, "recv_from_select_sender"), plain_recv_from_blocked_select_sender);
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--print-choices") == 0) {
        print_choices();
        return 0;
    }
    return unit_run(select_suite());
}
