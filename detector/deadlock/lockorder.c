/*
 * lockorder.c - lock-order inversions: potential deadlocks, reported even
 * when this run did not hang (Linux lockdep's idea).
 *
 * A goroutine that asks for lock B while it holds lock A adds the edge
 * A -> B, with where A was taken and where B was asked for, and with both
 * modes.  An edge that closes a cycle means some interleaving of the
 * goroutines that took those edges deadlocks; the first time it closes, the
 * cycle is reported.  Edges are added when a lock is requested, before the
 * goroutine may block on it, so a cycle that does hang is reported before
 * the deadlock dump.
 *
 * Only a cycle whose edges were taken by distinct goroutines is one: a
 * goroutine waits for one lock at a time, so n locks deadlock only between
 * n goroutines.  Edges taken by one goroutine alone may be made by a
 * Go-legal hand-off (a locked Mutex belongs to no goroutine: one goroutine
 * locks gates its workers unlock, then locks them again in another order),
 * and are never reported.  Each edge keeps up to two goroutines that took
 * it, so a cycle with a distinct goroutine for every edge is found when
 * its last edge, or the second goroutine of an edge, arrives.
 *
 * Read locks: two readers never wait for each other, so a cycle passing
 * through a lock that was asked for in read mode on the way in and held in
 * read mode on the way out is no deadlock, and is not reported (lockdep's
 * rule for recursive read locks).  What read locks do add: a goroutine that
 * read-locks a lock it already holds for reading deadlocks as soon as a
 * writer asks for it in between (Go's RWMutex then blocks the second
 * RLock); that is reported once both the second RLock and some write
 * request of that lock have been seen, in either order.
 */
#include <stdlib.h>

#include "detector/core/addrmap.h"
#include "detector/core/heapmap.h"
#include "detector/report/report.h"
#include "runtime/traceback/stack.h"
#include "locks.h"

static uint32_t generation;

/* A search state: a node, and whether it was reached through a read
   request. */
#define STATE(n, shared) (((n) << 1) | (uint32_t)(shared))

/* Is there a path from b (reached in mode b_shared) to a that may be
   followed by an edge leaving a with a held in mode a_shared?  Leaves the
   path in via/via_edge. */
static bool reaches(uint32_t b, bool b_shared, uint32_t a, bool a_shared, uint32_t *end)
{
    generation++;
    uint32_t *stack = NULL, top = 0, cap = 0;
    if (!dl_grow(&stack, &cap, 1, sizeof *stack)) return false;
    dl_locks[b].mark[b_shared] = generation;
    stack[top++] = STATE(b, b_shared);
    bool found = false;
    while (top && !found) {
        uint32_t st = stack[--top], x = st >> 1;
        bool in_shared = st & 1;
        if (x == a && !(in_shared && a_shared)) {
            *end = st;
            found = true;
            break;
        }
        for (uint32_t k = 0; k < dl_locks[x].ne; k++) {
            const dl_edge *e = &dl_locks[x].e[k];
            if (in_shared && e->held_shared) continue;
            dl_lock *y = &dl_locks[e->to];
            if (y->mark[e->asked_shared] == generation) continue;
            y->mark[e->asked_shared] = generation;
            y->via[e->asked_shared] = st;
            y->via_edge[e->asked_shared] = k;
            if (!dl_grow(&stack, &cap, top + 1, sizeof *stack)) break;
            stack[top++] = STATE(e->to, e->asked_shared);
        }
    }
    free(stack);
    return found;
}

/* Edge e out of lock `from` as a report step, as goroutine goid (or goid2,
   when second) took it. */
static report_step step_of(uint32_t from, const dl_edge *e, bool second)
{
    const dl_lock *a = &dl_locks[from], *b = &dl_locks[e->to];
    dl_site taken = second ? e->from_taken2 : e->from_taken, asked = second ? e->to_asked2 : e->to_asked;
    return (report_step){
        .goid = second ? e->goid2 : e->goid,
        .held = {(uintptr_t)e->from_obj, dl_type(from), e->held_shared, {taken.frame, taken.pc},
                 a->alloc_pc, a->offset},
        .wants = {(uintptr_t)e->to_obj, dl_type(e->to), e->asked_shared, {asked.frame, asked.pc},
                  b->alloc_pc, b->offset},
    };
}

/* Chooses for edges i.. of the cycle one of their goroutines each, all
   distinct from each other and from those chosen before i. */
