/* deadlock_fakes.c - see fakes.h. */
#include "fakes.h"

#include <stdio.h>
#include <string.h>

#include "detector/core/heapmap.h"
#include "runtime/traceback/stack.h"
#include "runtime/scheduler.h"

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

g *sched_first(void) { return NULL; }
g *sched_cur;

void fake_reset(void)
{
    fake_ncycles = 0;
    fake_degraded = NULL;
    memset(fake_cycles, 0, sizeof fake_cycles);
}
