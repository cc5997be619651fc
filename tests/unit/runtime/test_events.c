/*
 * test_events.c - the runtime announces every happens-before edge of the Go
 * memory model through runtime/events.h, at the operation that implements
 * it.  A recording checker is installed and each test asserts the events
 * one primitive emits: the edge table of docs/ARCHITECTURE.md, from the
 * runtime's side.
 */
#include "unit_util.h"

#include "announce.h"

enum ev_kind { E_LREQ, E_LACQ, E_LREL, E_LGRANT, E_RLREQ, E_RLACQ, E_RLREL, E_COPIED, E_CREATE, E_EXIT, E_SWITCH, E_ACQ, E_REL, E_RELACQ, E_RELACQ_FOR, E_HANDOFF, E_HANDBACK, E_FREE, E_RESET };

typedef struct rec {
    enum ev_kind kind;
    const void *obj;   /* sync address, or NULL */
    int64_t gid;       /* goroutine the event is about (parked party, or created/switched) */
} rec;

typedef struct gstate {
    int64_t goid;
} gstate;

static rec recs[4096];
static int nrec;
static gstate gstates[256];

static void put(enum ev_kind k, const void *obj, int64_t gid)
{
    if (nrec < (int)(sizeof recs / sizeof recs[0])) recs[nrec++] = (rec){k, obj, gid};
}

static int64_t gid_of(void *gs) { return gs ? ((gstate *)gs)->goid : -1; }

static void *h_main(void) { gstates[1].goid = 1; return &gstates[1]; }
static void *h_create(void *parent, int64_t goid, uintptr_t pc)
{
    (void)parent; (void)pc;
    gstates[goid].goid = goid;
    put(E_CREATE, NULL, goid);
    return &gstates[goid];
}
static void h_exit(void *gs) { put(E_EXIT, NULL, gid_of(gs)); }
static void h_switch(void *gs) { put(E_SWITCH, NULL, gid_of(gs)); }
static void h_acq(const void *s) { put(E_ACQ, s, co_id()); }
static void h_rel(const void *s) { put(E_REL, s, co_id()); }
static void h_relacq(const void *s) { put(E_RELACQ, s, co_id()); }
static void h_relacq_for(void *gs, const void *s) { put(E_RELACQ_FOR, s, gid_of(gs)); }
static void h_handoff(void *to) { put(E_HANDOFF, NULL, gid_of(to)); }
static void h_handback(void *from) { put(E_HANDBACK, NULL, gid_of(from)); }
static void h_free(const void *s) { put(E_FREE, s, co_id()); }
static void h_reset(void *a, size_t n) { (void)n; put(E_RESET, a, co_id()); }
static void h_read(const void *a, size_t n, uintptr_t pc) { (void)a; (void)n; (void)pc; }
static void h_finish(void) {}
static void h_first(const void *o, uintptr_t pc) { (void)o; (void)pc; }
static void h_lreq(const void *l, const char *t, bool shared, bool blocks, uintptr_t pc)
{
    (void)t; (void)pc; (void)blocks;
    put(shared ? E_RLREQ : E_LREQ, l, co_id());
}
static void h_lacq(const void *l, const char *t, bool shared, uintptr_t pc) { (void)pc; (void)t; put(shared ? E_RLACQ : E_LACQ, l, co_id()); }
static void h_lrel(const void *l, bool shared) { put(shared ? E_RLREL : E_LREL, l, co_id()); }
static void h_dump(FILE *f) { (void)f; }
static void h_lgrant(void *gs, const void *l, bool shared) { (void)shared; put(E_LGRANT, l, gid_of(gs)); }
static void h_copied(const void *o, const void *orig, const char *t, uintptr_t pc)
{
    (void)t; (void)pc; (void)orig;
    put(E_COPIED, o, co_id());
}

static const ev_hooks hooks = {
    .go_main = h_main, .go_create = h_create, .go_exit = h_exit, .go_switch = h_switch,
    .acquire = h_acq, .release_merge = h_rel, .release_acquire = h_relacq,
    .release_acquire_for = h_relacq_for, .handoff = h_handoff, .handback = h_handback,
    .sync_free = h_free, .mem_reset = h_reset, .read = h_read, .write = h_read, .finish = h_finish,
    .sync_first_use = h_first, .sync_copied = h_copied,
    .lock_request = h_lreq, .lock_acquired = h_lacq, .lock_released = h_lrel, .dump_waits = h_dump, .lock_granted = h_lgrant,
};

static void install(void)
{
    co__ev_install(&hooks);
    nrec = 0;
}

/* Index of the first event (kind, obj, gid) at or after from; -1 if none.
   obj NULL or gid -1 match anything. */