static bool assign(const dl_edge *const *edges, bool *second, uint32_t i, uint32_t n)
{
    if (i == n) return true;
    for (int c = 0; c < 2; c++) {
        int64_t g = c ? edges[i]->goid2 : edges[i]->goid;
        if (g == 0) continue;
        bool taken = false;
        for (uint32_t j = 0; j < i && !taken; j++) taken = (second[j] ? edges[j]->goid2 : edges[j]->goid) == g;
        if (taken) continue;
        second[i] = c;
        if (assign(edges, second, i + 1, n)) return true;
    }
    return false;
}

/* Each cycle once, whichever edge or goroutine closes it again: keyed on
   its locks, in any rotation. */
static addrmap reported = ADDRMAP_INIT(0);

static bool first_report(const uint32_t *from, uint32_t n)
{
    uint64_t sum = 0, x = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t h = ((uint64_t)from[i] + 1) * 0x9e3779b97f4a7c15ull;
        sum += h;
        x ^= h ^ (h >> 29);
    }
    bool added = false;
    addrmap_insert(&reported, (sum ^ (x << 1)) | 1, &added);
    return added;
}

/* Where a block was allocated, as a class key: the source line of the
   allocating call, inlined frames resolved, so every copy of an inlined
   constructor is one site; the raw pc when there is no line information. */
static uint64_t site_key(uintptr_t pc)
{
    st_frame fr[ST_MAX_INLINE];
    int k = st_symbolize(pc, true, fr, ST_MAX_INLINE);
    if (k <= 0 || !fr[0].has_src) return pc;
    uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a over file and line */
    for (const char *p = fr[0].file; *p; p++) h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    return (h ^ (uint64_t)fr[0].line) * 0x100000001b3ull;
}

/* The class node of lock n, UINT32_MAX if it has none (not in a heap
   block: a global or a local is its own class). */
static uint32_t class_of(uint32_t n)
{
    if (dl_locks[n].cls_state == 0) {
        uintptr_t base, pc;
        size_t size;
        dl_locks[n].cls_state = 2;
        if (heapmap_find((uintptr_t)dl_locks[n].addr, &base, &size, &pc) && pc) {
            size_t off = (uintptr_t)dl_locks[n].addr - base;
            uint64_t site = site_key(pc);
            /* A key no lock address can have: the top bit set. */
            const void *key = (const void *)(uintptr_t)((1ull << 63) | (((site << 12) ^ off) & ((1ull << 63) - 1)));
            uint32_t c = dl_lock_of(key, dl_locks[n].type);
            if (c != UINT32_MAX) {
                dl_lock *k = &dl_locks[c];
                if (!k->is_class) {
                    k->is_class = true;
                    k->alloc_pc = pc;
                    k->offset = off;
                    k->site = site;
                }
                if (k->site == site && k->offset == off) {
                    dl_locks[n].cls_state = 1;
                    dl_locks[n].cls = c;
                }
            }
        }
    }
    return dl_locks[n].cls_state == 1 ? dl_locks[n].cls : UINT32_MAX;
}

/* The edge a -> b closed the cycle b -> ... -> a (ending in state end).
   Whether distinct goroutines took its edges; then it is reported, the
   first time, unless quiet. */
static bool report_inversion(uint32_t a, uint32_t b, bool b_shared, uint32_t end, const dl_edge *closing,
                             bool quiet)
{
    uint32_t n = 1;
    for (uint32_t st = end; st != STATE(b, b_shared); st = dl_locks[st >> 1].via[st & 1]) n++;
    const dl_edge **edges = calloc(n, sizeof *edges);
    uint32_t *from = calloc(n, sizeof *from);
    bool *second = calloc(n, sizeof *second);
    report_step *steps = calloc(n, sizeof *steps);
    bool real = false;
    if (!edges || !from || !second || !steps) goto out;
    /* Edge 0 is the closing edge a -> b, then the path from b on. */
    edges[0] = closing;
    from[0] = a;
    uint32_t i = n - 1;
    for (uint32_t st = end; st != STATE(b, b_shared); i--) {
        const dl_lock *y = &dl_locks[st >> 1];
        uint32_t prev = y->via[st & 1];
        edges[i] = &dl_locks[prev >> 1].e[y->via_edge[st & 1]];
        from[i] = prev >> 1;
        st = prev;
    }
    real = assign(edges, second, 0, n);
    if (!real || quiet || !first_report(from, n)) goto out;
    for (i = 0; i < n; i++) steps[i] = step_of(from[i], edges[i], second[i]);
    report_cycle c = {REPORT_LOCK_ORDER, dl_locks[a].is_class, n, steps};
    report_cycle_found(&c);
out:
    free(edges);
    free(from);
    free(second);
    free(steps);
    return real;
}

