/*
 * race.c - goroutine clocks, sync-object clocks and the FastTrack check.
 *
 * The algorithm is FastTrack (Flanagan & Freund, PLDI 2009): every goroutine
 * has a vector clock; an access is remembered as an epoch clk@tid (the
 * accessor's own clock entry at the time), and a later access by goroutine u
 * is ordered after it iff clk <= C_u[tid].  Sync objects carry clocks too:
 * release copies or merges the goroutine's clock into the object's and then
 * increments the goroutine's own entry, acquire joins the object's clock
 * into the goroutine's.
 *
 * Invariants:
 *  - g->clk == C_g[g->tid] always (cached: it is the epoch of every access);
 *  - a remembered access names a tid whose race_g stays in `gs` forever;
 *  - only cur's clock is read on the access path, and nothing allocates
 *    there except when a cell first needs a set (pooled) or its block is
 *    first mapped;
 *  - one OS thread, never re-entered: no locks anywhere.
 *
 * Per access, per granule (one loop, TSan's shape): every remembered entry
 * with overlapping bytes, a write on either side, not both atomic and another
 * goroutine's epoch not covered by cur's clock is a race.  Then the access
 * is recorded, dropping the entries it subsumes: those ordered before it
 * whose bytes it covers (a read drops only reads; an atomic drops only
 * atomics).  A later access racing with a dropped entry races with the new
 * one too, so nothing is lost, which is FastTrack's "read-exclusive" and
 * "write clears reads" generalised to byte masks.  An access made redundant
 * by an entry of the same goroutine at the same epoch covering its bytes is
 * not recorded at all (FastTrack's same-epoch fast path).
 */
#include "detector/race/race.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "detector/race/shadow.h"
#include "detector/race/vclock.h"
#include "detector/core/addrmap.h"
#include "detector/core/depot.h"
#include "detector/report/report.h"

struct race_g {
    race_tid tid;             /* slot in every vector clock; never reused */
    race_clk clk;             /* == vc[tid]: the epoch of this goroutine's accesses */
    race_vclock vc;           /* what this goroutine has synchronized with */
    int64_t goid;             /* the runtime's goroutine id, for reports */
    uint32_t frame;           /* depot id of the current calling context */
    uint32_t depth;           /* entries in frames */
    uint32_t fcap;            /* frames allocated */
    uint32_t *frames;         /* contexts to return to at func_exit */
    uint32_t created_frame;   /* the parent's context at the go statement */
    uintptr_t created_pc;     /* return address of the go call */
    bool finished;            /* exited: clock and frames freed */
    void *locks;              /* the lock-order checker's list of held locks */
};

/* --- goroutines -------------------------------------------------------- */

static bool inited;
static bool shadow_ok;
static race_g *cur;                  /* the goroutine running now */
static race_g main_g;
static race_pool g_pool = { .size = (sizeof(race_g) + 7) & ~(size_t)7 };
static race_g **gs;                  /* gs[tid]: every goroutine ever made */
static size_t gs_cap;
static race_tid next_tid = 1;        /* tid 0 means "no access" */

static const char *degraded_reason;

static void say(const char *msg)
{
    ssize_t r = write(2, msg, strlen(msg));
    (void)r;
}

bool race_degraded(void)
{
    if (degraded_reason == NULL && race_shadow_degraded())
        degraded_reason = "shadow memory could not be mapped; some accesses were not checked";
    return degraded_reason != NULL;
}

const char *race_degraded_reason(void)
{
    race_degraded();
    return degraded_reason;
}

static race_tid new_tid(race_g *g)
{
    if (next_tid == RACE_SHADOW_SET_TID)
        race_oom("goroutine slots (2^32 goroutines)");
    race_tid t = next_tid++;
    race_vc_tids = next_tid;
    if (t >= gs_cap) {
        size_t cap = gs_cap ? gs_cap * 2 : 1024;
        race_g **n = race_mem_alloc(cap * sizeof *n);
        if (gs_cap)
            memcpy(n, gs, gs_cap * sizeof *n);
        race_mem_free(gs, gs_cap * sizeof *gs);
        gs = n;
        gs_cap = cap;
    }
    gs[t] = g;
    return t;
}

