/*
 * sched.c - goroutines and the scheduler.
 *
 * Invariants:
 *  - exactly one goroutine is G_RUNNING, and sched_cur points to it;
 *  - a G_RUNNABLE goroutine is in the run queue exactly once;
 *  - a G_WAITING goroutine is reachable only from the waiter record it
 *    parked on (or a timer), and is readied at most once per park;
 *  - every live goroutine is on the all-goroutines list, in id order.
 * Switching is direct, goroutine to goroutine: there is no scheduler stack,
 * so a hand-off costs one context switch.
 */
#define _GNU_SOURCE
#include "scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arch/ctx.h"
#include "announce.h"
#include "fatal.h"
#include "rtlibc.h"
#include "sanitizer.h"
#include "stack.h"
#include "timer.h"

const char *const waitreason_str[] = {
#define X(id, s) s,
    CO_WAITREASONS(X)
#undef X
};

static g g_main;                      /* goroutine 1, on the process stack */
const ev_hooks *ev;
int co__rt_quiet;
g *sched_cur = &g_main;

static g *runq_head, *runq_tail;
static g *all_head, *all_tail;
static int64_t last_id;
static int live_count;
static int maxprocs;
static uint64_t rng_state;
static uint64_t rng_seed;             /* where rng_state started */
uint64_t (*co__sched_prio)(g *gp);

/* ---- the seeded generator (splitmix64) ---- */

