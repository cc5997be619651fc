/*
 * waitfor.c - deadlock cycles among goroutines blocked on locks, found the
 * moment the cycle closes, while every other goroutine keeps running.
 *
 * A goroutine parked on a lock waits for that lock's holders (the writer,
 * or every reader), or, when it is a reader queued behind a pending writer,
 * for that writer: Go's RWMutex lets no new reader in while a writer waits
 * (locks.c: dl_waits_for).  Holders change only by release, which removes
 * edges, and by hand-over to a parked waiter, which stops it waiting; so a
 * cycle can only be closed by a goroutine starting to wait, and searching
 * from each goroutine as it blocks finds every cycle, once.  A goroutine
 * waiting for a lock it holds itself (a relock, an RLock under its own
 * Lock, a Lock under its own RLock) is a cycle of one.
 *
 * Go's locks belong to no goroutine: any goroutine may Unlock a Mutex that
 * another locked ("lock here, unlock there", e.g. a Mutex used as a
 * semaphore: Lock, start a worker that will Unlock, Lock again to wait).
 * So a cycle is only certain while nobody else will release its locks.
 * A cycle of several goroutines over locks that have always been unlocked
 * by their holders is reported at once; a cycle of one, or one through a
 * lock that some goroutine once unlocked for another, waits until nothing
 * can run any more (the global deadlock, or the end of the program) and is
 * reported then if it still stands.
 */
#define _GNU_SOURCE        /* dl_iterate_phdr */
#include <inttypes.h>
#include <link.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "detector/report/report.h"
#include "locks.h"
#include "runtime/introspect.h"

extern void *__libc_stack_end;   /* glibc: the stack pointer at process entry */

static uint32_t generation;

typedef struct search {
    dl_g *start;
    dl_g **stack;
    uint32_t top, cap;
    bool found;
    dl_g *from;   /* the goroutine whose dependencies are being pushed */
} search;

static void visit(dl_g *dep, bool held, void *ctx)
{
    (void)held;
    search *s = ctx;
    if (s->found) return;
    if (dep == s->start) {
        s->found = true;
        dep->via = s->from;
        return;
    }
    if (dep->mark == generation || !dep->waiting || dep->reported) return;
    dep->mark = generation;
    dep->via = s->from;
    if (dl_grow(&s->stack, &s->cap, s->top + 1, sizeof *s->stack)) s->stack[s->top++] = dep;
}

/* The lock x waits for, as the step's "wants". */
static report_lockref wants_of(const dl_g *x)
{
    uint32_t n = x->waiting - 1;
    return (report_lockref){.addr = (uintptr_t)dl_locks[n].addr, .type = dl_type(n), .shared = x->wait_shared,
                            .at = {x->asked.frame, x->asked.pc}};
}

static const char *waitreason(const dl_g *x)
{
    if (dl_type(x->waiting - 1)[0] == 'm') return "sync.Mutex.Lock";
    return x->wait_shared ? "sync.RWMutex.RLock" : "sync.RWMutex.Lock";
}

/* What y holds of the lock that x waits for (the newest hold), or, when it
   holds none, that it is queued first for it. */
static void held_by(report_step *st, const dl_g *y, const dl_g *x)
{
    uint32_t n = x->waiting - 1;
    for (uint32_t i = y->nheld; i > 0; i--) {
        const dl_hold *h = &y->held[i - 1];
        if (h->lock == n) {
            st->held = (report_lockref){.addr = (uintptr_t)dl_locks[n].addr, .type = dl_type(n), .shared = h->shared,
                                        .at = {h->taken.frame, h->taken.pc}};
            return;
        }
    }
    st->pending = true;
    st->held = wants_of(y);
}

static void report(dl_g *start)
{
    /* via points from each goroutine to the one waiting for it: walking
       via from start goes backwards round the cycle. */
    uint32_t n = 0;
    dl_g *y = start;
    do {
        n++;
        y = y->via;
    } while (y != start);
    dl_g **cyc = malloc(n * sizeof *cyc);
    report_step *steps = calloc(n, sizeof *steps);
    if (!cyc || !steps) {
        free(cyc);
        free(steps);
        return;
    }
    /* In waiting order: cyc[i] waits for cyc[i + 1]. */
    y = start;
    for (uint32_t i = n; i > 0; i--) {
        cyc[i - 1] = y;
        y = y->via;
    }
    /* Start from the lowest goroutine id: the same cycle reads the same way
       whichever goroutine closed it. */
    uint32_t first = 0;
    for (uint32_t i = 1; i < n; i++)
        if (cyc[i]->goid < cyc[first]->goid) first = i;
    for (uint32_t k = 0; k < n; k++) {
        dl_g *x = cyc[(first + k) % n], *prev = cyc[(first + k + n - 1) % n];
        report_step *st = &steps[k];
        st->goid = x->goid;
        st->wants = wants_of(x);
        st->waitreason = waitreason(x);
        held_by(st, x, prev);
        x->reported = true;
    }
    report_cycle c = {REPORT_WAIT_CYCLE, false, n, steps};
    report_cycle_found(&c);
    free(cyc);
    free(steps);
}

