/*
 * test_race.c - the detector core (detector/race: vclock, shadow, race.c)
 * driven directly: fake goroutines made with race_go_create and scheduled
 * by race_switch, accesses with made-up pcs, verdicts read from the fake
 * report sink (fakes.c).  Each test runs in its own forked process (Check's
 * default), so every test starts with a fresh detector.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector/race/race.h"
#include "detector/race/shadow.h"
#include "detector/race/vclock.h"
#include "fakes.h"

/* Goroutine ids: main is 1, then go(n) makes n. */
static race_g *go(int64_t goid, uintptr_t created_pc)
{
    return race_go_create(race_current(), goid, created_pc);
}

/* Granule-aligned storage for the tests' variables. */
static _Alignas(64) unsigned char mem[4096];

#define ASSERT_REPORTS(n) ck_assert_uint_eq(fake_nreports, (n))

/* --- verdicts between unsynchronized goroutines ------------------------- */

START_TEST(write_write_race)
{
    race_g *m = race_main();
    race_g *g2 = go(2, 0x5001), *g3 = go(3, 0x5002);
    uint64_t *x = (uint64_t *)mem;

    race_switch(g2);
    race_func_entry(0x7001);
    race_write(x, 8, 0x100);
    race_func_exit();
    race_switch(g3);
    race_func_entry(0x7002);
    race_write(x, 8, 0x200);
    race_func_exit();
    race_switch(m);

    ASSERT_REPORTS(1);
    const report_race *r = &fake_reports[0];
    ck_assert_uint_eq(r->addr, (uintptr_t)x);
    ck_assert_uint_eq(r->size, 8);
    ck_assert_int_eq(r->cur.goid, 3);
    ck_assert(r->cur.write && !r->cur.atomic && !r->cur.finished);
    ck_assert_uint_eq(r->cur.pc, 0x200);
    ck_assert_uint_eq(r->cur.frame, depot_push(0, 0x7002));
    ck_assert_uint_eq(r->cur.created_pc, 0x5002);
    ck_assert_int_eq(r->prev.goid, 2);
    ck_assert(r->prev.write && !r->prev.atomic);
    ck_assert_uint_eq(r->prev.pc, 0x100);
    ck_assert_uint_eq(r->prev.frame, depot_push(0, 0x7001));
    ck_assert_uint_eq(r->prev.created_pc, 0x5001);
}
END_TEST

START_TEST(read_write_races)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    uint32_t *x = (uint32_t *)mem, *y = (uint32_t *)(mem + 64);

    race_switch(g2);
    race_read(x, 4, 0x110);          /* read, then a concurrent write */
    race_write(y, 4, 0x120);         /* write, then a concurrent read */
    race_switch(g3);
    race_write(x, 4, 0x210);
    race_read(y, 4, 0x220);
    race_read(y, 4, 0x221);          /* read-read with g2's read: nothing */

    ASSERT_REPORTS(2);
    ck_assert(fake_reports[0].cur.write && !fake_reports[0].prev.write);
    ck_assert_uint_eq(fake_reports[0].prev.pc, 0x110);
    ck_assert_uint_eq(fake_reports[0].addr, (uintptr_t)x);
    ck_assert_uint_eq(fake_reports[0].size, 4);
    ck_assert(!fake_reports[1].cur.write && fake_reports[1].prev.write);
    ck_assert_uint_eq(fake_reports[1].prev.pc, 0x120);
    ck_assert_uint_eq(fake_reports[1].cur.pc, 0x220);
}
END_TEST

START_TEST(finished_goroutine_reported_as_finished)
{
    race_g *m = race_main();
    race_g *g2 = go(2, 1);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_go_exit(g2);
    race_switch(m);
    race_write(mem, 8, 0x200);     /* main never joined g2 */
    ASSERT_REPORTS(1);
    ck_assert(fake_reports[0].prev.finished);
    ck_assert_int_eq(fake_reports[0].prev.goid, 2);
    ck_assert_int_eq(fake_reports[0].cur.goid, 1);
    ck_assert_uint_eq(fake_reports[0].cur.created_pc, 0);
}
END_TEST

