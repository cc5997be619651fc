/*
 * heapmap.c - the program's live heap blocks (heapmap.h).
 *
 * An address map (addrmap.h) from base to size and allocating pc: an
 * insert or a remove on the malloc path is a hash and a probe or two, and
 * its tables are mmap'd, so the map can neither see nor call into the
 * allocator it watches.
 *
 * Interior lookups and the scan want the blocks in address order; that
 * view is built only when asked for and only if the map changed since.
 */
#define _GNU_SOURCE
#include "heapmap.h"

#include "addrmap.h"

#include <sys/mman.h>

typedef struct block_info {
    size_t size;
    uintptr_t alloc_pc;
} block_info;

static addrmap blocks = ADDRMAP_INIT(sizeof(block_info));
static uint64_t generation;    /* bumped by every change */

static heapmap_block *sorted;
static size_t sorted_cap, sorted_n;
static uint64_t sorted_gen = UINT64_MAX;

static void *map_pages(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void heapmap_insert(uintptr_t base, size_t size, uintptr_t alloc_pc)
{
    if (!base)
        return;
    /* A map that cannot grow loses the block: it is then never scanned,
       which can only hide pointers, and partial.c treats what it cannot
       place as reachable.  Nothing is reported wrongly because of it. */
    block_info *b = addrmap_insert(&blocks, base, NULL);
    if (!b)
        return;
    *b = (block_info){ size, alloc_pc };
    generation++;
}

void heapmap_remove(uintptr_t base)
{
    if (base && addrmap_delete(&blocks, base))
        generation++;
}

size_t heapmap_count(void) { return addrmap_count(&blocks); }

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
    size_t count = addrmap_count(&blocks);
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
        for (size_t i = 0; i < addrmap_capacity(&blocks); i++) {
            uintptr_t base = addrmap_key_at(&blocks, i);
            if (base) {
                const block_info *b = addrmap_value_at(&blocks, i);
                sorted[k++] = (heapmap_block){ base, b->size, b->alloc_pc };
            }
        }
        sort_blocks(sorted, k);
        sorted_n = k;
        sorted_gen = generation;
    }
    *n = sorted_n;
    return sorted;
}

bool heapmap_find(uintptr_t addr, uintptr_t *base, size_t *size, uintptr_t *alloc_pc)
{
    const block_info *at = addr ? addrmap_find(&blocks, addr) : NULL;
    heapmap_block found;
    const heapmap_block *b = &found;
    if (at) {
        found = (heapmap_block){ addr, at->size, at->alloc_pc };
    } else {
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