static int find(int from, enum ev_kind k, const void *obj, int64_t gid)
{
    for (int i = from; i < nrec; i++)
        if (recs[i].kind == k && (!obj || recs[i].obj == obj) && (gid < 0 || recs[i].gid == gid)) return i;
    return -1;
}

static int count(enum ev_kind k, const void *obj)
{
    int n = 0;
    for (int i = 0; i < nrec; i++) n += recs[i].kind == k && (!obj || recs[i].obj == obj);
    return n;
}

/* ---- go statement ---- */

static void nop(void *arg) { (void)arg; }

START_TEST(go_creates_then_switches)
{
    install();
    int64_t id = co_go(nop, NULL);
    int c = find(0, E_CREATE, NULL, id);
    ck_assert_int_ge(c, 0);
    co_yield();
    int s = find(c, E_SWITCH, NULL, id);
    ck_assert_int_gt(s, c);
    ck_assert_int_gt(find(s, E_EXIT, NULL, id), s);
    ck_assert_int_gt(find(s, E_SWITCH, NULL, 1), s);
}
END_TEST

/* ---- channels ---- */

static co_chan *ch;

static void receiver(void *arg)
{
    (void)arg;
    int v;
    co_chan_recv(ch, &v);
}

START_TEST(unbuffered_send_to_parked_receiver_syncs_both_ways)
{
    install();
    ch = co_chan_make(sizeof(int), 0);
    int64_t r = co_go(receiver, NULL);
    co_yield(); /* the receiver parks */
    nrec = 0;
    int v = 7;
    co_chan_send(ch, &v);
    ck_assert_int_ge(find(0, E_HANDOFF, NULL, r), 0);
    ck_assert_int_ge(find(0, E_HANDBACK, NULL, r), 0);
    co_yield();
}
END_TEST

static void sender(void *arg)
{
    (void)arg;
    int v = 1;
    co_chan_send(ch, &v);
}

START_TEST(unbuffered_recv_from_parked_sender_syncs_both_ways)
{
    install();
    ch = co_chan_make(sizeof(int), 0);
    int64_t s = co_go(sender, NULL);
    co_yield();
    nrec = 0;
    int v;
    co_chan_recv(ch, &v);
    ck_assert_int_ge(find(0, E_HANDOFF, NULL, s), 0);
    ck_assert_int_ge(find(0, E_HANDBACK, NULL, s), 0);
    co_yield();
}
END_TEST

START_TEST(buffered_slots_release_acquire)
{
    install();
    ch = co_chan_make(sizeof(int), 2);
    int v = 1;
    co_chan_send(ch, &v);
    co_chan_send(ch, &v);
    co_chan_recv(ch, &v);
    /* Each send and each receive synchronizes on its slot. */
    ck_assert_int_eq(count(E_RELACQ, NULL), 3);
    /* The first send and the receive use the same slot, the second send the next one. */
    int s1 = find(0, E_RELACQ, NULL, -1), s2 = find(s1 + 1, E_RELACQ, NULL, -1), r1 = find(s2 + 1, E_RELACQ, NULL, -1);
    ck_assert_ptr_eq(recs[s1].obj, recs[r1].obj);
    ck_assert_ptr_ne(recs[s1].obj, recs[s2].obj);
    ck_assert_int_eq(count(E_HANDOFF, NULL), 0);
}
END_TEST

START_TEST(full_buffer_moves_parked_sender_through_slot)
{
    install();
    ch = co_chan_make(sizeof(int), 1);
    int v = 1;
    co_chan_send(ch, &v);
    int64_t s = co_go(sender, NULL);
    co_yield(); /* the sender parks: buffer full */
    nrec = 0;
    co_chan_recv(ch, &v);
    int i = find(0, E_RELACQ, NULL, 1);
    ck_assert_int_ge(i, 0);
    int j = find(0, E_RELACQ_FOR, recs[i].obj, s);
    ck_assert_int_gt(j, i);
    co_yield();
}
END_TEST

START_TEST(close_releases_and_closed_recv_acquires)
{
    install();
    ch = co_chan_make(sizeof(int), 0);
    int64_t r = co_go(receiver, NULL);
    co_yield();
    nrec = 0;
    co_chan_close(ch);
    ck_assert_int_ge(find(0, E_REL, ch, 1), 0);
    co_yield(); /* the receiver wakes on close */
    ck_assert_int_ge(find(0, E_ACQ, ch, r), 0);
    int v;
    nrec = 0;
    ck_assert(!co_chan_recv(ch, &v));
    ck_assert_int_ge(find(0, E_ACQ, ch, 1), 0);
}
END_TEST

START_TEST(select_recv_on_closed_acquires)
{
    install();
    ch = co_chan_make(sizeof(int), 0);
    co_chan_close(ch);
    nrec = 0;
    int v;
    bool ok = true;
    co_case k = CO_RECV(ch, &v, &ok);
    ck_assert_int_eq(co_select(&k, 1, false), 0);
    ck_assert(!ok);
    ck_assert_int_ge(find(0, E_ACQ, ch, 1), 0);
}
END_TEST

