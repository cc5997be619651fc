/*
 * test_partial.c - detector/deadlock/partial.c's verdict: which goroutines
 * are blocked forever (docs/partial-deadlock.md).  An object is alive iff a
 * word pointing into it can be reached from the roots (writable segments
 * but libc's, armed timers, and the stacks and entry arguments of the
 * goroutines that can still run), transitively through heap blocks and
 * stacks; a goroutine waiting on an object that is alive can run again.
 * The fake world (partial_fakes.h) gives each goroutine a stack and each
 * object a heap block; the verdicts are the report's text.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "detector/core/options.h"
#include "detector/deadlock/partial.h"
#include "partial_fakes.h"

static intro_g *main_g;

/* Main runnable with nothing on its stack: the program goes on. */
static void setup(void)
{
    fake_reset();
    options_reset();
    main_g = fake_go(1, INTRO_RUNNABLE);
}

#define HEADER "==================\nWARNING: PARTIAL DEADLOCK\n"
#define FOOTER "==================\n"

/* A goroutine the report names: blocked on obj (and obj2: a select's
   second channel), what saying which; or, obj NULL, blocked forever by
   itself, what saying why. */
typedef struct victim {
    int64_t id;
    const char *reason;   /* its wait reason */
    const void *obj, *obj2;
    const char *what;
} victim;

/* The text of one report naming these goroutines, in order, each with its
   stack and its creation as the fakes make them. */
static void report_text(char *want, size_t cap, const victim *v, size_t n)
{
    int k = snprintf(want, cap, HEADER);
    for (size_t i = 0; i < n; i++) {
        k += snprintf(want + k, cap - (size_t)k, "%sgoroutine %" PRId64 " is blocked forever on %s", i ? "\n" : "",
                      v[i].id, v[i].reason);
        if (v[i].obj) {
            k += snprintf(want + k, cap - (size_t)k, "%s0x%012" PRIxPTR, strcmp(v[i].reason, "select") ? " " : " over ",
                          (uintptr_t)v[i].obj);
            if (v[i].obj2) k += snprintf(want + k, cap - (size_t)k, ", 0x%012" PRIxPTR, (uintptr_t)v[i].obj2);
            k += snprintf(want + k, cap - (size_t)k, ": no running, runnable or timer-waiting goroutine can reach %s\n",
                          v[i].what);
        } else {
            k += snprintf(want + k, cap - (size_t)k, "%s\n", v[i].what);
        }
        unsigned stack_pc = 0x1000 + (unsigned)v[i].id, created_pc = 0x3000 + (unsigned)v[i].id;
        k += snprintf(want + k, cap - (size_t)k,
                      "goroutine %" PRId64 " [%s]:\nf%x()\n\tt.c:%u\ncreated by f%x in goroutine 1\n\tt.c:%u\n", v[i].id,
                      v[i].reason, stack_pc, stack_pc, created_pc, created_pc);
    }
    snprintf(want + k, cap - (size_t)k, FOOTER);
}

/* The report is one block naming exactly these goroutines; one report is
   one finding. */
static void assert_report(const victim *v, size_t n)
{
    char want[4096];
    report_text(want, sizeof want, v, n);
    ck_assert_str_eq(fake_report_text(), want);
    ck_assert_uint_eq(fake_findings(), 1);
}

/* The report names exactly goroutine id, blocked on a channel receive. */
static void assert_reported_recv(int64_t id, const void *chan)
{
    assert_report(&(victim){id, "chan receive", chan, NULL, "the channel"}, 1);
}

static void assert_nothing_reported(void)
{
    ck_assert_str_eq(fake_report_text(), "");
    ck_assert_uint_eq(fake_findings(), 0);
}

/* A goroutine that has run and now waits on obj. */
static intro_g *waiter(int64_t id, enum intro_wait wr, const void *obj)
{
    intro_g *gp = fake_go(id, INTRO_WAITING);
    fake_wait(gp, wr, obj);
    return gp;
}

