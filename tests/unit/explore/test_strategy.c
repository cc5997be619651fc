/*
 * test_strategy.c - detector/explore/strategy.c against a fake runtime:
 * where each strategy yields, step by step.  The expected steps were
 * computed from the definitions in strategy.c's header (splitmix64 seeded
 * with CO_SEED ^ 0x5eed for entry, CO_SEED ^ 0x6a09e667f3bcc908 for random
 * and pct) independently of the code, and pin the schedules seeds give.
 */
#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "start.h"
#include "suite_main.h"

/* ---- entry ---- */

START_TEST(entry_budgets_follow_co_seed)
{
    start("", "42");
    ck_assert_int_eq(explore_on, 0);
    ck_assert_ptr_null(fake_hook);
    entries(100);
    ck_assert_uint_eq(explore_steps(), 100);
    entries(112);
    static const uint64_t want[] = {48, 95, 109, 120, 148, 212};
    assert_yields(want, 6);
    ck_assert_uint_eq(explore_steps(), 212);
}
END_TEST

START_TEST(entry_unseeded_ignores_the_runtime_seed)
{
    /* Without CO_SEED the runtime's seed is random, and the entry budgets
       were always those of seed 0: the stream 0 ^ 0x5eed. */
    static const uint64_t seed0[] = {53, 107, 159, 173, 227, 238};
    start("", NULL);
    entries(238);
    assert_yields(seed0, 6);
    start("", "");
    entries(238);
    assert_yields(seed0, 6);
    start("", "0");
    entries(238);
    assert_yields(seed0, 6);
    start("", "7");
    entries(238);
    static const uint64_t seed7[] = {51, 86, 98, 119, 168, 215};
    assert_yields(seed7, 6);
}
END_TEST

START_TEST(entry_budget_is_1_to_64)
{
    bool seen[65] = {false};
    start("", "1");
    for (uint64_t s = 1; s <= 40; s++) {
        explore_seed(s);
        fake_nyields = 0;
        entries(6000);
        ck_assert_uint_ge(fake_nyields, 6000 / 64);
        uint64_t prev = 0;
        for (size_t i = 0; i < fake_nyields; i++) {
            uint64_t gap = fake_yields[i] - prev;
            ck_assert_uint_ge(gap, 1);
            ck_assert_uint_le(gap, 64);
            seen[gap] = true;
            prev = fake_yields[i];
        }
    }
    for (unsigned gap = 1; gap <= 64; gap++) ck_assert_msg(seen[gap], "no budget of %u", gap);
}
END_TEST

/* ---- random ---- */

START_TEST(random_yields_where_the_seed_says)
{
    start("strategy=random", "1");
    ck_assert_int_eq(explore_on, 1);
    ck_assert_ptr_null(fake_hook);
    accesses(64);
    static const uint64_t s1[] = {2, 5, 7, 26, 34, 38, 46, 53, 55, 63, 64};
    assert_yields(s1, 11);
    start("strategy=random", "2");
    accesses(200);
    static const uint64_t s2[] = {1, 43};
    assert_yields(s2, 2);
    /* A function entry is a step like an access. */
    start("strategy=random", "1");
    entries(64);
    assert_yields(s1, 11);
}
END_TEST

START_TEST(random_same_seed_same_run)
{
    static uint64_t first[FAKE_MAX_LOG];
    start("strategy=random", "5");
    accesses(3000);
    size_t n = fake_nyields;
    ck_assert_uint_gt(n, 0);
    memcpy(first, fake_yields, n * sizeof first[0]);
    explore_seed(5);
    ck_assert_uint_eq(explore_steps(), 0);
    fake_nyields = 0;
    accesses(3000);
    ck_assert_uint_eq(fake_nyields, n);
    ck_assert_int_eq(memcmp(first, fake_yields, n * sizeof first[0]), 0);
    explore_seed(6);
    fake_nyields = 0;
    accesses(3000);
    ck_assert(fake_nyields != n || memcmp(first, fake_yields, n * sizeof first[0]) != 0);
}
END_TEST

/* p = 1/2^j with j drawn once per seed, uniform in 1..8: the rate of a long
   run gives j back, and over seeds 1..100 each j comes as often as the
   generator says (counted from its definition). */
