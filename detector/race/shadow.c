/*
 * shadow.c - the two-level shadow table, cell sets, and reset.
 *
 * Invariants:
 *  - race_shadow_l1[i] is NULL or the cells of application addresses
 *    [i << 22, (i + 1) << 22); blocks are never unmapped (a reset returns
 *    their pages to the kernel instead), so a cell pointer stays valid;
 *  - every L2 mapping starts with one page of block metadata just below
 *    its cells, which counts the sets the block's cells point to: a reset
 *    of a block without sets needs no scan;
 *  - all-zero bytes are an empty cell, so fresh and reset pages need no
 *    initialisation.
 */
#include "detector/race/shadow.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "detector/race/vclock.h"

#define L1_ENTRIES ((uintptr_t)1 << (RACE_SHADOW_VA_BITS - RACE_SHADOW_BLOCK_SHIFT))
#define META_SIZE 4096
#define BLOCK_BYTES (RACE_SHADOW_BLOCK_CELLS * sizeof(race_shadow_cell))
/* Below this many shadow bytes a reset writes zeros; above, the page-aligned
   middle goes back to the kernel (a syscall, and refaults if reused soon). */
#define RESET_MADVISE_MIN ((size_t)1 << 20)

typedef struct shadow_meta {
    size_t nsets;   /* cells of this block in set mode */
} shadow_meta;

race_shadow_cell **race_shadow_l1;
static size_t nsets_total;
static bool map_failed;

static void say(const char *msg)
{
    ssize_t r = write(2, msg, strlen(msg));
    (void)r;
}

bool race_shadow_init(void)
{
    if (race_shadow_l1 != NULL)
        return true;
    void *p = mmap(NULL, L1_ENTRIES * sizeof *race_shadow_l1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        say("corace: race detector cannot reserve its shadow table: "
            "memory accesses are NOT checked\n");
        return false;
    }
    race_shadow_l1 = p;
    return true;
}

static shadow_meta *meta_of(const race_shadow_cell *block)
{
    return (shadow_meta *)((char *)block - META_SIZE);
}

race_shadow_cell *race_shadow_map(uintptr_t a)
{
    if (race_shadow_l1 == NULL || map_failed)
        return NULL;
    void *p = mmap(NULL, META_SIZE + BLOCK_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        /* Loud, and the detector says so in every later report. */
        say("corace: race detector out of address space for shadow memory: "
            "accesses to new regions are NOT checked from now on\n");
        map_failed = true;
        return NULL;
    }
    race_shadow_cell *cells = (race_shadow_cell *)((char *)p + META_SIZE);
    race_shadow_l1[a >> RACE_SHADOW_BLOCK_SHIFT] = cells;
    return cells;
}

bool race_shadow_degraded(void)
{
    return map_failed;
}

static size_t set_bytes(uint32_t cap)
{
    return sizeof(race_shadow_set) + (size_t)cap * sizeof(race_shadow_access);
}

static race_shadow_cell *block_of(uintptr_t a)
{
    return race_shadow_l1[a >> RACE_SHADOW_BLOCK_SHIFT];
}

race_shadow_set *race_shadow_set_attach(race_shadow_cell *c, uintptr_t a, uint32_t cap)
{
    race_shadow_set *s = race_mem_alloc(set_bytes(cap));
    s->cap = cap;
    memset(c, 0, sizeof *c);
    c->a[0].tid = RACE_SHADOW_SET_TID;
    c->a[0].pc = (uintptr_t)s;
    meta_of(block_of(a))->nsets++;
    nsets_total++;
    return s;
}

race_shadow_set *race_shadow_set_grow(race_shadow_cell *c, uint32_t cap)
{
    race_shadow_set *old = race_shadow_set_of(c);
    race_shadow_set *s = race_mem_alloc(set_bytes(cap));
    memcpy(s, old, set_bytes(old->n));
    s->cap = cap;
    race_mem_free(old, set_bytes(old->cap));
    c->a[0].pc = (uintptr_t)s;
    return s;
}

void race_shadow_set_detach(race_shadow_cell *c, uintptr_t a)
{
    race_shadow_set *s = race_shadow_set_of(c);
    race_mem_free(s, set_bytes(s->cap));
    memset(c, 0, sizeof *c);
    meta_of(block_of(a))->nsets--;
    nsets_total--;
}

size_t race_shadow_sets(void)
{
    return nsets_total;
}

/* Clear cells [from, to) of one mapped block. */
static void reset_cells(race_shadow_cell *block, uintptr_t from, uintptr_t to)
{
    shadow_meta *m = meta_of(block);
    if (m->nsets > 0) {
        for (uintptr_t i = from; i < to && m->nsets > 0; i++) {
            race_shadow_set *s = race_shadow_set_of(&block[i]);
            if (s != NULL) {
                race_mem_free(s, set_bytes(s->cap));
                memset(&block[i], 0, sizeof block[i]);
                m->nsets--;
                nsets_total--;
            }
        }
    }
    char *lo = (char *)&block[from], *hi = (char *)&block[to];
    size_t page = 4096;
    if ((size_t)(hi - lo) >= RESET_MADVISE_MIN) {
        char *alo = (char *)(((uintptr_t)lo + page - 1) & ~(uintptr_t)(page - 1));
        char *ahi = (char *)((uintptr_t)hi & ~(uintptr_t)(page - 1));
        memset(lo, 0, (size_t)(alo - lo));
        memset(ahi, 0, (size_t)(hi - ahi));
        if (madvise(alo, (size_t)(ahi - alo), MADV_DONTNEED) != 0)
            memset(alo, 0, (size_t)(ahi - alo));
        return;
    }
    memset(lo, 0, (size_t)(hi - lo));
}

void race_shadow_reset(uintptr_t addr, size_t size)
{
    if (race_shadow_l1 == NULL || size == 0)
        return;
    uintptr_t end = addr + size;
    if (end < addr || (end >> RACE_SHADOW_VA_BITS))
        end = (uintptr_t)1 << RACE_SHADOW_VA_BITS;
    /* Whole granules: a partial granule at either end is cleared too, as
       the allocator does not share a granule between blocks it hands out. */
    uintptr_t g = addr >> 3, gend = (end + 7) >> 3;
    const uintptr_t per = RACE_SHADOW_BLOCK_CELLS;
    while (g < gend) {
        uintptr_t bidx = g / per;
        uintptr_t bend = (bidx + 1) * per;
        uintptr_t stop = gend < bend ? gend : bend;
        race_shadow_cell *block = race_shadow_l1[bidx];
        if (block != NULL)
            reset_cells(block, g - bidx * per, stop - bidx * per);
        g = stop;
    }
}
