/*
 * test_deadlock.c - detector/deadlock driven directly: fake goroutines made
 * with race_go_create and scheduled by race_switch, lock events as the
 * runtime sends them (request, acquired, granted, released), made-up
 * addresses and pcs; the verdicts are the cycle records the fake report
 * sink keeps.
 */
#include <check.h>
#include <stdlib.h>

#include "detector/deadlock/locks.h"
#include "detector/core/options.h"
#include "fakes.h"

static race_g *gs[512];

static race_g *go(int64_t goid)
{
    if (!gs[goid]) gs[goid] = race_go_create(race_current(), goid, 0x1000);
    return gs[goid];
}

static void as(int64_t goid) { race_switch(go(goid)); }

/* goroutine takes lock (free: it does not block). */
static void take(int64_t goid, const void *l, const char *type, bool shared, uintptr_t pc)
{
    as(goid);
    dl_request(l, type, shared, false, pc);
    dl_acquired(l, type, shared, pc);
}

/* goroutine asks for lock and parks. */
static void block(int64_t goid, const void *l, const char *type, bool shared, uintptr_t pc)
{
    as(goid);
    dl_request(l, type, shared, true, pc);
}

static void release(int64_t goid, const void *l, bool shared)
{
    as(goid);
    dl_released(l, shared);
}

static void setup(void)
{
    race_go_create(NULL, 1, 0);
    fake_reset();
    corace_opts.detect_deadlocks = true;
}

static unsigned count(enum report_cycle_kind k)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fake_ncycles; i++) n += fake_cycles[i].kind == k;
    return n;
}

static const fake_cycle *first(enum report_cycle_kind k)
{
    for (unsigned i = 0; i < fake_ncycles; i++)
        if (fake_cycles[i].kind == k) return &fake_cycles[i];
    return NULL;
}

static char A[8], B[8], C[8];

START_TEST(abba_wait_cycle_at_once)
{
    setup();
    take(2, A, "mutex", false, 0x100);
    take(3, B, "mutex", false, 0x300);
    block(2, B, "mutex", false, 0x110);
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 0);
    block(3, A, "mutex", false, 0x310);
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 1);
    ck_assert_uint_eq(count(REPORT_LOCK_ORDER), 1);
    const fake_cycle *c = first(REPORT_WAIT_CYCLE);
    ck_assert_uint_eq(c->n, 2);
    /* From the lowest goroutine id: 2 holds A (taken at 0x100), waits for B at 0x110. */
    ck_assert_int_eq(c->steps[0].goid, 2);
    ck_assert_ptr_eq((void *)c->steps[0].held.addr, A);
    ck_assert_uint_eq(c->steps[0].held.at.pc, 0x100);
    ck_assert_ptr_eq((void *)c->steps[0].wants.addr, B);
    ck_assert_uint_eq(c->steps[0].wants.at.pc, 0x110);
    ck_assert_int_eq(c->steps[1].goid, 3);
    ck_assert_ptr_eq((void *)c->steps[1].held.addr, B);
    ck_assert_ptr_eq((void *)c->steps[1].wants.addr, A);
    ck_assert(!c->steps[0].pending && !c->steps[1].pending);
    ck_assert_str_eq(c->steps[0].waitreason, "sync.Mutex.Lock");
}
END_TEST

START_TEST(ring_of_three)
{
    setup();
    take(4, A, "mutex", false, 0x100);
    take(5, B, "mutex", false, 0x200);
    take(6, C, "mutex", false, 0x300);
    block(5, C, "mutex", false, 0x210);
    block(6, A, "mutex", false, 0x310);
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 0);
    block(4, B, "mutex", false, 0x110);
    const fake_cycle *c = first(REPORT_WAIT_CYCLE);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->n, 3);
    int64_t want[3] = {4, 5, 6};
    const char *wants[3] = {B, C, A};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(c->steps[i].goid, want[i]);
        ck_assert_ptr_eq((void *)c->steps[i].wants.addr, wants[i]);
        /* Each holds what the previous one waits for. */
        ck_assert_uint_eq(c->steps[i].held.addr, c->steps[(i + 2) % 3].wants.addr);
    }
}
END_TEST

START_TEST(released_lock_breaks_the_chain)
{
    setup();
    take(2, A, "mutex", false, 0x100);
    take(3, B, "mutex", false, 0x200);
    block(2, B, "mutex", false, 0x110);
    /* 3 releases B and hands it to 2, which then holds both. */
    release(3, B, false);
    as(3);
    dl_granted(go(2), B, false);
    block(3, A, "mutex", false, 0x210);
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 0);
}
END_TEST