/* Is x in a cycle now?  Leaves it in via. */
static bool in_cycle(dl_g *x)
{
    search s = {.start = x};
    generation++;
    x->mark = generation;
    s.from = x;
    dl_waits_for(x, visit, &s);
    while (!s.found && s.top) {
        dl_g *y = s.stack[--s.top];
        s.from = y;
        dl_waits_for(y, visit, &s);
    }
    free(s.stack);
    return s.found;
}

static dl_g **pending;
static uint32_t npending, cappending;

/* Could a goroutine outside the cycle through x free it? */
static bool uncertain(const dl_g *x)
{
    if (x->via == x) return true;
    const dl_g *y = x;
    do {
        if (dl_locks[y->waiting - 1].handed) return true;
        y = y->via;
    } while (y != x);
    return false;
}

void waitfor_blocked(dl_g *x)
{
    if (!in_cycle(x)) return;
    if (!uncertain(x)) {
        report(x);
    } else if (!x->pending && dl_grow(&pending, &cappending, npending + 1, sizeof *pending)) {
        x->pending = true;
        pending[npending++] = x;
    }
}

void waitfor_confirm(void)
{
    for (uint32_t i = 0; i < npending; i++) {
        dl_g *x = pending[i];
        x->pending = false;
        if (x->waiting && !x->reported && in_cycle(x)) report(x);
    }
    npending = 0;
}

/* ---- the global deadlock dump ---- */

typedef struct dump_ctx {
    FILE *f;
    const dl_g *x;
    char *buf;
    size_t size;
} dump_ctx;

static void dump_dep(dl_g *dep, bool held, void *ctx)
{
    dump_ctx *d = ctx;
    uint32_t n = d->x->waiting - 1;
    if (!held) {
        fprintf(d->f, "goroutine %" PRId64 " waits for %s 0x%012" PRIxPTR ", behind goroutine %" PRId64 "'s pending Lock\n",
                d->x->goid, dl_type(n), (uintptr_t)dl_locks[n].addr, dep->goid);
        return;
    }
    for (uint32_t i = dep->nheld; i > 0; i--) {
        const dl_hold *h = &dep->held[i - 1];
        if (h->lock != n) continue;
        report_site_line(h->taken.pc, h->taken.frame, d->buf, d->size);
        fprintf(d->f, "goroutine %" PRId64 " waits for %s 0x%012" PRIxPTR ", held by goroutine %" PRId64 " (%s at %s)\n",
                d->x->goid, dl_type(n), (uintptr_t)dl_locks[n].addr, dep->goid, h->shared ? "read-locked" : "locked",
                d->buf);
        return;
    }
}

/* ---- cycles through a channel, in the global deadlock dump ---- */

/* The running goroutine's stack pointer at the dump hook: its saved sp is
   stale, and the checker's own frames below the hook are not its. */
static uintptr_t running_sp;

/* Does the parked goroutine's stack hold a word pointing into [lo, lo+n)? */
static bool stack_refers(const intro_g *gp, uintptr_t lo, size_t n)
{
    intro_range stack = intro_stack(gp);
    uintptr_t sp = gp == intro_current() ? running_sp : (uintptr_t)intro_saved_sp(gp), hi = stack.hi;
    if (intro_id(gp) == 1 && (uintptr_t)__libc_stack_end > sp && (uintptr_t)__libc_stack_end < hi)
        hi = (uintptr_t)__libc_stack_end;
    if (!sp || stack.hi == stack.lo || hi <= sp) return false;
    for (uintptr_t p = (sp + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1); p + sizeof(uintptr_t) <= hi;
         p += sizeof(uintptr_t)) {
        uintptr_t v = *(const uintptr_t *)p;
        if (v >= lo && v < lo + n) return true;
    }
    return false;
}

typedef struct range {
    uintptr_t lo;
    size_t n;
    bool hit;
} range;

/* A writable segment of a loaded object other than libc (whose malloc state
   points anywhere) holding a word that points into the range. */
static int segment_refers(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    range *r = arg;
    const char *base = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;
    base = base ? base + 1 : info->dlpi_name ? info->dlpi_name : "";
    if (strncmp(base, "libc.so", 7) == 0) return 0;
    for (int i = 0; i < info->dlpi_phnum && !r->hit; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W)) continue;
        uintptr_t lo = (info->dlpi_addr + ph->p_vaddr + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
        for (uintptr_t p = lo; p + sizeof(uintptr_t) <= info->dlpi_addr + ph->p_vaddr + ph->p_memsz; p += sizeof(uintptr_t)) {
            uintptr_t v = *(const uintptr_t *)p;
            if (v >= r->lo && v < r->lo + r->n) {
                r->hit = true;
                break;
            }
        }
    }
    return r->hit;
}