uint64_t sched_rand(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t sched_randn(uint32_t n)
{
    return (uint32_t)(((sched_rand() >> 32) * (uint64_t)n) >> 32);
}

uint64_t co__sched_seed(void) { return rng_seed; }

void co__sched_reseed(uint64_t seed) { rng_state = rng_seed = seed; }

/* ---- lists ---- */

static void all_add(g *gp)
{
    gp->allprev = all_tail;
    gp->allnext = NULL;
    if (all_tail) all_tail->allnext = gp;
    else all_head = gp;
    all_tail = gp;
    live_count++;
}

static void all_remove(g *gp)
{
    if (gp->allprev) gp->allprev->allnext = gp->allnext;
    else all_head = gp->allnext;
    if (gp->allnext) gp->allnext->allprev = gp->allprev;
    else all_tail = gp->allprev;
    live_count--;
}

g *sched_first(void) { return all_head; }

/* PCT's queue: descending priority, a newcomer after its equals.  Linear,
   but only in a program being explored. */
static __attribute__((noinline)) void runq_put_prio(g *gp)
{
    if (!gp->prio) gp->prio = co__sched_prio(gp);
    g **pp = &runq_head;
    while (*pp && (*pp)->prio >= gp->prio) pp = &(*pp)->schednext;
    gp->schednext = *pp;
    *pp = gp;
    if (!gp->schednext) runq_tail = gp;
}

g *co__sched_runq_head(void) { return runq_head; }

static void runq_put(g *gp)
{
    if (__builtin_expect(co__sched_prio != NULL, 0)) {
        runq_put_prio(gp);
        return;
    }
    gp->schednext = NULL;
    if (runq_tail) runq_tail->schednext = gp;
    else runq_head = gp;
    runq_tail = gp;
}

static g *runq_get(void)
{
    g *gp = runq_head;
    if (gp) {
        runq_head = gp->schednext;
        if (!runq_head) runq_tail = NULL;
    }
    return gp;
}

/* ---- goroutine records ---- */

/* Records come from chunks that are never returned to malloc, so a waiter
   or timer may hold a g pointer without caring whether it is recycled. */
enum { G_CHUNK = 256 };
static g *free_gs;

static g *g_alloc(void)
{
    if (!free_gs) {
        /* The runtime's own bookkeeping, not the program's heap: a checker
           scanning the heap for what goroutines can reach must not find an
           exited goroutine's entry argument here.  The barriers keep the
           compiler, which knows malloc reads no globals of ours, from
           moving the flag off the call. */
        co__rt_quiet++;
        __asm__ volatile("" ::: "memory");
        g *chunk = malloc(G_CHUNK * sizeof *chunk);
        __asm__ volatile("" ::: "memory");
        co__rt_quiet--;
        if (!chunk) fatal_throw("out of memory creating a goroutine");
        for (int i = G_CHUNK - 1; i >= 0; i--) {
            chunk[i].schednext = free_gs;
            free_gs = &chunk[i];
        }
    }
    g *gp = free_gs;
    free_gs = gp->schednext;
    rt_memset(gp, 0, sizeof *gp);
    return gp;
}

static void g_free(g *gp)
{
    gp->status = G_DEAD;
    gp->schednext = free_gs;
    free_gs = gp;
}

_Noreturn void co__goentry(g *gp);

/* ---- switching ---- */

/* The next goroutine to run.  Fires due timers first; with nothing runnable
   it sleeps until the next timer, and with no timer either every goroutine
   is asleep for good.  Under the checker so is a program whose timers can
   wake nobody (a ticker into a channel no goroutine waits on): Go hangs
   there, the checker says what it is. */
static g *pick(void)
{
    for (;;) {
        if (timer_count) timer_fire_due(co_now());
        g *gp = runq_get();
        if (gp) return gp;
        if (!timer_count || (EV_ON && !timer_can_wake())) fatal_deadlock();
        ev_sched_idle();
        timer_sleep_until_next();
    }
}

/* Bind a stack to a goroutine about to run for the first time and lay out
   the frame ctx_switch resumes into: the trampoline, calling the entry. */
static void first_frame(g *gp)
{
    gp->sp = ctx_frame_init(stack_bind(gp), (void *)co__goentry, gp);
    /* A recycled stack still carries the accesses of its last goroutine. */
    ev_mem_reset(gp->stack_lo, gp->stack_size);
}

static void switch_to(g *from, g *to)
{
    sched_cur = to;
    to->status = G_RUNNING;
    if (to == from) return;
    if (!to->sp) first_frame(to);
    ev_go_switch(to);
    san_switch_start(&from->asan_fake, to);
    ctx_switch(&from->sp, to->sp);
    san_switch_finish(from->asan_fake);
}

void sched_park(enum waitreason wr)
{
    g *cur = sched_cur;
    cur->status = G_WAITING;
    cur->waitreason = (uint8_t)wr;
    switch_to(cur, pick());
}

void sched_ready(g *gp)
{
    gp->status = G_RUNNABLE;
    runq_put(gp);
}

/* Lets the next runnable goroutine run: cur goes into the run queue by
   the queue's order (priority, under PCT) unless behind_all. */
static void yield(bool behind_all)
{
    g *cur = sched_cur;
    if (timer_count) timer_fire_due(co_now());
    if (!runq_head) return;
    cur->status = G_RUNNABLE;
    if (behind_all && co__sched_prio) {
        if (!cur->prio) cur->prio = co__sched_prio(cur);
        cur->schednext = NULL;
        runq_tail->schednext = cur;
        runq_tail = cur;
    } else {
        runq_put(cur);
    }
    switch_to(cur, runq_get());
}

/* A program's yield asks that the others run: behind every runnable
   goroutine, as in FIFO order, even under PCT's priorities, where a
   goroutine spinning on co_yield would otherwise run again at once and
   starve the rest until a change point.  It keeps its priority for the
   next time it enters the queue. */
void co_yield(void) { yield(true); }

/* Exploration's preemption: by priority (PCT yields only to a higher one). */
void sched_preempt(void) { yield(false); }

/* ---- goroutine life ---- */

static _Noreturn void goexit(void)
{
    g *gp = sched_cur;
    ev_go_exit(gp);
    all_remove(gp);
    g *next = pick();
    /* The next goroutine's stack is bound before this one's is released:
       the release hands out a stack still in use until the jump below. */
    if (!next->sp) first_frame(next);
    stack_release(gp);
    g_free(gp);
    sched_cur = next;
    next->status = G_RUNNING;
    ev_go_switch(next);
    san_switch_start(NULL, next);
    ctx_jump(next->sp);
}

/* The first function on every goroutine stack, under co__trampoline. */
_Noreturn void co__goentry(g *gp)
{
    san_switch_finish(NULL);
    gp->fn(gp->arg);
    goexit();
}

int64_t co_go(co_fn fn, void *arg)
{
    if (!fn) fatal_throw("go of nil func value");
    g *gp = g_alloc();
    gp->id = ++last_id;
    gp->fn = fn;
    gp->arg = arg;
    gp->created_pc = (uintptr_t)__builtin_return_address(0);
    gp->parent_id = sched_cur->id;
    /* HB: the go statement is synchronized before the new goroutine starts. */
    ev_go_create(sched_cur, gp);
    all_add(gp);
    sched_ready(gp);
    return gp->id;
}

int64_t co_id(void) { return sched_cur->id; }

int co_num_goroutine(void) { return live_count; }

int co_maxprocs(int n)
{
    int prev = maxprocs;
    if (n > 0) maxprocs = n;
    return prev;
}

void co_exit(int code)
{
    if (ev) ev->finish();
    fflush(NULL);
    exit(code);
}

/* ---- the checker ---- */

void co__ev_install(const ev_hooks *h)
{
    sched_init();
    if (ev) return;
    ev = h;
    for (g *gp = all_head; gp; gp = gp->allnext)
        gp->race = gp == &g_main ? h->go_main() : h->go_create(g_main.race, gp->id, gp->created_pc);
    h->go_switch(sched_cur->race);
}

/* ---- setup ---- */

static uint64_t parse_env_u64(const char *name, uint64_t dflt)
{
    const char *s = getenv(name);
    if (!s || !*s) return dflt;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end) fatal_msg("%s must be a non-negative integer (got \"%s\")", name, s);
    return v;
}

void sched_init(void)
{
    static bool done;
    if (done) return;
    done = true;
    g_main.id = last_id = 1;
    g_main.status = G_RUNNING;
    all_add(&g_main);

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    rng_state = rng_seed = parse_env_u64("CO_SEED", (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid());
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t mp = parse_env_u64("CO_MAXPROCS", ncpu > 0 ? (uint64_t)ncpu : 1);
    maxprocs = mp > 0 && mp < 1u << 20 ? (int)mp : 1;

    /* Main's bounds, for ASan's switch calls and to tell its overflow apart. */
    pthread_attr_t a;
    if (pthread_getattr_np(pthread_self(), &a) == 0) {
        pthread_attr_getstack(&a, &g_main.stack_lo, &g_main.stack_size);
        pthread_attr_destroy(&a);
    }
    fatal_install_signals();
}

__attribute__((constructor(101))) static void sched_ctor(void) { sched_init(); }
