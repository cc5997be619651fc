/* deadlock_fakes.c - see fakes.h. */
#include "fakes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector/core/heapmap.h"
#include "runtime/traceback/stack.h"
#include "runtime/introspect.h"

fake_cycle fake_cycles[FAKE_MAX_CYCLES];
unsigned fake_ncycles;
const char *fake_degraded;

void report_cycle_found(const report_cycle *c)
{
    if (fake_ncycles < FAKE_MAX_CYCLES) {
        fake_cycle *f = &fake_cycles[fake_ncycles];
        f->kind = c->kind;
        f->classes = c->classes;
        f->n = c->n;
        for (unsigned i = 0; i < c->n && i < FAKE_MAX_STEPS; i++) f->steps[i] = c->steps[i];
    }
    fake_ncycles++;
}

void report_degraded(const char *reason) { fake_degraded = reason; }

void report_site_line(uintptr_t pc, uint32_t frame, char *buf, size_t size)
{
    (void)frame;
    snprintf(buf, size, "t.c:%lu", (unsigned long)(pc / 16));
}

#define MAX_BLOCKS 64
static heapmap_block blocks[MAX_BLOCKS];
static size_t nblocks;

void fake_heap_block(uintptr_t base, size_t size, uintptr_t alloc_pc)
{
    if (nblocks < MAX_BLOCKS) blocks[nblocks++] = (heapmap_block){base, size, alloc_pc};
}

bool heapmap_find(uintptr_t addr, uintptr_t *base, size_t *size, uintptr_t *alloc_pc)
{
    for (size_t i = 0; i < nblocks; i++)
        if (addr >= blocks[i].base && addr < blocks[i].base + blocks[i].size) {
            *base = blocks[i].base;
            *size = blocks[i].size;
            *alloc_pc = blocks[i].alloc_pc;
            return true;
        }
    return false;
}

/* Every pc is a line of t.c: pc / 16, so pcs 16 apart are different lines
   and pcs within 16 of each other one line (as inlined copies are). */
int st_symbolize(uintptr_t pc, bool is_return, st_frame *out, int max)
{
    (void)is_return;
    if (max < 1) return 0;
    out[0] = (st_frame){.func = "f", .file = "t.c", .line = (int)(pc / 16), .has_src = true};
    return 1;
}

/* A runtime without goroutines: the dump's channel cycles find none, so
   nothing may ask about one. */
intro_g *intro_first(void) { return NULL; }
intro_g *intro_current(void) { return NULL; }
size_t intro_chan_record_size(void) { return 0; }
static _Noreturn void no_goroutines(void) { abort(); }
intro_g *intro_next(const intro_g *gp) { (void)gp; no_goroutines(); }
int64_t intro_id(const intro_g *gp) { (void)gp; no_goroutines(); }
enum intro_status intro_status(const intro_g *gp) { (void)gp; no_goroutines(); }
enum intro_wait intro_waitreason(const intro_g *gp) { (void)gp; no_goroutines(); }
const void *intro_wait_object(const intro_g *gp) { (void)gp; no_goroutines(); }
void *intro_saved_sp(const intro_g *gp) { (void)gp; no_goroutines(); }
intro_range intro_stack(const intro_g *gp) { (void)gp; no_goroutines(); }
void *intro_checker_state(const intro_g *gp) { (void)gp; no_goroutines(); }

void fake_reset(void)
{
    fake_ncycles = 0;
    fake_degraded = NULL;
    memset(fake_cycles, 0, sizeof fake_cycles);
}
