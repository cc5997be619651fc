/*
 * lockorder.c - lock-order inversions: potential deadlocks, reported even
 * when this run did not hang (Linux lockdep's idea, per lock object).
 *
 * A goroutine that asks for lock B while it holds lock A adds the edge
 * A -> B to a graph over locks, with where A was taken and where B was asked
 * for.  An edge that closes a cycle means some interleaving of the
 * goroutines that took those edges deadlocks: the first time it closes, the
 * cycle is reported.  Only exclusive locks take part (Mutex, RWMutex write
 * locks): read locks alone cannot close a deadlock cycle without a writer,
 * so leaving them out keeps the report free of false alarms.  Edges are
 * added when a lock is requested, before the goroutine may block on it, so
 * a cycle that does hang is still reported, before the deadlock dump.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "detector/race/race.h"
#include "detector/report/report.h"

typedef struct site {
    uint32_t frame;
    uintptr_t pc;
} site;

typedef struct held {
    const void *lock;
    site taken;
} held;

typedef struct heldset {     /* one per goroutine, hung on race_g_locks */
    held *v;
    uint32_t n, cap;
} heldset;

typedef struct edge {
    uint32_t to;             /* node index */
    int64_t goid;            /* the goroutine that took the two in this order */
    site from_taken;         /* where it took the first lock */
    site to_asked;           /* where it asked for the second */
} edge;

typedef struct node {
    const void *lock;
    const char *type;
    heldset *holder;         /* whose held list has it, NULL when free */
    edge *e;
    uint32_t ne, cape;
    uint32_t mark;           /* search generation */
    uint32_t via;            /* search: the node we came from */
    uint32_t via_edge;       /* search: index of the edge in it */
} node;

static node *nodes;
static uint32_t nnodes, capnodes;
static uint32_t *index_of;   /* open addressing over node indices + 1 */
static uint32_t capidx;
static uint32_t generation;

static int grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap) return 0;
    uint32_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need) ncap *= 2;
    void *q = realloc(*p, (size_t)ncap * size);
    if (!q) return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

