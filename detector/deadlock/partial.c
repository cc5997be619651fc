/*
 * partial.c - goroutines blocked forever while the program goes on.
 *
 * A goroutine parked on a channel, a select, a WaitGroup or a Cond can only
 * be woken by a goroutine that operates on that object, and a goroutine can
 * only operate on an object it can name.  In C a name is any word that
 * points into the object, wherever it is kept: so, as a conservative
 * collector (and Go 1.25's goroutine-leak profile) does, the object is
 * alive iff such a word can be reached from the roots:
 *
 *   - the writable segments and TLS of every loaded ELF object except libc
 *     (whose malloc state points into the heap without meaning anything);
 *   - the armed timers (a timer feeds its channel: whoever waits there will
 *     be woken);
 *   - the stacks, from the saved stack pointer up, and the entry argument,
 *     of every goroutine that can still run: running, runnable, sleeping,
 *     waiting for a lock, or waiting on an object that is itself alive;
 *   - transitively, the program's heap blocks (heapmap.h) and goroutine
 *     stacks those words point into, interior pointers included.
 *
 * Liveness is a fixpoint: an object reached makes its waiters live, whose
 * stacks are then roots.  What remains unreached is waited on only by
 * goroutines that will never run again: those waiters are blocked forever.
 * A goroutine parked on a nil channel, or in a select whose channels are
 * all nil, is blocked forever by definition (so is one in an empty select,
 * except main: `select {}` is how a program parks main for good).
 *
 * Every word is taken for a pointer, so an integer can keep an object
 * alive: the only error that makes is a missed report.  A report is wrong
 * only when a pointer is hidden from the scan (stored disguised, e.g.
 * XOR-linked, or outside the memory above: in a file, in memory libc or
 * mmap handed out, in libc's own variables).  Objects the scan cannot place
 * (not in a recorded heap block nor on a goroutine's stack: a global, say)
 * count as alive.
 *
 * When: a goroutine's exit and the scheduler going idle are the moments at
 * which the last partner of a blocked goroutine can have gone.  A scan is
 * paced like a collection: a scan of at most SMALL_SCAN words always runs
 * (small programs are checked at every such moment, so what they report
 * does not depend on timing), a bigger one only once the program has paid
 * for it with CREDIT words per checkpoint, the price doubling (up to 16x)
 * after every scan that finds nothing.  Nothing is reported when no
 * goroutine can run any more without a timer firing for a live waiter:
 * the runtime is about to report the global deadlock, which takes
 * precedence.
 */
#define _GNU_SOURCE
#include "partial.h"

#include <inttypes.h>
#include <link.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detector/core/addrmap.h"
#include "detector/core/heapmap.h"
#include "detector/core/depot.h"
#include "detector/core/options.h"
#include "detector/report/kinds.h"
#include "detector/report/record.h"
#include "detector/report/report.h"
#include "detector/report/suppressions.h"
#include "runtime/introspect.h"
#include "runtime/traceback/stack.h"

extern void *__libc_stack_end;   /* glibc: the stack pointer at process entry */

enum {
    SMALL_SCAN = 16 << 10,   /* words: always worth a scan */
    CREDIT = 1 << 10,        /* words of scanning each checkpoint pays for */
    MAX_BACKOFF = 4,         /* price at most 16x the last scan's cost */
    GOROUTINE_COST = 4,      /* words a goroutine's bookkeeping counts as */
};

enum gkind {
    K_LIVE,      /* can run again by itself or by a timer */
    K_WAITS,     /* waits on an object: live iff the object is reached */
    K_FOREVER,   /* nil channel, all-nil or empty select */
};

typedef struct gref {
    intro_g *gp;
    uintptr_t lo, hi;        /* stack words that matter: [saved sp, top); 0 if none */
    uint8_t kind;
    bool live;
    bool reached;            /* the stack region has been queued for scanning */
} gref;

typedef struct range {
    uintptr_t lo, hi;
} range;

/* One scan's state; its arrays come from malloc with the gate closed, so
   they are not program memory and are never scanned themselves. */
