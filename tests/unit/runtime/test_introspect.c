/*
 * test_introspect.c - the checker's view of the runtime (runtime/introspect.h):
 * goroutines found by id as they are created, run and park, what each
 * parked one waits on, timer-fed channels, and the run queue the explore
 * strategies steer.
 */
#include "unit_util.h"

#include "introspect.h"

static intro_g *find(int64_t id)
{
    for (intro_g *gp = intro_first(); gp; gp = intro_next(gp))
        if (intro_id(gp) == id)
            return gp;
    return NULL;
}

static int arg_seen;

static void nothing(void *arg)
{
    arg_seen = *(int *)arg;
}

START_TEST(goroutines_from_creation_to_exit)
{
    intro_g *m = intro_current();
    ck_assert_ptr_eq(m, intro_first());
    ck_assert_int_eq(intro_id(m), 1);
    ck_assert_int_eq(intro_status(m), INTRO_RUNNING);

    static int arg = 7;
    int64_t id = co_go(nothing, &arg);
    intro_g *gp = find(id);
    ck_assert_ptr_nonnull(gp);
    ck_assert_int_eq(intro_status(gp), INTRO_RUNNABLE);
    ck_assert_uint_eq(intro_entry_fn(gp), (uintptr_t)nothing);
    ck_assert_ptr_eq(intro_entry_arg(gp), &arg);
    ck_assert_int_eq(intro_parent_id(gp), 1);
    ck_assert_uint_ne(intro_created_pc(gp), 0);
    /* Not run yet: no saved stack pointer, no stack. */
    ck_assert_ptr_null(intro_saved_sp(gp));
    intro_range st = intro_stack(gp);
    ck_assert_uint_eq(st.lo, st.hi);
    ck_assert_ptr_eq(intro_runq_head(), gp);

    unit_assert_no_leak();
    ck_assert_int_eq(arg_seen, 7);
    ck_assert_ptr_null(find(id));
}
END_TEST

static co_chan *ch;

static void receiver(void *arg)
{
    (void)arg;
    recv_int(ch);
}

static void sender(void *arg)
{
    (void)arg;
    send_int(ch, 1);
}

/* Runs fn until it parks; returns it. */
static intro_g *parked(co_fn fn, void *arg)
{
    intro_g *gp = find(co_go(fn, arg));
    unit_yield_n(3);
    ck_assert_int_eq(intro_status(gp), INTRO_WAITING);
    return gp;
}

START_TEST(channel_waits_name_the_channel)
{
    ch = co_chan_make(sizeof(int), 0);
    intro_g *r = parked(receiver, NULL);
    ck_assert_int_eq(intro_waitreason(r), INTRO_WR_CHAN_RECV);
    ck_assert_str_eq(intro_waitreason_str(intro_waitreason(r)), "chan receive");
    ck_assert_ptr_eq(intro_wait_object(r), ch);
    /* Parked: its saved stack pointer lies in its stack. */
    intro_range st = intro_stack(r);
    uintptr_t sp = (uintptr_t)intro_saved_sp(r);
    ck_assert(st.lo < sp && sp < st.hi);
    send_int(ch, 1);
    unit_assert_no_leak();

    intro_g *s = parked(sender, NULL);
    ck_assert_int_eq(intro_waitreason(s), INTRO_WR_CHAN_SEND);
    ck_assert_ptr_eq(intro_wait_object(s), ch);
    ck_assert_uint_eq(intro_select_ncases(s), 0);
    recv_int(ch);
    unit_assert_no_leak();
}
END_TEST

static void selector(void *arg)
{
    (void)arg;
    int v;
    co_case cases[] = {CO_RECV(ch, &v, NULL), CO_SEND(NULL, &v)};
    co_select(cases, 2, false);
}

START_TEST(select_waits_name_their_cases)
{
    ch = co_chan_make(sizeof(int), 0);
    intro_g *gp = parked(selector, NULL);
    ck_assert_int_eq(intro_waitreason(gp), INTRO_WR_SELECT);
    ck_assert_ptr_null(intro_wait_object(gp));
    ck_assert_uint_eq(intro_select_ncases(gp), 2);
    intro_case k0 = intro_select_case(gp, 0), k1 = intro_select_case(gp, 1);
    ck_assert_ptr_eq(k0.chan, ch);
    ck_assert(k0.recv);
    ck_assert_ptr_null(k1.chan);
    ck_assert(!k1.recv);
    send_int(ch, 1);
    unit_assert_no_leak();
}
END_TEST

static co_waitgroup wg;

static void wg_waiter(void *arg)
{
    (void)arg;
    co_waitgroup_wait(&wg);
}

START_TEST(waitgroup_wait_names_the_waitgroup)
{
    co_waitgroup_add(&wg, 1);
    intro_g *gp = parked(wg_waiter, NULL);
    ck_assert_int_eq(intro_waitreason(gp), INTRO_WR_WAITGROUP);
    ck_assert_ptr_eq(intro_wait_object(gp), &wg);
    co_waitgroup_done(&wg);
    unit_assert_no_leak();
}
END_TEST

START_TEST(timers_feed_their_channels)
{
    uint32_t before = intro_timer_count();
    co_chan *a = co_after(1000000000);
    ck_assert_uint_eq(intro_timer_count(), before + 1);
    intro_range t = intro_timer(before);
    ck_assert_uint_lt(t.lo, t.hi);
    ck_assert(intro_chan_timer_armed(a));
    ck_assert(!intro_chan_timer_armed(co_chan_make(sizeof(int), 1)));
    ck_assert(!intro_chan_timer_armed(NULL));
    ck_assert_uint_gt(intro_chan_record_size(), 0);
}
END_TEST

static void idle(void *arg) { (void)arg; }

static uint64_t by_id(intro_g *gp) { return (uint64_t)intro_id(gp); }

START_TEST(prio_hook_orders_the_run_queue)
{
    intro_set_prio_hook(by_id);
    int64_t a = co_go(idle, NULL), b = co_go(idle, NULL);
    /* Higher priority first: the later goroutine, whose id is larger. */
    ck_assert_int_eq(intro_id(intro_runq_head()), b);
    ck_assert_uint_eq(intro_prio(find(a)), (uint64_t)a);
    intro_set_prio_hook(NULL);
    unit_assert_no_leak();
    intro_set_prio(intro_current(), 5);
    ck_assert_uint_eq(intro_prio(intro_current()), 5);
}
END_TEST

START_TEST(reseed_restarts_the_seed)
{
    intro_reseed(1234);
    ck_assert_uint_eq(intro_seed(), 1234);
}
END_TEST

Suite *introspect_suite(void)
{
    Suite *s = suite_create("introspect");
    tcase_add_test(unit_tcase(s, "goroutines"), goroutines_from_creation_to_exit);
    tcase_add_test(unit_tcase(s, "channel"), channel_waits_name_the_channel);
    tcase_add_test(unit_tcase(s, "select"), select_waits_name_their_cases);
    tcase_add_test(unit_tcase(s, "waitgroup"), waitgroup_wait_names_the_waitgroup);
    tcase_add_test(unit_tcase(s, "timers"), timers_feed_their_channels);
    tcase_add_test(unit_tcase(s, "prio"), prio_hook_orders_the_run_queue);
    tcase_add_test(unit_tcase(s, "seed"), reseed_restarts_the_seed);
    return s;
}

int main(void)
{
    return unit_run(introspect_suite());
}
