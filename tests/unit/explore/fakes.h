/*
 * fakes.h - the runtime as detector/explore sees it (runtime/introspect.h
 * and intro_preempt), faked: goroutines are records the test fills in, the
 * running one and the run queue's head are whatever the test says, and
 * every yield and priority change is logged with the step it happened at.
 */
#ifndef CORACE_TEST_EXPLORE_FAKES_H
#define CORACE_TEST_EXPLORE_FAKES_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/introspect.h"

struct g {
    int64_t id;
    uint64_t prio;
};

#define FAKE_MAX_LOG 4096

/* A yield: explore_steps() when intro_preempt was called. */
extern uint64_t fake_yields[FAKE_MAX_LOG];
extern size_t fake_nyields;

/* A call of intro_set_prio, with explore_steps() at the time. */
typedef struct fake_prio_set {
    intro_g *gp;
    uint64_t prio, step;
} fake_prio_set;
extern fake_prio_set fake_prio_sets[FAKE_MAX_LOG];
extern size_t fake_nprio_sets;

extern intro_g fake_main, fake_other;
extern intro_g *fake_cur;               /* intro_current() */
extern intro_g *fake_head;              /* intro_runq_head(), may be NULL */
extern uint64_t fake_seed;              /* intro_seed() */
extern uint64_t fake_reseeded;          /* the last intro_reseed() argument */
extern unsigned fake_nreseeds;
extern uint64_t (*fake_hook)(intro_g *gp);   /* the last intro_set_prio_hook() */
extern unsigned fake_nhooks;

/* Main (id 1) running, goroutine 2 at the head of the run queue, both of
   priority 0, nothing logged. */
void fake_reset(void);

#endif