typedef struct scan {
    gref *gs;
    size_t ng;
    size_t *byregion;        /* indices of gs with a stack region, by lo */
    size_t nregion;
    uintptr_t stk_lo, stk_hi;
    const heapmap_block *blocks;
    size_t nblocks;
    uintptr_t heap_lo, heap_hi;
    uint8_t *bmark;
    range *work;
    size_t nwork, capwork;
    intro_range skip_record; /* main's static record: in the data segment, but runtime state */
    uint64_t words;
    bool oom;
} scan;

static uint64_t credit, last_cost;
static unsigned backoff;
static uint64_t nscans, total_words, total_ns, nreported;

/* ---- goroutines reported already (ids are never reused) ---- */

static addrmap seen = ADDRMAP_INIT(0);

static bool seen_has(int64_t id)
{
    return addrmap_contains(&seen, (uint64_t)id);
}

/* Out of memory, a goroutine may be reported again: better than not at all. */
static void seen_add(int64_t id)
{
    addrmap_insert(&seen, (uint64_t)id, NULL);
}

/* ---- what a goroutine waits on ---- */

static bool object_wait(enum intro_wait wr)
{
    return wr == INTRO_WR_CHAN_SEND || wr == INTRO_WR_CHAN_RECV || wr == INTRO_WR_WAITGROUP ||
           wr == INTRO_WR_COND || wr == INTRO_WR_SELECT;
}

static enum gkind kind_of(const intro_g *gp)
{
    if (intro_status(gp) != INTRO_WAITING)
        return K_LIVE;
    switch (intro_waitreason(gp)) {
    case INTRO_WR_CHAN_SEND_NIL:
    case INTRO_WR_CHAN_RECV_NIL:
        return K_FOREVER;
    case INTRO_WR_SELECT_NO_CASES:
        return intro_id(gp) == 1 ? K_LIVE : K_FOREVER;
    case INTRO_WR_SELECT:
        for (uint32_t i = 0; i < intro_select_ncases(gp); i++)
            if (intro_select_case(gp, i).chan)
                return K_WAITS;
        return K_FOREVER;
    default:
        return object_wait(intro_waitreason(gp)) ? K_WAITS : K_LIVE;
    }
}

/* Whether a timer will wake gp: it waits on a channel an armed timer feeds. */
static bool timer_wakes(const intro_g *gp)
{
    if (intro_status(gp) != INTRO_WAITING)
        return false;
    enum intro_wait wr = intro_waitreason(gp);
    if (wr == INTRO_WR_SLEEP)
        return true;
    if (wr == INTRO_WR_CHAN_RECV)
        return intro_chan_timer_armed(intro_wait_object(gp));
    for (uint32_t i = 0; i < intro_select_ncases(gp); i++) {
        intro_case k = intro_select_case(gp, i);
        if (k.recv && intro_chan_timer_armed(k.chan))
            return true;
    }
    return false;
}

/* ---- marking ---- */

static void push(scan *s, uintptr_t lo, uintptr_t hi)
{
    if (hi <= lo)
        return;
    if (s->nwork == s->capwork) {
        size_t ncap = s->capwork ? 2 * s->capwork : 256;
        range *nw = realloc(s->work, ncap * sizeof *nw);
        if (!nw) {
            s->oom = true;
            return;
        }
        s->work = nw;
        s->capwork = ncap;
    }
    s->work[s->nwork++] = (range){ lo, hi };
}

/* The block v points into (one past the end counts), or -1. */
static ptrdiff_t block_of(const scan *s, uintptr_t v)
{
    if (v < s->heap_lo || v > s->heap_hi)
        return -1;
    size_t lo = 0, hi = s->nblocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->blocks[mid].base <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || v > s->blocks[lo - 1].base + s->blocks[lo - 1].size)
        return -1;
    return (ptrdiff_t)(lo - 1);
}