/* The core hands every race it finds to the report, repeats of a pair of
   pcs included: the report alone deduplicates, so that it can count the
   repeats it does not print (unit_report's dedup tests). */
START_TEST(every_race_goes_to_the_report)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    for (int i = 0; i < 10; i++) {
        race_switch(g2);
        race_write(mem + 8 * i, 8, 0x100);
        race_switch(g3);
        race_write(mem + 8 * i, 8, 0x200);
    }
    ASSERT_REPORTS(10);
    for (int i = 0; i < 10; i++) {
        ck_assert_uint_eq(fake_reports[i].addr, (uintptr_t)(mem + 8 * i));
        ck_assert_uint_eq(fake_reports[i].cur.pc, 0x200);
        ck_assert_uint_eq(fake_reports[i].prev.pc, 0x100);
    }
}
END_TEST

/* --- edges that order --------------------------------------------------- */

START_TEST(release_acquire_orders)
{
    int sync;
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_release(&sync);
    race_switch(g3);
    race_acquire(&sync);
    race_write(mem, 8, 0x200);
    race_read(mem, 8, 0x201);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(acquire_missing_races)
{
    int sync, other;
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_release(&sync);
    race_switch(g3);
    race_acquire(&other);          /* the wrong object */
    race_write(mem, 8, 0x200);
    ASSERT_REPORTS(1);
}
END_TEST

START_TEST(release_merge_joins_all)
{
    int wg;
    race_g *m = race_main();
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_release_merge(&wg);
    race_switch(g3);
    race_write(mem + 8, 8, 0x200);
    race_release_merge(&wg);
    race_switch(m);
    race_acquire(&wg);
    race_write(mem, 8, 0x300);
    race_write(mem + 8, 8, 0x301);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(release_overwrites)
{
    /* A plain release replaces the object's clock: g2's write is not
       carried by g3's later release. */
    int s;
    race_g *m = race_main();
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_release(&s);
    race_switch(g3);
    race_release(&s);
    race_switch(m);
    race_acquire(&s);
    race_write(mem, 8, 0x300);
    ASSERT_REPORTS(1);
    ck_assert_int_eq(fake_reports[0].prev.goid, 2);
}
END_TEST

START_TEST(release_acquire_slot)
{
    /* Buffered-channel slot: each user acquires then releases, so a chain
       of them orders everyone before the next. */
    int slot;
    race_g *g2 = go(2, 1), *g3 = go(3, 2), *g4 = go(4, 3);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_release_acquire(&slot);
    race_switch(g3);
    race_release_acquire(&slot);
    race_switch(g4);
    race_release_acquire(&slot);
    race_write(mem, 8, 0x400);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(handoff_orders)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g3);
    race_write(mem, 8, 0x300);
    race_handoff(g2);              /* g3 completes g2's wait */
    race_switch(g2);
    race_write(mem, 8, 0x200);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(handback_orders)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x200);     /* then g2 parks (unbuffered receive) */
    race_switch(g3);
    race_handback(g2);             /* g3's send completes after it */
    race_write(mem, 8, 0x300);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(handback_then_resumed_races)
{
    /* After g3 took g2's blocking point, what g2 does once resumed is not
       ordered before g3's later accesses. */
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x200);
    race_switch(g3);
    race_handback(g2);
    race_switch(g2);
    race_write(mem + 8, 8, 0x201);
    race_switch(g3);
    race_read(mem, 8, 0x300);
    ASSERT_REPORTS(0);
    race_read(mem + 8, 8, 0x301);
    ASSERT_REPORTS(1);
    ck_assert_uint_eq(fake_reports[0].prev.pc, 0x201);
}
END_TEST

START_TEST(handoff_missing_races)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g3);
    race_write(mem, 8, 0x300);
    race_switch(g2);
    race_write(mem, 8, 0x200);
    ASSERT_REPORTS(1);
}
END_TEST

