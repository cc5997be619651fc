/*
 * heapmap.c - the program's live heap blocks (heapmap.h).
 *
 * An open-addressing table keyed by base (linear probing, deletion by
 * backward shift, so no tombstones slow later probes), at most half full:
 * an insert or a remove on the malloc path is a hash and a probe or two.
 * The tables are mmap'd, not malloc'd, so that the map can neither see
 * nor call into the allocator it watches; growth doubles, so its system
 * calls are amortised away.
 *
 * Interior lookups and the scan want the blocks in address order; that
 * view is built only when asked for and only if the map changed since.
 */
#define _GNU_SOURCE
#include "heapmap.h"

#include <string.h>
#include <sys/mman.h>

static heapmap_block *tab;     /* base 0: empty slot */
static size_t cap;             /* power of two, or 0 */
static size_t count;
static uint64_t generation;    /* bumped by every change */

static heapmap_block *sorted;
static size_t sorted_cap, sorted_n;
static uint64_t sorted_gen = UINT64_MAX;

static void *map_pages(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static inline size_t slot_of(uintptr_t base, size_t mask)
{
    /* Blocks are 16-aligned: the low bits carry nothing. */
    return (size_t)(((uint64_t)(base >> 4) * 0x9e3779b97f4a7c15ull) >> 20) & mask;
}

static bool grow(void)
{
    size_t ncap = cap ? cap * 2 : 4096;
    heapmap_block *nt = map_pages(ncap * sizeof *nt);
    if (!nt)
        return false;
    for (size_t i = 0; i < cap; i++) {
        if (!tab[i].base)
            continue;
        size_t j = slot_of(tab[i].base, ncap - 1);
        while (nt[j].base)
            j = (j + 1) & (ncap - 1);
        nt[j] = tab[i];
    }
    if (tab)
        munmap(tab, cap * sizeof *tab);
    tab = nt;
    cap = ncap;
    return true;
}

void heapmap_insert(uintptr_t base, size_t size, uintptr_t alloc_pc)
{
    if (!base)
        return;
    /* A full table loses the block: it is then never scanned, which can
       only hide pointers, and partial.c treats what it cannot place as
       reachable.  Nothing is reported wrongly because of it. */
    if (2 * (count + 1) > cap && !grow())
        return;
    size_t mask = cap - 1, i = slot_of(base, mask);
    while (tab[i].base && tab[i].base != base)
        i = (i + 1) & mask;
    if (!tab[i].base)
        count++;
    tab[i] = (heapmap_block){ base, size, alloc_pc };
    generation++;
}

static heapmap_block *lookup(uintptr_t base)
{
    if (!count)
        return NULL;
    size_t mask = cap - 1;
    for (size_t i = slot_of(base, mask); tab[i].base; i = (i + 1) & mask)
        if (tab[i].base == base)
            return &tab[i];
    return NULL;
}

void heapmap_remove(uintptr_t base)
{
    heapmap_block *e = lookup(base);
    if (!e)
        return;
    size_t mask = cap - 1, hole = (size_t)(e - tab);
    /* Backward shift: pull later members of the probe run into the hole
       when their home slot allows it. */
    for (size_t j = (hole + 1) & mask; tab[j].base; j = (j + 1) & mask) {
        size_t home = slot_of(tab[j].base, mask);
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            tab[hole] = tab[j];
            hole = j;
        }
    }
    tab[hole].base = 0;
    count--;
    generation++;
}

size_t heapmap_count(void) { return count; }

static void sift(heapmap_block *a, size_t i, size_t n)
{
    heapmap_block x = a[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && a[c + 1].base > a[c].base)
            c++;
        if (a[c].base <= x.base)
            break;
        a[i] = a[c];
        i = c;
    }
    a[i] = x;
}

/* Heapsort: in place, no allocation, no recursion. */
static void sort_blocks(heapmap_block *a, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift(a, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        heapmap_block t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end);
    }
}

const heapmap_block *heapmap_sorted(size_t *n)
{
    *n = 0;
    if (!count)
        return NULL;
    if (sorted_gen != generation) {
        if (count > sorted_cap) {
            size_t ncap = sorted_cap ? sorted_cap : 4096;
            while (ncap < count)
                ncap *= 2;
            heapmap_block *ns = map_pages(ncap * sizeof *ns);
            if (!ns)
                return NULL;
            if (sorted)
                munmap(sorted, sorted_cap * sizeof *sorted);
            sorted = ns;
            sorted_cap = ncap;
        }
        size_t k = 0;
        for (size_t i = 0; i < cap; i++)
            if (tab[i].base)
                sorted[k++] = tab[i];
        sort_blocks(sorted, k);
        sorted_n = k;
        sorted_gen = generation;
    }
    *n = sorted_n;
    return sorted;
}

bool heapmap_find(uintptr_t addr, uintptr_t *base, size_t *size, uintptr_t *alloc_pc)
{
    const heapmap_block *b = lookup(addr);
    if (!b) {
        size_t n;
        const heapmap_block *s = heapmap_sorted(&n);
        size_t lo = 0, hi = n;   /* the first block with base > addr */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s[mid].base <= addr)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0 || addr > s[lo - 1].base + s[lo - 1].size)
            return false;
        b = &s[lo - 1];
    }
    if (base)
        *base = b->base;
    if (size)
        *size = b->size;
    if (alloc_pc)
        *alloc_pc = b->alloc_pc;
    return true;
}
