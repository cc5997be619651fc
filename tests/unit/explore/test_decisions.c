/*
 * test_decisions.c - detector/explore/decisions.c: a recorded trace holds
 * exactly the run's decisions and reads back as written; each malformed
 * file is refused with its one line and status 1; a replay yields where the
 * file says and stops the run where it leaves the file.
 */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "start.h"
#include "suite_main.h"
#include "trace_file.h"

#define TRACE "test.trace"

static void assert_same_bytes(const char *path, const trace *t)
{
    static char got[1 << 16];
    bytes want = {0};
    bytes_trace(&want, t);
    ck_assert_int_eq(file_slurp(path, got, sizeof got), (long)want.n);
    ck_assert_int_eq(memcmp(got, want.b, want.n), 0);
}

/* Loading t's file gives back every field and decision. */
static void assert_loads_as(const trace *t)
{
    decisions_load(TRACE);
    ck_assert(decisions_replaying());
    ck_assert_uint_eq(explore_st.strategy, t->strategy);
    ck_assert_uint_eq(explore_st.seed, t->seed);
    ck_assert_uint_eq(explore_st.depth, t->depth);
    ck_assert_uint_eq(explore_st.ksteps, t->ksteps);
    ck_assert_uint_eq(decisions_nsteps(), t->nsteps);
    uint64_t v;
    for (uint64_t i = 0; i < t->nchange; i++) {
        ck_assert(decisions_changepoint(i, &v));
        ck_assert_uint_eq(v, t->change[i]);
    }
    ck_assert(!decisions_changepoint(t->nchange, &v));
    for (uint64_t i = 0; i < t->nprio; i++) {
        ck_assert(decisions_prio(i, &v));
        ck_assert_uint_eq(v, t->prio[i]);
    }
    ck_assert(!decisions_prio(t->nprio, &v));
    for (uint64_t i = 0; i < t->nyield; i++) {
        ck_assert_uint_eq(decisions_next_yield(), t->yield[i]);
        decisions_take_yield();
    }
    ck_assert_uint_eq(decisions_next_yield(), UINT64_MAX);
}

/* ---- recording ---- */

/* Ends the run (the trace is written) and reads the trace back. */
static trace finished(void)
{
    explore_finish();
    trace t;
    ck_assert(trace_read(TRACE, &t));
    return t;
}

/* The trace holds the yields the run took, is byte for byte the format's
   encoding of its fields, and loads as them. */
static void assert_round_trips(const trace *t)
{
    assert_yields(t->yield, t->nyield);
    assert_same_bytes(TRACE, t);
    assert_loads_as(t);
    unlink(TRACE);
}

START_TEST(random_run_round_trips)
{
    start("strategy=random record=" TRACE, "3");
    ck_assert(decisions_recording());
    accesses(40);
    trace t = finished();
    ck_assert_uint_eq(t.version, 1);
    ck_assert_uint_ne(t.identity, 0);
    ck_assert_uint_eq(t.strategy, EXPLORE_RANDOM);
    ck_assert_uint_eq(t.seed, 3);
    ck_assert_uint_eq(t.depth, 3);
    ck_assert_uint_eq(t.ksteps, 10000);
    ck_assert_uint_eq(t.nsteps, 40);
    ck_assert_uint_eq(t.nchange, 0);
    ck_assert_uint_eq(t.nprio, 0);
    ck_assert_uint_gt(t.nyield, 10);
    assert_round_trips(&t);
}
END_TEST

START_TEST(entry_run_round_trips)
{
    start("record=" TRACE, "42");
    entries(150);
    trace t = finished();
    ck_assert_uint_eq(t.strategy, EXPLORE_ENTRY);
    ck_assert_uint_eq(t.seed, 42);
    ck_assert_uint_eq(t.nsteps, 150);
    static const uint64_t want[] = {48, 95, 109, 120, 148};
    ck_assert_uint_eq(t.nyield, 5);
    for (unsigned i = 0; i < 5; i++) ck_assert_uint_eq(t.yield[i], want[i]);
    assert_round_trips(&t);
}
END_TEST

