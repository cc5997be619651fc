/*
 * addrmap.h - the detector's one hash map from a nonzero 64-bit key (an
 * address, an id) to a fixed-size value.
 *
 * Open addressing with linear probing; a slot is the key followed by the
 * value, so a hit reads one cache line.  Deletion shifts later members of
 * the probe run back instead of leaving tombstones, so probes stay short
 * however many deletions came before.  The table doubles when an insert
 * would make it more than half full, so a probe ends quickly at an empty
 * slot (key 0) and nothing is allocated in steady state.
 *
 * The slots are mmap'd, never malloc'd: heapmap runs inside the checker's
 * malloc wrapper, and no user may recurse into the allocator it watches.
 * For the same reason the map calls no memcpy or memset: in free, heapmap
 * runs with the checker's gate open, where those are the program's own
 * (wrapped, checked) functions.
 *
 * Header only, so that every suite building a user from its sources links
 * without another object; the lookup is inline for the hot users (the sync
 * object of every lock, unlock and atomic).  Single-threaded, like the
 * whole detector.
 */
#ifndef CORACE_ADDRMAP_H
#define CORACE_ADDRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

typedef struct addrmap {
    char *slots;        /* cap slots of stride bytes; NULL before the first insert */
    size_t cap;         /* a power of two, or 0 */
    size_t n;           /* keys present */
    uint32_t stride;    /* 8 + the value size, rounded up to 8 */
    uint32_t vsize;
} addrmap;

/* An empty map of values of vsize bytes (0: a set of keys), as a static
   initializer or at run time; it allocates nothing until the first insert. */
#define ADDRMAP_STRIDE(value_size) ((uint32_t)(8 + (((value_size) + 7) & ~(size_t)7)))
#define ADDRMAP_INIT(value_size) { .stride = ADDRMAP_STRIDE(value_size), .vsize = (uint32_t)(value_size) }

static inline void addrmap_init(addrmap *m, size_t vsize)
{
    *m = (addrmap)ADDRMAP_INIT(vsize);
}

static inline size_t addrmap_count(const addrmap *m) { return m->n; }

/* Slots, for a walk over addrmap_key_at; 0 before the first insert. */
static inline size_t addrmap_capacity(const addrmap *m) { return m->cap; }

/* Slots are 8-aligned (mmap'd, stride a multiple of 8) and a key is only
   ever stored as a uint64_t. */
static inline uint64_t *addrmap_slot(const addrmap *m, size_t i)
{
    return (uint64_t *)(void *)(m->slots + i * m->stride);
}

static inline uint64_t addrmap_key_at(const addrmap *m, size_t i)
{
    return *addrmap_slot(m, i);
}

static inline void *addrmap_value_at(const addrmap *m, size_t i)
{
    return m->slots + i * m->stride + 8;
}

/* Multiplicative hashing, kept close to the address: keys a few bytes
   apart (an array of mutexes, the fields of a struct) get homes a steady
   step apart, which the hardware prefetches, where bits taken from the top
   of the product would scatter them over the table's pages (a lookup 18%
   slower on 4096 adjacent objects).  A constant shift: one by a register
   costs more on the lookup of every lock and atomic, and so would folding
   the high bits in first (17% on a miss), which is what would keep keys a
   multiple of 2^(17 + log2 cap) bytes apart from sharing a home; the
   detector's tables have always hashed so.  Tables stay below 2^32 slots. */
static inline size_t addrmap_home(const addrmap *m, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (m->cap - 1);
}

/* The slot holding key, or (size_t)-1.  stride is m's own; a constant
   one (addrmap_find_fixed) takes the multiply out of the probe loop. */
static inline size_t addrmap_probe(const addrmap *m, uint64_t key, size_t stride)
{
    if (m->n == 0)
        return (size_t)-1;
    size_t mask = m->cap - 1;
    const char *slots = m->slots;
    for (size_t i = addrmap_home(m, key);; i = (i + 1) & mask) {
        uint64_t k = *(const uint64_t *)(const void *)(slots + i * stride);
        if (k == key)
            return i;
        if (k == 0)
            return (size_t)-1;
    }
}

static inline size_t addrmap_find_slot(const addrmap *m, uint64_t key)
{
    return addrmap_probe(m, key, m->stride);
}

