/*
 * fatal.c - how the runtime dies, in Go's words.
 *
 * Go prints an unrecovered panic and a fatal error with the running
 * goroutine's trace, and "all goroutines are asleep" with every goroutine's;
 * all exit with status 2.  Stdout is flushed first so the program's own
 * output comes before the trace, as it does with Go's unbuffered writes.
 */
#define _GNU_SOURCE
#include "fatal.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch/ctx.h"
#include "runtime/traceback/stack.h"
#include "announce.h"
#include "scheduler.h"
#include "stack.h"

static _Noreturn void die(void)
{
    fflush(stderr);
    _exit(2);
}

static void print_trace(FILE *f, g *gp, bool running)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    if (!running && !gp->sp) {
        /* Never ran: Go shows the entry function alone. */
        pcs[0] = (uintptr_t)gp->fn;
        st_print(f, pcs, 1, false);
        return;
    }
    int n = running ? st_unwind_here(pcs, ST_MAX_FRAMES) : st_unwind_suspended(gp->sp, pcs, ST_MAX_FRAMES);
    st_print(f, pcs, n, true);
}

static void print_created_by(FILE *f, g *gp)
{
    if (gp->id != 1) st_print_created_by(f, gp->created_pc, gp->parent_id);
}

void fatal_print_goroutine(FILE *f, g *gp)
{
    bool running = gp == sched_cur;
    const char *state = gp->status == G_WAITING ? waitreason_str[gp->waitreason]
                        : gp->status == G_RUNNABLE ? "runnable" : "running";
    fprintf(f, "goroutine %lld [%s]:\n", (long long)gp->id, state);
    print_trace(f, gp, running);
    print_created_by(f, gp);
}

static _Noreturn void die_with_current(const char *prefix, const char *fmt, va_list ap)
{
    fflush(stdout);
    if (EV_ON) {
        char msg[512];
        va_list aq;
        va_copy(aq, ap);
        int k = snprintf(msg, sizeof msg, "%s", prefix);
        vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, aq);
        va_end(aq);
        ev_fatal("runtime-error", msg, NULL, 0);
    }
    fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n\ngoroutine %lld [running]:\n", (long long)sched_cur->id);
    print_trace(stderr, sched_cur, true);
    print_created_by(stderr, sched_cur);
    die();
}

void fatal_throw(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    die_with_current("fatal error: ", fmt, ap);
}

void fatal_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    die_with_current("panic: ", fmt, ap);
}

void co_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    die_with_current("panic: ", fmt, ap);
}

void fatal_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    if (EV_ON) {
        char msg[512];
        va_list aq;
        va_copy(aq, ap);
        int k = snprintf(msg, sizeof msg, "fatal error: ");
        vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, aq);
        va_end(aq);
        ev_fatal("runtime-error", msg, NULL, 0);
    }
    fputs("fatal error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    die();
}

void fatal_deadlock(void)
{
    fflush(stdout);
    ev_fatal("deadlock", "fatal error: all goroutines are asleep - deadlock!", NULL, 0);
    fputs("fatal error: all goroutines are asleep - deadlock!\n", stderr);
    for (g *gp = sched_first(); gp; gp = gp->allnext) {
        fputc('\n', stderr);
        fatal_print_goroutine(stderr, gp);
    }
    /* Under the checker: who holds and waits for what, after Go's dump so
       its shape stays Go's. */
    if (EV_ON) ev->dump_waits(stderr);
    die();
}

/* ---- signals ---- */

static void print_signal_trace(ucontext_t *uc)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    int n = st_unwind_signal(uc, pcs, ST_MAX_FRAMES);
    fprintf(stderr, "\ngoroutine %lld [running]:\n", (long long)sched_cur->id);
    st_print(stderr, pcs, n, false);
    print_created_by(stderr, sched_cur);
}

/* Main's stack grows down into unmapped space; a fault just below its lowest
   allowed address, or close under the interrupted stack pointer, is an
   overflow. */
static bool main_overflow(const char *addr, const char *sp)
{
    const char *lo = sched_cur->stack_lo;
    if (lo && addr < lo + 4096 && addr + 1024 * 1024 >= lo) return true;
    return addr <= sp && addr + 256 * 1024 > sp;
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    const char *addr = si->si_addr;
    const char *sp = (const char *)ctx_signal_sp(uc);
    unsigned long pc = (unsigned long)ctx_signal_pc(uc);
    const char *name = sig == SIGBUS ? "SIGBUS: bus error" : sig == SIGFPE ? "SIGFPE: floating-point exception"
                                                                           : "SIGSEGV: segmentation violation";
    g *cur = sched_cur, *owner = NULL;
    fflush(stdout);
    bool overflow = sig != SIGFPE &&
                    (stack_guard_hit(addr, &owner) ||
                     (cur->stack ? sp < (const char *)cur->stack_lo : main_overflow(addr, sp)));
    if (overflow) {
        fprintf(stderr, "runtime: goroutine stack exceeds %zu-byte limit\n", cur->stack_size);
        fprintf(stderr, "runtime: sp=%p stack=[%p, %p]\nfatal error: stack overflow\n", (void *)sp,
                cur->stack_lo, (void *)((char *)cur->stack_lo + cur->stack_size));
    } else if (sig == SIGFPE) {
        fprintf(stderr, "panic: runtime error: integer divide by zero\n[signal %s code=0x%x addr=0x%lx pc=0x%lx]\n",
                name, si->si_code, (unsigned long)addr, pc);
    } else if ((uintptr_t)addr < 4096) {
        /* Go's rule: a fault in the first page is a nil dereference. */
        fprintf(stderr, "panic: runtime error: invalid memory address or nil pointer dereference\n"
                        "[signal %s code=0x%x addr=0x%lx pc=0x%lx]\n",
                name, si->si_code, (unsigned long)addr, pc);
    } else {
        fprintf(stderr, "unexpected fault address 0x%lx\nfatal error: fault\n[signal %s code=0x%x addr=0x%lx pc=0x%lx]\n",
                (unsigned long)addr, name, si->si_code, (unsigned long)addr, pc);
    }
    if (EV_ON) {
        char msg[160];
        if (overflow)
            snprintf(msg, sizeof msg, "fatal error: stack overflow");
        else if (sig == SIGFPE)
            snprintf(msg, sizeof msg, "panic: runtime error: integer divide by zero");
        else if ((uintptr_t)addr < 4096)
            snprintf(msg, sizeof msg, "panic: runtime error: invalid memory address or nil pointer dereference");
        else
            snprintf(msg, sizeof msg, "fatal error: fault (unexpected fault address 0x%lx)", (unsigned long)addr);
        uintptr_t pcs[ST_MAX_FRAMES];
        int n = st_unwind_signal(uc, pcs, ST_MAX_FRAMES);
        ev_fatal("runtime-error", msg, pcs, n);
    }
    print_signal_trace(uc);
    die();
}