START_TEST(pct_run_round_trips)
{
    start("strategy=pct pct_depth=4 pct_steps=30 record=" TRACE, "5");
    fake_other.prio = 4;
    intro_g g3 = {.id = 3}, g4 = {.id = 4};
    accesses(10);
    uint64_t p3 = fake_hook(&g3), p4 = fake_hook(&g4);
    accesses(20);
    trace t = finished();
    ck_assert_uint_eq(t.strategy, EXPLORE_PCT);
    ck_assert_uint_eq(t.depth, 4);
    ck_assert_uint_eq(t.ksteps, 30);
    ck_assert_uint_eq(t.nsteps, 30);
    /* The change points as they were taken (the low priorities set). */
    ck_assert_uint_eq(t.nchange, 3);
    size_t k = 0;
    for (size_t i = 0; i < fake_nprio_sets; i++)
        if (fake_prio_sets[i].step && fake_prio_sets[i].prio < 4) {
            ck_assert_uint_lt(k, 3);
            ck_assert_uint_eq(t.change[k], fake_prio_sets[i].step);
            ck_assert_uint_eq(fake_prio_sets[i].prio, ++k);
        }
    ck_assert_uint_eq(k, 3);
    /* Main's priority first (its first step), then the hook's in order. */
    ck_assert_uint_eq(t.nprio, 3);
    ck_assert_uint_eq(t.prio[0], fake_prio_sets[1].prio);
    ck_assert_uint_eq(t.prio[1], p3);
    ck_assert_uint_eq(t.prio[2], p4);
    assert_round_trips(&t);
    /* Priorities are handed out in order only. */
    uint64_t v;
    ck_assert(!decisions_prio(0, &v));
}
END_TEST

START_TEST(finish_writes_once)
{
    start("strategy=random record=" TRACE, "3");
    accesses(5);
    explore_finish();
    ck_assert_int_eq(unlink(TRACE), 0);
    accesses(5);
    explore_finish();
    ck_assert_int_eq(access(TRACE, F_OK), -1);
}
END_TEST

static void record_into_missing_dir(void)
{
    start("strategy=random record=no/such/dir/t.trace", "3");
    accesses(5);
    explore_finish();
}

START_TEST(unwritable_record_is_reported)
{
    start("", "1");
    ck_assert(!decisions_write("no/such/dir/t.trace", 0));
    ck_assert_int_eq(errno, ENOENT);
    child_result r = in_child(record_into_missing_dir);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "corace: record no/such/dir/t.trace: No such file or directory\n");
}
END_TEST

START_TEST(no_trace_without_record)
{
    start("strategy=random", "3");
    ck_assert(!decisions_recording());
    ck_assert(!decisions_replaying());
    accesses(5);
    explore_finish();
    ck_assert_int_eq(access(TRACE, F_OK), -1);
}
END_TEST

/* ---- refusing files ---- */

/* pct with d = 2, one change point at step 3 and main's priority 100
   against the other goroutine's 50: main must yield from step 3 on. */
static trace pct_trace(void)
{
    trace t = trace_of(EXPLORE_PCT, 9, 6);
    t.depth = 2;
    t.ksteps = 10;
    t.nchange = 1;
    t.change[0] = 3;
    t.nprio = 1;
    t.prio[0] = 100;
    t.nyield = 4;
    for (unsigned i = 0; i < 4; i++) t.yield[i] = 3 + i;
    return t;
}


static void load_trace(void) { decisions_load(TRACE); }

static void assert_refused(const bytes *b, const char *why)
{
    bytes_save(TRACE, b);
    child_result r = in_child(load_trace);
    unlink(TRACE);
    char want[512];
    snprintf(want, sizeof want, "corace: replay " TRACE ": %s\n", why);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, want);
}

static void assert_trace_refused(const trace *t, const char *why)
{
    bytes b = {0};
    bytes_trace(&b, t);
    assert_refused(&b, why);
}

START_TEST(refuses_what_is_no_trace)
{
    bytes b = {0};
    assert_refused(&b, "not a corace trace");
    bytes_raw(&b, "CORACET", 7);
    assert_refused(&b, "not a corace trace");
    b.n = 0;
    bytes_raw(&b, "CORACETX", 8);
    bytes_num(&b, 1);
    assert_refused(&b, "not a corace trace");
    b.n = 0;
    bytes_raw(&b, "CORACETR", 8);
    assert_refused(&b, "not a corace trace (truncated)");

    child_result r = in_child(load_trace);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "corace: replay " TRACE ": No such file or directory\n");
}
END_TEST