/* The goroutine whose live stack v points into, or NULL. */
static gref *region_of(const scan *s, uintptr_t v)
{
    if (v < s->stk_lo || v >= s->stk_hi)
        return NULL;
    size_t lo = 0, hi = s->nregion;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->gs[s->byregion[mid]].lo <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    gref *r = &s->gs[s->byregion[lo - 1]];
    return v < r->hi ? r : NULL;
}

static void reach_region(scan *s, gref *r)
{
    if (r->reached || !r->hi)
        return;
    r->reached = true;
    push(s, r->lo, r->hi);
}

/* A word that may be a pointer. */
static inline void consider(scan *s, uintptr_t v)
{
    ptrdiff_t b = block_of(s, v);
    if (b >= 0) {
        if (!s->bmark[b]) {
            s->bmark[b] = 1;
            push(s, s->blocks[b].base, s->blocks[b].base + s->blocks[b].size);
        }
        return;
    }
    gref *r = region_of(s, v);
    if (r)
        reach_region(s, r);
}

static void scan_words(scan *s, uintptr_t lo, uintptr_t hi)
{
    lo = (lo + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
    for (uintptr_t p = lo; p + sizeof(uintptr_t) <= hi; p += sizeof(uintptr_t))
        consider(s, *(const uintptr_t *)p);
    if (hi > lo)
        s->words += (hi - lo) / sizeof(uintptr_t);
}

static void drain(scan *s)
{
    while (s->nwork) {
        range r = s->work[--s->nwork];
        scan_words(s, r.lo, r.hi);
    }
}

/* Whether an object is (still) reachable: its heap block or the stack it
   lives on was reached; anything the scan cannot place is taken as
   reachable. */
static bool reached(const scan *s, const void *obj)
{
    uintptr_t a = (uintptr_t)obj;
    ptrdiff_t b = block_of(s, a);
    if (b >= 0)
        return s->bmark[b];
    gref *r = region_of(s, a);
    if (r)
        return r->reached;
    return true;
}

static bool waits_on_reached(const scan *s, const intro_g *gp)
{
    if (intro_waitreason(gp) != INTRO_WR_SELECT)
        return reached(s, intro_wait_object(gp));
    for (uint32_t i = 0; i < intro_select_ncases(gp); i++) {
        const co_chan *c = intro_select_case(gp, i).chan;
        if (c && reached(s, c))
            return true;
    }
    return false;
}

static void make_live(scan *s, gref *r)
{
    r->live = true;
    reach_region(s, r);
    /* A goroutine that has not run yet holds nothing but its argument. */
    consider(s, (uintptr_t)intro_entry_arg(r->gp));
}

/* ---- roots ---- */

static void scan_root(scan *s, uintptr_t lo, uintptr_t hi)
{
    uintptr_t x = s->skip_record.lo, xe = s->skip_record.hi;
    if (x && x < hi && xe > lo) {
        scan_words(s, lo, x);
        scan_words(s, xe, hi);
    } else {
        scan_words(s, lo, hi);
    }
}

static bool is_libc(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    return strncmp(base, "libc.so", 7) == 0;
}

static int segment_roots(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    scan *s = arg;
    if (info->dlpi_name && is_libc(info->dlpi_name))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W)) {
            uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
            scan_root(s, lo, lo + ph->p_memsz);
        } else if (ph->p_type == PT_TLS && info->dlpi_tls_data) {
            uintptr_t lo = (uintptr_t)info->dlpi_tls_data;
            scan_root(s, lo, lo + ph->p_memsz);
        }
    }
    return 0;
}

static void timer_roots(scan *s)
{
    for (uint32_t i = 0; i < intro_timer_count(); i++) {
        intro_range t = intro_timer(i);
        consider(s, t.lo);
        scan_words(s, t.lo, t.hi);
    }
}

/* ---- the scan ---- */

static int by_lo(const void *a, const void *b, void *arg)
{
    const gref *gs = arg;
    uintptr_t x = gs[*(const size_t *)a].lo, y = gs[*(const size_t *)b].lo;
    return x < y ? -1 : x > y;
}

