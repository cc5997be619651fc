/*
 * depot.c - interned call stacks: a tree of (parent id, pc) nodes.
 *
 * Invariants:
 *  - nodes[id] holds context id; id 0 is the root (no caller) and is never
 *    looked up, so 0 also marks an empty hash slot.  A node's parent is
 *    always smaller than its own id: walking parents ends at the root.
 *  - Every node but the root is in the hash table exactly once, keyed by
 *    (parent, pc).  The table is at most half full, so a probe sequence
 *    ends quickly at an empty slot; it doubles (rehashing every node) when
 *    it would pass half.
 *  - Nodes are never removed: an id handed out stays valid for the life of
 *    the process, which is what lets shadow cells keep 32-bit ids instead of
 *    stacks.
 *
 * Speed: depot_push runs at every instrumented function entry.  A slot keeps
 * its key beside the id, so a known context costs one hash and, nearly
 * always, one cache line; nothing is allocated unless the context is new.
 * Like the rest of the detector, the depot runs on the scheduler's one OS
 * thread and takes no lock.
 *
 * The table is not an address map (addrmap.h): a context is found by its
 * content, (parent, pc), a key of 96 bits that no single word holds, and
 * nodes are never deleted, so a slot needs no room to move.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "depot.h"

typedef struct node {
    uintptr_t pc;        /* return address into the caller */
    uint32_t parent;     /* the caller's context */
} node;

typedef struct slot {
    uintptr_t pc;        /* key, with parent */
    uint32_t parent;
    uint32_t id;         /* 0: empty */
} slot;

static node *nodes;              /* nodes[0] is the root */
static uint32_t nnodes = 1;      /* ids in use, the root included */
static uint32_t nodes_cap;
static slot *table;
static uint32_t table_mask;      /* capacity - 1, capacity a power of two */
static bool degraded;

#define DEPOT_MAX_IDS 0xfffffff0u

static inline uint32_t hash(uint32_t parent, uintptr_t pc)
{
    uint64_t h = ((uint64_t)pc ^ (uint64_t)parent * 0xff51afd7ed558ccdull) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

/* Doubles the table (or makes the first one) and reinserts every node. */
static bool table_grow(void)
{
    uint64_t ncap = table ? ((uint64_t)table_mask + 1) * 2 : 4096;
    if (ncap > (1ull << 32))
        return false;
    slot *nt = calloc((size_t)ncap, sizeof *nt);
    if (!nt)
        return false;
    uint32_t mask = (uint32_t)(ncap - 1);
    for (uint32_t id = 1; id < nnodes; id++) {
        uint32_t i = hash(nodes[id].parent, nodes[id].pc) & mask;
        while (nt[i].id != 0)
            i = (i + 1) & mask;
        nt[i] = (slot){ .pc = nodes[id].pc, .parent = nodes[id].parent, .id = id };
    }
    free(table);
    table = nt;
    table_mask = mask;
    return true;
}

static bool nodes_grow(void)
{
    uint64_t ncap = nodes_cap ? (uint64_t)nodes_cap * 2 : 4096;
    if (ncap > DEPOT_MAX_IDS)
        ncap = DEPOT_MAX_IDS;
    if (ncap <= nodes_cap)
        return false;
    node *nn = realloc(nodes, (size_t)ncap * sizeof *nn);
    if (!nn)
        return false;
    if (!nodes)
        nn[0] = (node){ 0, 0 };
    nodes = nn;
    nodes_cap = (uint32_t)ncap;
    return true;
}

/* The slow path: a context not seen before.  Out of memory, the context is
   cut (the caller's id stands for it) and every later report says so. */
static uint32_t __attribute__((noinline)) insert(uint32_t parent, uintptr_t pc)
{
    if ((nnodes >= nodes_cap && !nodes_grow())
        || (((uint64_t)nnodes + 1) * 2 > (uint64_t)table_mask + 1 && !table_grow())) {
        degraded = true;
        return parent;
    }
    uint32_t id = nnodes++;
    nodes[id] = (node){ .pc = pc, .parent = parent };
    uint32_t i = hash(parent, pc) & table_mask;
    while (table[i].id != 0)
        i = (i + 1) & table_mask;
    table[i] = (slot){ .pc = pc, .parent = parent, .id = id };
    return id;
}

uint32_t depot_push(uint32_t parent, uintptr_t pc)
{
    if (__builtin_expect(table != NULL, 1)) {
        for (uint32_t i = hash(parent, pc) & table_mask;; i = (i + 1) & table_mask) {
            const slot *s = &table[i];
            if (s->pc == pc && s->parent == parent && s->id != 0)
                return s->id;
            if (s->id == 0)
                break;
        }
    }
    return insert(parent, pc);
}

uint32_t depot_parent(uint32_t id)
{
    return id != 0 && id < nnodes ? nodes[id].parent : 0;
}

uintptr_t depot_pc(uint32_t id)
{
    return id != 0 && id < nnodes ? nodes[id].pc : 0;
}

int depot_stack(uint32_t id, uintptr_t *pcs, int max)
{
    int n = 0;
    while (id != 0 && id < nnodes && n < max) {
        pcs[n++] = nodes[id].pc;
        id = nodes[id].parent;
    }
    return n;
}

int depot_depth(uint32_t id)
{
    int n = 0;
    while (id != 0 && id < nnodes) {
        n++;
        id = nodes[id].parent;
    }
    return n;
}

uint32_t depot_size(void)
{
    return nnodes - 1;
}

int depot_degraded(void)
{
    return degraded;
}