/* g's own entry++ after a release.  At 2^32-1 the clock stops: later
   releases by g then look like earlier ones, so races after them may be
   missed, never invented.  Said once, loudly, and in every later report. */
static void tick(race_g *g)
{
    race_clk c = race_vc_inc(&g->vc, g->tid);
    if (c != 0) {
        g->clk = c;
        return;
    }
    if (degraded_reason == NULL) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "corace: race detector: goroutine %lld's clock overflowed (2^32 releases); "
                 "detection is DEGRADED from now on (races after this point may be missed)\n",
                 (long long)g->goid);
        say(msg);
    }
    degraded_reason = "a goroutine's clock overflowed; races after it may be missed";
}

void race_init(void)
{
    if (inited)
        return;
    inited = true;
    shadow_ok = race_shadow_init();
    memset(&main_g, 0, sizeof main_g);
    race_vc_init(&main_g.vc);
    main_g.goid = 1;
    main_g.tid = new_tid(&main_g);
    race_vc_set(&main_g.vc, main_g.tid, 1);
    main_g.clk = 1;
    cur = &main_g;
}

race_g *race_main(void)
{
    race_init();
    return &main_g;
}

race_g *race_current(void)
{
    return cur;
}

race_g *race_go_create(race_g *parent, int64_t goid, uintptr_t created_pc)
{
    race_init();
    if (parent == NULL)
        parent = cur;
    race_g *g = race_pool_get(&g_pool);
    memset(g, 0, sizeof *g);
    race_vc_init(&g->vc);
    g->goid = goid;
    g->tid = new_tid(g);
    g->created_pc = created_pc;
    /* HB: the go statement is synchronized before the new goroutine starts. */
    if (parent != NULL) {
        g->created_frame = parent->frame;
        race_vc_copy(&g->vc, &parent->vc);
        tick(parent);
    }
    race_vc_set(&g->vc, g->tid, 1);
    g->clk = 1;
    return g;
}

void race_go_exit(race_g *g)
{
    if (g == NULL || g->finished)
        return;
    g->finished = true;
    race_vc_free(&g->vc);
    race_mem_free(g->frames, g->fcap * sizeof *g->frames);
    g->frames = NULL;
    g->depth = g->fcap = 0;
    /* Its clock is gone: nothing more may be attributed to it. */
    if (cur == g)
        cur = NULL;
}

void race_switch(race_g *g)
{
    cur = g;
}

race_tid race_g_tid(const race_g *g)
{
    return g->tid;
}

int64_t race_g_goid(const race_g *g)
{
    return g->goid;
}

uint32_t race_g_frame(const race_g *g)
{
    return g->frame;
}

void **race_g_locks(race_g *g)
{
    return &g->locks;
}

race_g *race_g_by_tid(race_tid tid)
{
    return tid < next_tid && tid < gs_cap ? gs[tid] : NULL;
}

/* --- shadow call stack --------------------------------------------------- */

void race_func_entry(uintptr_t caller_pc)
{
    race_g *g = cur;
    if (g == NULL)
        return;
    if (g->depth == g->fcap) {
        uint32_t cap = g->fcap ? g->fcap * 2 : 16;
        uint32_t *f = race_mem_alloc(cap * sizeof *f);
        if (g->depth)
            memcpy(f, g->frames, g->depth * sizeof *f);
        race_mem_free(g->frames, g->fcap * sizeof *f);
        g->frames = f;
        g->fcap = cap;
    }
    g->frames[g->depth++] = g->frame;
    g->frame = depot_push(g->frame, caller_pc);
}

void race_func_exit(void)
{
    race_g *g = cur;
    /* Unbalanced exits (longjmp, a goroutine entered mid-function) keep
       the outermost context instead of underflowing. */
    if (g != NULL && g->depth > 0)
        g->frame = g->frames[--g->depth];
}

/* --- sync objects -------------------------------------------------------- */

/* Each sync object's clock, by address (no sync object lives at 0).  A
   value the map zeroes is an empty clock, as race_vc_init makes it. */
static addrmap sync_map = ADDRMAP_INIT(sizeof(race_vclock));

