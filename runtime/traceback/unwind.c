/*
 * unwind.c - capture of raw PCs with libunwind.
 *
 * Capture runs whenever the runtime or the checker may later need a trace,
 * so it only records PCs; names and lines come later from symbolize.c.
 * Nothing here allocates, which keeps the functions usable from a signal
 * handler running on an alternate stack.
 */
#define _GNU_SOURCE        /* REG_* register names in <sys/ucontext.h> */
#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include <string.h>

#include "runtime/arch/ctx.h"
#include "stack.h"

/* Walks the cursor's frames.  Stops when libunwind cannot step further: at
   co__trampoline, whose return address is marked undefined, or at the end of
   the process's own stack. */
static int walk(unw_cursor_t *cur, uintptr_t *pcs, int max)
{
    int n = 0;
    while (n < max) {
        unw_word_t ip;
        if (unw_get_reg(cur, UNW_REG_IP, &ip) < 0 || ip == 0)
            break;
        pcs[n++] = (uintptr_t)ip;
        if (unw_step(cur) <= 0)
            break;
    }
    return n;
}

/* At most this many frames of libunwind and of st_unwind_here itself precede
   the caller's in unw_backtrace's answer. */
#define HERE_SKIP_MAX 8

__attribute__((noinline)) int st_unwind_here(uintptr_t *pcs, int max)
{
    /* Where unw_backtrace starts (inside this function or inside libunwind)
       depends on libunwind's version; the trace the caller wants starts at
       our own return address, so find that and drop what precedes it. */
    void *buf[ST_MAX_FRAMES + HERE_SKIP_MAX];
    if (max <= 0)
        return 0;
    if (max > ST_MAX_FRAMES)
        max = ST_MAX_FRAMES;
    int got = unw_backtrace(buf, max + HERE_SKIP_MAX);
    void *ret = __builtin_return_address(0);
    int skip = 0;
    for (int i = 0; i < got && i < HERE_SKIP_MAX; i++) {
        if (buf[i] == ret) {
            skip = i;
            break;
        }
    }
    int n = got - skip < max ? got - skip : max;
    for (int i = 0; i < n; i++)
        pcs[i] = (uintptr_t)buf[skip + i];
    return n;
}

int st_unwind_suspended(void *saved_sp, uintptr_t *pcs, int max)
{
    /* Rebuild the registers ctx_switch saved as they will be when it
       returns: the resume pc is a return address, which is what
       unw_init_local assumes of the first frame. */
    /* A goroutine that never ran has no frames yet (no stack at all, or one
       that resumes at the trampoline's first instruction, which is not a
       return address). */
    if (!saved_sp || ctx_resume_pc(saved_sp) == (uintptr_t)co__trampoline)
        return 0;
    unw_context_t uc;
    memset(&uc, 0, sizeof uc);
    CTX_TO_UCONTEXT(saved_sp, &uc);

    unw_cursor_t cur;
    if (max <= 0 || unw_init_local(&cur, &uc) < 0)
        return 0;
    return walk(&cur, pcs, max);
}

int st_unwind_signal(const ucontext_t *uc, uintptr_t *pcs, int max)
{
    /* libunwind wants a writable context; a copy also keeps the handler's
       own ucontext intact should it return. */
    unw_context_t ctx;
    memset(&ctx, 0, sizeof ctx);
    CTX_SIGNAL_TO_UNW(uc, &ctx);

    /* The first pc is the faulting instruction, not a return address: with
       UNW_INIT_SIGNAL_FRAME libunwind looks up the unwind info at pc itself.
       Without it a fault on a function's first instruction (a stack overflow
       usually faults on the prologue's push) would be unwound with the
       previous function's CFI. */
    unw_cursor_t cur;
    if (max <= 0 || unw_init_local2(&cur, &ctx, UNW_INIT_SIGNAL_FRAME) < 0)
        return 0;
    return walk(&cur, pcs, max);
}