START_TEST(go_create_orders_parent_before)
{
    race_g *m = race_main();
    race_write(mem, 8, 0x100);     /* before the go statement */
    race_g *g2 = go(2, 1);
    race_write(mem + 8, 8, 0x101); /* after it: concurrent with g2 */
    race_switch(g2);
    race_write(mem, 8, 0x200);
    ASSERT_REPORTS(0);
    race_write(mem + 8, 8, 0x201);
    ASSERT_REPORTS(1);
    ck_assert_uint_eq(fake_reports[0].prev.pc, 0x101);
    race_switch(m);
}
END_TEST

START_TEST(go_create_records_frame)
{
    race_main();
    race_func_entry(0x9000);
    race_g *g2 = go(2, 0x9001);
    race_func_exit();
    race_switch(g2);
    race_write(mem, 8, 0x200);
    race_switch(race_main());
    race_write(mem, 8, 0x100);
    ASSERT_REPORTS(1);
    ck_assert_uint_eq(fake_reports[0].prev.created_frame, depot_push(0, 0x9000));
    ck_assert_uint_eq(fake_reports[0].prev.created_pc, 0x9001);
}
END_TEST

START_TEST(transitive_through_third)
{
    int a, b;
    race_g *g2 = go(2, 1), *g3 = go(3, 2), *g4 = go(4, 3);
    race_switch(g2);
    race_write(mem, 8, 0x200);
    race_release(&a);
    race_switch(g3);
    race_acquire(&a);
    race_release(&b);
    race_switch(g4);
    race_acquire(&b);
    race_write(mem, 8, 0x400);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(sync_free_drops_edges)
{
    int s;
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x200);
    race_release(&s);
    race_sync_free(&s);
    race_switch(g3);
    race_acquire(&s);
    race_write(mem, 8, 0x300);
    ASSERT_REPORTS(1);
}
END_TEST

/* --- bytes, granules ---------------------------------------------------- */

START_TEST(different_bytes_never_race)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    for (int i = 0; i < 8; i++) {
        race_switch(i % 2 ? g3 : g2);
        race_write(mem + i, 1, 0x100 + i);
        race_read(mem + 8 + i, 1, 0x200 + i);
        race_write(mem + 8 + i, 1, 0x300 + i);
    }
    race_switch(g2);
    race_write(mem + 16, 4, 0x400);
    race_switch(g3);
    race_write(mem + 20, 4, 0x500);
    race_read(mem + 20, 2, 0x501);
    ASSERT_REPORTS(0);
    race_write(mem + 3, 2, 0x600);   /* bytes 3 (g3 itself) and 4 (g2) */
    ASSERT_REPORTS(1);
    ck_assert_uint_eq(fake_reports[0].addr, (uintptr_t)mem + 4);
    ck_assert_uint_eq(fake_reports[0].prev.pc, 0x104);
}
END_TEST

START_TEST(field_written_earlier_not_lost)
{
    /* g2 writes both halves of a granule separately; g3 then races with
       the first half: the report names the write of that half. */
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 4, 0x100);
    race_write(mem + 4, 4, 0x104);
    race_read(mem, 4, 0x108);        /* covered by g2's own write */
    race_switch(g3);
    race_read(mem, 4, 0x200);
    ASSERT_REPORTS(1);
    ck_assert_uint_eq(fake_reports[0].prev.pc, 0x100);
    race_write(mem + 4, 4, 0x204);
    ASSERT_REPORTS(2);
    ck_assert_uint_eq(fake_reports[1].prev.pc, 0x104);
}
END_TEST

START_TEST(no_false_positive_after_partial_reread)
{
    /* g2 reads byte 0, releases, reads byte 1; g3, ordered after the
       release, writes byte 0: no race (a union of masks at the newer
       epoch would invent one). */
    int s;
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_read(mem, 1, 0x100);
    race_release(&s);
    race_read(mem + 1, 1, 0x101);
    race_switch(g3);
    race_acquire(&s);
    race_write(mem, 1, 0x200);
    ASSERT_REPORTS(0);
    race_write(mem + 1, 1, 0x201);
    ASSERT_REPORTS(1);
    ck_assert_uint_eq(fake_reports[0].prev.pc, 0x101);
}
END_TEST

