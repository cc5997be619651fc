/*
 * stack_inline.c - a call chain the compiler must inline, for test_stack.c.
 * Built with -O2 (see CMakeLists.txt): inlined frames only exist optimised.
 */
#include "runtime/traceback/stack.h"

int inl_outer(uintptr_t *pcs, int max, int *leaf_line, int *outer_line);

static inline __attribute__((always_inline)) int inl_leaf(uintptr_t *pcs, int max, int *leaf_line)
{
    int n = st_unwind_here(pcs, max); *leaf_line = __LINE__;
    /* Uses n after the call, so that st_unwind_here is not tail-called and
       its return address stays inside inl_outer. */
    __asm__ volatile("" : "+r"(n));
    return n;
}

__attribute__((noinline)) int inl_outer(uintptr_t *pcs, int max, int *leaf_line, int *outer_line)
{
    int n = inl_leaf(pcs, max, leaf_line); *outer_line = __LINE__;
    __asm__ volatile("" : "+r"(n));
    return n;
}
