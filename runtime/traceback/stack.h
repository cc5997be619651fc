/*
 * stack.h - capturing and printing goroutine stacks.
 *
 * Capture is cheap and returns raw PCs (return addresses, except the first
 * PC of a signal context, which is the faulting instruction); symbolization
 * is late and cached, done only when a report is printed.  Printing follows
 * Go's traceback format exactly:
 *
 *     function()
 *     \t/abs/path/file.c:LINE +0xOFF
 *
 * with inlined frames expanded (an inlined frame prints without "+0x").
 */
#ifndef CORACE_STACK_H
#define CORACE_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <ucontext.h>

#define ST_MAX_FRAMES 128

/* PCs of the calling context, innermost first, starting in the caller (all
   return addresses); returns how many, at most min(max, ST_MAX_FRAMES). */
int st_unwind_here(uintptr_t *pcs, int max);

/* PCs of a goroutine switched out by ctx_switch, from its saved stack pointer
   (layout in runtime/arch/switch_x86_64.S).  A goroutine that has not run yet
   (saved_sp NULL, or resuming at co__trampoline) has none: returns 0.  Go
   prints such a goroutine's entry function; st_print(f, &entry_pc, 1, false)
   does that. */
int st_unwind_suspended(void *saved_sp, uintptr_t *pcs, int max);

/* PCs of the context interrupted by a signal. */
int st_unwind_signal(const ucontext_t *uc, uintptr_t *pcs, int max);

/* Most frames st_symbolize returns for one PC (inlined calls included). */
#define ST_MAX_INLINE 16

/* One symbolized frame.  Strings are owned by the symbol cache and live as
   long as the process. */
typedef struct st_frame {
    const char *func;   /* function name, or "?" */
    const char *file;   /* absolute source file; the module path if !has_src */
    int line;           /* 0 when unknown */
    uintptr_t off;      /* pc - start of the real (non-inlined) function; if
                           !has_src, pc - the module's load bias, which is the
                           address addr2line -e MODULE expects */
    bool inlined;       /* an inlined call inside the next frame */
    bool has_src;       /* file and line come from debug info */
} st_frame;

/* Frames for one PC, innermost inlined first; returns how many (1 to
   min(max, ST_MAX_INLINE)), the innermost ones if max is smaller.
   is_return says pc is a return address (look up pc - 1).  Thread-safe;
   results are cached per PC. */
int st_symbolize(uintptr_t pc, bool is_return, st_frame *out, int max);

/* Print a goroutine's stack in Go's format (as Go, "+0xOFF" is left out
   where the pc is the function's entry).  The runtime's own frames are
   trimmed: everything above (and including) the innermost public co_*
   function, frames from the goroutine entry (co__*) down, and everything
   below main().  first_is_return is false for a signal context.  The exact
   rules are at the top of print.c. */
void st_print(FILE *f, const uintptr_t *pcs, int n, bool first_is_return);

/* Whether a frame is corace's own (a co_ function, or a file of corace's
   runtime/ or detector/ tree): traces and reports leave those out. */
bool st_is_runtime_frame(const st_frame *f);

/* How many of a trace's first n frames (inlined calls expanded, innermost
   first) are corace's, by the one rule every rendering trims with (print.c):
   captured inside corace (inside), everything down to and including the
   innermost entry into it (a public co_* call, or a __tsan_* callback of the
   instrumented code), then the runtime frames right below; otherwise, or
   with no entry, the leading runtime frames only. */
int st_trim_top(const st_frame *fr, int n, bool inside);

/* "created by FUNC in goroutine N\n\tFILE:LINE +0xOFF\n" */
void st_print_created_by(FILE *f, uintptr_t pc, int64_t parent_id);

#endif