static intro_g *receiver(int64_t id, const void *chan) { return waiter(id, INTRO_WR_CHAN_RECV, chan); }

/* A fresh world: main runnable, and 2 receiving on a channel c of its own,
   which is returned. */
static void *lone_receiver(void)
{
    setup();
    void *c = fake_block(96);
    receiver(2, c);
    return c;
}

/* ---- reachability ---- */

START_TEST(unreachable_channel_is_reported_once)
{
    void *c = lone_receiver();
    partial_sched_idle();
    assert_reported_recv(2, c);
    partial_sched_idle();
    partial_goroutine_exited();
    assert_reported_recv(2, c);
}
END_TEST

/* A later scan reports the goroutines blocked since, and not again the
   ones reported already.  Scans are paced by their cost (a big one, as
   under a sanitizer's runtime, waits for many checkpoints): checkpoint
   until the scan has run. */
START_TEST(a_later_scan_reports_only_new_ones)
{
    void *c = lone_receiver();
    partial_sched_idle();
    void *d = fake_block(96);
    receiver(3, d);
    char first[1024], want[2048];
    snprintf(first, sizeof first, "%s", fake_report_text());
    for (int i = 0; i < 100000 && strcmp(fake_report_text(), first) == 0; i++) partial_sched_idle();
    report_text(want, sizeof want, &(victim){2, "chan receive", c, NULL, "the channel"}, 1);
    ck_assert_str_eq(first, want);
    size_t k = strlen(want);
    report_text(want + k, sizeof want - k, &(victim){3, "chan receive", d, NULL, "the channel"}, 1);
    ck_assert_str_eq(fake_report_text(), want);
    ck_assert_uint_eq(fake_findings(), 2);
}
END_TEST

/* One word placed somewhere around a lone receiver on c, then one
   checkpoint: whether 2 is reported says whether the word reached c. */
typedef struct placement {
    const char *what;
    void (*place)(char *c);
    bool reported;
} placement;

static void on_runnable_stack(char *c) { fake_hold(main_g, c); }
static void interior(char *c) { fake_hold(main_g, c + 40); }
/* One past the end, as an array's end pointer. */
static void end_pointer(char *c) { fake_hold(main_g, c + 96); }
static void below_stack_pointer(char *c) { fake_hold_below_sp(main_g, c); }
/* A goroutine that never ran holds nothing but its argument. */
static void entry_argument(char *c) { fake_never_ran(fake_go(3, INTRO_RUNNABLE), c); }

static void through_two_boxes(char *c)
{
    void **box = fake_block(32), **outer = fake_block(16);
    box[2] = c;
    outer[1] = box;
    fake_hold(main_g, outer);
}

static void in_a_box_nobody_holds(char *c)
{
    void **box = fake_block(32);
    box[2] = c;
}

static void *volatile global_root;
static void in_a_global(char *c) { global_root = c; }

/* Main's own record lies in the runtime's data segment and holds runtime
   state, not the program's names: the scan skips it. */
static volatile struct {
    void *words[4];
} main_record;

static void in_main_record(char *c)
{
    main_record.words[1] = c;
    main_g->record = (intro_range){(uintptr_t)&main_record, (uintptr_t)(&main_record + 1)};
}

/* The documented limit: a pointer kept disguised is no pointer to the
   scan, and 2 is reported although main could undo the disguise. */
static void disguised(char *c) { fake_hold(main_g, (void *)((uintptr_t)c ^ UINTPTR_MAX)); }

static const placement placements[] = {
    {"a runnable goroutine's stack", on_runnable_stack, false},
    {"an interior pointer", interior, false},
    {"a pointer one past the end", end_pointer, false},
    {"below the saved stack pointer", below_stack_pointer, true},
    {"the entry argument of a goroutine not yet run", entry_argument, false},
    {"a box in a box on a runnable stack", through_two_boxes, false},
    {"a box nobody holds", in_a_box_nobody_holds, true},
    {"a global", in_a_global, false},
    {"main's record", in_main_record, true},
    {"disguised by XOR", disguised, true},
};