START_TEST(chan_free_forgets_sync_objects)
{
    install();
    ch = co_chan_make(sizeof(int), 3);
    nrec = 0;
    co_chan_free(ch);
    ck_assert_int_eq(count(E_FREE, NULL), 4); /* the channel and its 3 slots */
}
END_TEST

/* ---- sync ---- */

static co_mutex mu;

static void locker(void *arg)
{
    (void)arg;
    co_mutex_lock(&mu);
    co_mutex_unlock(&mu);
}

START_TEST(mutex_unlock_releases_lock_acquires)
{
    install();
    co_mutex_lock(&mu);
    ck_assert_int_ge(find(0, E_ACQ, &mu, 1), 0);
    int64_t g = co_go(locker, NULL);
    co_yield(); /* g parks in Lock */
    nrec = 0;
    co_mutex_unlock(&mu);
    ck_assert_int_ge(find(0, E_REL, &mu, 1), 0);
    /* The deadlock checker learns of the hand-over from the releaser, before
       g runs: its holders match the runtime's at every moment. */
    ck_assert_int_ge(find(0, E_LGRANT, &mu, g), 0);
    co_yield();
    ck_assert_int_ge(find(0, E_ACQ, &mu, g), 0);
    ck_assert(co_mutex_trylock(&mu));
    ck_assert_int_ge(find(0, E_ACQ, &mu, 1), 0);
    /* For the lock-order checker: requested, then taken, then released. */
    nrec = 0;
    co_mutex_unlock(&mu);
    co_mutex_lock(&mu);
    int rel = find(0, E_LREL, &mu, 1), req = find(0, E_LREQ, &mu, 1), acq = find(0, E_LACQ, &mu, 1);
    ck_assert(rel >= 0 && req > rel && acq > req);
}
END_TEST

static co_rwmutex rw;

START_TEST(rwmutex_edges)
{
    install();
    const void *R = &rw, *W = (const char *)&rw + 1;
    co_rwmutex_rlock(&rw);
    ck_assert_int_ge(find(0, E_ACQ, R, 1), 0);
    ck_assert_int_ge(find(0, E_RLREQ, &rw, 1), 0);
    ck_assert_int_gt(find(0, E_RLACQ, &rw, 1), find(0, E_RLREQ, &rw, 1));
    co_rwmutex_runlock(&rw);
    ck_assert_int_ge(find(0, E_REL, W, 1), 0);
    ck_assert_int_ge(find(0, E_RLREL, &rw, 1), 0);
    nrec = 0;
    co_rwmutex_lock(&rw);
    ck_assert_int_ge(find(0, E_ACQ, R, 1), 0);
    ck_assert_int_ge(find(0, E_ACQ, W, 1), 0);
    co_rwmutex_unlock(&rw);
    ck_assert_int_ge(find(0, E_REL, R, 1), 0);
}
END_TEST

static co_waitgroup wg;

static void doner(void *arg)
{
    (void)arg;
    co_waitgroup_done(&wg);
}

START_TEST(waitgroup_done_releases_wait_acquires)
{
    install();
    co_waitgroup_add(&wg, 1);
    ck_assert_int_eq(count(E_REL, &wg), 0); /* a positive Add does not release, as in Go */
    int64_t g = co_go(doner, NULL);
    co_waitgroup_wait(&wg);
    ck_assert_int_ge(find(0, E_REL, &wg, g), 0);
    ck_assert_int_gt(find(find(0, E_REL, &wg, g), E_ACQ, &wg, 1), 0);
}
END_TEST

static co_cond cv;
static co_mutex cvm;

static void cond_waiter(void *arg)
{
    (void)arg;
    co_mutex_lock(&cvm);
    co_cond_wait(&cv, &cvm);
    co_mutex_unlock(&cvm);
}

START_TEST(cond_signal_hands_off_to_the_woken)
{
    install();
    int64_t a = co_go(cond_waiter, NULL);
    int64_t b = co_go(cond_waiter, NULL);
    co_yield();
    nrec = 0;
    co_cond_signal(&cv);
    ck_assert_int_ge(find(0, E_HANDOFF, NULL, a), 0);
    ck_assert_int_lt(find(0, E_HANDOFF, NULL, b), 0);
    co_cond_broadcast(&cv);
    ck_assert_int_ge(find(0, E_HANDOFF, NULL, b), 0);
    co_yield();
    co_yield();
}
END_TEST

static co_once once;
static void once_fn(void *arg) { (void)arg; }

