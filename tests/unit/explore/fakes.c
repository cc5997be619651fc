/* fakes.c - see fakes.h. */
#include "fakes.h"

#include <string.h>

#include "corace.h"
#include "detector/explore/explore.h"

uint64_t fake_yields[FAKE_MAX_LOG];
size_t fake_nyields;
fake_prio_set fake_prio_sets[FAKE_MAX_LOG];
size_t fake_nprio_sets;
intro_g fake_main, fake_other;
intro_g *fake_cur, *fake_head;
uint64_t fake_seed, fake_reseeded;
unsigned fake_nreseeds;
uint64_t (*fake_hook)(intro_g *gp);
unsigned fake_nhooks;

void fake_reset(void)
{
    fake_nyields = fake_nprio_sets = 0;
    fake_main = (intro_g){.id = 1};
    fake_other = (intro_g){.id = 2};
    fake_cur = &fake_main;
    fake_head = &fake_other;
    fake_seed = fake_reseeded = 0;
    fake_nreseeds = fake_nhooks = 0;
    fake_hook = NULL;
}

void intro_preempt(void)
{
    if (fake_nyields < FAKE_MAX_LOG) fake_yields[fake_nyields] = explore_steps();
    fake_nyields++;
}

intro_g *intro_current(void) { return fake_cur; }
intro_g *intro_runq_head(void) { return fake_head; }
int64_t intro_id(const intro_g *gp) { return gp->id; }
uint64_t intro_prio(const intro_g *gp) { return gp->prio; }

void intro_set_prio(intro_g *gp, uint64_t prio)
{
    gp->prio = prio;
    if (fake_nprio_sets < FAKE_MAX_LOG)
        fake_prio_sets[fake_nprio_sets] = (fake_prio_set){gp, prio, explore_steps()};
    fake_nprio_sets++;
}

void intro_set_prio_hook(uint64_t (*hook)(intro_g *gp))
{
    fake_hook = hook;
    fake_nhooks++;
}

uint64_t intro_seed(void) { return fake_seed; }

void intro_reseed(uint64_t seed)
{
    fake_reseeded = seed;
    fake_nreseeds++;
}
