/*
 * strategy.c - which goroutine runs next, at each preemption point.
 *
 *   entry   (default) yield after a budget of 1..64 instrumented function
 *           entries drawn from a generator seeded by CO_SEED: corace's
 *           behaviour before exploration existed, bit for bit; memory
 *           accesses and sync operations are not steps.
 *   random  every step yields with probability p = 1/2^j, j uniform in 1..8
 *           and drawn once from the seed, so seeds try dense and sparse
 *           preemption alike.
 *   pct     Burckhardt et al., ASPLOS 2010: each goroutine gets a random
 *           distinct priority when it first becomes runnable; the runtime's
 *           run queue is kept in priority order (intro_set_prio_hook), so the
 *           highest-priority runnable goroutine runs; d-1 change points
 *           uniform in 1..k; at the i-th (in step order) the running
 *           goroutine's priority drops to i-1 of the d-1 low priorities
 *           (stored as i, below every initial one, which are >= d+1).  At
 *           every step the running goroutine yields if a runnable one has a
 *           higher priority.
 *
 * Every strategy draws from a generator of its own (splitmix64), never the
 * runtime's, so the runtime's seeded choices (select) stay those of CO_SEED.
 * Replay takes the decisions from the decision file (decisions.c) instead: yields for
 * entry and random; priorities and change points for pct, whose yields are
 * then recomputed and checked against the recorded ones.
 */
#include "explore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corace.h"
#include "detector/core/options.h"
#include "runtime/introspect.h"

int explore_on;
struct explore_state explore_st;
static uint64_t steps_local;
uint64_t *explore_stepp = &steps_local;

static uint64_t rng;              /* random, pct */
static uint64_t entry_rng;        /* entry: the stream hooks.c always used */
static bool seed_given;           /* CO_SEED (or seed=) was set */
static unsigned rand_shift;       /* random: yield iff the top j bits are 0 */
static bool pending;              /* a sync step decided to yield */

enum { MAX_DEPTH = 64 };
static uint64_t cps[MAX_DEPTH];   /* pct: change points, ascending */
static unsigned ncps, cp_next;
static uint64_t prio_seq;         /* pct: priorities handed out */

/* entry: function entries left before the next yield (0 = off), and the
   steps of the budgets already spent. */
static uint64_t preempt_left;
static uint64_t entry_budget, entry_base;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t explore_steps(void)
{
    if (explore_st.strategy == EXPLORE_ENTRY)
        return entry_base + (preempt_left ? entry_budget - preempt_left : 0);
    return *explore_stepp;
}

/* ---- entry ---- */

static uint64_t entry_next_budget(void)
{
    if (decisions_replaying()) {
        /* The gap to the next recorded yield; after the last one, a budget
           that runs out only past the recorded end, where the run has
           diverged. */
        uint64_t y = decisions_next_yield();
        if (y == UINT64_MAX) return decisions_nsteps() - entry_base + 1;
        return y - entry_base;
    }
    return 1 + splitmix(&entry_rng) % 64;
}

static void entry_yield(void)
{
    entry_base += entry_budget;
    if (decisions_replaying()) {
        if (entry_base > decisions_nsteps())
            decisions_diverged("the run goes past the %llu steps recorded", (unsigned long long)decisions_nsteps());
        decisions_take_yield();
    }
    if (decisions_recording()) decisions_rec_yield(entry_base);
    *explore_stepp = entry_base;
    preempt_left = entry_budget = entry_next_budget();
    intro_preempt();
}

/* ---- pct ---- */

static uint64_t pct_prio(intro_g *gp)
{
    uint64_t p;
    if (decisions_replaying()) {
        if (!decisions_prio((size_t)prio_seq, &p))
            decisions_diverged("goroutine %lld needs a priority the trace does not have", (long long)intro_id(gp));
    } else {
        /* Random high bits; the sequence number below keeps them distinct. */
        p = explore_st.depth + 1 + ((splitmix(&rng) >> 32) << 24 | (prio_seq & 0xffffff));
    }
    prio_seq++;
    if (decisions_recording()) decisions_rec_prio(p);
    return p;
}

static bool pct_decide(uint64_t s)
{
    intro_g *cur = intro_current();
    if (!intro_prio(cur)) intro_set_prio(cur, pct_prio(cur));
    while (cp_next < ncps && cps[cp_next] <= s) {
        cp_next++;
        intro_set_prio(cur, cp_next);   /* the cp_next-th change point: low priority cp_next-1 */
    }
    intro_g *h = intro_runq_head();
    return h && intro_prio(h) > intro_prio(cur);
}

/* ---- one step ---- */

