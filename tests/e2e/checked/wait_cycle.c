/* expect: per case (argv[1]) -- check_wait_cycle.sh runs every case under seeds 1..20 and
   asserts the report against the L:name markers below (grep -n finds their lines).

   Positive cases (a wait-for cycle among goroutines blocked on locks; main learns from
   `notes` that every goroutine of the cycle has called its blocking lock, then returns):
     abba      two goroutines AB-BA while main keeps working, and prints after the report
     three     three goroutines in a ring of three mutexes
     relock    a goroutine locks a Mutex it holds
     rlock_w   RLock under the goroutine's own Lock
     lock_r    Lock under the goroutine's own RLock
     pending   a reader's second RLock queues behind a pending writer that waits for it
     rw_mutex  an RWMutex writer waits for a reader that waits for a mutex the writer holds
   Negative cases (no report, exit 0, "ok CASE" printed):
     order     one lock order under contention
     reread    recursive RLock by readers, with no writer ever
     handoff   goroutines blocked on locks whose holders later release them (FIFO hand-over,
               a chain of waits)
     trylock   a failing TryLock instead of a Lock closes no cycle (the back-off pattern)
     timer     lock holders sleeping (co_sleep, co_after) while others wait for the lock
     rr_cross  RLock A then RLock B, and RLock B then RLock A, at the same time, no writer
     semaphore a Mutex as a semaphore: main locks it, starts a worker that unlocks it, and
               locks it again to wait (Go lets any goroutine unlock); and RWMutex write
               locks passed the same way

   Each goroutine prints "g ROLE ID" and each lock "lock NAME ADDRESS" on stdout, so the
   script knows the ids and addresses to look for.  A goroutine sends on `notes` right
   before its blocking call: no function entry (the checker's only preemption point) lies
   between, so when main has the note the call has been made. */
#include <corace.h>
#include <stdio.h>
#include <string.h>

static co_mutex ma, mb, mc;
static co_rwmutex rw, rw2;
static co_waitgroup wg;
static co_chan *notes;       /* buffered: "I am about to block" */
static co_chan *h1, *h2, *h3;  /* handshakes */
static int token = 1;
static int counter;

static void spawn(const char *role, co_fn fn)
{
    printf("g %s %lld\n", role, (long long)co_go(fn, NULL));
}

static void show_lock(const char *name, const void *addr)
{
    printf("lock %s %p\n", name, addr);
}

static void wait_notes(int n)
{
    int t;
    for (int i = 0; i < n; i++) co_chan_recv(notes, &t);
}

static void note(void)
{
    co_chan_send(notes, &token);
}

static void pass(co_chan *give, co_chan *take)
{
    int t;
    co_chan_send(give, &token);
    co_chan_recv(take, &t);
}

/* ---- positive ------------------------------------------------------------------ */

static void abba_ab(void *arg)
{
    (void)arg;
    co_mutex_lock(&ma); /* L:abba_ab_a */
    pass(h1, h2);
    note();
    co_mutex_lock(&mb); /* L:abba_ab_b */
}

static void abba_ba(void *arg)
{
    (void)arg;
    co_mutex_lock(&mb); /* L:abba_ba_b */
    pass(h2, h1);
    note();
    co_mutex_lock(&ma); /* L:abba_ba_a */
}

static void busy(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        co_mutex_lock(&mc);
        counter += i;
        co_mutex_unlock(&mc);
        co_yield();
    }
    co_waitgroup_done(&wg);
}

static void case_abba(void)
{
    show_lock("a", &ma);
    show_lock("b", &mb);
    spawn("ab", abba_ab);
    spawn("ba", abba_ba);
    printf("main: before\n");
    wait_notes(2);
    /* Other work, while the two stay blocked. */
    co_waitgroup_add(&wg, 2);
    co_go(busy, NULL);
    co_go(busy, NULL);
    co_waitgroup_wait(&wg);
    co_sleep(CO_MILLISECOND);
    co_mutex_lock(&mc);
    printf("main: after %d\n", counter);
    co_mutex_unlock(&mc);
}

static co_mutex ring[3];
static co_chan *ring_h[3];
static int ring_id[3];

static void ring_member(void *arg)
{
    int i = *(int *)arg, t;
    co_mutex_lock(&ring[i]); /* L:three_first */
    co_chan_send(ring_h[i], &token);
    co_chan_recv(ring_h[(i + 1) % 3], &t);
    note();
    co_mutex_lock(&ring[(i + 1) % 3]); /* L:three_second */
}

static void case_three(void)
{
    for (int i = 0; i < 3; i++) {
        char name[8];
        snprintf(name, sizeof name, "r%d", i);
        show_lock(name, &ring[i]);
        ring_h[i] = co_chan_make(sizeof(int), 1);
        ring_id[i] = i;
    }
    for (int i = 0; i < 3; i++) printf("g p%d %lld\n", i, (long long)co_go(ring_member, &ring_id[i]));
    wait_notes(3);
}

static void relock(void *arg)
{
    (void)arg;
    co_mutex_lock(&ma); /* L:relock_1 */
    note();
    co_mutex_lock(&ma); /* L:relock_2 */
}

