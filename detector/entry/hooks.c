/*
 * hooks.c - the checker's side of runtime/events.h, and its start-up.
 *
 * The runtime announces goroutines and happens-before edges; this table
 * turns them into clock operations.  Start-up (from the first __tsan_init,
 * before main) refuses a program that also carries libtsan, reads
 * CORACE_OPTIONS, installs the table and arranges for the race count to
 * decide the exit status.
 *
 * Every hook runs with race_abi_depth raised, so that what the detector
 * itself calls through the libc wrappers never comes back into it.
 *
 * Checked mode also preempts (detector/explore): by default at instrumented
 * function entries the running goroutine yields after a number of entries
 * drawn from a generator seeded by the scheduling seed, so different seeds
 * see different interleavings and the same seed the same one; the random
 * and pct strategies also count the sync operations announced here as
 * steps (explore_sync: decided here, since the runtime is in the middle of
 * an operation, and yielded at the next preemption point: an instrumented
 * access, or the entry of the next sync operation, before it takes effect,
 * so another goroutine can run between lock(a) and lock(b)).
 */
#include <stdio.h>
#include <stdlib.h>

#include "corace.h"
#include "detector/deadlock/gorecords.h"
#include "detector/deadlock/locks.h"
#include "detector/entry/intercept.h"
#include "detector/entry/libtsan_check.h"
#include "detector/deadlock/partial.h"
#include "detector/explore/explore.h"
#include "detector/race/race.h"
#include "detector/core/options.h"
#include "detector/report/kinds.h"
#include "detector/report/report.h"
#include "detector/report/suppressions.h"
#include "runtime/events.h"
#include "runtime/introspect.h"

static void *h_go_main(void)
{
    race_abi_depth++;
    void *gs = race_main();
    race_abi_depth--;
    return gs;
}
static void *h_go_create(void *parent, int64_t goid, uintptr_t pc)
{
    race_abi_depth++;
    void *gs = race_go_create(parent, goid, pc);
    if (explore_on) explore_sync();
    race_abi_depth--;
    return gs;
}
static void h_go_exit(void *gs)
{
    race_abi_depth++;
    race_go_exit(gs);
    partial_goroutine_exited();
    race_abi_depth--;
}
/* A step of the explore strategies at a sync operation. */
#define SYNC_STEP() do { if (__builtin_expect(explore_on, 0)) explore_sync(); } while (0)

/* Outside the runtime's operation, as an instrumented access is: the
   yield a sync step decided happens here, before the operation. */
static void h_sync_point(void)
{
    if (__builtin_expect(explore_on, 0)) explore_sync_point();
}

static void h_go_switch(void *gs)
{
    race_abi_depth++;
    race_switch(gs);
    explore_switched();
    race_abi_depth--;
}
static void h_acquire(const void *s) { race_abi_depth++; race_acquire(s); SYNC_STEP(); race_abi_depth--; }
static void h_release_merge(const void *s) { race_abi_depth++; race_release_merge(s); SYNC_STEP(); race_abi_depth--; }
static void h_release_acquire(const void *s) { race_abi_depth++; race_release_acquire(s); SYNC_STEP(); race_abi_depth--; }
static void h_handoff(void *to) { race_abi_depth++; race_handoff(to); SYNC_STEP(); race_abi_depth--; }
static void h_handback(void *from) { race_abi_depth++; race_handback(from); race_abi_depth--; }
static void h_sync_free(const void *s) { race_abi_depth++; race_sync_free(s); race_abi_depth--; }
static void h_mem_reset(void *a, size_t n) { race_abi_depth++; race_reset(a, n); race_abi_depth--; }
static void h_read(const void *a, size_t n, uintptr_t pc) { race_abi_depth++; race_read(a, n, pc); race_abi_depth--; }
static void h_write(const void *a, size_t n, uintptr_t pc) { race_abi_depth++; race_write(a, n, pc); race_abi_depth--; }
static void at_exit(void);
static void h_finish(void) { at_exit(); }

static void h_release_acquire_for(void *gs, const void *s)
{
    race_abi_depth++;
    race_release_acquire_g(gs, s);
    race_abi_depth--;
}

void copies_first_use(const void *obj, uintptr_t pc);
void copies_copied(const void *obj, const void *original, const char *type, uintptr_t pc);

static void h_sync_first_use(const void *obj, uintptr_t pc)
{
    race_abi_depth++;
    copies_first_use(obj, pc);
    race_abi_depth--;
}

