/*
 * shadow.h - shadow memory: what the detector remembers about each 8-byte
 * granule of application memory.
 *
 * Layout (docs/race.md, "Shadow memory layouts", layout b):
 * any user address, heap, globals, goroutine stacks or mmap, maps to a cell
 * through a two-level table.  L1 has one pointer per 4 MiB of address space
 * (addr >> RACE_SHADOW_BLOCK_SHIFT), reserved once with MAP_NORESERVE; each
 * L2 block holds the cells of one 4 MiB region and is mapped, also
 * MAP_NORESERVE, the first time an address in it is accessed.  Pages of a
 * block are touched only where the program touches memory.  The fixed-offset
 * layout (a) was 10% faster but cannot cover the whole address space without
 * folding it; this one needs no assumption about where anything lives.
 *
 * A cell records the accesses a later access must be checked against:
 *
 *   - normally in two inline slots, each one access (goroutine epoch, byte
 *     mask within the granule, calling context and pc, write/atomic flags).
 *     Two slots keep the common "last write + last read" pair, or the two
 *     halves of a granule written separately, without an allocation;
 *   - when more accesses must be kept (reads by goroutines unordered with
 *     each other, FastTrack's read-shared mode; or several partial writes),
 *     the cell points to a set allocated out of the detector's pools, with
 *     the writes first: a read then checks only the writes.
 *
 * Byte masks keep different bytes of one granule from racing, and mean an
 * access can only replace an older one whose bytes it covers (otherwise the
 * older bytes' history would be lost: a single "last write" per granule
 * would miss races on fields written earlier).  Which entries may be
 * dropped is race.c's business; this file owns the memory.
 */
#ifndef CORACE_RACE_SHADOW_H
#define CORACE_RACE_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detector/race/race.h"

enum {
    RACE_SA_WRITE = 1,    /* the access wrote */
    RACE_SA_ATOMIC = 2,   /* the access was atomic */
};

/* One remembered access (24 bytes). */
typedef struct race_shadow_access {
    race_tid tid;      /* goroutine slot; 0: empty */
    race_clk clk;      /* its clock at the access: the epoch clk@tid */
    uint32_t frame;    /* depot id of its calling context */
    uint8_t mask;      /* bytes of the granule touched (bit i = byte i) */
    uint8_t flags;     /* RACE_SA_* */
    uint16_t unused;
    uintptr_t pc;      /* the access's own pc */
} race_shadow_access;

/* Overflow storage of a cell: e[0..nw) writes, e[nw..n) reads. */
typedef struct race_shadow_set {
    uint32_t n;        /* entries in use */
    uint32_t nw;       /* of which writes, at the front */
    uint32_t cap;      /* entries allocated */
    uint32_t unused;
    race_shadow_access e[];
} race_shadow_set;

/* The shadow of one 8-byte granule (48 bytes).  When a[0].tid is
   RACE_SHADOW_SET_TID the cell's accesses are all in the set at a[0].pc
   and a[1] is unused. */
typedef struct race_shadow_cell {
    race_shadow_access a[2];
} race_shadow_cell;

#define RACE_SHADOW_SET_TID UINT32_MAX

#if defined(__x86_64__)
#define RACE_SHADOW_VA_BITS 47
#else
#define RACE_SHADOW_VA_BITS 48
#endif
#define RACE_SHADOW_BLOCK_SHIFT 22   /* application bytes per L2 block: 4 MiB */
#define RACE_SHADOW_BLOCK_CELLS ((uintptr_t)1 << (RACE_SHADOW_BLOCK_SHIFT - 3))

/* L1: cells of the block of address a, or NULL while unmapped. */
extern race_shadow_cell **race_shadow_l1;

/* Reserve L1; false (after a message) when even that fails, in which case
   the caller must not check accesses. */
bool race_shadow_init(void);

/* Map the L2 block of a; NULL (after a one-time message) if impossible. */
race_shadow_cell *race_shadow_map(uintptr_t a);

/* The cell of the granule holding a; NULL for addresses no cell can have
   (beyond the user address space, or no memory for the block). */
static inline race_shadow_cell *race_shadow_cell_of(uintptr_t a)
{
    if (__builtin_expect(a >> RACE_SHADOW_VA_BITS, 0))
        return NULL;
    race_shadow_cell *b = race_shadow_l1[a >> RACE_SHADOW_BLOCK_SHIFT];
    if (__builtin_expect(b == NULL, 0))
        b = race_shadow_map(a);
    if (b == NULL)
        return NULL;
    return &b[(a >> 3) & (RACE_SHADOW_BLOCK_CELLS - 1)];
}

static inline race_shadow_set *race_shadow_set_of(const race_shadow_cell *c)
{
    return c->a[0].tid == RACE_SHADOW_SET_TID ? (race_shadow_set *)c->a[0].pc : NULL;
}

/* Switch the cell of address a to a new empty set of at least cap entries
   and return it; the caller moves the inline accesses in. */
race_shadow_set *race_shadow_set_attach(race_shadow_cell *c, uintptr_t a, uint32_t cap);
/* Replace the cell's set by one with room for cap entries (contents kept). */
race_shadow_set *race_shadow_set_grow(race_shadow_cell *c, uint32_t cap);
/* Free the cell's set and clear the cell (both slots empty). */
void race_shadow_set_detach(race_shadow_cell *c, uintptr_t a);

/* Forget every access to [addr, addr+size): memory freed or reused, a stack
   recycled.  Blocks never mapped are skipped without being touched, and large
   ranges are returned to the kernel instead of written. */
void race_shadow_reset(uintptr_t addr, size_t size);

/* Whether a block could not be mapped (accesses there went unchecked). */
bool race_shadow_degraded(void);

/* Sets alive (statistics, tests). */
size_t race_shadow_sets(void);

#endif