START_TEST(access_across_granules)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem + 4, 16, 0x100);  /* bytes 4..19: three granules */
    race_switch(g3);
    race_write(mem + 2, 2, 0x200);   /* bytes 2..3: untouched */
    race_write(mem + 20, 4, 0x201);  /* bytes 20..23: untouched */
    ASSERT_REPORTS(0);
    race_read(mem + 18, 1, 0x202);
    ASSERT_REPORTS(1);
    ck_assert_uint_eq(fake_reports[0].addr, (uintptr_t)mem + 18);
    ck_assert_uint_eq(fake_reports[0].size, 1);
    race_write(mem, 16, 0x203);      /* 16-byte write over bytes 0..15 */
    /* One race per granule it meets: which of them to print is the
       report's to decide. */
    ASSERT_REPORTS(3);
    ck_assert_uint_eq(fake_reports[1].addr, (uintptr_t)mem + 4);
    ck_assert_uint_eq(fake_reports[1].size, 16);
    ck_assert_uint_eq(fake_reports[2].addr, (uintptr_t)mem + 8);
    ck_assert_uint_eq(fake_reports[2].prev.pc, 0x100);
}
END_TEST

/* --- atomics ------------------------------------------------------------ */

START_TEST(atomic_atomic_never_races)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_atomic(mem, 8, false, 0x100);   /* a load orders nothing */
    race_switch(g3);
    race_atomic(mem, 8, true, 0x200);
    race_switch(g2);
    race_atomic(mem, 4, true, 0x101);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(atomic_plain_races)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2), *g4 = go(4, 3);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_switch(g3);
    race_atomic(mem, 8, false, 0x200);   /* plain write vs atomic load */
    ASSERT_REPORTS(1);
    ck_assert(fake_reports[0].cur.atomic && !fake_reports[0].prev.atomic);
    race_switch(g4);
    race_atomic(mem + 8, 8, true, 0x300);
    race_switch(g2);
    race_read(mem + 8, 8, 0x101);         /* atomic store vs plain read */
    ASSERT_REPORTS(2);
    ck_assert(!fake_reports[1].cur.atomic && fake_reports[1].prev.atomic);
}
END_TEST

START_TEST(atomic_orders_plain)
{
    /* Message passing through an atomic flag: seq-cst store, then a load
       that observes it. */
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x100);
    race_atomic(mem + 8, 4, true, 0x101);
    race_switch(g3);
    race_atomic(mem + 8, 4, false, 0x200);
    race_read(mem, 8, 0x201);
    ASSERT_REPORTS(0);
}
END_TEST

/* --- read-shared mode ---------------------------------------------------- */

START_TEST(read_shared_write_after_one)
{
    int s;
    race_g *m = race_main();
    race_g *g2 = go(2, 1), *g3 = go(3, 2), *g4 = go(4, 3);
    race_switch(g2);
    race_read(mem, 8, 0x200);
    race_release(&s);
    race_switch(g3);
    race_read(mem, 8, 0x300);
    race_switch(g4);
    race_acquire(&s);                  /* after g2's read only */
    race_write(mem, 8, 0x400);
    ASSERT_REPORTS(1);
    ck_assert_int_eq(fake_reports[0].prev.goid, 3);
    ck_assert_uint_eq(fake_reports[0].prev.pc, 0x300);
    ck_assert(!fake_reports[0].prev.write);
    race_switch(m);
}
END_TEST

START_TEST(read_shared_many_readers_then_join)
{
    enum { N = 300 };
    int wg;
    race_g *m = race_main();
    race_g *g[N];
    for (int i = 0; i < N; i++)
        g[i] = go(2 + i, 1);
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < N; i++) {
            race_switch(g[i]);
            race_read(mem, 8, 0x1000 + i);
            race_release_merge(&wg);   /* new epoch each round */
        }
    ck_assert_uint_ge(race_shadow_sets(), 1);
    race_switch(m);
    race_acquire(&wg);
    race_write(mem, 8, 0x100);
    ASSERT_REPORTS(0);
    ck_assert_uint_eq(race_shadow_sets(), 0);   /* the write cleared them */
    /* A reader that did not join races with main's write. */
    race_g *late = go(9999, 2);
    race_switch(g[0]);
    race_read(mem, 8, 0x2000);
    ASSERT_REPORTS(1);
    (void)late;
}
END_TEST

