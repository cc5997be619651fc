/*
 * partial_fakes.h - the world detector/deadlock/partial.c scans, faked:
 * goroutines with stacks of their own, heap blocks, armed timers, and the
 * report sink, for test_partial.c.
 *
 * Reports are rendered by the real renderers (detector/report/render_text.c)
 * from the records partial.c builds; a stack is one frame, function
 * f<pc> at line pc of t.c, the pc of a suspended goroutine being
 * 0x1000 + its id and that of its creation 0x3000 + its id.
 *
 * The scan reads the writable segments of every loaded object, so the
 * fakes keep nothing that points at a block in a global: every record,
 * stack and table lives in memory from malloc that is not a recorded heap
 * block, which the scan never reads.  A test keeps its blocks in locals
 * (on the thread's own stack, which no fake goroutine owns) unless it
 * means a word to be a root.
 */
#ifndef CORACE_TEST_PARTIAL_FAKES_H
#define CORACE_TEST_PARTIAL_FAKES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/introspect.h"

enum { FAKE_STACK_WORDS = 64, FAKE_SP = 32 };

struct g {
    int64_t id;
    enum intro_status status;
    enum intro_wait wr;
    const void *obj;
    intro_case cases[4];
    uint32_t ncases;
    uintptr_t *stack;      /* FAKE_STACK_WORDS words; [FAKE_SP, end) live once it ran */
    unsigned nheld;        /* live words used */
    bool ran;
    void *arg;
    intro_range record;
    struct g *next;
};

/* No goroutines, blocks or timers; text reports; nothing reported. */
void fake_reset(void);

/* A goroutine that has run (its saved stack pointer at FAKE_SP), appended
   to the list in id order. */
intro_g *fake_go(int64_t id, enum intro_status st);
/* It parks: on obj (a channel, WaitGroup, Cond or lock), or in a select. */
void fake_wait(intro_g *gp, enum intro_wait wr, const void *obj);
void fake_select_case(intro_g *gp, const void *chan, bool recv);
/* A word on its stack above the saved stack pointer (p: a pointer). */
void fake_hold(intro_g *gp, const void *p);
/* A word below the saved stack pointer: dead. */
void fake_hold_below_sp(intro_g *gp, const void *p);
/* The address of a live stack slot, to place an object on the stack; of
   a slot below the saved stack pointer.  Goroutines' stacks follow each
   other in memory in creation order: the top of one is the first dead
   slot's end of the next. */
void *fake_stack_slot(intro_g *gp, unsigned i);
void *fake_dead_slot(intro_g *gp, unsigned i);
/* Never ran: no saved stack pointer, only its entry argument. */
void fake_never_ran(intro_g *gp, void *arg);
/* A saved stack pointer but no known stack. */
void fake_unknown_stack(intro_g *gp);

/* A recorded heap block of size bytes, zeroed (a channel, a box). */
void *fake_block(size_t size);
/* An armed timer whose record is the block t (of size bytes); chan, if
   not NULL, is the channel it feeds. */
void fake_timer(void *t, size_t size, const void *chan);

/* intro_current(): the exiting goroutine for partial_goroutine_exited,
   NULL (none on the list) for partial_sched_idle. */
extern intro_g *fake_cur;
/* The suppression rules match a stack whose innermost pc is this (0: no
   rules loaded). */
extern uintptr_t fake_suppressed_pc;

/* What the report sink received, NUL-terminated. */
const char *fake_report_text(void);
/* report_other_findings' total. */
unsigned fake_findings(void);

#endif