static void h_sync_copied(const void *obj, const void *original, const char *type, uintptr_t pc)
{
    race_abi_depth++;
    copies_copied(obj, original, type, pc);
    race_abi_depth--;
}

static void h_lock_request(const void *l, const char *t, bool shared, bool blocks, uintptr_t pc)
{
    race_abi_depth++;
    dl_request(l, t, shared, blocks, pc);
    SYNC_STEP();
    race_abi_depth--;
}

static void h_lock_acquired(const void *l, const char *t, bool shared, uintptr_t pc)
{
    race_abi_depth++;
    dl_acquired(l, t, shared, pc);
    race_abi_depth--;
}

static void h_lock_released(const void *l, bool shared)
{
    race_abi_depth++;
    dl_released(l, shared);
    race_abi_depth--;
}

static void h_lock_granted(void *gs, const void *l, bool shared)
{
    race_abi_depth++;
    dl_granted(gs, l, shared);
    race_abi_depth--;
}

static void h_dump_waits(FILE *f)
{
    race_abi_depth++;
    if (corace_opts.detect_deadlocks) waitfor_dump(f, (uintptr_t)__builtin_frame_address(0));
    race_abi_depth--;
}

static void h_sched_idle(void)
{
    race_abi_depth++;
    partial_sched_idle();
    race_abi_depth--;
}

static void h_fatal(const char *kind, const char *message, const uintptr_t *pcs, int npcs)
{
    race_abi_depth++;
    gorecords_fatal(kind, message, pcs, npcs);
    explore_finish();   /* the trace of a run that dies: _exit follows */
    race_abi_depth--;
}

static const ev_hooks hooks = {
    .go_main = h_go_main,
    .go_create = h_go_create,
    .go_exit = h_go_exit,
    .go_switch = h_go_switch,
    .acquire = h_acquire,
    .release_merge = h_release_merge,
    .release_acquire = h_release_acquire,
    .release_acquire_for = h_release_acquire_for,
    .handoff = h_handoff,
    .handback = h_handback,
    .sync_free = h_sync_free,
    .mem_reset = h_mem_reset,
    .read = h_read,
    .write = h_write,
    .finish = h_finish,
    .sync_first_use = h_sync_first_use,
    .sync_copied = h_sync_copied,
    .lock_request = h_lock_request,
    .lock_acquired = h_lock_acquired,
    .lock_released = h_lock_released,
    .lock_granted = h_lock_granted,
    .dump_waits = h_dump_waits,
    .sched_idle = h_sched_idle,
    .fatal = h_fatal,
    .sync_point = h_sync_point,
};

/* A leaked goroutine is left out of the leak report when a leak rule
   matches a frame of its stack or of its creation stack. */
static bool leak_suppressed(intro_g *gp)
{
    return partial_goroutine_suppressed(gp, finding_of(FINDING_LEAK)->suppress);
}

/* At exit: goroutines left behind count as findings, then the verdict. */
static void at_exit(void)
{
    static int done;   /* co_exit's finish, then atexit: report once */
    if (done++) return;
    race_abi_depth++;
    if (corace_opts.detect_deadlocks) waitfor_confirm();
    int leaked = corace_opts.format == CORACE_FORMAT_JSON ? gorecords_leaks(report_stream(), leak_suppressed)
                                                           : intro_leak_report(report_stream(), leak_suppressed);
    if (leaked > 0) report_other_findings(1);
    partial_print_stats();
    race_abi_depth--;
    report_finish();
}

/* ---- preemption ---- */

/* An instrumented function entry: a step of every strategy. */
void race_maybe_preempt(void) { explore_entry(); }

void race_start(void)
{
    static int started;
    if (started) return;
    started = 1;
    race_refuse_libtsan();
    options_init();
    suppressions_init();   /* a malformed file stops the program here */
    if (corace_opts_set.seed) {
        /* The option stands for CO_SEED, for the scheduler too, which reads
           it when co__ev_install starts it. */
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)corace_opts.seed);
        setenv("CO_SEED", buf, 1);
    }
    race_init();
    co__ev_install(&hooks);
    atexit(at_exit);
    /* Every way out of a checked run passes report_finish (at_exit, and
       halt_on_error), or h_fatal: the decision trace is written there. */
    report_finish_hook = explore_finish;
    /* May become the fork server (CORACE_EXPLORE), or exit 1 when a replay
       trace is not this program's: before main either way. */
    explore_start();
}