/* A fatal signal the program raised or caused itself (abort() from a failed
   assert, an illegal instruction, a trap): Go's "SIGABRT: abort", the pc and
   the running goroutine's trace, exit 2, with every report made before kept. */
static void on_fatal_signal(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    const char *name = sig == SIGABRT ? "SIGABRT: abort"
                     : sig == SIGILL  ? "SIGILL: illegal instruction"
                     : sig == SIGTRAP ? "SIGTRAP: trace trap"
                                      : "SIGSYS: bad system call";
    fflush(stdout);
    if (EV_ON) {
        uintptr_t pcs[ST_MAX_FRAMES];
        int n = st_unwind_signal(uc, pcs, ST_MAX_FRAMES);
        ev_fatal("runtime-error", name, pcs, n);
    }
    fprintf(stderr, "%s\nPC=0x%lx m=0 sigcode=%d\n", name, (unsigned long)ctx_signal_pc(uc), si->si_code);
    print_signal_trace(uc);
    die();
}

/* Go's SIGQUIT: "SIGQUIT: quit", the pc, then every goroutine's stack, and
   exit 2.  The goroutine on the CPU (running, or parked in the scheduler's
   idle wait, whose saved sp is stale) is unwound from the signal context. */
static void on_quit(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    ucontext_t *uc = ctx;
    fflush(stdout);
    if (EV_ON) {
        uintptr_t pcs[ST_MAX_FRAMES];
        int n = st_unwind_signal(uc, pcs, ST_MAX_FRAMES);
        ev_fatal("timeout", "SIGQUIT: quit", pcs, n);
    }
    fprintf(stderr, "SIGQUIT: quit\nPC=0x%lx m=0 sigcode=%d\n", (unsigned long)ctx_signal_pc(uc), si->si_code);
    for (g *gp = sched_first(); gp; gp = gp->allnext) {
        fputc('\n', stderr);
        if (gp != sched_cur) {
            fatal_print_goroutine(stderr, gp);
            continue;
        }
        const char *state = gp->status == G_WAITING ? waitreason_str[gp->waitreason]
                            : gp->status == G_RUNNABLE ? "runnable" : "running";
        fprintf(stderr, "goroutine %lld [%s]:\n", (long long)gp->id, state);
        uintptr_t pcs[ST_MAX_FRAMES];
        int n = st_unwind_signal(uc, pcs, ST_MAX_FRAMES);
        /* Parked in the scheduler's idle wait: trimmed as a blocked
           goroutine's trace is (down to the co_* call it waits in). */
        st_print(stderr, pcs, n, gp->status != G_RUNNING);
        print_created_by(stderr, gp);
    }
    die();
}

void fatal_install_signals(void)
{
    /* Symbolizing a deep trace needs far more than SIGSTKSZ. */
    size_t size = 1024 * 1024;
    void *alt = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (alt == MAP_FAILED) return;
    stack_t ss = {.ss_sp = alt, .ss_size = size};
    if (sigaltstack(&ss, NULL) != 0) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    /* Only where nobody (a sanitizer, the program before main) has a
       handler of its own. */
    static const int fatal_sigs[] = {SIGABRT, SIGILL, SIGTRAP, SIGSYS};
    for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++) {
        struct sigaction cur;
        if (sigaction(fatal_sigs[i], NULL, &cur) == 0 && !(cur.sa_flags & SA_SIGINFO) && cur.sa_handler == SIG_DFL) {
            struct sigaction fa = sa;
            fa.sa_sigaction = on_fatal_signal;
            /* A second one while printing (abort in the symbolizer) kills. */
            fa.sa_flags |= SA_RESETHAND;
            sigaction(fatal_sigs[i], &fa, NULL);
        }
    }
    /* Unless whoever started us ignores SIGQUIT (nohup-like), as Go. */
    struct sigaction old;
    if (sigaction(SIGQUIT, NULL, &old) == 0 && old.sa_handler != SIG_IGN) {
        sa.sa_sigaction = on_quit;
        sigaction(SIGQUIT, &sa, NULL);
    }
}