/* The clock of sync, or NULL; created (empty) when create is set.  The
   pointer is valid until the next creation or free. */
static inline race_vclock *sync_clock(const void *sync, bool create)
{
    uintptr_t k = (uintptr_t)sync;
    if (k == 0)
        return NULL;
    race_vclock *v = addrmap_find_fixed(&sync_map, k, sizeof(race_vclock));
    if (v != NULL || !create)
        return v;
    v = addrmap_insert(&sync_map, k, NULL);
    if (v == NULL)
        race_oom("sync table");
    return v;
}

static void sync_delete_at(size_t i)
{
    race_vc_free(addrmap_value_at(&sync_map, i));
    addrmap_delete_at(&sync_map, i);
}

void race_sync_free(const void *sync)
{
    uintptr_t k = (uintptr_t)sync;
    size_t i = k ? addrmap_find_slot(&sync_map, k) : (size_t)-1;
    if (i != (size_t)-1)
        sync_delete_at(i);
}

/* Drop the clocks of sync objects inside a freed block, so that memory
   reused for a new mutex or atomic starts without stale edges. */
static void sync_free_range(uintptr_t lo, size_t size)
{
    size_t cap = addrmap_capacity(&sync_map);
    if (addrmap_count(&sync_map) == 0)
        return;
    if (size / 4 < cap) {
        for (uintptr_t a = (lo + 3) & ~(uintptr_t)3; a - lo < size; a += 4)
            race_sync_free((const void *)a);
        return;
    }
    for (size_t i = 0; i < cap;) {
        uintptr_t k = addrmap_key_at(&sync_map, i);
        if (k != 0 && k - lo < size)
            sync_delete_at(i);   /* slot i may now hold another: look again */
        else
            i++;
    }
}

static void acquire_g(race_g *g, const void *sync)
{
    if (g == NULL)
        return;
    race_vclock *s = sync_clock(sync, false);
    if (s != NULL)
        race_vc_join(&g->vc, s);
}

static void release_g(race_g *g, const void *sync)
{
    if (g == NULL)
        return;
    race_vclock *s = sync_clock(sync, true);
    if (s == NULL)
        return;
    race_vc_copy(s, &g->vc);
    tick(g);
}

void race_acquire(const void *sync) { acquire_g(cur, sync); }

void race_release(const void *sync) { release_g(cur, sync); }

void race_release_merge(const void *sync)
{
    race_g *g = cur;
    if (g == NULL)
        return;
    race_vclock *s = sync_clock(sync, true);
    if (s == NULL)
        return;
    race_vc_join(s, &g->vc);
    tick(g);
}

void race_release_acquire(const void *sync) { race_release_acquire_g(cur, sync); }

void race_release_acquire_g(race_g *g, const void *sync)
{
    acquire_g(g, sync);
    release_g(g, sync);
}

void race_handoff(race_g *to)
{
    race_g *g = cur;
    if (g == NULL || to == NULL || to->finished)
        return;
    race_vc_join(&to->vc, &g->vc);
    tick(g);
}

void race_handback(race_g *from)
{
    race_g *g = cur;
    if (g == NULL || from == NULL || from->finished)
        return;
    race_vc_join(&g->vc, &from->vc);
    /* from's blocking point acts as a release: what from does after it
       resumes must not share the epoch cur has just seen, or it would look
       ordered before cur's later accesses. */
    tick(from);
}

/* --- reports ------------------------------------------------------------- */

static void fill_access(report_access *ra, const race_g *g, bool write, bool atomic,
                        uint32_t frame, uintptr_t pc)
{
    ra->goid = g ? g->goid : 0;
    ra->write = write;
    ra->atomic = atomic;
    ra->frame = frame;
    ra->pc = pc;
    ra->finished = g ? g->finished : true;
    ra->created_frame = g ? g->created_frame : 0;
    ra->created_pc = g ? g->created_pc : 0;
}

/* The access being checked. */
typedef struct race_acc {
    race_g *g;
    uint8_t mask;         /* bytes of the current granule */
    uint8_t flags;        /* RACE_SA_* */
    uintptr_t pc;
    uintptr_t addr;       /* the whole access, for the report */
    size_t size;
} race_acc;