START_TEST(once_fn_return_releases_every_do_acquires)
{
    install();
    co_once_do(&once, once_fn, NULL);
    int r = find(0, E_REL, &once, 1);
    ck_assert_int_ge(r, 0);
    nrec = 0;
    co_once_do(&once, once_fn, NULL);
    ck_assert_int_ge(find(0, E_ACQ, &once, 1), 0);
}
END_TEST

START_TEST(pool_put_releases_get_acquires)
{
    install();
    co_pool p = {0};
    int item;
    co_pool_put(&p, &item);
    ck_assert_int_ge(find(0, E_REL, &item, 1), 0);
    ck_assert_ptr_eq(co_pool_get(&p), &item);
    ck_assert_int_ge(find(0, E_ACQ, &item, 1), 0);
}
END_TEST

START_TEST(annotations_reach_the_checker)
{
    install();
    int x;
    co_race_release(&x);
    co_race_acquire(&x);
    ck_assert_int_ge(find(0, E_REL, &x, 1), 0);
    ck_assert_int_ge(find(0, E_ACQ, &x, 1), 0);
}
END_TEST

START_TEST(recycled_stack_is_reset)
{
    install();
    co_go(nop, NULL);
    co_yield();
    ck_assert_int_ge(count(E_RESET, NULL), 1);
}
END_TEST

static void sleeper(void *arg)
{
    (void)arg;
    co_sleep(CO_MILLISECOND);
}

START_TEST(timers_fire_on_no_goroutines_behalf)
{
    install();
    co_chan *after = co_after(CO_MILLISECOND);
    co_go(sleeper, NULL);
    int64_t t;
    nrec = 0;
    co_chan_recv(after, &t); /* the timer's send hands the value to parked main: no edge */
    ck_assert_int_eq(count(E_HANDOFF, NULL), 0);
    ck_assert_int_eq(count(E_RELACQ, NULL) + count(E_RELACQ_FOR, NULL), 0);
    co_sleep(5 * CO_MILLISECOND);
}
END_TEST

START_TEST(copied_waitgroup_is_announced)
{
    install();
    co_waitgroup *orig = calloc(2, sizeof *orig);
    co_waitgroup_add(&orig[0], 1);
    orig[1] = orig[0]; /* copied after first use, as by a by-value argument */
    ck_assert_int_eq(count(E_COPIED, NULL), 0);
    co_waitgroup_done(&orig[1]);
    ck_assert_int_eq(count(E_COPIED, &orig[1]), 1);
    co_waitgroup_add(&orig[1], 1); /* the copy is now a value of its own */
    ck_assert_int_eq(count(E_COPIED, NULL), 1);
    co_mutex m = {0};
    co_mutex_lock(&m);
    co_mutex_unlock(&m); /* used in place: never a copy */
    ck_assert_int_eq(count(E_COPIED, NULL), 1);
}
END_TEST

Suite *events_suite(void)
{
    Suite *s = suite_create("events");
    tcase_add_test(unit_tcase(s, "go"), go_creates_then_switches);
    tcase_add_test(unit_tcase(s, "unbuffered_send"), unbuffered_send_to_parked_receiver_syncs_both_ways);
    tcase_add_test(unit_tcase(s, "unbuffered_recv"), unbuffered_recv_from_parked_sender_syncs_both_ways);
    tcase_add_test(unit_tcase(s, "buffered"), buffered_slots_release_acquire);
    tcase_add_test(unit_tcase(s, "full_buffer"), full_buffer_moves_parked_sender_through_slot);
    tcase_add_test(unit_tcase(s, "close"), close_releases_and_closed_recv_acquires);
    tcase_add_test(unit_tcase(s, "select_closed"), select_recv_on_closed_acquires);
    tcase_add_test(unit_tcase(s, "chan_free"), chan_free_forgets_sync_objects);
    tcase_add_test(unit_tcase(s, "mutex"), mutex_unlock_releases_lock_acquires);
    tcase_add_test(unit_tcase(s, "rwmutex"), rwmutex_edges);
    tcase_add_test(unit_tcase(s, "waitgroup"), waitgroup_done_releases_wait_acquires);
    tcase_add_test(unit_tcase(s, "cond"), cond_signal_hands_off_to_the_woken);
    tcase_add_test(unit_tcase(s, "once"), once_fn_return_releases_every_do_acquires);
    tcase_add_test(unit_tcase(s, "pool"), pool_put_releases_get_acquires);
    tcase_add_test(unit_tcase(s, "annotations"), annotations_reach_the_checker);
    tcase_add_test(unit_tcase(s, "stack_reset"), recycled_stack_is_reset);
    tcase_add_test(unit_tcase(s, "timers"), timers_fire_on_no_goroutines_behalf);
    tcase_add_test(unit_tcase(s, "copies"), copied_waitgroup_is_announced);
    return s;
}

int main(void)
{
    return unit_run(events_suite());
}
