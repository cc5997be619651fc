/*
 * sanitizer.h - telling AddressSanitizer about goroutine stack switches.
 *
 * ASan keeps per-stack state (fake frames, the bounds it checks accesses
 * against); without these calls it reports garbage after the first switch.
 * Outside an ASan build every call is empty.
 */
#ifndef CORACE_SANITIZER_H
#define CORACE_SANITIZER_H

#include <stddef.h>

#include "g.h"

#if defined(__SANITIZE_ADDRESS__)
#define CORACE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORACE_ASAN 1
#endif
#endif

#ifdef CORACE_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

/* fake_save is NULL when the current stack is dead and never resumed. */
static inline void san_switch_start(void **fake_save, const g *to)
{
    __sanitizer_start_switch_fiber(fake_save, to->stack_lo, to->stack_size);
}

static inline void san_switch_finish(void *fake)
{
    const void *bottom;
    size_t size;
    __sanitizer_finish_switch_fiber(fake, &bottom, &size);
}

/* A recycled stack may still carry a dead goroutine's poisoned redzones. */
static inline void san_stack_reuse(void *lo, size_t size)
{
    __asan_unpoison_memory_region(lo, size);
}

#else
static inline void san_switch_start(void **fake_save, const g *to) { (void)fake_save; (void)to; }
static inline void san_switch_finish(void *fake) { (void)fake; }
static inline void san_stack_reuse(void *lo, size_t size) { (void)lo; (void)size; }
#endif

#endif