/* --- reset, free ---------------------------------------------------------- */

START_TEST(reset_clears)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2);
    race_switch(g2);
    race_write(mem, 8, 0x200);
    race_read(mem + 8, 8, 0x201);
    race_switch(g3);
    race_read(mem + 8, 8, 0x301);      /* read set */
    race_reset(mem, 16);
    race_write(mem, 8, 0x300);
    race_write(mem + 8, 8, 0x302);
    ASSERT_REPORTS(0);
    ck_assert_uint_eq(race_shadow_sets(), 0);
}
END_TEST

START_TEST(reset_large_untouched_is_cheap)
{
    race_main();
    /* A terabyte-sized range nobody touched: no block is mapped, nothing
       is scanned. */
    race_reset((void *)((uintptr_t)1 << 40), (size_t)1 << 40);
    static char big[8 << 20];
    race_write(big + 100, 8, 0x1);
    race_reset(big, sizeof big);       /* madvise path for the middle */
    race_g *g2 = go(2, 1);
    race_switch(g2);
    race_write(big + 100, 8, 0x2);
    ASSERT_REPORTS(0);
}
END_TEST

START_TEST(free_is_a_write_then_reset)
{
    race_g *g2 = go(2, 1), *g3 = go(3, 2), *g4 = go(4, 3);
    race_switch(g2);
    race_read(mem + 16, 4, 0x200);
    race_switch(g3);
    race_free(mem, 64, 0x300);
    ASSERT_REPORTS(1);
    ck_assert(fake_reports[0].cur.write);
    ck_assert_uint_eq(fake_reports[0].addr, (uintptr_t)mem + 16);
    race_switch(g4);
    race_write(mem + 16, 4, 0x400);
    ASSERT_REPORTS(1);
}
END_TEST

/* --- vector clocks -------------------------------------------------------- */

START_TEST(vclock_matches_dense_model)
{
    enum { NC = 6, T = 4000, STEPS = 20000 };   /* 16 chunks: sparse and dense */
    static race_clk dense[NC][T];
    race_vclock v[NC];
    /* Tids below T are in use (the detector raises this as it hands tids out). */
    race_vc_tids = T;
    for (int i = 0; i < NC; i++)
        race_vc_init(&v[i]);
    srand(7);
    for (int s = 0; s < STEPS; s++) {
        int a = rand() % NC, b = rand() % NC, op = rand() % 4;
        race_tid t = (race_tid)(rand() % T);
        if (op == 0) {
            race_clk c = (race_clk)(rand() % 1000);
            race_vc_set(&v[a], t, c);
            dense[a][t] = c;
        } else if (op == 1) {
            race_vc_copy(&v[a], &v[b]);
            memcpy(dense[a], dense[b], sizeof dense[a]);
        } else if (op == 2) {
            race_vc_join(&v[a], &v[b]);
            for (int i = 0; i < T; i++)
                if (dense[b][i] > dense[a][i])
                    dense[a][i] = dense[b][i];
        } else {
            race_vc_inc(&v[a], t);
            dense[a][t]++;
        }
        if (s % 97 == 0)
            for (int c = 0; c < NC; c++)
                for (int i = 0; i < T; i++)
                    ck_assert_uint_eq(race_vc_get(&v[c], (race_tid)i), dense[c][i]);
    }
    for (int i = 0; i < NC; i++)
        race_vc_free(&v[i]);
}
END_TEST