static void step(bool may_yield)
{
    uint64_t s = ++*explore_stepp;
    bool y;
    if (decisions_replaying() && s > decisions_nsteps())
        decisions_diverged("the run goes past the %llu steps recorded", (unsigned long long)decisions_nsteps());
    if (explore_st.strategy == EXPLORE_PCT) {
        y = pct_decide(s);
        if (decisions_replaying() && y != (decisions_next_yield() == s))
            decisions_diverged("at step %llu the trace %s", (unsigned long long)s,
                           y ? "does not switch goroutines and this run must" : "switches goroutines and this run cannot");
    } else if (decisions_replaying()) {
        y = decisions_next_yield() == s;
    } else {
        y = splitmix(&rng) >> rand_shift == 0;
    }
    if (!y) return;
    if (decisions_replaying()) decisions_take_yield();
    if (decisions_recording()) decisions_rec_yield(s);
    if (may_yield) intro_preempt();
    else pending = true;
}

void explore_entry(void)
{
    if (__builtin_expect(explore_on, 0)) {
        explore_access();
        return;
    }
    if (preempt_left && --preempt_left == 0) entry_yield();
}

void explore_access(void)
{
    if (pending) {
        pending = false;
        intro_preempt();
    }
    step(true);
}

void explore_sync(void) { step(false); }

void explore_sync_point(void)
{
    if (pending) {
        pending = false;
        intro_preempt();
    }
}

void explore_switched(void) { pending = false; }

/* ---- set-up ---- */

void explore_configure(enum explore_strategy s, uint32_t depth, uint64_t k)
{
    explore_st.strategy = s;
    explore_st.depth = depth < 1 ? 1 : depth > MAX_DEPTH ? MAX_DEPTH : depth;
    explore_st.ksteps = k ? k : 10000;
    explore_on = s != EXPLORE_ENTRY;
    intro_set_prio_hook(s == EXPLORE_PCT ? pct_prio : NULL);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void explore_seed(uint64_t seed)
{
    explore_st.seed = seed;
    *explore_stepp = 0;
    decisions_rec_reset();
    pending = false;
    rng = seed ^ 0x6a09e667f3bcc908ull;
    /* What hooks.c always did: CO_SEED ^ 0x5eed, or 0x5eed unseeded. */
    entry_rng = (seed_given ? seed : 0) ^ 0x5eedull;
    rand_shift = 64 - (1 + (unsigned)(splitmix(&rng) % 8));
    ncps = cp_next = 0;
    prio_seq = 0;
    intro_set_prio(intro_current(), 0);
    if (explore_st.strategy == EXPLORE_PCT) {
        for (uint32_t i = 0; i + 1 < explore_st.depth; i++) {
            uint64_t c;
            if (decisions_replaying()) {
                if (!decisions_changepoint(i, &c)) break;
            } else {
                c = 1 + splitmix(&rng) % explore_st.ksteps;
            }
            cps[ncps++] = c;
        }
        qsort(cps, ncps, sizeof cps[0], cmp_u64);
        for (unsigned i = 0; i < ncps; i++)
            if (decisions_recording()) decisions_rec_changepoint(cps[i]);
    }
    entry_base = 0;
    preempt_left = entry_budget = entry_next_budget();
}

static enum explore_strategy strategy_named(const char *s)
{
    return strcmp(s, "random") == 0 ? EXPLORE_RANDOM : strcmp(s, "pct") == 0 ? EXPLORE_PCT : EXPLORE_ENTRY;
}

void explore_start(void)
{
    const char *env = getenv("CO_SEED");
    seed_given = env && *env;
    uint64_t seed = intro_seed();
    if (corace_opts.replay[0]) {
        /* The trace names the strategy and the seed; the runtime's own
           choices must follow the recorded seed too. */
        decisions_load(corace_opts.replay);
        seed = explore_st.seed;
        seed_given = true;
        intro_reseed(seed);
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)seed);
        setenv("CO_SEED", buf, 1);
        explore_configure(explore_st.strategy, explore_st.depth, explore_st.ksteps);
    } else {
        explore_configure(strategy_named(corace_opts.strategy), (uint32_t)corace_opts.pct_depth,
                          (uint64_t)corace_opts.pct_steps);
    }
    explore_seed(seed);
    explore_server();
}

void explore_finish(void)
{
    static bool done;
    if (done) return;
    done = true;
    uint64_t n = explore_steps();
    if (decisions_replaying() && n < decisions_nsteps())
        decisions_diverged("the run ended after %llu steps; the trace has %llu", (unsigned long long)n,
                       (unsigned long long)decisions_nsteps());
    if (decisions_recording() && !decisions_write(corace_opts.record, n))
        fprintf(stderr, "corace: record %s: %m\n", corace_opts.record);
}
