/*
 * fakes.h - stand-ins for what detector/deadlock calls outside itself: the
 * report sink (cycles are copied, not printed), the heap map (blocks the
 * test declares), the symbolizer (a pc's "line" is pc / 16) and the
 * runtime's goroutine list (empty: no channel cycles here).
 */
#ifndef CORACE_TEST_DEADLOCK_FAKES_H
#define CORACE_TEST_DEADLOCK_FAKES_H

#include <stdint.h>

#include "detector/report/report.h"

#define FAKE_MAX_CYCLES 64
#define FAKE_MAX_STEPS 16

typedef struct fake_cycle {
    enum report_cycle_kind kind;
    bool classes;
    unsigned n;
    report_step steps[FAKE_MAX_STEPS];
} fake_cycle;

extern fake_cycle fake_cycles[FAKE_MAX_CYCLES];
extern unsigned fake_ncycles;
extern const char *fake_degraded;

/* A heap block [base, base + size) allocated at alloc_pc. */
void fake_heap_block(uintptr_t base, size_t size, uintptr_t alloc_pc);
void fake_reset(void);

#endif