START_TEST(vclock_overflow_saturates)
{
    race_vclock v;
    race_vc_init(&v);
    race_vc_set(&v, 5, RACE_CLK_MAX - 1);
    ck_assert_uint_eq(race_vc_inc(&v, 5), RACE_CLK_MAX);
    ck_assert_uint_eq(race_vc_inc(&v, 5), 0);
    ck_assert_uint_eq(race_vc_get(&v, 5), RACE_CLK_MAX);
    race_vc_free(&v);
}
END_TEST

/* --- a reference model, checked against random schedules ----------------- */

/* The naive detector: dense clocks, and every access to every byte kept
   forever.  Per access it says whether it races with any earlier one. */
enum { RM_G = 6, RM_S = 3, RM_BYTES = 24, RM_OPS = 400 };
typedef struct rm_acc {
    int tid;
    race_clk clk;
    int lo, hi;
    bool w, at;
    uintptr_t pc;
    race_clk seen[RM_G + 2];   /* the accessor's clock at the access */
} rm_acc;

START_TEST(random_schedules_match_reference)
{
    static rm_acc hist[RM_OPS * RM_G];
    static race_clk gc[RM_G + 1][RM_G + 2], sc[RM_S + RM_BYTES][RM_G + 2];
    unsigned seed = (unsigned)_i * 7919u + 1;
    if (getenv("RACE_TEST_SEED") && atoi(getenv("RACE_TEST_SEED")) != _i)
        return;   /* debugging one schedule: RACE_TEST_SEED=n */
    int nh = 0;
    race_g *g[RM_G + 1];
    race_tid tid[RM_G + 1];
    memset(gc, 0, sizeof gc);
    memset(sc, 0, sizeof sc);
    g[0] = race_main();
    tid[0] = race_g_tid(g[0]);
    gc[0][tid[0]] = 1;
    int ng = 1;
    int syncs[RM_S];
    uintptr_t pc = 0x10000;
    int cur = 0;
    for (int step = 0; step < RM_OPS; step++) {
        int op = rand_r(&seed) % 10;
        race_tid me = tid[cur];
        if (op == 0 && ng < RM_G + 1) {
            g[ng] = race_go_create(g[cur], ng + 1, 0x1);
            tid[ng] = race_g_tid(g[ng]);
            memcpy(gc[ng], gc[cur], sizeof gc[ng]);
            gc[ng][tid[ng]] = 1;
            gc[cur][me]++;
            ng++;
        } else if (op == 1) {
            cur = rand_r(&seed) % ng;
            race_switch(g[cur]);
        } else if (op == 2) {
            int s = rand_r(&seed) % RM_S, kind = rand_r(&seed) % 4;
            race_clk *S = sc[s], *C = gc[cur];
            if (kind == 3)
                race_release_acquire(&syncs[s]);
            if (kind == 0 || kind == 3) {
                if (kind == 0)
                    race_acquire(&syncs[s]);
                for (int i = 0; i < RM_G + 2; i++)
                    if (S[i] > C[i])
                        C[i] = S[i];
            }
            if (kind == 1 || kind == 3) {
                if (kind == 1)
                    race_release(&syncs[s]);
                memcpy(S, C, sizeof sc[s]);
                C[me]++;
            } else if (kind == 2) {
                race_release_merge(&syncs[s]);
                for (int i = 0; i < RM_G + 2; i++)
                    if (C[i] > S[i])
                        S[i] = C[i];
                C[me]++;
            }
        } else if (op == 3 && ng > 1) {
            int o = rand_r(&seed) % ng;
            if (o == cur)
                continue;
            if (rand_r(&seed) % 2) {
                race_handoff(g[o]);
                for (int i = 0; i < RM_G + 2; i++)
                    if (gc[cur][i] > gc[o][i])
                        gc[o][i] = gc[cur][i];
                gc[cur][me]++;
            } else {
                race_handback(g[o]);
                for (int i = 0; i < RM_G + 2; i++)
                    if (gc[o][i] > gc[cur][i])
                        gc[cur][i] = gc[o][i];
                gc[o][tid[o]]++;
            }
        } else {
            static const int sizes[] = { 1, 2, 4, 8, 3, 16 };
            int size = sizes[rand_r(&seed) % 6];
            int lo = rand_r(&seed) % (RM_BYTES - size + 1);
            bool at = rand_r(&seed) % 5 == 0, w = rand_r(&seed) % 2;
            if (at) {   /* aligned, at most 8 bytes */
                size = 1 << (rand_r(&seed) % 4);
                lo = (lo / size) * size;
            }
            rm_acc a = { (int)me, gc[cur][me], lo, lo + size, w, at, pc++, { 0 } };
            memcpy(a.seen, gc[cur], sizeof a.seen);
            unsigned before = fake_nreports;
            if (at)
                race_atomic(mem + lo, (size_t)size, w, a.pc);
            else if (w)
                race_write(mem + lo, (size_t)size, a.pc);
            else
                race_read(mem + lo, (size_t)size, a.pc);
            ck_assert_uint_le(fake_nreports, FAKE_MAX_REPORTS);
            for (unsigned r = before; r < fake_nreports; r++) {
                ck_assert_uint_eq(fake_reports[r].cur.pc, a.pc);
                /* The pair names a real race of the model. */
                rm_acc *p = NULL;
                for (int h = 0; h < nh; h++)
                    if (hist[h].pc == fake_reports[r].prev.pc)
                        p = &hist[h];
                ck_assert_ptr_nonnull(p);
                ck_assert(p->lo < a.hi && a.lo < p->hi);
                ck_assert(p->w || a.w);
                ck_assert(!(p->at && a.at));
                ck_assert_uint_gt(p->clk, gc[cur][p->tid]);
            }
            hist[nh++] = a;
            if (at) {   /* the atomic's own edges */
                race_clk *S = sc[RM_S + lo], *C = gc[cur];
                for (int i = 0; i < RM_G + 2; i++)
                    if (S[i] > C[i])
                        C[i] = S[i];
                if (w) {
                    for (int i = 0; i < RM_G + 2; i++)
                        if (C[i] > S[i])
                            S[i] = C[i];
                    C[me]++;
                }
            }
        }
    }
    /* No false positive: checked above per report.  No miss, per granule
       (the detector's unit): for each granule of a racy access, the access
       was reported, or (the same-epoch fast path) an earlier access of its
       goroutine at the same epoch covering the granule's bytes was. */
    for (int i = 0; i < nh; i++) {
        rm_acc *a = &hist[i];
        for (int gl = a->lo & ~7; gl < a->hi; gl += 8) {
            int plo = a->lo > gl ? a->lo : gl, phi = a->hi < gl + 8 ? a->hi : gl + 8;
            bool racy = false;
            for (int h = 0; h < i; h++) {
                rm_acc *p = &hist[h];
                if (p->tid != a->tid && p->lo < phi && plo < p->hi && (p->w || a->w) &&
                    !(p->at && a->at) && p->clk > a->seen[p->tid])
                    racy = true;
            }
            if (!racy)
                continue;
            bool covered = false;
            for (int j = 0; j <= i && !covered; j++) {
                rm_acc *e = &hist[j];
                if (e->tid != a->tid || e->clk != a->clk || e->lo > plo || e->hi < phi)
                    continue;
                if (j < i && ((a->w && !e->w) || (e->at && !a->at)))
                    continue;
                for (unsigned r = 0; r < fake_nreports; r++)
                    if (fake_reports[r].cur.pc == e->pc || fake_reports[r].prev.pc == e->pc)
                        covered = true;
            }
            if (!covered) {
                fprintf(stderr, "seed %d: access %d (pc %#lx) bytes [%d,%d) race in the model, "
                        "not reported\n", _i, i, (unsigned long)a->pc, plo, phi);
                for (int j = 0; j <= i; j++)
                    if (hist[j].lo < phi && plo < hist[j].hi)
                        fprintf(stderr, "  %d: tid %d clk %u [%d,%d) %s%s\n", j, hist[j].tid,
                                hist[j].clk, hist[j].lo, hist[j].hi, hist[j].w ? "W" : "R",
                                hist[j].at ? " atomic" : "");
            }
            ck_assert(covered);
        }
    }
}
END_TEST