/* key's value, or NULL.  Valid until the next insert or delete. */
static inline void *addrmap_find(const addrmap *m, uint64_t key)
{
    size_t i = addrmap_find_slot(m, key);
    return i == (size_t)-1 ? NULL : addrmap_value_at(m, i);
}

/* addrmap_find for the hot users: m was made by ADDRMAP_INIT(value_size)
   with the same value_size, a compile-time constant, so the probe steps
   by a constant stride (as a table of that one struct would). */
static inline void *addrmap_find_fixed(const addrmap *m, uint64_t key, size_t value_size)
{
    size_t stride = ADDRMAP_STRIDE(value_size), i = addrmap_probe(m, key, stride);
    return i == (size_t)-1 ? NULL : m->slots + i * stride + 8;
}

static inline bool addrmap_contains(const addrmap *m, uint64_t key)
{
    return addrmap_find_slot(m, key) != (size_t)-1;
}

/* The first free slot of key's probe run in a map known not to hold it. */
static inline size_t addrmap_free_slot(const addrmap *m, uint64_t key)
{
    size_t i = addrmap_home(m, key), mask = m->cap - 1;
    while (addrmap_key_at(m, i) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Copies (src) or zeroes (src NULL) one slot, a word at a time.  The empty
   asm keeps the compiler from turning the loop into a memcpy or memset
   call, and orders the words against the users' typed accesses. */
static inline void addrmap_move(const addrmap *m, uint64_t *dst, const uint64_t *src)
{
    for (size_t w = 0; w < m->stride / 8; w++) {
        dst[w] = src ? src[w] : 0;
        __asm__ volatile("" ::: "memory");
    }
}

/* Doubles the table (the first one fills a page) and rehashes every key.
   False, and the map unchanged, when the system has no memory.  Out of
   line and cold: it keeps the inserts that inline it short. */
static __attribute__((noinline, cold, unused)) bool addrmap_grow(addrmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    if (ncap > (1ull << 32))
        return false;
    while (ncap * m->stride < 4096)
        ncap *= 2;
    void *p = mmap(NULL, ncap * m->stride, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return false;
    addrmap old = *m;
    m->slots = p;
    m->cap = ncap;
    for (size_t i = 0; i < old.cap; i++) {
        uint64_t k = addrmap_key_at(&old, i);
        if (k != 0)
            addrmap_move(m, addrmap_slot(m, addrmap_free_slot(m, k)), addrmap_slot(&old, i));
    }
    if (old.slots)
        munmap(old.slots, old.cap * old.stride);
    return true;
}

/* key's value, made (zeroed) if key was absent, which *added then tells
   (added may be NULL).  NULL when the table could not grow.  key != 0. */
static inline void *addrmap_insert(addrmap *m, uint64_t key, bool *added)
{
    size_t i = addrmap_find_slot(m, key);
    if (added)
        *added = i == (size_t)-1;
    if (i != (size_t)-1)
        return addrmap_value_at(m, i);
    if (2 * (m->n + 1) > m->cap && !addrmap_grow(m))
        return NULL;
    i = addrmap_free_slot(m, key);
    *addrmap_slot(m, i) = key;
    m->n++;
    return addrmap_value_at(m, i);
}

/* Empties slot i, pulling later members of its probe run back into the
   hole when their home allows it.  Slot i may then hold another key. */
static inline void addrmap_delete_at(addrmap *m, size_t i)
{
    size_t mask = m->cap - 1, hole = i;
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        uint64_t k = addrmap_key_at(m, j);
        if (k == 0)
            break;
        /* j may fill the hole unless its home lies cyclically in (hole, j]. */
        if (((j - addrmap_home(m, k)) & mask) >= ((j - hole) & mask)) {
            addrmap_move(m, addrmap_slot(m, hole), addrmap_slot(m, j));
            hole = j;
        }
    }
    addrmap_move(m, addrmap_slot(m, hole), NULL);
    m->n--;
}

/* Whether key was there. */
static inline bool addrmap_delete(addrmap *m, uint64_t key)
{
    size_t i = addrmap_find_slot(m, key);
    if (i == (size_t)-1)
        return false;
    addrmap_delete_at(m, i);
    return true;
}

/* Drops every key and the table. */
static inline void addrmap_free(addrmap *m)
{
    if (m->slots)
        munmap(m->slots, m->cap * m->stride);
    addrmap_init(m, m->vsize);
}

#endif