/* The goroutines of this moment: all but the exiting one; the running one
   (parked, not yet switched out) with its stack from cur_sp.  Returns false
   when a stack's extent is unknown (nothing can be decided then). */
static bool collect_goroutines(scan *s, const intro_g *exiting, uintptr_t cur_sp)
{
    size_t n = 0;
    for (intro_g *gp = intro_first(); gp; gp = intro_next(gp))
        n++;
    s->gs = calloc(n ? n : 1, sizeof *s->gs);
    s->byregion = calloc(n ? n : 1, sizeof *s->byregion);
    if (!s->gs || !s->byregion)
        return false;
    s->stk_lo = UINTPTR_MAX;
    for (intro_g *gp = intro_first(); gp; gp = intro_next(gp)) {
        if (gp == exiting)
            continue;
        gref *r = &s->gs[s->ng];
        r->gp = gp;
        r->kind = (uint8_t)kind_of(gp);
        if (intro_id(gp) == 1)
            s->skip_record = intro_record(gp);
        uintptr_t sp = gp == intro_current() ? cur_sp : (uintptr_t)intro_saved_sp(gp);
        if (sp) {
            intro_range stack = intro_stack(gp);
            if (stack.hi == stack.lo)
                return false;
            r->lo = sp;
            r->hi = stack.hi;
            /* Main's stack ends, for what main can name, where the process
               entry left it: above lie argv and the environment, which
               the loader's own variables point to. */
            if (intro_id(gp) == 1 && (uintptr_t)__libc_stack_end > sp && (uintptr_t)__libc_stack_end < r->hi)
                r->hi = (uintptr_t)__libc_stack_end;
            if (r->hi <= r->lo)
                return false;
            s->byregion[s->nregion++] = s->ng;
            if (r->lo < s->stk_lo)
                s->stk_lo = r->lo;
            if (r->hi > s->stk_hi)
                s->stk_hi = r->hi;
        }
        s->ng++;
    }
    qsort_r(s->byregion, s->nregion, sizeof *s->byregion, by_lo, s->gs);
    return true;
}

/* The scan's arrays hold the addresses of the program's objects and
   stacks; malloc hands freed memory to the program again uninitialised,
   where those addresses would look like the program's own pointers. */
static void scrub_free(void *p, size_t n)
{
    if (p)
        memset(p, 0, n);
    free(p);
}

static void scan_free(scan *s)
{
    scrub_free(s->gs, s->ng * sizeof *s->gs);
    scrub_free(s->byregion, s->ng * sizeof *s->byregion);
    scrub_free(s->bmark, s->nblocks);
    scrub_free(s->work, s->capwork * sizeof *s->work);
}

/* ---- the report ---- */

/* What gp waits on, as the JSON list: the select's channels but the nil
   ones, or its one object; none when it waits on nothing (forever). */
static json_t *json_objects(const intro_g *gp, bool forever)
{
    json_t *a = json_array();
    if (forever)
        return a;
    if (intro_waitreason(gp) != INTRO_WR_SELECT) {
        json_array_append_new(a, rec_new_hex((uintptr_t)intro_wait_object(gp), 1));
        return a;
    }
    for (uint32_t i = 0; i < intro_select_ncases(gp); i++) {
        const co_chan *c = intro_select_case(gp, i).chan;
        if (c)
            json_array_append_new(a, rec_new_hex((uintptr_t)c, 1));
    }
    return a;
}

/* A goroutine's stack as a depot context, for the JSON renderer. */
json_t *partial_json_stack(intro_g *gp)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    int n = gp == intro_current() ? st_unwind_here(pcs, ST_MAX_FRAMES)
                                  : st_unwind_suspended(intro_saved_sp(gp), pcs, ST_MAX_FRAMES);
    if (n <= 0)
        return json_array();
    uint32_t ctx = 0;
    for (int i = n - 1; i >= 1; i--)
        ctx = depot_push(ctx, pcs[i]);
    return report_json_trace(pcs[0], ctx);
}

/* victim/victims: the finding's place among those of one report (the text
   prints them under one header). */