static void case_relock(void)
{
    show_lock("a", &ma);
    spawn("x", relock);
    wait_notes(1);
}

static void rlock_under_lock(void *arg)
{
    (void)arg;
    co_rwmutex_lock(&rw); /* L:rlock_w_1 */
    note();
    co_rwmutex_rlock(&rw); /* L:rlock_w_2 */
}

static void case_rlock_w(void)
{
    show_lock("rw", &rw);
    spawn("x", rlock_under_lock);
    wait_notes(1);
}

static void lock_under_rlock(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&rw); /* L:lock_r_1 */
    note();
    co_rwmutex_lock(&rw); /* L:lock_r_2 */
}

static void case_lock_r(void)
{
    show_lock("rw", &rw);
    spawn("x", lock_under_rlock);
    wait_notes(1);
}

static void pending_reader(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&rw); /* L:pending_r1 */
    pass(h1, h2);          /* h2 is unbuffered: the writer calls Lock right after */
    note();
    co_rwmutex_rlock(&rw); /* L:pending_r2 */
}

static void pending_writer(void *arg)
{
    int t;
    (void)arg;
    co_chan_recv(h1, &t);
    co_chan_send(h2, &token);
    note();
    co_rwmutex_lock(&rw); /* L:pending_w */
}

static void case_pending(void)
{
    show_lock("rw", &rw);
    spawn("r", pending_reader);
    spawn("w", pending_writer);
    wait_notes(2);
}

static void rwm_writer(void *arg)
{
    (void)arg;
    co_mutex_lock(&ma); /* L:rwm_w_m */
    pass(h1, h2);
    note();
    co_rwmutex_lock(&rw); /* L:rwm_w_rw */
}

static void rwm_reader(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&rw); /* L:rwm_r_rw */
    pass(h2, h1);
    note();
    co_mutex_lock(&ma); /* L:rwm_r_m */
}

static void case_rw_mutex(void)
{
    show_lock("m", &ma);
    show_lock("rw", &rw);
    spawn("w", rwm_writer);
    spawn("r", rwm_reader);
    wait_notes(2);
}

/* ---- negative ------------------------------------------------------------------ */

static void ordered(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50; i++) {
        co_mutex_lock(&ma);
        co_yield();
        co_mutex_lock(&mb);
        co_yield();
        counter++;
        co_mutex_unlock(&mb);
        co_yield();
        co_mutex_unlock(&ma);
        co_yield();
    }
    co_waitgroup_done(&wg);
}

static void case_order(void)
{
    co_waitgroup_add(&wg, 4);
    for (int i = 0; i < 4; i++) spawn("o", ordered);
    co_waitgroup_wait(&wg);
    printf("counter %d\n", counter);
}

static void rereader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        co_rwmutex_rlock(&rw);
        co_yield();
        co_rwmutex_rlock(&rw);
        co_yield();
        co_rwmutex_runlock(&rw);
        co_rwmutex_runlock(&rw);
    }
    co_waitgroup_done(&wg);
}

static void case_reread(void)
{
    co_waitgroup_add(&wg, 3);
    for (int i = 0; i < 3; i++) spawn("r", rereader);
    co_waitgroup_wait(&wg);
}

static void handoff_holder(void *arg)
{
    (void)arg;
    co_mutex_lock(&ma);
    co_chan_send(h1, &token);
    for (int i = 0; i < 10; i++) co_yield();
    co_sleep(CO_MILLISECOND);
    co_mutex_unlock(&ma);
    co_waitgroup_done(&wg);
}

static void handoff_waiter(void *arg)
{
    (void)arg;
    co_mutex_lock(&ma);
    counter++;
    co_mutex_unlock(&ma);
    co_waitgroup_done(&wg);
}

/* Holds b while it waits for a: whoever waits for b waits in a chain. */
static void handoff_chain1(void *arg)
{
    (void)arg;
    co_mutex_lock(&mb);
    co_chan_send(h2, &token);
    co_mutex_lock(&ma);
    co_mutex_unlock(&ma);
    co_mutex_unlock(&mb);
    co_waitgroup_done(&wg);
}

static void handoff_chain2(void *arg)
{
    (void)arg;
    co_mutex_lock(&mb);
    co_mutex_unlock(&mb);
    co_waitgroup_done(&wg);
}

static void case_handoff(void)
{
    int t;
    h1 = co_chan_make(sizeof(int), 1);
    h2 = co_chan_make(sizeof(int), 1);
    co_waitgroup_add(&wg, 6);
    spawn("holder", handoff_holder);
    co_chan_recv(h1, &t);
    spawn("w1", handoff_waiter);
    spawn("w2", handoff_waiter);
    spawn("w3", handoff_waiter);
    spawn("chain1", handoff_chain1);
    co_chan_recv(h2, &t);
    spawn("chain2", handoff_chain2);
    co_waitgroup_wait(&wg);
    printf("counter %d\n", counter);
}