static void report_reread(const dl_lock *l)
{
    report_lockref lock = {.addr = (uintptr_t)l->addr, .type = l->type ? l->type : "rwmutex", .shared = true};
    report_step steps[2] = {{.goid = l->reread_goid, .held = lock, .wants = lock},
                            {.goid = l->wrote_goid, .held = lock, .wants = lock}};
    steps[0].held.at = (report_site){l->reread_first.frame, l->reread_first.pc};
    steps[0].wants.at = (report_site){l->reread_again.frame, l->reread_again.pc};
    steps[1].wants.shared = steps[1].held.shared = false;
    steps[1].wants.at = (report_site){l->wrote_at.frame, l->wrote_at.pc};
    report_cycle c = {REPORT_RECURSIVE_READ, false, 2, steps};
    report_cycle_found(&c);
}

static void note_reread(dl_g *x, uint32_t lock, bool shared, dl_site asked)
{
    dl_lock *l = &dl_locks[lock];
    if (shared && !l->reread) {
        for (uint32_t i = 0; i < x->nheld; i++)
            if (x->held[i].lock == lock && x->held[i].shared) {
                l->reread = true;
                l->reread_goid = x->goid;
                l->reread_first = x->held[i].taken;
                l->reread_again = asked;
                break;
            }
    } else if (!shared && !l->wrote) {
        l->wrote = true;
        l->wrote_goid = x->goid;
        l->wrote_at = asked;
    }
    if (l->reread && l->wrote && !l->reread_reported) {
        l->reread_reported = true;
        report_reread(l);
    }
}

void lockorder_taken(dl_g *x, uint32_t lock, bool shared, dl_site taken)
{
    note_reread(x, lock, shared, taken);
}

/* Adds the edge a -> b (modes as given), or a second goroutine to it;
   true if that closed a cycle of distinct goroutines, which is then
   reported unless quiet. */
static bool add_edge(uint32_t a, uint32_t b, const dl_edge *proto, bool quiet)
{
    dl_edge *e = NULL;
    for (uint32_t k = 0; k < dl_locks[a].ne && !e; k++) {
        dl_edge *o = &dl_locks[a].e[k];
        if (o->to == b && o->held_shared == proto->held_shared && o->asked_shared == proto->asked_shared) e = o;
    }
    if (e && (e->goid2 || e->goid == proto->goid)) return false;
    uint32_t end = 0;
    bool cycle = reaches(b, proto->asked_shared, a, proto->held_shared, &end);
    if (e) {
        e->goid2 = proto->goid;
        e->from_taken2 = proto->from_taken;
        e->to_asked2 = proto->to_asked;
    } else {
        if (!dl_grow(&dl_locks[a].e, &dl_locks[a].cape, dl_locks[a].ne + 1, sizeof(dl_edge))) return false;
        e = &dl_locks[a].e[dl_locks[a].ne++];
        *e = *proto;
        e->to = b;
    }
    return cycle && report_inversion(a, b, proto->asked_shared, end, e, quiet);
}

void lockorder_request(dl_g *x, uint32_t b, bool shared, dl_site asked)
{
    note_reread(x, b, shared, asked);
    for (uint32_t i = 0; i < x->nheld; i++) {
        const dl_hold *h = &x->held[i];
        uint32_t a = h->lock;
        if (a == b) continue;   /* a relock is a wait-for cycle of one */
        dl_edge e = {h->addr, dl_locks[b].addr, b, h->shared, shared, x->goid, h->taken, asked, 0, {0}, {0}};
        bool cycle = add_edge(a, b, &e, false);
        /* The same order between the locks' classes: reported when only the
           classes close a cycle (the objects did not), as lockdep does.  Two
           locks of one class nest without a report: ordering them by some
           rule of the program's own is common and correct. */
        uint32_t ca = class_of(a), cb = class_of(b);
        if (ca != UINT32_MAX && cb != UINT32_MAX && ca != cb) add_edge(ca, cb, &e, cycle);
    }
}