START_TEST(relock_waits_for_certainty)
{
    setup();
    take(2, A, "mutex", false, 0x100);
    block(2, A, "mutex", false, 0x110);
    /* Go lets another goroutine unlock A: not certain yet. */
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 0);
    waitfor_confirm();
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 1);
    const fake_cycle *c = first(REPORT_WAIT_CYCLE);
    ck_assert_uint_eq(c->n, 1);
    ck_assert_int_eq(c->steps[0].goid, 2);
    ck_assert_uint_eq(c->steps[0].held.at.pc, 0x100);
    ck_assert_uint_eq(c->steps[0].wants.at.pc, 0x110);
}
END_TEST

START_TEST(mutex_as_semaphore)
{
    setup();
    take(1, A, "mutex", false, 0x100);
    block(1, A, "mutex", false, 0x110);
    /* A worker unlocks it and the runtime hands A to goroutine 1. */
    release(7, A, false);
    as(7);
    dl_granted(go(1), A, false);
    waitfor_confirm();
    ck_assert_uint_eq(fake_ncycles, 0);
}
END_TEST

START_TEST(cycle_through_a_handed_lock_waits)
{
    setup();
    /* A was once unlocked by a goroutine that did not hold it. */
    take(2, A, "mutex", false, 0x100);
    release(9, A, false);
    take(2, A, "mutex", false, 0x100);
    take(3, B, "mutex", false, 0x200);
    block(2, B, "mutex", false, 0x110);
    block(3, A, "mutex", false, 0x210);
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 0);
    waitfor_confirm();
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 1);
}
END_TEST

START_TEST(reader_behind_pending_writer)
{
    setup();
    take(2, A, "rwmutex", true, 0x100);
    block(3, A, "rwmutex", false, 0x200);   /* the writer waits for reader 2 */
    ck_assert_uint_eq(count(REPORT_WAIT_CYCLE), 0);
    block(2, A, "rwmutex", true, 0x110);    /* 2's second RLock queues behind 3 */
    const fake_cycle *c = first(REPORT_WAIT_CYCLE);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->n, 2);
    ck_assert_int_eq(c->steps[0].goid, 2);
    ck_assert(c->steps[0].held.shared && c->steps[0].wants.shared);
    ck_assert_str_eq(c->steps[0].waitreason, "sync.RWMutex.RLock");
    ck_assert_int_eq(c->steps[1].goid, 3);
    ck_assert(c->steps[1].pending);
    ck_assert_str_eq(c->steps[1].waitreason, "sync.RWMutex.Lock");
    /* And the recursive RLock is a lock-order finding of its own. */
    const fake_cycle *r = first(REPORT_RECURSIVE_READ);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->steps[0].goid, 2);
    ck_assert_uint_eq(r->steps[0].held.at.pc, 0x100);
    ck_assert_uint_eq(r->steps[0].wants.at.pc, 0x110);
    ck_assert_int_eq(r->steps[1].goid, 3);
    ck_assert_uint_eq(r->steps[1].wants.at.pc, 0x200);
}
END_TEST

START_TEST(recursive_rlock_without_writer_is_fine)
{
    setup();
    for (int64_t g = 2; g < 6; g++) {
        take(g, A, "rwmutex", true, 0x100);
        take(g, A, "rwmutex", true, 0x110);
    }
    for (int64_t g = 2; g < 6; g++) {
        release(g, A, true);
        release(g, A, true);
    }
    ck_assert_uint_eq(fake_ncycles, 0);
    /* A writer later, never overlapping: the recursion is reported now. */
    take(8, A, "rwmutex", false, 0x800);
    ck_assert_uint_eq(count(REPORT_RECURSIVE_READ), 1);
}
END_TEST

START_TEST(lock_order_with_read_modes)
{
    setup();
    /* RLock A, Lock B; then Lock B, Lock A: a writer of A waits for the reader. */
    take(2, A, "rwmutex", true, 0x100);
    take(2, B, "mutex", false, 0x110);
    release(2, B, false);
    release(2, A, true);
    take(3, B, "mutex", false, 0x200);
    take(3, A, "rwmutex", false, 0x210);
    ck_assert_uint_eq(count(REPORT_LOCK_ORDER), 1);
    const fake_cycle *c = first(REPORT_LOCK_ORDER);
    ck_assert_uint_eq(c->n, 2);
    ck_assert(!c->classes);
}
END_TEST

START_TEST(crossed_read_locks_are_fine)
{
    setup();
    take(2, A, "rwmutex", true, 0x100);
    take(2, B, "rwmutex", true, 0x110);
    release(2, B, true);
    release(2, A, true);
    take(3, B, "rwmutex", true, 0x200);
    take(3, A, "rwmutex", true, 0x210);
    ck_assert_uint_eq(fake_ncycles, 0);
}
END_TEST