START_TEST(random_probability_is_one_in_2_to_j)
{
    static const unsigned want[9] = {0, 9, 13, 14, 12, 11, 13, 13, 15};
    unsigned got[9] = {0};
    const size_t N = 1u << 16;
    start("strategy=random", "1");
    for (uint64_t s = 1; s <= 100; s++) {
        explore_seed(s);
        fake_nyields = 0;
        accesses(N);
        unsigned j = 0;
        for (unsigned k = 1; k <= 8; k++)
            if (fake_nyields * 4 > (N >> k) * 3 && fake_nyields * 4 < (N >> k) * 5) j = k;
        ck_assert_msg(j, "seed %llu: %zu yields in %zu steps is no 1/2^j", (unsigned long long)s, fake_nyields, N);
        got[j]++;
    }
    for (unsigned j = 1; j <= 8; j++) ck_assert_uint_eq(got[j], want[j]);
}
END_TEST

START_TEST(sync_step_yields_at_the_next_access)
{
    /* Seed 3 draws j = 1; its first yields are at steps 1, 2, 3, 4, 7. */
    start("strategy=random", "3");
    explore_sync();
    ck_assert_uint_eq(fake_nyields, 0);
    ck_assert_uint_eq(explore_steps(), 1);
    explore_access();
    static const uint64_t want[] = {1, 2};
    assert_yields(want, 2);
    ck_assert_uint_eq(explore_steps(), 2);

    /* A switch in between makes the deferred yield moot. */
    start("strategy=random", "3");
    explore_sync();
    explore_switched();
    explore_access();
    static const uint64_t after_switch[] = {2};
    assert_yields(after_switch, 1);
}
END_TEST

/* ---- pct ---- */

START_TEST(pct_configuration_is_clamped)
{
    fake_reset();
    explore_configure(EXPLORE_PCT, 0, 0);
    ck_assert_uint_eq(explore_st.depth, 1);
    ck_assert_uint_eq(explore_st.ksteps, 10000);
    ck_assert_int_eq(explore_on, 1);
    ck_assert_ptr_nonnull(fake_hook);
    explore_configure(EXPLORE_PCT, 100, 7);
    ck_assert_uint_eq(explore_st.depth, 64);
    ck_assert_uint_eq(explore_st.ksteps, 7);
    explore_configure(EXPLORE_RANDOM, 3, 0);
    ck_assert_ptr_null(fake_hook);
    ck_assert_int_eq(explore_on, 1);
    explore_configure(EXPLORE_ENTRY, 3, 0);
    ck_assert_ptr_null(fake_hook);
    ck_assert_int_eq(explore_on, 0);
    ck_assert_uint_eq(fake_nhooks, 4);
}
END_TEST

/* The low priorities the change points set on the running goroutine, in
   order, with the steps they were set at. */
static size_t change_points(uint64_t *steps, uint64_t *prios, uint64_t below)
{
    size_t n = 0;
    for (size_t i = 0; i < fake_nprio_sets && i < FAKE_MAX_LOG; i++) {
        const fake_prio_set *p = &fake_prio_sets[i];
        if (p->step == 0 || p->prio >= below) continue;
        steps[n] = p->step;
        prios[n++] = p->prio;
    }
    return n;
}

START_TEST(pct_change_points_and_priorities)
{
    /* Seed 5, d = 3, k = 100: change points 59 and 64, main's priority
       38204081101078532 (drawn at its first step), the next two goroutines'
       40098148072292357 and 21612613007835142. */
    start("strategy=pct pct_depth=3 pct_steps=100", "5");
    ck_assert_ptr_nonnull(fake_hook);
    fake_other.prio = 3;   /* above the low priorities 1, 2; below every initial one */
    accesses(100);
    uint64_t steps[8], prios[8];
    ck_assert_uint_eq(change_points(steps, prios, 3), 2);
    ck_assert_uint_eq(steps[0], 59);
    ck_assert_uint_eq(prios[0], 1);
    ck_assert_uint_eq(steps[1], 64);
    ck_assert_uint_eq(prios[1], 2);
    /* Main ran alone until its priority dropped under the other's, then
       yields at every step (the fake never switches). */
    ck_assert_uint_eq(fake_nyields, 42);
    ck_assert_uint_eq(fake_yields[0], 59);
    ck_assert_uint_eq(fake_yields[41], 100);
    ck_assert_uint_eq(fake_prio_sets[1].step, 1);
    ck_assert_ptr_eq(fake_prio_sets[1].gp, &fake_main);
    ck_assert_uint_eq(fake_prio_sets[1].prio, 38204081101078532ull);
    /* The runtime asks the hook for each goroutine that first becomes runnable. */
    intro_g g3 = {.id = 3}, g4 = {.id = 4};
    ck_assert_uint_eq(fake_hook(&g3), 40098148072292357ull);
    ck_assert_uint_eq(fake_hook(&g4), 21612613007835142ull);
}
END_TEST