/* Every race found goes to the report, repeats included: report.c alone
   decides which to print and counts the rest (one place for both). */
static __attribute__((noinline, cold)) void
report(const race_acc *x, uintptr_t granule, const race_shadow_access *e)
{
    report_race r;
    memset(&r, 0, sizeof r);
    r.addr = granule + (uintptr_t)__builtin_ctz(e->mask & x->mask);
    r.size = x->size;
    fill_access(&r.cur, x->g, x->flags & RACE_SA_WRITE, x->flags & RACE_SA_ATOMIC,
                x->g->frame, x->pc);
    fill_access(&r.prev, race_g_by_tid(e->tid), e->flags & RACE_SA_WRITE,
                e->flags & RACE_SA_ATOMIC, e->frame, e->pc);
    report_race_found(&r);
}

/* --- the check ----------------------------------------------------------- */

/* Reads of a set looked at for a same-epoch match or a same-goroutine
   replacement; older reads are only compacted when the set fills.  This
   keeps a read of a location read by 100,000 goroutines O(1). */
#define READ_WINDOW 8

static inline bool is_write(const race_shadow_access *e)
{
    return e->flags & RACE_SA_WRITE;
}

/* e conflicts with x and is not ordered before it: a race. */
static inline bool races(const race_acc *x, const race_shadow_access *e)
{
    if (e->tid == x->g->tid || !(e->mask & x->mask))
        return false;
    if (!((e->flags | x->flags) & RACE_SA_WRITE))
        return false;
    if (e->flags & x->flags & RACE_SA_ATOMIC)
        return false;
    return e->clk > race_vc_get(&x->g->vc, e->tid);
}

/* Recording x makes nothing new: e is x's goroutine at the same epoch,
   covers x's bytes, and any later access racing with x races with e. */
static inline bool covers(const race_acc *x, const race_shadow_access *e)
{
    return e->tid == x->g->tid && e->clk == x->g->clk && (e->mask & x->mask) == x->mask &&
           (is_write(e) || !(x->flags & RACE_SA_WRITE)) &&
           (!(e->flags & RACE_SA_ATOMIC) || (x->flags & RACE_SA_ATOMIC));
}

/* The same site at the same epoch: x's bytes can join e's mask exactly. */
static inline bool same_site(const race_acc *x, const race_shadow_access *e)
{
    return e->tid == x->g->tid && e->clk == x->g->clk && e->pc == x->pc &&
           e->frame == x->g->frame && e->flags == x->flags;
}

/* e may be forgotten once x is recorded: ordered before x, bytes covered,
   and any later access racing with e races with x. */
static inline bool subsumed(const race_acc *x, const race_shadow_access *e)
{
    if ((e->mask & ~x->mask) != 0)
        return false;
    if (is_write(e) && !(x->flags & RACE_SA_WRITE))
        return false;
    if ((x->flags & RACE_SA_ATOMIC) && !(e->flags & RACE_SA_ATOMIC))
        return false;
    return e->tid == x->g->tid || e->clk <= race_vc_get(&x->g->vc, e->tid);
}

static inline void make_entry(race_shadow_access *e, const race_acc *x)
{
    e->tid = x->g->tid;
    e->clk = x->g->clk;
    e->frame = x->g->frame;
    e->mask = x->mask;
    e->flags = x->flags;
    e->unused = 0;
    e->pc = x->pc;
}

/* Order: tid ascending, clk descending (heap sort: no allocation, and
   qsort may call malloc). */
static bool read_before(const race_shadow_access *a, const race_shadow_access *b)
{
    return a->tid != b->tid ? a->tid < b->tid : a->clk > b->clk;
}

static void sift(race_shadow_access *v, size_t i, size_t n)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && read_before(&v[c], &v[c + 1]))
            c++;
        if (!read_before(&v[i], &v[c]))
            return;
        race_shadow_access t = v[i];
        v[i] = v[c];
        v[c] = t;
        i = c;
    }
}

static void sort_reads(race_shadow_access *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift(v, i, n);
    for (size_t k = n; k-- > 1;) {
        race_shadow_access t = v[0];
        v[0] = v[k];
        v[k] = t;
        sift(v, 0, k);
    }
}