START_TEST(refuses_bad_header_fields)
{
    static const struct {
        size_t field;
        uint64_t value;
        const char *why;
    } bad[] = {
        {offsetof(trace, version), 2, "trace version 2, this program reads version 1"},
        {offsetof(trace, strategy), 3, "not a corace trace (strategy 3)"},
        {offsetof(trace, depth), 0, "not a corace trace (depth 0)"},
        {offsetof(trace, depth), 65, "not a corace trace (depth 65)"},
        {offsetof(trace, nchange), 65, "not a corace trace (65 change points)"},
    };
    const trace good = trace_of(EXPLORE_PCT, 1, 10);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        trace t = good;
        memcpy((char *)&t + bad[i].field, &bad[i].value, sizeof bad[i].value);
        assert_trace_refused(&t, bad[i].why);
    }
    trace t = good;
    t.identity ^= 1;
    assert_trace_refused(&t, "recorded from a different program (build-id or executable differs)");
}
END_TEST

START_TEST(refuses_bad_yields)
{
    trace t = trace_of(EXPLORE_RANDOM, 1, 10);
    t.nyield = 2;
    t.yield[0] = 4;
    t.yield[1] = 4;   /* a gap of 0 */
    assert_trace_refused(&t, "not a corace trace (yield past the end)");
    t.yield[1] = 11;  /* past nsteps */
    assert_trace_refused(&t, "not a corace trace (yield past the end)");
    t.yield[1] = 10;  /* the last step is a step */
    bytes b = {0};
    bytes_trace(&b, &t);
    bytes_raw(&b, "", 1);
    assert_refused(&b, "not a corace trace (trailing bytes)");
}
END_TEST

START_TEST(refuses_cut_and_overlong_numbers)
{
    trace t = pct_trace();
    bytes b = {0};
    bytes_trace(&b, &t);
    /* Cut anywhere after the magic: too short for what the numbers say. */
    for (size_t cut = 9; cut < b.n; cut++) {
        bytes c = {0};
        bytes_raw(&c, b.b, cut);
        assert_refused(&c, "not a corace trace (truncated)");
    }
    /* Eleven bytes with the continuation bit: more than 64 bits. */
    b.n = 0;
    bytes_raw(&b, "CORACETR", 8);
    bytes_raw(&b, "\x81\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11);
    assert_refused(&b, "not a corace trace (bad number)");
}
END_TEST

/* A 10-byte number whose last byte carries bits beyond the 64th: the
   format's numbers are 64-bit, so this is no number of it either. */
START_TEST(refuses_number_over_64_bits)
{
    trace t = trace_of(EXPLORE_RANDOM, 1, 10);
    bytes b = {0};
    bytes_raw(&b, "CORACETR", 8);
    bytes_num(&b, 1);
    bytes_num(&b, t.identity);
    bytes_num(&b, EXPLORE_RANDOM);
    /* The seed: 63 one bits, then 0x7f at bit 63. */
    bytes_raw(&b, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10);
    const uint64_t rest[] = {3, 10000, 10, 0, 0, 0};
    for (unsigned i = 0; i < 6; i++) bytes_num(&b, rest[i]);
    assert_refused(&b, "not a corace trace (bad number)");
}
END_TEST

/* ---- replaying ---- */

static void save_trace(const trace *t)
{
    bytes b = {0};
    bytes_trace(&b, t);
    bytes_save(TRACE, &b);
}

/* A trace of this program that yields at the n steps of yields. */
static trace trace_yielding(uint64_t strategy, uint64_t seed, uint64_t nsteps, const uint64_t *yields, size_t n)
{
    trace t = trace_of(strategy, seed, nsteps);
    t.nyield = n;
    memcpy(t.yield, yields, n * sizeof yields[0]);
    return t;
}

static unsigned replay_steps;
static void replay_accesses(void)
{
    start("replay=" TRACE, NULL);
    accesses(replay_steps);
    explore_finish();
}
static void replay_entries(void)
{
    start("replay=" TRACE, NULL);
    entries(replay_steps);
    explore_finish();
}

/* The replay ends with status 0 and nothing on stderr. */
static void assert_follows(void (*fn)(void), unsigned steps)
{
    replay_steps = steps;
    child_result r = in_child(fn);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
}

static void assert_diverges(void (*fn)(void), unsigned steps, const char *why)
{
    replay_steps = steps;
    child_result r = in_child(fn);
    char want[512];
    snprintf(want, sizeof want, "corace: replay " TRACE ": %s\n", why);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, want);
}