START_TEST(word_placed)
{
    const placement *p = &placements[_i];
    char *c = lone_receiver();
    p->place(c);
    partial_sched_idle();
    if (p->reported)
        assert_reported_recv(2, c);
    else
        ck_assert_msg(fake_report_text()[0] == '\0' && fake_findings() == 0, "reported with the word in %s", p->what);
}
END_TEST

/* An object outside every heap block and stack (here a global) cannot be
   placed: it counts as alive. */
static char static_chan[96];

START_TEST(an_object_the_scan_cannot_place_is_alive)
{
    setup();
    receiver(2, static_chan);
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

START_TEST(exiting_goroutine_holds_nothing)
{
    void *c = lone_receiver();
    intro_g *g5 = fake_go(5, INTRO_RUNNING);
    fake_hold(g5, c);
    fake_cur = g5;
    partial_goroutine_exited();
    assert_reported_recv(2, c);
}
END_TEST

/* ---- the fixpoint ---- */

/* 2 waits on c1 and names c2; 3 waits on c2 and names c1. */
static void waiting_on_each_other(void **c1, void **c2)
{
    *c1 = fake_block(96);
    *c2 = fake_block(96);
    fake_hold(receiver(2, *c1), *c2);
    intro_g *g3 = waiter(3, INTRO_WR_CHAN_SEND, *c2);
    fake_hold(g3, *c1);
}

START_TEST(two_blocked_on_each_other)
{
    setup();
    void *c1, *c2;
    waiting_on_each_other(&c1, &c2);
    partial_sched_idle();
    const victim v[] = {{2, "chan receive", c1, NULL, "the channel"}, {3, "chan send", c2, NULL, "the channel"}};
    assert_report(v, 2);
}
END_TEST

START_TEST(liveness_spreads_through_waiters)
{
    setup();
    void *c1, *c2;
    waiting_on_each_other(&c1, &c2);
    fake_hold(main_g, c1);
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

/* An object on a goroutine's stack is alive when a reached word points
   into that stack; its goroutine is not woken by that. */
START_TEST(object_on_a_stack)
{
    setup();
    void *d = fake_block(96);
    intro_g *g3 = receiver(3, d);
    void *on_stack = fake_stack_slot(g3, 0);
    receiver(2, on_stack);
    fake_hold(main_g, on_stack);
    partial_sched_idle();
    assert_reported_recv(3, d);
}
END_TEST

/* Below its saved stack pointer a stack is dead, and an object there lies
   on no live stack, even right above another goroutine's: it cannot be
   placed, so it counts as alive. */
START_TEST(object_in_a_dead_stack_area)
{
    setup();
    void *d = fake_block(96);
    intro_g *g3 = receiver(3, d);
    intro_g *g4 = fake_go(4, INTRO_RUNNABLE);
    void *dead = fake_dead_slot(g4, FAKE_SP - 1);
    ck_assert_ptr_eq(dead, (char *)fake_stack_slot(g3, 0) + sizeof(uintptr_t));
    receiver(2, dead);
    partial_sched_idle();
    assert_reported_recv(3, d);
}
END_TEST

START_TEST(lock_waiters_are_live)
{
    /* 2 waits for the lock m held by 3, which is blocked on c for good:
       3 is reported; 2 is the lock checker's business and, waiting for a
       lock, can still run as far as this check knows. */
    setup();
    void *c = fake_block(96), *m = fake_block(8);
    waiter(2, INTRO_WR_MUTEX, m);
    intro_g *g3 = receiver(3, c);
    fake_hold(g3, m);
    partial_sched_idle();
    assert_reported_recv(3, c);
}
END_TEST

START_TEST(lock_waiter_stack_is_a_root)
{
    setup();
    void *c = fake_block(96), *m = fake_block(8);
    intro_g *g2 = waiter(2, INTRO_WR_RWMUTEX_RLOCK, m);
    fake_hold(g2, c);
    receiver(3, c);
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

/* ---- timers and progress ---- */

START_TEST(a_timer_reaches_its_channel)
{
    /* Nothing runnable: 2 waits on the channel t a timer feeds (so the
       program goes on) and names the WaitGroup main waits on; 3 waits on
       c nobody names. */
    setup();
    void *t = fake_block(96), *c = fake_block(96), *wg = fake_block(16);
    fake_wait(main_g, INTRO_WR_WAITGROUP, wg);
    void **timer = fake_block(48);
    timer[3] = t;
    fake_timer(timer, 48, t);
    fake_hold(receiver(2, t), wg);
    receiver(3, c);
    partial_sched_idle();
    assert_reported_recv(3, c);
}
END_TEST

START_TEST(sleeping_goroutine_is_live)
{
    setup();
    fake_wait(main_g, INTRO_WR_SLEEP, NULL);
    void *c = fake_block(96);
    fake_hold(main_g, c);
    receiver(2, c);
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

START_TEST(a_sleeper_keeps_the_program_going)
{
    /* Nothing runnable, main asleep: it will wake, so 2 can be decided. */
    void *c = lone_receiver();
    fake_wait(main_g, INTRO_WR_SLEEP, NULL);
    partial_sched_idle();
    assert_reported_recv(2, c);
}
END_TEST

START_TEST(global_deadlock_is_left_to_the_runtime)
{
    /* Nobody can run again without help, not even with a timer: the
       runtime's "all goroutines are asleep" comes next. */
    setup();
    void *wg = fake_block(16), *c = fake_block(96);
    fake_wait(main_g, INTRO_WR_WAITGROUP, wg);
    receiver(2, c);
    partial_sched_idle();
    assert_nothing_reported();
    /* A timer that feeds no waiter changes nothing. */
    void *tc = fake_block(96);
    fake_timer(fake_block(48), 48, tc);
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

/* ---- what waits count ---- */

START_TEST(waitgroup_and_cond)
{
    setup();
    void *wg = fake_block(16), *cv = fake_block(48);
    waiter(2, INTRO_WR_WAITGROUP, wg);
    waiter(3, INTRO_WR_COND, cv);
    partial_sched_idle();
    const victim v[] = {{2, "sync.WaitGroup.Wait", wg, NULL, "the WaitGroup"}, {3, "sync.Cond.Wait", cv, NULL, "the Cond"}};
    assert_report(v, 2);
}
END_TEST

/* 2 in a select: receive on c1, a nil case, send on c2. */
static void select_over(void **c1, void **c2)
{
    *c1 = fake_block(96);
    *c2 = fake_block(96);
    intro_g *g2 = fake_go(2, INTRO_WAITING);
    fake_select_case(g2, *c1, true);
    fake_select_case(g2, NULL, true);
    fake_select_case(g2, *c2, false);
}

START_TEST(select_is_live_if_any_channel_is)
{
    setup();
    void *c1, *c2;
    select_over(&c1, &c2);
    fake_hold(main_g, c2);
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

START_TEST(select_over_unreached_channels)
{
    setup();
    void *c1, *c2;
    select_over(&c1, &c2);
    partial_sched_idle();
    assert_report(&(victim){2, "select", c1, c2, "any of its channels"}, 1);
}
END_TEST

START_TEST(blocked_by_definition)
{
    /* Whatever can be reached: a nil channel is never ready, nor is a
       select of nil channels or of none.  Main in `select {}` is parked
       on purpose. */
    setup();
    fake_wait(main_g, INTRO_WR_SELECT_NO_CASES, NULL);
    fake_go(9, INTRO_RUNNABLE);
    waiter(2, INTRO_WR_CHAN_RECV_NIL, NULL);
    intro_g *g3 = fake_go(3, INTRO_WAITING);
    fake_select_case(g3, NULL, true);
    fake_select_case(g3, NULL, false);
    waiter(4, INTRO_WR_SELECT_NO_CASES, NULL);
    waiter(5, INTRO_WR_CHAN_SEND_NIL, NULL);
    partial_sched_idle();
    const victim v[] = {
        {2, "chan receive (nil chan)", NULL, NULL, ": a nil channel is never ready"},
        {3, "select", NULL, NULL, ": every case's channel is nil"},
        {4, "select (no cases)", NULL, NULL, ": a select with no cases never proceeds"},
        {5, "chan send (nil chan)", NULL, NULL, ": a nil channel is never ready"},
    };
    assert_report(v, 4);
}
END_TEST

START_TEST(unknown_stack_decides_nothing)
{
    setup();
    waiter(2, INTRO_WR_CHAN_RECV_NIL, NULL);
    fake_unknown_stack(fake_go(3, INTRO_RUNNABLE));
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

/* ---- the report ---- */

START_TEST(json_lines)
{
    setup();
    corace_opts.format = CORACE_FORMAT_JSON;
    void *c = fake_block(96);
    receiver(2, c);
    waiter(3, INTRO_WR_CHAN_SEND_NIL, NULL);
    partial_sched_idle();
    char want[2048];
#define FRAME(pc) "[{\"function\":\"f" #pc "\",\"file\":\"t.c\",\"line\":%d,\"pc\":\"0x" #pc "\",\"inlined\":false}]"
    snprintf(want, sizeof want,
             "{\"kind\":\"partial-deadlock\",\"goroutine\":2,\"victim\":0,\"victims\":2,\"waitreason\":\"chan receive\","
             "\"objects\":[\"0x%012" PRIxPTR "\"],\"stack\":" FRAME(1002) ",\"created\":" FRAME(3002) ",\"created_by\":1}\n"
             "{\"kind\":\"partial-deadlock\",\"goroutine\":3,\"victim\":1,\"victims\":2,\"waitreason\":\"chan send (nil chan)\","
             "\"objects\":[],\"stack\":" FRAME(1003) ",\"created\":" FRAME(3003) ",\"created_by\":1}\n",
             (uintptr_t)c, 0x1002, 0x3002, 0x1003, 0x3003);
#undef FRAME
    ck_assert_str_eq(fake_report_text(), want);
    ck_assert_uint_eq(fake_findings(), 1);
}
END_TEST

START_TEST(suppressed_goroutines_leave_the_report)
{
    setup();
    void *c = fake_block(96), *d = fake_block(96);
    receiver(2, c);
    receiver(3, d);
    fake_suppressed_pc = 0x1002;
    partial_sched_idle();
    assert_reported_recv(3, d);
}
END_TEST

START_TEST(all_suppressed_no_report)
{
    lone_receiver();
    fake_suppressed_pc = 0x1002;
    partial_sched_idle();
    assert_nothing_reported();
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        unreachable_channel_is_reported_once,
        a_later_scan_reports_only_new_ones,
        an_object_the_scan_cannot_place_is_alive,
        exiting_goroutine_holds_nothing,
        two_blocked_on_each_other,
        liveness_spreads_through_waiters,
        object_on_a_stack,
        object_in_a_dead_stack_area,
        lock_waiters_are_live,
        lock_waiter_stack_is_a_root,
        a_timer_reaches_its_channel,
        sleeping_goroutine_is_live,
        a_sleeper_keeps_the_program_going,
        global_deadlock_is_left_to_the_runtime,
        waitgroup_and_cond,
        select_is_live_if_any_channel_is,
        select_over_unreached_channels,
        blocked_by_definition,
        unknown_stack_decides_nothing,
        json_lines,
        suppressed_goroutines_leave_the_report,
        all_suppressed_no_report,
    };
    Suite *s = suite_create("partial");
    TCase *t = tcase_create("partial");
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) tcase_add_test(t, tests[i]);
    tcase_add_loop_test(t, word_placed, 0, (int)(sizeof placements / sizeof placements[0]));
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}
