/*
 * print.c - goroutine stacks in Go's traceback format.
 *
 *     function()                            a real frame
 *     \t/abs/path/file.c:LINE +0xOFF        OFF = pc - function start, left
 *                                           out when 0 (a goroutine not yet
 *                                           started is shown at its entry)
 *     function(...)                         inlined into the frame below
 *     \t/abs/path/file.c:LINE               (Go prints no offset for those)
 *     function()                            no debug info for this pc:
 *     \t/path/of/module+0xOFF               OFF = module-relative address,
 *                                           what addr2line -e MODULE takes
 *
 * Go's argument values have no C counterpart, so "()" stays empty.
 *
 * Trimming, so that a trace starts at the user's call as Go's does:
 *  - A "runtime frame" is one whose function is named co_* (public API) or
 *    co__* (internal), or whose source file lies in corace's own runtime/ or
 *    detector/ directory (static helpers have no prefix).
 *  - Captured from inside the runtime (first_is_return): drop everything down
 *    to and including the innermost entry into corace, a public co_* frame
 *    (the call the goroutine is blocked in, or co_panic) or a __tsan_*
 *    callback (a goroutine preempted at an instrumented access), then any
 *    runtime frames right below it (one API implemented with another).
 *    Frames above it are the runtime's or the checker's, even where their
 *    files are not recognised (a build without line information).
 *  - From a signal, or with no public frame: drop the leading runtime frames
 *    only; a fault in user code called back from the runtime shows in full.
 *  - Then print until a co__* frame (goroutine entry, trampoline), which is
 *    not printed, or up to and including main (libc's start code is not).
 *  - Should that leave nothing, print every frame: a trace that is wholly
 *    the runtime's is a runtime bug, and its frames are then the point.
 * After 100 frames, "...additional frames elided..." ends the trace, as Go.
 */
#include <inttypes.h>
#include <string.h>

#include "stack.h"

#define TRACEBACK_MAX 100

/* Iterates a trace's frames with inlined calls expanded, symbolizing one PC
   at a time so that only one PC's frames sit on the (possibly alternate)
   stack. */
typedef struct walker {
    const uintptr_t *pcs;
    int npcs;
    bool first_is_return;
    int next_pc;               /* index of the next PC to symbolize */
    int k, nf;                 /* position in fr, and how many it holds */
    st_frame fr[ST_MAX_INLINE];
} walker;

static void walk_init(walker *w, const uintptr_t *pcs, int n, bool first_is_return)
{
    w->pcs = pcs;
    w->npcs = n;
    w->first_is_return = first_is_return;
    w->next_pc = 0;
    w->k = w->nf = 0;
}

static const st_frame *walk_next(walker *w)
{
    while (w->k >= w->nf) {
        if (w->next_pc >= w->npcs)
            return NULL;
        int i = w->next_pc++;
        w->nf = st_symbolize(w->pcs[i], i > 0 || w->first_is_return, w->fr, ST_MAX_INLINE);
        w->k = 0;
    }
    return &w->fr[w->k++];
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* An entry into corace from the program: a public call, or a callback of
   the instrumented code. */
static bool is_entry(const st_frame *f)
{
    return (has_prefix(f->func, "co_") && !has_prefix(f->func, "co__")) || has_prefix(f->func, "__tsan_");
}

/* This file's own path locates corace's source tree (CMake compiles with
   absolute paths); relative builds simply skip the file test. */
static bool in_corace_tree(const char *file)
{
    static const char self[] = __FILE__;
    static const char tail[] = "runtime/traceback/print.c";
    size_t ls = sizeof self - 1, lt = sizeof tail - 1;
    if (self[0] != '/' || ls < lt || strcmp(self + ls - lt, tail) != 0)
        return false;
    size_t root = ls - lt;
    if (strncmp(file, self, root) != 0)
        return false;
    return has_prefix(file + root, "runtime/") || has_prefix(file + root, "detector/");
}

bool st_is_runtime_frame(const st_frame *f)
{
    return has_prefix(f->func, "co_") || (f->has_src && in_corace_tree(f->file));
}

int st_trim_top(const st_frame *fr, int n, bool inside)
{
    int i = 0;
    for (int j = 0; inside && j < n; j++)
        if (is_entry(&fr[j])) {
            i = j + 1;
            while (i < n && st_is_runtime_frame(&fr[i]))
                i++;
            return i;
        }
    while (i < n && st_is_runtime_frame(&fr[i]))
        i++;
    return i;
}

/* How many frames from the top belong to the runtime: st_trim_top's rule,
   over a walker, which holds one PC's frames at a time. */
static int trimmed_top(const uintptr_t *pcs, int n, bool first_is_return)
{
    walker w;
    const st_frame *f;
    int i = 0;
    if (first_is_return) {
        walk_init(&w, pcs, n, first_is_return);
        for (int j = 0; (f = walk_next(&w)) != NULL; j++) {
            if (is_entry(f)) {
                i = j + 1;
                while ((f = walk_next(&w)) != NULL && st_is_runtime_frame(f))
                    i++;
                return i;
            }
        }
    }
    walk_init(&w, pcs, n, first_is_return);
    while ((f = walk_next(&w)) != NULL && st_is_runtime_frame(f))
        i++;
    return i;
}

static void print_location(FILE *f, const st_frame *fr)
{
    if (!fr->has_src)
        fprintf(f, "\t%s+0x%" PRIxPTR "\n", fr->file, fr->off);
    else if (fr->inlined || fr->off == 0)
        fprintf(f, "\t%s:%d\n", fr->file, fr->line);
    else
        fprintf(f, "\t%s:%d +0x%" PRIxPTR "\n", fr->file, fr->line, fr->off);
}

static void print_frame(FILE *f, const st_frame *fr)
{
    fprintf(f, "%s(%s)\n", fr->func, fr->inlined ? "..." : "");
    print_location(f, fr);
}

/* Prints from frame `skip` on; raw disables the co__ stop.  Returns how many
   frames were printed. */
static int print_from(FILE *f, const uintptr_t *pcs, int n, bool first_is_return, int skip,
                      bool raw)
{
    walker w;
    const st_frame *fr;
    int printed = 0;
    walk_init(&w, pcs, n, first_is_return);
    for (int i = 0; (fr = walk_next(&w)) != NULL; i++) {
        if (i < skip)
            continue;
        if (!raw && has_prefix(fr->func, "co__"))
            break;
        if (printed == TRACEBACK_MAX) {
            fputs("...additional frames elided...\n", f);
            break;
        }
        print_frame(f, fr);
        printed++;
        if (!fr->inlined && strcmp(fr->func, "main") == 0)
            break;
    }
    return printed;
}

void st_print(FILE *f, const uintptr_t *pcs, int n, bool first_is_return)
{
    int skip = trimmed_top(pcs, n, first_is_return);
    if (print_from(f, pcs, n, first_is_return, skip, false) == 0)
        print_from(f, pcs, n, first_is_return, 0, true);
}

void st_print_created_by(FILE *f, uintptr_t pc, int64_t parent_id)
{
    /* Go names the function that ran the go statement: the innermost one,
       should the call site be inlined. */
    st_frame fr[ST_MAX_INLINE];
    st_symbolize(pc, true, fr, ST_MAX_INLINE);
    fprintf(f, "created by %s in goroutine %" PRId64 "\n", fr[0].func, parent_id);
    /* The offset belongs to the real function even when the name is an
       inlined one's. */
    fr[0].inlined = false;
    print_location(f, &fr[0]);
}
