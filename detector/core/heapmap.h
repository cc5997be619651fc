/*
 * heapmap.h - the program's live heap blocks, by address.
 *
 * intercept.c records every block the program (or the runtime on its
 * behalf, e.g. a channel) gets from the malloc family while the checker's
 * gate is open, and forgets it at free.  The checker's own memory never gets
 * in: it allocates with the gate closed.  So iterating the map walks exactly
 * the memory a conservative collector has to scan, and finding an address
 * tells which block it points into and who allocated it.
 *
 * Single-threaded, like the whole checker.  The tables live in their own
 * mappings, outside malloc.
 */
#ifndef CORACE_HEAPMAP_H
#define CORACE_HEAPMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct heapmap_block {
    uintptr_t base;        /* what malloc returned */
    size_t size;           /* bytes asked for */
    uintptr_t alloc_pc;    /* return address of the allocating call */
} heapmap_block;

/* A new block (replaces any stale record at the same base). */
void heapmap_insert(uintptr_t base, size_t size, uintptr_t alloc_pc);

/* The block at base is gone; a base never recorded is ignored. */
void heapmap_remove(uintptr_t base);

/* The block addr points into: base <= addr <= base + size (one past the end
   counts, as an array's end pointer still leads back into it).  An address
   that is a block's base costs one hash probe; an interior address also a
   binary search of the sorted view, rebuilt first if the map changed. */
bool heapmap_find(uintptr_t addr, uintptr_t *base, size_t *size, uintptr_t *alloc_pc);

/* Live blocks. */
size_t heapmap_count(void);

/* Every live block, sorted by base; *n is set to how many.  Valid until the
   next insert or remove of a recorded base.  NULL (and *n 0) when empty or
   out of memory. */
const heapmap_block *heapmap_sorted(size_t *n);

#endif