static uint32_t hash(const void *lock)
{
    uint64_t h = (uint64_t)(uintptr_t)lock * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

static uint32_t *slot(const void *lock)
{
    for (uint32_t i = hash(lock) & (capidx - 1);; i = (i + 1) & (capidx - 1))
        if (!index_of[i] || nodes[index_of[i] - 1].lock == lock) return &index_of[i];
}

/* The node of lock, created on first sight; UINT32_MAX out of memory. */
static uint32_t node_of(const void *lock, const char *type)
{
    if ((nnodes + 1) * 2 > capidx) {
        uint32_t ncap = capidx ? capidx * 2 : 256;
        uint32_t *t = calloc(ncap, sizeof *t);
        if (!t) return UINT32_MAX;
        free(index_of);
        index_of = t;
        capidx = ncap;
        for (uint32_t i = 0; i < nnodes; i++) *slot(nodes[i].lock) = i + 1;
    }
    uint32_t *s = slot(lock);
    if (*s) return *s - 1;
    if (grow((void **)&nodes, &capnodes, nnodes + 1, sizeof *nodes)) return UINT32_MAX;
    nodes[nnodes] = (node){.lock = lock, .type = type ? type : "mutex"};
    *s = ++nnodes;
    return nnodes - 1;
}

static heldset *held_of(race_g *g)
{
    void **p = race_g_locks(g);
    if (!*p) *p = calloc(1, sizeof(heldset));
    return *p;
}

static site here(race_g *g, uintptr_t pc)
{
    return (site){race_g_frame(g), pc};
}

/* Is there a path from a to b?  Leaves the path in via/via_edge. */
static int reaches(uint32_t a, uint32_t b)
{
    generation++;
    uint32_t *stack = malloc((size_t)nnodes * sizeof *stack), top = 0;
    if (!stack) return 0;
    nodes[a].mark = generation;
    stack[top++] = a;
    while (top) {
        uint32_t x = stack[--top];
        for (uint32_t k = 0; k < nodes[x].ne; k++) {
            uint32_t y = nodes[x].e[k].to;
            if (nodes[y].mark == generation) continue;
            nodes[y].mark = generation;
            nodes[y].via = x;
            nodes[y].via_edge = k;
            if (y == b) {
                free(stack);
                return 1;
            }
            stack[top++] = y;
        }
    }
    free(stack);
    return 0;
}

static void print_edge(FILE *f, const edge *e, uint32_t from)
{
    fprintf(f, "\ngoroutine %" PRId64 " took %s 0x%012" PRIxPTR ":\n", e->goid, nodes[from].type,
            (uintptr_t)nodes[from].lock);
    report_print_stack(f, e->from_taken.pc, e->from_taken.frame);
    fprintf(f, "and then asked for %s 0x%012" PRIxPTR ":\n", nodes[e->to].type, (uintptr_t)nodes[e->to].lock);
    report_print_stack(f, e->to_asked.pc, e->to_asked.frame);
}

/* The new edge a -> b closed a cycle b -> ... -> a. */
static void report_cycle(uint32_t a, uint32_t b, const edge *closing)
{
    FILE *f = report_stream();
    fflush(stdout);
    /* The cycle's edges in order from b: walk the search path back from a. */
    uint32_t n = 0, x = a;
    while (x != b) {
        n++;
        x = nodes[x].via;
    }
    const edge **path = malloc((size_t)(n + 1) * sizeof *path);
    uint32_t *from = malloc((size_t)(n + 1) * sizeof *from);
    if (!path || !from) {
        free(path);
        free(from);
        return;
    }
    x = a;
    for (uint32_t i = n; i > 0; i--) {
        uint32_t v = nodes[x].via;
        path[i - 1] = &nodes[v].e[nodes[x].via_edge];
        from[i - 1] = v;
        x = v;
    }
    path[n] = closing;
    from[n] = a;

    fprintf(f, "==================\nWARNING: POTENTIAL DEADLOCK (lock-order inversion)\n");
    fprintf(f, "%u locks are taken in a cycle:", n + 1);
    for (uint32_t i = 0; i <= n; i++) fprintf(f, " 0x%012" PRIxPTR " ->", (uintptr_t)nodes[from[i]].lock);
    fprintf(f, " 0x%012" PRIxPTR "\n", (uintptr_t)nodes[b].lock);
    for (uint32_t i = 0; i <= n; i++) print_edge(f, path[i], from[i]);
    if (n == 1) {
        /* lockdep's picture, for the common two-lock case. */
        fprintf(f, "\nPossible unsafe scenario:\n\n");
        fprintf(f, "       goroutine %-10" PRId64 "       goroutine %" PRId64 "\n", path[0]->goid, path[1]->goid);
        fprintf(f, "       ----                       ----\n");
        fprintf(f, "  lock(0x%012" PRIxPTR ");\n", (uintptr_t)nodes[from[0]].lock);
        fprintf(f, "                                  lock(0x%012" PRIxPTR ");\n", (uintptr_t)nodes[from[1]].lock);
        fprintf(f, "                                  lock(0x%012" PRIxPTR ");\n", (uintptr_t)nodes[from[0]].lock);
        fprintf(f, "  lock(0x%012" PRIxPTR ");\n", (uintptr_t)nodes[from[1]].lock);
        fprintf(f, "\n *** DEADLOCK ***\n");
    }
    fprintf(f, "==================\n");
    fflush(f);
    free(path);
    free(from);
    report_other_findings(1);
}

void lockorder_request(const void *lock, const char *type, uintptr_t pc)
{
    race_g *g = race_current();
    if (!g) return;
    heldset *hs = held_of(g);
    if (!hs || !hs->n) return;
    uint32_t b = node_of(lock, type);
    if (b == UINT32_MAX) return;
    for (uint32_t i = 0; i < hs->n; i++) {
        if (hs->v[i].lock == lock) continue;   /* a relock is a deadlock of its own */
        uint32_t a = node_of(hs->v[i].lock, NULL);
        if (a == UINT32_MAX) return;
        int known = 0;
        for (uint32_t k = 0; k < nodes[a].ne && !known; k++) known = nodes[a].e[k].to == b;
        if (known) continue;
        edge e = {b, race_g_goid(g), hs->v[i].taken, here(g, pc)};
        int cycle = reaches(b, a);
        if (grow((void **)&nodes[a].e, &nodes[a].cape, nodes[a].ne + 1, sizeof(edge))) return;
        nodes[a].e[nodes[a].ne++] = e;
        if (cycle) report_cycle(a, b, &nodes[a].e[nodes[a].ne - 1]);
    }
}

void lockorder_acquired(const void *lock, uintptr_t pc)
{
    race_g *g = race_current();
    if (!g) return;
    heldset *hs = held_of(g);
    uint32_t x = node_of(lock, NULL);
    if (!hs || x == UINT32_MAX) return;
    if (grow((void **)&hs->v, &hs->cap, hs->n + 1, sizeof(held))) return;
    hs->v[hs->n++] = (held){lock, here(g, pc)};
    nodes[x].holder = hs;
}

/* Any goroutine may unlock (as in Go): the lock leaves its holder's list. */
void lockorder_released(const void *lock)
{
    uint32_t *s = capidx ? slot(lock) : NULL;
    if (!s || !*s) return;
    node *nd = &nodes[*s - 1];
    heldset *hs = nd->holder;
    nd->holder = NULL;
    if (!hs) return;
    for (uint32_t i = hs->n; i > 0; i--)
        if (hs->v[i - 1].lock == lock) {
            for (uint32_t j = i - 1; j + 1 < hs->n; j++) hs->v[j] = hs->v[j + 1];
            hs->n--;
            return;
        }
}