static void try_first(void *arg)
{
    int t;
    (void)arg;
    co_chan_recv(h1, &t);       /* the other holds b */
    co_mutex_lock(&ma);
    co_chan_send(h2, &token);
    co_mutex_lock(&mb);         /* waits for the other's b, until it backs off */
    counter++;
    co_mutex_unlock(&mb);
    co_mutex_unlock(&ma);
    co_waitgroup_done(&wg);
}

static void try_backoff(void *arg)
{
    int t;
    (void)arg;
    co_mutex_lock(&mb);
    co_chan_send(h1, &token);
    co_chan_recv(h2, &t);       /* the other holds a and waits for b */
    if (co_mutex_trylock(&ma)) {
        printf("trylock succeeded: unexpected\n");
        co_mutex_unlock(&ma);
    }
    co_mutex_unlock(&mb);       /* back off, then take both in order */
    co_mutex_lock(&ma);
    co_mutex_lock(&mb);
    counter++;
    co_mutex_unlock(&mb);
    co_mutex_unlock(&ma);
    co_waitgroup_done(&wg);
}

static void case_trylock(void)
{
    co_waitgroup_add(&wg, 2);
    spawn("first", try_first);
    spawn("backoff", try_backoff);
    co_waitgroup_wait(&wg);
    printf("counter %d\n", counter);
}

static void sleeper(void *arg)
{
    (void)arg;
    co_mutex_lock(&ma);
    co_chan_send(h1, &token);
    co_sleep(2 * CO_MILLISECOND);
    co_mutex_unlock(&ma);
    co_waitgroup_done(&wg);
}

static void after_waiter(void *arg)
{
    int64_t t;
    (void)arg;
    co_mutex_lock(&mb);
    co_chan_send(h2, &token);
    co_chan_recv(co_after(2 * CO_MILLISECOND), &t);
    co_mutex_unlock(&mb);
    co_waitgroup_done(&wg);
}

static void timer_waiter(void *arg)
{
    (void)arg;
    co_mutex_lock(&ma);
    co_mutex_lock(&mb);
    counter++;
    co_mutex_unlock(&mb);
    co_mutex_unlock(&ma);
    co_waitgroup_done(&wg);
}

static void case_timer(void)
{
    int t;
    h1 = co_chan_make(sizeof(int), 1);
    h2 = co_chan_make(sizeof(int), 1);
    co_waitgroup_add(&wg, 4);
    spawn("sleeper", sleeper);
    spawn("after", after_waiter);
    co_chan_recv(h1, &t);
    co_chan_recv(h2, &t);
    spawn("w1", timer_waiter);
    spawn("w2", timer_waiter);
    co_mutex_lock(&mc); /* main too holds a lock while it sleeps */
    co_sleep(CO_MILLISECOND);
    co_mutex_unlock(&mc);
    co_waitgroup_wait(&wg);
    printf("counter %d\n", counter);
}

static void rr_ab(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&rw);
    pass(h1, h2);
    co_rwmutex_rlock(&rw2);
    co_rwmutex_runlock(&rw2);
    co_rwmutex_runlock(&rw);
    co_waitgroup_done(&wg);
}

static void rr_ba(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&rw2);
    pass(h2, h1);
    co_rwmutex_rlock(&rw);
    co_rwmutex_runlock(&rw);
    co_rwmutex_runlock(&rw2);
    co_waitgroup_done(&wg);
}

static void case_rr_cross(void)
{
    co_waitgroup_add(&wg, 2);
    spawn("ab", rr_ab);
    spawn("ba", rr_ba);
    co_waitgroup_wait(&wg);
}

static void unlocker(void *arg)
{
    (void)arg;
    counter++;
    co_mutex_unlock(&ma);
}

static void w_unlocker(void *arg)
{
    (void)arg;
    counter++;
    co_rwmutex_unlock(&rw);
}

static void case_semaphore(void)
{
    for (int i = 0; i < 3; i++) {
        co_mutex_lock(&ma);
        spawn("unlocker", unlocker);
        co_mutex_lock(&ma); /* waits until the worker unlocks */
        co_mutex_unlock(&ma);
        co_rwmutex_lock(&rw);
        spawn("w_unlocker", w_unlocker);
        co_rwmutex_lock(&rw);
        co_rwmutex_unlock(&rw);
    }
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    {"abba", case_abba},       {"three", case_three},       {"relock", case_relock},
    {"rlock_w", case_rlock_w}, {"lock_r", case_lock_r},     {"pending", case_pending},
    {"rw_mutex", case_rw_mutex}, {"order", case_order},     {"reread", case_reread},
    {"handoff", case_handoff}, {"trylock", case_trylock},   {"timer", case_timer},
    {"rr_cross", case_rr_cross}, {"semaphore", case_semaphore},
};

int main(int argc, char **argv)
{
    notes = co_chan_make(sizeof(int), 8);
    h1 = co_chan_make(sizeof(int), 1);
    h2 = co_chan_make(sizeof(int), 0);
    h3 = co_chan_make(sizeof(int), 1);
    for (size_t i = 0; argc > 1 && i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            printf("ok %s\n", argv[1]);
            return 0;
        }
    fprintf(stderr, "usage: wait_cycle CASE\n");
    return 3;
}