/* Make room in a full set before appending read x: drop reads x subsumes
   and reads dominated by a later read of the same goroutine covering their
   bytes; grow when that frees too little. */
static race_shadow_set *compact_reads(race_shadow_cell *c, race_shadow_set *s, const race_acc *x)
{
    race_shadow_access *r = s->e + s->nw;
    size_t n = s->n - s->nw, k = 0;
    for (size_t i = 0; i < n; i++)
        if (!subsumed(x, &r[i]))
            r[k++] = r[i];
    n = k;
    sort_reads(r, n);
    k = 0;
    for (size_t i = 0; i < n; i++) {
        /* Kept entries of this tid are r[first..k), newest first. */
        bool dominated = false;
        for (size_t j = k; j-- > 0 && r[j].tid == r[i].tid && k - j <= READ_WINDOW;) {
            if ((r[i].mask & ~r[j].mask) == 0 &&
                (!(r[j].flags & RACE_SA_ATOMIC) || (r[i].flags & RACE_SA_ATOMIC))) {
                dominated = true;
                break;
            }
        }
        if (!dominated)
            r[k++] = r[i];
    }
    s->n = s->nw + (uint32_t)k;
    if (s->n * 4 >= s->cap * 3)
        s = race_shadow_set_grow(c, s->cap * 2);
    return s;
}

static void insert_write(race_shadow_set *s, const race_shadow_access *e)
{
    if (s->nw < s->n)
        s->e[s->n] = s->e[s->nw];   /* first read moves to the end */
    s->e[s->nw++] = *e;
    s->n++;
}

/* Set mode: check and record. */
static void check_set(race_shadow_cell *c, race_shadow_set *s, uintptr_t granule,
                      const race_acc *x, bool record)
{
    bool w = x->flags & RACE_SA_WRITE;
    uint32_t rlo = s->n > s->nw + READ_WINDOW ? s->n - READ_WINDOW : s->nw;

    for (uint32_t i = 0; i < s->nw; i++)
        if (covers(x, &s->e[i]))
            return;
    if (!w)
        for (uint32_t i = rlo; i < s->n; i++)
            if (covers(x, &s->e[i]))
                return;

    for (uint32_t i = 0, n = w ? s->n : s->nw; i < n; i++)
        if (races(x, &s->e[i]))
            report(x, granule, &s->e[i]);
    if (!record)
        return;

    race_shadow_access ne;
    make_entry(&ne, x);
    if (w) {
        /* Every entry: merge a same-site write, drop what x subsumes,
           keeping writes before reads. */
        bool merged = false;
        uint32_t k = 0;
        for (uint32_t i = 0; i < s->nw; i++) {
            race_shadow_access *e = &s->e[i];
            if (!merged && same_site(x, e)) {
                e->mask |= x->mask;
                merged = true;
            } else if (subsumed(x, e)) {
                continue;
            }
            s->e[k++] = *e;
        }
        uint32_t nw = k;
        for (uint32_t i = s->nw; i < s->n; i++)
            if (!subsumed(x, &s->e[i]))
                s->e[k++] = s->e[i];
        s->nw = nw;
        s->n = k;
        if (!merged) {
            if (s->n == s->cap)
                s = race_shadow_set_grow(c, s->cap * 2);
            insert_write(s, &ne);
        }
        if (s->n <= 2) {   /* back to inline slots: no set to keep */
            race_shadow_access keep[2];
            uint32_t n = s->n;
            memcpy(keep, s->e, n * sizeof keep[0]);
            race_shadow_set_detach(c, granule);
            memcpy(c->a, keep, n * sizeof keep[0]);
        }
        return;
    }
    /* A read: only recent reads are looked at (READ_WINDOW). */
    for (uint32_t i = rlo; i < s->n; i++) {
        race_shadow_access *e = &s->e[i];
        if (same_site(x, e)) {
            e->mask |= x->mask;
            return;
        }
        if (subsumed(x, e)) {
            *e = ne;
            return;
        }
    }
    if (s->n == s->cap)
        s = compact_reads(c, s, x);
    s->e[s->n++] = ne;
}