static json_t *partial_record(intro_g *gp, bool forever, size_t victim, size_t victims)
{
    json_t *rec = json_object();
    if (!rec)
        return NULL;
    rec_set(rec, "kind", json_string(finding_of(FINDING_PARTIAL)->record));
    rec_set(rec, "goroutine", json_integer(intro_id(gp)));
    rec_set(rec, "victim", json_integer((json_int_t)victim));
    rec_set(rec, "victims", json_integer((json_int_t)victims));
    rec_set(rec, "waitreason", rec_new_str(intro_waitreason_str(intro_waitreason(gp))));
    rec_set(rec, "objects", json_objects(gp, forever));
    rec_set(rec, "stack", partial_json_stack(gp));
    rec_set(rec, "created", intro_id(gp) == 1 ? json_array() : report_json_stack(intro_created_pc(gp), 0));
    rec_set(rec, "created_by", json_integer(intro_parent_id(gp)));
    report_json_degraded(rec);
    return rec;
}

bool partial_goroutine_suppressed(intro_g *gp, enum suppress_kind kind)
{
    if (!suppressions_active())
        return false;
    uintptr_t pcs[ST_MAX_FRAMES];
    int n;
    bool running = gp == intro_current();
    if (intro_saved_sp(gp) || running) {
        n = running ? st_unwind_here(pcs, ST_MAX_FRAMES)
                    : st_unwind_suspended(intro_saved_sp(gp), pcs, ST_MAX_FRAMES);
    } else {
        /* Never ran: its entry function, as a return address into it. */
        pcs[0] = intro_entry_fn(gp) + 1;
        n = 1;
    }
    if (n > 0 && report_suppressed_pcs(kind, pcs, (size_t)n))
        return true;
    const report_site created = { 0, intro_id(gp) != 1 ? intro_created_pc(gp) : 0 };
    return report_suppressed(kind, &created, 1);
}

static void report(intro_g **victims, bool *forever, size_t n)
{
    options_init();
    /* Suppressed goroutines leave the report; none left, no report. */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (partial_goroutine_suppressed(victims[i], finding_of(FINDING_PARTIAL)->suppress))
            continue;
        forever[kept] = forever[i];
        victims[kept++] = victims[i];
    }
    if (kept == 0)
        return;
    n = kept;
    FILE *f = report_stream();
    fflush(stdout);
    /* One record per goroutine; the text puts them under one header. */
    for (size_t i = 0; i < n; i++)
        report_emit(f, partial_record(victims[i], forever[i], i, n));
    fflush(f);
    nreported += n;
    report_other_findings(1);
}