/* --- 100,000 goroutines -------------------------------------------------- */

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

START_TEST(hundred_thousand_goroutines)
{
    enum { N = 100000 };
    static uint64_t vars[N];
    static race_g *gs[N];
    int wg;
    long rss0 = rss_kib();
    race_g *m = race_main();
    for (int i = 0; i < N; i++) {
        race_write(&vars[i], 8, 0x100);   /* main initialises each */
        gs[i] = go(2 + i, 0x5000);
    }
    /* One more goroutine that will not join. */
    race_g *x = go(N + 2, 0x5001);
    /* All live at once: each writes its variable and joins main. */
    for (int i = 0; i < N; i++) {
        race_switch(gs[i]);
        race_func_entry(0x6000);
        race_write(&vars[i], 8, 0x200);
        race_release_merge(&wg);
        race_func_exit();
    }
    long rss_live = rss_kib();
    for (int i = 0; i < N; i++)
        race_go_exit(gs[i]);
    race_switch(m);
    race_acquire(&wg);
    for (int i = 0; i < N; i++)
        race_read(&vars[i], 8, 0x300);
    ASSERT_REPORTS(0);
    long growth = rss_live - rss0;
    fprintf(stderr, "100,000 live goroutines: RSS growth %ld MiB, detector mapped %zu MiB\n",
            growth / 1024, race_mem_mapped() >> 20);
    ck_assert_int_lt(growth, 2L * 1024 * 1024);
    /* The goroutine that did not join: its write races with main's read. */
    race_switch(x);
    race_write(&vars[12345], 8, 0x400);
    /* With the goroutine that wrote it (unordered: created later, not
       joined with x) and with main's read. */
    ASSERT_REPORTS(2);
    int64_t a = fake_reports[0].prev.goid, b = fake_reports[1].prev.goid;
    ck_assert((a == 1 && b == 12345 + 2) || (b == 1 && a == 12345 + 2));
}
END_TEST