static bool global_refers(uintptr_t lo, size_t n)
{
    range r = {lo, n, false};
    dl_iterate_phdr(segment_refers, &r);
    return r.hit;
}

typedef struct chain_ctx {
    const dl_g *target;
    bool hit;
} chain_ctx;

static void chain_dep(dl_g *dep, bool held, void *ctx);

/* Does y's wait lead, lock by lock, to target? */
static bool waits_on(const dl_g *y, const dl_g *target)
{
    chain_ctx c = {target, false};
    generation++;
    ((dl_g *)y)->mark = generation;
    dl_waits_for(y, chain_dep, &c);
    return c.hit;
}

static void chain_dep(dl_g *dep, bool held, void *ctx)
{
    (void)held;
    chain_ctx *c = ctx;
    if (c->hit || dep->mark == generation) return;
    dep->mark = generation;
    if (dep == c->target) {
        c->hit = true;
        return;
    }
    dl_waits_for(dep, chain_dep, ctx);
}

/* The lock checker's record of gp, if the checker knows gp. */
static dl_g *locks_of(const intro_g *gp)
{
    race_g *r = intro_checker_state(gp);
    return r ? *(dl_g **)race_g_locks(r) : NULL;
}

/* A goroutine that holds a lock while blocked on a channel, and a
   goroutine that waits for that lock and can reach the channel (its stack,
   or a global, holds the channel's address): the second would be the
   first's partner if it got the lock, so neither can go on. */
static void channel_cycles(FILE *f)
{
    char line[512];
    bool any = false;
    size_t csize = intro_chan_record_size();
    for (intro_g *a = intro_first(); a; a = intro_next(a)) {
        enum intro_wait wr = intro_waitreason(a);
        if (intro_status(a) != INTRO_WAITING || (wr != INTRO_WR_CHAN_SEND && wr != INTRO_WR_CHAN_RECV)) continue;
        dl_g *x = locks_of(a);
        if (!x || !x->nheld) continue;
        uintptr_t c = (uintptr_t)intro_wait_object(a);
        bool global = global_refers(c, csize);
        for (intro_g *b = intro_first(); b; b = intro_next(b)) {
            dl_g *y = b != a ? locks_of(b) : NULL;
            if (!y || !y->waiting || !waits_on(y, x) || (!global && !stack_refers(b, c, csize)))
                continue;
            /* The only one that can reach it? */
            bool only = !global;
            for (intro_g *o = intro_first(); o && only; o = intro_next(o))
                if (o != a && o != b && intro_status(o) == INTRO_WAITING && stack_refers(o, c, csize)) only = false;
            if (!any) fputs("\ncorace: a cycle through a channel:\n", f);
            any = true;
            const dl_hold *h = &x->held[x->nheld - 1];
            report_site_line(h->taken.pc, h->taken.frame, line, sizeof line);
            fprintf(f, "goroutine %" PRId64 " holds %s 0x%012" PRIxPTR " (locked at %s) and is blocked in %s on channel 0x%012" PRIxPTR "\n",
                    x->goid, dl_type(h->lock), (uintptr_t)dl_locks[h->lock].addr, line,
                    wr == INTRO_WR_CHAN_SEND ? "chan send" : "chan receive", c);
            uint32_t n = y->waiting - 1;
            report_site_line(y->asked.pc, y->asked.frame, line, sizeof line);
            fprintf(f, "goroutine %" PRId64 " waits for %s 0x%012" PRIxPTR " at %s, and %s goroutine that can reach that channel: "
                       "the partner goroutine %" PRId64 " waits for cannot come\n",
                    y->goid, dl_type(n), (uintptr_t)dl_locks[n].addr, line, only ? "is the only other" : "is a",
                    x->goid);
        }
    }
}

/* After Go's "all goroutines are asleep" dump: every lock held, and every
   wait for a lock with whom it waits for. */
void waitfor_dump(FILE *f, uintptr_t sp)
{
    running_sp = sp;
    waitfor_confirm();
    uint32_t n;
    dl_g *const *all = dl_all(&n);
    char line[512];
    bool any = false;
    for (uint32_t i = 0; i < n; i++) {
        const dl_g *x = all[i];
        if (!x->nheld && !x->waiting) continue;
        if (!any) fputs("\ncorace: who holds and waits for which lock:\n", f);
        any = true;
        for (uint32_t k = 0; k < x->nheld; k++) {
            const dl_hold *h = &x->held[k];
            report_site_line(h->taken.pc, h->taken.frame, line, sizeof line);
            fprintf(f, "goroutine %" PRId64 " holds %s 0x%012" PRIxPTR " (%s at %s)\n", x->goid, dl_type(h->lock),
                    (uintptr_t)dl_locks[h->lock].addr, h->shared ? "read-locked" : "locked", line);
        }
        if (x->waiting) {
            dump_ctx d = {f, x, line, sizeof line};
            dl_waits_for(x, dump_dep, &d);
        }
    }
    channel_cycles(f);
    fflush(f);
}
