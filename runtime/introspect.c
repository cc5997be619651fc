/*
 * introspect.c - the checker's view of the runtime (introspect.h), read
 * off the records it must not see.
 */
#include "introspect.h"

#include "chan.h"
#include "fatal.h"
#include "g.h"
#include "scheduler.h"
#include "timer.h"

/* The enums are handed over by value: a reordering on either side must
   fail to compile rather than rename every state the checker reports. */
#define X(id, s) _Static_assert((int)INTRO_##id == (int)id, "intro_wait out of step with " #id);
CO_WAITREASONS(X)
#undef X
_Static_assert((int)INTRO_RUNNABLE == (int)G_RUNNABLE && (int)INTRO_RUNNING == (int)G_RUNNING &&
                   (int)INTRO_WAITING == (int)G_WAITING && (int)INTRO_DEAD == (int)G_DEAD,
               "intro_status out of step with enum g_status");

/* runtime/leak.c; exported, so declared as it is there. */
__attribute__((visibility("default"))) int co__leak_report(FILE *f, bool (*skip)(g *gp));

/* ---- goroutines ---- */

intro_g *intro_current(void) { return sched_cur; }
intro_g *intro_first(void) { return sched_first(); }
intro_g *intro_next(const intro_g *gp) { return gp->allnext; }

int64_t intro_id(const intro_g *gp) { return gp->id; }
enum intro_status intro_status(const intro_g *gp) { return (enum intro_status)gp->status; }
enum intro_wait intro_waitreason(const intro_g *gp) { return (enum intro_wait)gp->waitreason; }
const char *intro_waitreason_str(enum intro_wait wr) { return waitreason_str[wr]; }

/* A channel wait names its channel by the queue it waits in. */
static const co_chan *chan_of(const g *gp)
{
    size_t off = gp->waitreason == WR_CHAN_SEND ? offsetof(struct co_chan, sendq)
                                                : offsetof(struct co_chan, recvq);
    return (const co_chan *)((const char *)gp->waitobj - off);
}

const void *intro_wait_object(const intro_g *gp)
{
    switch (gp->waitreason) {
    case WR_CHAN_SEND:
    case WR_CHAN_RECV:
        return chan_of(gp);
    case WR_WAITGROUP:
        return (const char *)gp->waitobj - offsetof(co_waitgroup, _waiters);
    case WR_SELECT:
        return NULL;
    default:
        return gp->waitobj;
    }
}

uint32_t intro_select_ncases(const intro_g *gp) { return gp->waitreason == WR_SELECT ? gp->waitn : 0; }

intro_case intro_select_case(const intro_g *gp, uint32_t i)
{
    const co_case *k = (const co_case *)gp->waitobj + i;
    return (intro_case){ k->_chan, k->_dir == 2 };
}

void *intro_saved_sp(const intro_g *gp) { return gp->sp; }

intro_range intro_stack(const intro_g *gp)
{
    uintptr_t lo = (uintptr_t)gp->stack_lo;
    return (intro_range){ lo, lo + gp->stack_size };
}

intro_range intro_record(const intro_g *gp) { return (intro_range){ (uintptr_t)gp, (uintptr_t)(gp + 1) }; }

uintptr_t intro_entry_fn(const intro_g *gp) { return (uintptr_t)gp->fn; }
void *intro_entry_arg(const intro_g *gp) { return gp->arg; }
uintptr_t intro_created_pc(const intro_g *gp) { return gp->created_pc; }
int64_t intro_parent_id(const intro_g *gp) { return gp->parent_id; }
void *intro_checker_state(const intro_g *gp) { return gp->race; }

int intro_leak_report(FILE *f, bool (*skip)(intro_g *gp)) { return co__leak_report(f, skip); }

/* ---- channels and timers ---- */

size_t intro_chan_record_size(void) { return sizeof(struct co_chan); }

bool intro_chan_timer_armed(const co_chan *c) { return c && c->timer && c->timer->heap_idx >= 0; }

uint32_t intro_timer_count(void) { return timer_count; }

intro_range intro_timer(uint32_t i)
{
    tmr *t = timer_nth(i);
    return (intro_range){ (uintptr_t)t, (uintptr_t)(t + 1) };
}

/* ---- steering ---- */

uint64_t intro_seed(void) { return co__sched_seed(); }
void intro_reseed(uint64_t seed) { co__sched_reseed(seed); }
void intro_set_prio_hook(uint64_t (*hook)(intro_g *gp)) { co__sched_prio = hook; }
uint64_t intro_prio(const intro_g *gp) { return gp->prio; }
void intro_set_prio(intro_g *gp, uint64_t prio) { gp->prio = prio; }
intro_g *intro_runq_head(void) { return co__sched_runq_head(); }
void intro_preempt(void) { sched_preempt(); }