static Suite *race_suite(void)
{
    Suite *s = suite_create("race");
    struct {
        const char *name;
        const TTest *t;
    } cases[] = {
        { "write_write_race", write_write_race },
        { "read_write_races", read_write_races },
        { "finished_goroutine", finished_goroutine_reported_as_finished },
        { "no_dedup_in_core", every_race_goes_to_the_report },
        { "release_acquire", release_acquire_orders },
        { "acquire_missing", acquire_missing_races },
        { "release_merge", release_merge_joins_all },
        { "release_overwrites", release_overwrites },
        { "release_acquire_slot", release_acquire_slot },
        { "handoff", handoff_orders },
        { "handback", handback_orders },
        { "handback_resumed", handback_then_resumed_races },
        { "handoff_missing", handoff_missing_races },
        { "go_create", go_create_orders_parent_before },
        { "go_create_frame", go_create_records_frame },
        { "transitive", transitive_through_third },
        { "sync_free", sync_free_drops_edges },
        { "bytes", different_bytes_never_race },
        { "field_not_lost", field_written_earlier_not_lost },
        { "partial_reread", no_false_positive_after_partial_reread },
        { "across_granules", access_across_granules },
        { "atomic_atomic", atomic_atomic_never_races },
        { "atomic_plain", atomic_plain_races },
        { "atomic_orders", atomic_orders_plain },
        { "read_shared", read_shared_write_after_one },
        { "read_shared_many", read_shared_many_readers_then_join },
        { "reset", reset_clears },
        { "reset_large", reset_large_untouched_is_cheap },
        { "free", free_is_a_write_then_reset },
        { "vclock_model", vclock_matches_dense_model },
        { "vclock_overflow", vclock_overflow_saturates },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, cases[i].t);
        suite_add_tcase(s, tc);
    }
    TCase *tc = tcase_create("reference_model");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, random_schedules_match_reference, 0, 300);
    suite_add_tcase(s, tc);
    tc = tcase_create("goroutines_100k");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, hundred_thousand_goroutines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(race_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