START_TEST(readers_do_not_wait_for_readers_midway)
{
    setup();
    /* A(r) -> B(r), B(r) -> C(w), C(w) -> A(r): the one asking B for reading
       gets in beside B's reader, so the ring is no deadlock. */
    take(2, A, "rwmutex", true, 0x100);
    take(2, B, "rwmutex", true, 0x110);
    release(2, B, true);
    release(2, A, true);
    take(3, B, "rwmutex", true, 0x200);
    take(3, C, "rwmutex", false, 0x210);
    release(3, C, false);
    release(3, B, true);
    take(4, C, "rwmutex", false, 0x300);
    take(4, A, "rwmutex", true, 0x310);
    ck_assert_uint_eq(fake_ncycles, 0);
}
END_TEST

START_TEST(lock_classes_by_allocation_line)
{
    setup();
    /* Trees: blocks allocated at line 100 (pcs 0x640 and 0x645: one line,
       as inlined copies of one constructor), the lock at offset 8; nodes at
       line 200, the lock at offset 0. */
    char *t1 = malloc(64), *t2 = malloc(64), *n1 = malloc(64), *n2 = malloc(64);
    fake_heap_block((uintptr_t)t1, 64, 0x640);
    fake_heap_block((uintptr_t)t2, 64, 0x645);
    fake_heap_block((uintptr_t)n1, 64, 0xc80);
    fake_heap_block((uintptr_t)n2, 64, 0xc85);
    take(2, t1 + 8, "mutex", false, 0x100);
    take(2, n1, "mutex", false, 0x110);
    release(2, n1, false);
    release(2, t1 + 8, false);
    ck_assert_uint_eq(fake_ncycles, 0);
    take(3, n2, "mutex", false, 0x200);
    take(3, t2 + 8, "mutex", false, 0x210);
    ck_assert_uint_eq(count(REPORT_LOCK_ORDER), 1);
    const fake_cycle *c = first(REPORT_LOCK_ORDER);
    ck_assert(c->classes);
    ck_assert_uint_eq(c->n, 2);
    /* Each step names the objects it took, and their class. */
    bool tree_seen = false, node_seen = false;
    for (unsigned i = 0; i < 2; i++) {
        const report_lockref *h = &c->steps[i].held;
        if (h->class_off == 8) {
            tree_seen = true;
            ck_assert_uint_eq(h->class_pc / 16, 100);
        } else {
            node_seen = true;
            ck_assert_uint_eq(h->class_off, 0);
            ck_assert_uint_eq(h->class_pc / 16, 200);
        }
    }
    ck_assert(tree_seen && node_seen);
}
END_TEST

START_TEST(one_class_nested_in_itself_is_fine)
{
    setup();
    char *x[4];
    for (int i = 0; i < 4; i++) {
        x[i] = malloc(32);
        fake_heap_block((uintptr_t)x[i], 32, 0x640);
    }
    take(2, x[0], "mutex", false, 0x100);
    take(2, x[1], "mutex", false, 0x110);
    release(2, x[1], false);
    release(2, x[0], false);
    take(3, x[3], "mutex", false, 0x200);
    take(3, x[2], "mutex", false, 0x210);
    ck_assert_uint_eq(fake_ncycles, 0);
}
END_TEST

START_TEST(no_limit_on_locks_held)
{
    setup();
    static char many[300];
    for (int i = 0; i < 300; i++) take(2, &many[i], "mutex", false, 0x100 + (uintptr_t)i);
    ck_assert_uint_eq(fake_ncycles, 0);
    take(3, &many[299], "mutex", false, 0x2000);
    take(3, &many[0], "mutex", false, 0x2010);
    ck_assert_uint_eq(count(REPORT_LOCK_ORDER), 1);
    ck_assert_ptr_null(fake_degraded);
}
END_TEST

START_TEST(off_when_disabled)
{
    setup();
    corace_opts.detect_deadlocks = false;
    take(2, A, "mutex", false, 0x100);
    take(3, B, "mutex", false, 0x200);
    block(2, B, "mutex", false, 0x110);
    block(3, A, "mutex", false, 0x210);
    ck_assert_uint_eq(fake_ncycles, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("deadlock");
    TCase *t = tcase_create("deadlock");
    tcase_add_test(t, abba_wait_cycle_at_once);
    tcase_add_test(t, ring_of_three);
    tcase_add_test(t, released_lock_breaks_the_chain);
    tcase_add_test(t, relock_waits_for_certainty);
    tcase_add_test(t, mutex_as_semaphore);
    tcase_add_test(t, cycle_through_a_handed_lock_waits);
    tcase_add_test(t, reader_behind_pending_writer);
    tcase_add_test(t, recursive_rlock_without_writer_is_fine);
    tcase_add_test(t, lock_order_with_read_modes);
    tcase_add_test(t, crossed_read_locks_are_fine);
    tcase_add_test(t, readers_do_not_wait_for_readers_midway);
    tcase_add_test(t, lock_classes_by_allocation_line);
    tcase_add_test(t, one_class_nested_in_itself_is_fine);
    tcase_add_test(t, no_limit_on_locks_held);
    tcase_add_test(t, off_when_disabled);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