START_TEST(replay_random_yields_where_the_file_says)
{
    static const uint64_t want[] = {3, 4, 10};
    trace t = trace_yielding(EXPLORE_RANDOM, 77, 12, want, 3);
    save_trace(&t);
    start("replay=" TRACE, NULL);
    /* The trace's seed becomes the run's, the runtime's included. */
    ck_assert_uint_eq(explore_st.strategy, EXPLORE_RANDOM);
    ck_assert_uint_eq(explore_st.seed, 77);
    ck_assert_uint_eq(fake_nreseeds, 1);
    ck_assert_uint_eq(fake_reseeded, 77);
    ck_assert_str_eq(getenv("CO_SEED"), "77");
    ck_assert_int_eq(explore_on, 1);
    accesses(12);
    assert_yields(want, 3);
    explore_finish();
    assert_follows(replay_accesses, 12);
    unlink(TRACE);
}
END_TEST

START_TEST(replay_random_stops_where_the_run_leaves_the_file)
{
    trace t = trace_of(EXPLORE_RANDOM, 77, 12);
    save_trace(&t);
    assert_diverges(replay_accesses, 13, "the run goes past the 12 steps recorded");
    assert_diverges(replay_accesses, 11, "the run ended after 11 steps; the trace has 12");
    unlink(TRACE);
}
END_TEST

START_TEST(replay_entry_follows_the_file)
{
    static const uint64_t want[] = {5, 9, 20};
    trace t = trace_yielding(EXPLORE_ENTRY, 8, 25, want, 3);
    save_trace(&t);
    start("replay=" TRACE, NULL);
    ck_assert_int_eq(explore_on, 0);
    entries(25);
    assert_yields(want, 3);
    ck_assert_uint_eq(explore_steps(), 25);
    assert_diverges(replay_entries, 26, "the run goes past the 25 steps recorded");
    assert_diverges(replay_entries, 19, "the run ended after 19 steps; the trace has 25");
    unlink(TRACE);
}
END_TEST

static void replay_pct(void)
{
    start("replay=" TRACE, NULL);
    fake_other.prio = 50;
    accesses(replay_steps);
    explore_finish();
}

/* The children load the trace afresh; the run in this process comes last,
   as a trace is loaded once per process (the priorities' cursor is not
   rewound by a second load). */
START_TEST(replay_pct_takes_priorities_and_checks_yields)
{
    trace t = pct_trace();
    t.nyield = 3;
    t.yield[1] = 5;
    t.yield[2] = 6;
    save_trace(&t);
    assert_diverges(replay_pct, 6, "at step 4 the trace does not switch goroutines and this run must");
    t = pct_trace();
    t.yield[0] = 2;
    save_trace(&t);
    assert_diverges(replay_pct, 6, "at step 2 the trace switches goroutines and this run cannot");
    t = pct_trace();
    t.nprio = 0;
    save_trace(&t);
    assert_diverges(replay_pct, 6, "goroutine 1 needs a priority the trace does not have");

    t = pct_trace();
    save_trace(&t);
    assert_follows(replay_pct, 6);
    start("replay=" TRACE, NULL);
    fake_other.prio = 50;
    ck_assert_uint_eq(explore_st.depth, 2);
    ck_assert_uint_eq(explore_st.ksteps, 10);
    accesses(6);
    ck_assert_uint_eq(fake_main.prio, 1);
    ck_assert_uint_eq(fake_prio_sets[1].prio, 100);
    ck_assert_uint_eq(fake_nyields, 4);
    for (unsigned i = 0; i < 4; i++) ck_assert_uint_eq(fake_yields[i], 3 + i);
    explore_finish();
    unlink(TRACE);
}
END_TEST

int main(void)
{
    TCase *t;
    Suite *s = one_case_suite("explore_decisions", "decisions", &t, 60);
    tcase_add_test(t, random_run_round_trips);
    tcase_add_test(t, entry_run_round_trips);
    tcase_add_test(t, pct_run_round_trips);
    tcase_add_test(t, finish_writes_once);
    tcase_add_test(t, unwritable_record_is_reported);
    tcase_add_test(t, no_trace_without_record);
    tcase_add_test(t, refuses_what_is_no_trace);
    tcase_add_test(t, refuses_bad_header_fields);
    tcase_add_test(t, refuses_bad_yields);
    tcase_add_test(t, refuses_cut_and_overlong_numbers);
    tcase_add_test(t, replay_random_yields_where_the_file_says);
    tcase_add_test(t, replay_random_stops_where_the_run_leaves_the_file);
    tcase_add_test(t, replay_entry_follows_the_file);
    tcase_add_test(t, replay_pct_takes_priorities_and_checks_yields);
    tcase_add_test(t, refuses_number_over_64_bits);
    return run_suites(s, NULL);
}
