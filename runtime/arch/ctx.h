/*
 * ctx.h - what the rest of corace needs to know about a suspended context:
 * how ctx_switch lays out the saved registers (the switch_<arch>.S beside
 * this file), how to build a goroutine's first frame, and how to read a
 * signal context.  One section per architecture.
 */
#ifndef CORACE_ARCH_CTX_H
#define CORACE_ARCH_CTX_H

#include <stdint.h>
#include <string.h>
#include <ucontext.h>

void co__trampoline(void);

#if defined(__x86_64__)

/* sp+0 r15, +8 r14, +16 r13, +24 r12, +32 rbx, +40 rbp, +48 resume pc. */
enum { CTX_WORDS = 7 };

/* The pops leave rsp 16-aligned at the trampoline, as the ABI wants before
   its call; the trampoline calls rbx(r12). */
static inline void *ctx_frame_init(void *top, void *entry, void *arg)
{
    uintptr_t *sp = (uintptr_t *)((uintptr_t)top & ~(uintptr_t)15) - CTX_WORDS;
    memset(sp, 0, CTX_WORDS * sizeof *sp);
    sp[3] = (uintptr_t)arg;
    sp[4] = (uintptr_t)entry;
    sp[6] = (uintptr_t)co__trampoline;
    return sp;
}

static inline uintptr_t ctx_resume_pc(const void *saved_sp) { return ((const uintptr_t *)saved_sp)[6]; }

/* The registers as they will be once ctx_switch returns, into a ucontext_t
   or libunwind's unw_context_t (which differ in type on some targets, hence
   a macro). */
#define CTX_TO_UCONTEXT(saved_sp, uc)                                  \
    do {                                                               \
        const uintptr_t *s_ = (const uintptr_t *)(saved_sp);           \
        greg_t *r_ = (uc)->uc_mcontext.gregs;                          \
        r_[REG_R15] = (greg_t)s_[0];                                   \
        r_[REG_R14] = (greg_t)s_[1];                                   \
        r_[REG_R13] = (greg_t)s_[2];                                   \
        r_[REG_R12] = (greg_t)s_[3];                                   \
        r_[REG_RBX] = (greg_t)s_[4];                                   \
        r_[REG_RBP] = (greg_t)s_[5];                                   \
        r_[REG_RIP] = (greg_t)s_[6];                                   \
        r_[REG_RSP] = (greg_t)(uintptr_t)(s_ + CTX_WORDS);             \
    } while (0)

/* A signal's ucontext_t as libunwind's context: the same type here. */
#define CTX_SIGNAL_TO_UNW(src, dst) memcpy((dst), (src), sizeof *(dst))

static inline uintptr_t ctx_signal_sp(const ucontext_t *uc) { return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP]; }
static inline uintptr_t ctx_signal_pc(const ucontext_t *uc) { return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP]; }

#elif defined(__aarch64__)

/* sp+0 x19 x20 ... x28, +80 x29 (fp), +88 x30 (resume pc), +96 d8 ... d15. */
enum { CTX_WORDS = 20 };

/* The trampoline calls x19(x20). */
static inline void *ctx_frame_init(void *top, void *entry, void *arg)
{
    uintptr_t *sp = (uintptr_t *)((uintptr_t)top & ~(uintptr_t)15) - CTX_WORDS;
    memset(sp, 0, CTX_WORDS * sizeof *sp);
    sp[0] = (uintptr_t)entry;
    sp[1] = (uintptr_t)arg;
    sp[11] = (uintptr_t)co__trampoline;
    return sp;
}

static inline uintptr_t ctx_resume_pc(const void *saved_sp) { return ((const uintptr_t *)saved_sp)[11]; }

#define CTX_TO_UCONTEXT(saved_sp, uc)                                  \
    do {                                                               \
        const uintptr_t *s_ = (const uintptr_t *)(saved_sp);           \
        for (int i_ = 0; i_ < 12; i_++) (uc)->uc_mcontext.regs[19 + i_] = s_[i_]; \
        (uc)->uc_mcontext.pc = s_[11];                                 \
        (uc)->uc_mcontext.sp = (uintptr_t)(s_ + CTX_WORDS);            \
    } while (0)

/* libunwind's context is its own struct here: copy the registers over. */
#define CTX_SIGNAL_TO_UNW(src, dst)                                    \
    do {                                                               \
        for (int i_ = 0; i_ < 31; i_++) (dst)->uc_mcontext.regs[i_] = (src)->uc_mcontext.regs[i_]; \
        (dst)->uc_mcontext.sp = (src)->uc_mcontext.sp;                 \
        (dst)->uc_mcontext.pc = (src)->uc_mcontext.pc;                 \
        (dst)->uc_mcontext.pstate = (src)->uc_mcontext.pstate;         \
    } while (0)

static inline uintptr_t ctx_signal_sp(const ucontext_t *uc) { return (uintptr_t)uc->uc_mcontext.sp; }
static inline uintptr_t ctx_signal_pc(const ucontext_t *uc) { return (uintptr_t)uc->uc_mcontext.pc; }

#else
#error "corace: no context switch for this architecture"
#endif

#endif