START_TEST(pct_change_points_are_d_minus_1_in_1_to_k)
{
    start("strategy=pct pct_depth=5 pct_steps=50", "9");
    fake_head = NULL;
    accesses(50);
    uint64_t steps[8], prios[8];
    ck_assert_uint_eq(change_points(steps, prios, 5), 4);
    static const uint64_t want[] = {11, 15, 41, 48};
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(steps[i], want[i]);
        ck_assert_uint_eq(prios[i], i + 1);
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint64_t s = 1; s <= 200; s++) {
        explore_seed(s);
        fake_nprio_sets = 0;
        accesses(60);
        size_t n = change_points(steps, prios, 5);
        ck_assert_uint_eq(n, 4);
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_eq(prios[i], i + 1);
            if (i) ck_assert_uint_ge(steps[i], steps[i - 1]);
            lo = steps[i] < lo ? steps[i] : lo;
            hi = steps[i] > hi ? steps[i] : hi;
        }
    }
    ck_assert_uint_eq(lo, 1);
    ck_assert_uint_eq(hi, 50);
}
END_TEST

START_TEST(pct_depth_1_has_no_change_point)
{
    start("strategy=pct pct_depth=1 pct_steps=20", "4");
    fake_other.prio = 1;
    accesses(1000);
    uint64_t steps[8], prios[8];
    ck_assert_uint_eq(change_points(steps, prios, 2), 0);
    ck_assert_uint_eq(fake_nyields, 0);
}
END_TEST

START_TEST(pct_initial_priorities_are_distinct_and_high)
{
    enum { N = 2000, D = 7 };
    static uint64_t p[N];
    start("strategy=pct pct_depth=7", "11");
    intro_g g = {.id = 2};
    for (unsigned i = 0; i < N; i++) {
        p[i] = fake_hook(&g);
        ck_assert_uint_ge(p[i], D + 1);
        for (unsigned j = 0; j < i; j++) ck_assert(p[i] != p[j]);
    }
}
END_TEST

START_TEST(pct_runs_the_highest_priority)
{
    start("strategy=pct pct_depth=1", "1");
    fake_main.prio = 10;
    fake_other.prio = 11;
    explore_access();
    ck_assert_uint_eq(fake_nyields, 1);
    fake_other.prio = 10;   /* equal: the running one keeps going */
    explore_access();
    fake_other.prio = 9;
    explore_access();
    fake_head = NULL;       /* nothing else runnable */
    explore_access();
    ck_assert_uint_eq(fake_nyields, 1);
    fake_head = &fake_other;
    fake_other.prio = 12;
    explore_sync();         /* decided in the runtime, taken at the next access */
    ck_assert_uint_eq(fake_nyields, 1);
    explore_access();
    ck_assert_uint_eq(fake_nyields, 3);
    ck_assert_uint_eq(fake_yields[1], 5);
    ck_assert_uint_eq(fake_yields[2], 6);
}
END_TEST

int main(void)
{
    TCase *t;
    Suite *s = one_case_suite("explore_strategy", "strategy", &t, 60);
    tcase_add_test(t, entry_budgets_follow_co_seed);
    tcase_add_test(t, entry_unseeded_ignores_the_runtime_seed);
    tcase_add_test(t, entry_budget_is_1_to_64);
    tcase_add_test(t, random_yields_where_the_seed_says);
    tcase_add_test(t, random_same_seed_same_run);
    tcase_add_test(t, random_probability_is_one_in_2_to_j);
    tcase_add_test(t, sync_step_yields_at_the_next_access);
    tcase_add_test(t, pct_configuration_is_clamped);
    tcase_add_test(t, pct_change_points_and_priorities);
    tcase_add_test(t, pct_change_points_are_d_minus_1_in_1_to_k);
    tcase_add_test(t, pct_depth_1_has_no_change_point);
    tcase_add_test(t, pct_initial_priorities_are_distinct_and_high);
    tcase_add_test(t, pct_runs_the_highest_priority);
    return run_suites(s, NULL);
}