/* One scan; returns its cost in words.  *found: something was reported. */
static uint64_t run_scan(const intro_g *exiting, uintptr_t cur_sp, bool *found)
{
    *found = false;
    scan s = { 0 };
    uint64_t cost = 0;
    bool any_waiter = false, progress = false;
    for (intro_g *gp = intro_first(); gp; gp = intro_next(gp)) {
        cost += GOROUTINE_COST;
        if (gp == exiting)
            continue;
        if (intro_status(gp) == INTRO_RUNNABLE || timer_wakes(gp))
            progress = true;
        if (kind_of(gp) != K_LIVE && !seen_has(intro_id(gp)))
            any_waiter = true;
    }
    /* Nothing new to find; or nobody can run again: the runtime's global
       deadlock comes next, and that report is the one to give. */
    if (!any_waiter || !progress)
        return cost;
    if (!collect_goroutines(&s, exiting, cur_sp)) {
        scan_free(&s);
        return cost;
    }
    s.blocks = heapmap_sorted(&s.nblocks);
    if (s.nblocks) {
        s.heap_lo = s.blocks[0].base;
        s.heap_hi = s.blocks[s.nblocks - 1].base + s.blocks[s.nblocks - 1].size;
        for (size_t i = 0; i < s.nblocks; i++)
            if (s.blocks[i].base + s.blocks[i].size > s.heap_hi)
                s.heap_hi = s.blocks[i].base + s.blocks[i].size;
        s.bmark = calloc(s.nblocks, 1);
        if (!s.bmark) {
            scan_free(&s);
            return cost;
        }
    } else {
        s.heap_lo = UINTPTR_MAX;
    }

    dl_iterate_phdr(segment_roots, &s);
    timer_roots(&s);
    for (size_t i = 0; i < s.ng; i++)
        if (s.gs[i].kind == K_LIVE)
            make_live(&s, &s.gs[i]);
    for (bool changed = true; changed;) {
        drain(&s);
        changed = false;
        for (size_t i = 0; i < s.ng; i++) {
            gref *r = &s.gs[i];
            if (r->kind == K_WAITS && !r->live && waits_on_reached(&s, r->gp)) {
                make_live(&s, r);
                changed = true;
            }
        }
    }
    cost += s.words;

    size_t nv = 0;
    intro_g **victims = calloc(s.ng ? s.ng : 1, sizeof *victims);
    bool *forever = calloc(s.ng ? s.ng : 1, sizeof *forever);
    if (!s.oom && victims && forever) {
        for (size_t i = 0; i < s.ng; i++) {
            gref *r = &s.gs[i];
            if (r->kind == K_LIVE || r->live || seen_has(intro_id(r->gp)))
                continue;
            forever[nv] = r->kind == K_FOREVER;
            victims[nv++] = r->gp;
        }
    }
    scan_free(&s);
    if (nv) {
        for (size_t i = 0; i < nv; i++)
            seen_add(intro_id(victims[i]));
        *found = true;
        report(victims, forever, nv);
    }
    scrub_free(victims, (s.ng ? s.ng : 1) * sizeof *victims);
    free(forever);
    return cost;
}

/* The scan's frames leave pointers to what it looked at under the stack
   pointer; a later call on this stack could find them in its own
   uninitialised slots and keep dead objects alive. */
static __attribute__((noinline)) void clear_below(void)
{
    volatile char pad[8192];
    memset((char *)pad, 0, sizeof pad);
}

static __attribute__((noinline)) void paced(const intro_g *exiting)
{
    /* The running goroutine's words start at this frame's own: above it
       lie the caller's frame with the registers it saved, and the stack. */
    uintptr_t cur_sp = (uintptr_t)__builtin_frame_address(0);
    credit += CREDIT;
    uint64_t price = last_cost > SMALL_SCAN ? (last_cost - SMALL_SCAN) << backoff : 0;
    if (credit < price)
        return;
    credit = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool found;
    last_cost = run_scan(exiting, cur_sp, &found);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    nscans++;
    total_words += last_cost;
    total_ns += (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
    if (found)
        backoff = 0;
    else if (backoff < MAX_BACKOFF)
        backoff++;
}

/* Spills the callee-saved registers into this frame, so that pointers the
   running goroutine holds only in registers are on its stack for the
   scan. */
static __attribute__((noinline)) void checkpoint(const intro_g *exiting)
{
    __builtin_unwind_init();
    paced(exiting);
}

/* Both clear from as high up as they can: an exiting goroutine's frames
   leave values in the holes of the frames that reuse their place (the
   hooks' own), and its stack goes to the next goroutine, whose
   uninitialised slots would then keep the dead one's objects alive. */
void partial_goroutine_exited(void)
{
    checkpoint(intro_current());
    clear_below();
}

void partial_sched_idle(void)
{
    /* From an exiting goroutine's pick the goroutine is off the list
       already; from a park it is on it, parked, and its stack counts. */
    checkpoint(NULL);
    clear_below();
}

void partial_print_stats(void)
{
    options_init();
    if (corace_opts.verbosity >= 1)
        fprintf(stderr, "corace: partial-deadlock scans: %" PRIu64 ", %" PRIu64 " words scanned in %.3f ms, "
                "%" PRIu64 " goroutine(s) reported, %zu heap block(s) live\n",
                nscans, total_words, (double)total_ns / 1e6, nreported, heapmap_count());
}