/* Check one granule's cell and record the access. */
static inline void check_cell(race_shadow_cell *c, uintptr_t granule, const race_acc *x,
                              bool record)
{
    race_shadow_set *s = race_shadow_set_of(c);
    if (s != NULL) {
        check_set(c, s, granule, x, record);
        return;
    }
    race_shadow_access *a = c->a;
    if ((a[0].tid && covers(x, &a[0])) || (a[1].tid && covers(x, &a[1])))
        return;
    if (a[0].tid && races(x, &a[0]))
        report(x, granule, &a[0]);
    if (a[1].tid && races(x, &a[1]))
        report(x, granule, &a[1]);
    if (!record)
        return;
    bool merged = false;
    int slot = -1;
    for (int i = 0; i < 2; i++) {
        if (a[i].tid == 0) {
            slot = i;
        } else if (!merged && same_site(x, &a[i])) {
            a[i].mask |= x->mask;
            merged = true;
        } else if (subsumed(x, &a[i])) {
            memset(&a[i], 0, sizeof a[i]);
            slot = i;
        }
    }
    if (merged)
        return;
    if (slot >= 0) {
        make_entry(&a[slot], x);
        return;
    }
    /* Both slots hold accesses x may not replace: to a set. */
    race_shadow_access old[2] = { a[0], a[1] }, ne;
    make_entry(&ne, x);
    s = race_shadow_set_attach(c, granule, 4);
    for (int i = 0; i < 2; i++) {
        if (is_write(&old[i]))
            insert_write(s, &old[i]);
        else
            s->e[s->n++] = old[i];
    }
    if (is_write(&ne))
        insert_write(s, &ne);
    else
        s->e[s->n++] = ne;
}

/* Check (and record, unless only checking) size bytes at addr. */
static void check_range(uintptr_t addr, size_t size, uint8_t flags, uintptr_t pc, bool record)
{
    race_g *g = cur;
    if (g == NULL || !shadow_ok || size == 0)
        return;
    race_acc x = { .g = g, .flags = flags, .pc = pc, .addr = addr, .size = size };
    uintptr_t a = addr, end = addr + size;
    if (end < addr)
        end = UINTPTR_MAX;
    while (a < end) {
        unsigned off = a & 7;
        size_t n = 8 - off;
        if (n > end - a)
            n = end - a;
        if (!record && race_shadow_l1 != NULL && (a >> RACE_SHADOW_VA_BITS) == 0 &&
            race_shadow_l1[a >> RACE_SHADOW_BLOCK_SHIFT] == NULL) {
            /* Nothing was ever recorded in this block: skip it whole. */
            uintptr_t next = ((a >> RACE_SHADOW_BLOCK_SHIFT) + 1) << RACE_SHADOW_BLOCK_SHIFT;
            a = next > a ? next : end;
            continue;
        }
        x.mask = (uint8_t)(((1u << n) - 1) << off);
        race_shadow_cell *c = race_shadow_cell_of(a);
        if (c != NULL)
            check_cell(c, a & ~(uintptr_t)7, &x, record);
        a += n;
    }
}

void race_read(const void *addr, size_t size, uintptr_t pc)
{
    check_range((uintptr_t)addr, size, 0, pc, true);
}

void race_write(const void *addr, size_t size, uintptr_t pc)
{
    check_range((uintptr_t)addr, size, RACE_SA_WRITE, pc, true);
}

void race_atomic(const void *addr, size_t size, bool write, uintptr_t pc)
{
    check_range((uintptr_t)addr, size, RACE_SA_ATOMIC | (write ? RACE_SA_WRITE : 0), pc, true);
    /* HB: atomics are sequentially consistent: a write is synchronized
       before every later atomic access of addr that observes it. */
    race_acquire(addr);
    if (write)
        race_release_merge(addr);
}

void race_free(void *addr, size_t size, uintptr_t pc)
{
    check_range((uintptr_t)addr, size, RACE_SA_WRITE, pc, false);
    race_reset(addr, size);
    sync_free_range((uintptr_t)addr, size);
}

void race_reset(void *addr, size_t size)
{
    if (shadow_ok)
        race_shadow_reset((uintptr_t)addr, size);
}
