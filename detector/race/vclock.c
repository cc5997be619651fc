/*
 * vclock.c - chunked copy-on-write vector clocks and the detector's
 * allocator.  Representation and the reasons for it: vclock.h.
 *
 * Invariants:
 *  - a chunk with refs > 1 is never written; a writer first replaces its
 *    pointer with a private copy (refs 1) and drops one reference;
 *  - a clock's spine may hold trailing NULLs (n is a bound, not exact);
 *  - everything runs on one OS thread and is never re-entered.
 */
#include "detector/race/vclock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* --- memory -------------------------------------------------------------- */

#define ARENA_SIZE (1u << 20)

static size_t mem_mapped;

_Noreturn void race_oom(const char *what)
{
    /* write(2), not stdio: stdio may allocate, and malloc is wrapped. */
    static const char pre[] = "corace: race detector out of memory (";
    static const char post[] = "); cannot continue without losing state\n";
    ssize_t r = write(2, pre, sizeof pre - 1);
    r = write(2, what, strlen(what));
    r = write(2, post, sizeof post - 1);
    (void)r;
    abort();
}

static void *map_bytes(size_t size, const char *what)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        race_oom(what);
    mem_mapped += size;
    return p;
}

void *race_pool_get(race_pool *p)
{
    void *o = p->free;
    if (o != NULL) {
        p->free = *(void **)o;
        return o;
    }
    if ((size_t)(p->end - p->next) < p->size) {
        size_t n = p->size > ARENA_SIZE / 16 ? p->size * 16 : ARENA_SIZE;
        p->next = map_bytes(n, "pool arena");
        p->end = p->next + n;
    }
    o = p->next;
    p->next += p->size;
    return o;
}

void race_pool_put(race_pool *p, void *obj)
{
    *(void **)obj = p->free;
    p->free = obj;
}

/* Classes 16 B .. 64 KiB: class k holds blocks of 16 << k bytes. */
#define NCLASS 13
static race_pool mem_class[NCLASS];

static int class_of(size_t size)
{
    int k = 0;
    while (((size_t)16 << k) < size)
        k++;
    return k;
}

void *race_mem_alloc(size_t size)
{
    if (size > RACE_MEM_MAX_CLASS) {
        size_t page = 4096;
        return map_bytes((size + page - 1) & ~(page - 1), "large block");
    }
    int k = class_of(size);
    race_pool *p = &mem_class[k];
    if (p->size == 0)
        p->size = (size_t)16 << k;
    void *o = race_pool_get(p);
    memset(o, 0, p->size);
    return o;
}

void race_mem_free(void *p, size_t size)
{
    if (p == NULL)
        return;
    if (size > RACE_MEM_MAX_CLASS) {
        size_t page = 4096, n = (size + page - 1) & ~(page - 1);
        munmap(p, n);
        mem_mapped -= n;
        return;
    }
    race_pool_put(&mem_class[class_of(size)], p);
}

size_t race_mem_mapped(void)
{
    return mem_mapped;
}

/* --- chunks -------------------------------------------------------------- */

/* sizeof(race_vc_chunk) is 1028: a pool of its own, not the 2 KiB class. */
static race_pool chunk_pool = { .size = (sizeof(race_vc_chunk) + 7) & ~(size_t)7 };

/* Chunks in the pool are all zero past their first 8 bytes (where the
   pool keeps its link, over refs and hi): a chunk is cleared up to its hi
   when it is freed, so a new one needs no clearing and a copy copies only
   the entries that can be nonzero -- a handful while few goroutines exist,
   instead of all 256. */
static race_vc_chunk *chunk_new_zero(void)
{
    race_vc_chunk *c = race_pool_get(&chunk_pool);
    c->refs = 1;
    c->hi = 0;
    return c;
}

static race_vc_chunk *chunk_dup(const race_vc_chunk *src)
{
    race_vc_chunk *c = race_pool_get(&chunk_pool);
    memcpy(c->c, src->c, src->hi * sizeof c->c[0]);
    c->refs = 1;
    c->hi = src->hi;
    return c;
}

static void chunk_unref(race_vc_chunk *c)
{
    if (c != NULL && --c->refs == 0) {
        memset(c->c, 0, c->hi * sizeof c->c[0]);
        race_pool_put(&chunk_pool, c);
    }
}

/* The chunk at *slot, made private (created zero, or copied when shared). */
static race_vc_chunk *chunk_own(race_vc_chunk **slot)
{
    race_vc_chunk *c = *slot;
    if (c == NULL) {
        c = *slot = chunk_new_zero();
    } else if (c->refs > 1) {
        c->refs--;
        c = *slot = chunk_dup(c);
    }
    return c;
}

/* --- clocks -------------------------------------------------------------- */

static size_t spine_bytes(const race_vclock *v, uint32_t cap)
{
    return (size_t)cap * (v->idx ? sizeof(race_vc_chunk *) + sizeof(uint32_t)
                                 : sizeof(race_vc_chunk *));
}

static void spine_release(race_vclock *v)
{
    race_mem_free(v->ch, spine_bytes(v, v->cap));
}

/* Dense: make room for chunk indices < n (new entries NULL). */
static void dense_reserve(race_vclock *v, uint32_t n)
{
    if (n > v->cap) {
        uint32_t cap = v->cap ? v->cap : 4;
        while (cap < n)
            cap *= 2;
        race_vc_chunk **ch = race_mem_alloc((size_t)cap * sizeof *ch);
        if (v->n)
            memcpy(ch, v->ch, v->n * sizeof *ch);
        spine_release(v);
        v->ch = ch;
        v->cap = cap;
    }
    if (n > v->n)
        v->n = n;   /* entries in [n, cap) are always NULL */
}

/* Sparse spine of cap pairs: ch[0..cap) then idx[0..cap) in one block. */
static void sparse_alloc(race_vclock *v, uint32_t cap)
{
    race_vc_chunk **ch = race_mem_alloc((size_t)cap * (sizeof *ch + sizeof(uint32_t)));
    v->ch = ch;
    v->idx = (uint32_t *)(ch + cap);
    v->cap = cap;
}

/* Sparse to dense, keeping the chunks. */
static void densify(race_vclock *v)
{
    race_vclock d;
    race_vc_init(&d);
    dense_reserve(&d, v->idx[v->n - 1] + 1);
    for (uint32_t k = 0; k < v->n; k++)
        d.ch[v->idx[k]] = v->ch[k];
    spine_release(v);
    *v = d;
}

/* The slot of chunk index i in v, created (NULL chunk) when absent. */
static race_vc_chunk **slot_of(race_vclock *v, uint32_t i)
{
    if (v->idx == NULL && v->n == 0 && v->cap == 0)
        sparse_alloc(v, 2);   /* a fresh clock starts sparse */
    if (v->idx == NULL) {
        if (i >= v->n)
            dense_reserve(v, i + 1);
        return &v->ch[i];
    }
    uint32_t k = 0;
    while (k < v->n && v->idx[k] < i)
        k++;
    if (k < v->n && v->idx[k] == i)
        return &v->ch[k];
    if (v->n == RACE_VC_SPARSE_MAX) {
        densify(v);
        dense_reserve(v, i + 1);
        return &v->ch[i];
    }
    if (v->n == v->cap) {
        race_vclock g = *v;
        sparse_alloc(v, v->cap * 2);
        memcpy(v->ch, g.ch, g.n * sizeof *v->ch);
        memcpy(v->idx, g.idx, g.n * sizeof *v->idx);
        spine_release(&g);
    }
    memmove(&v->ch[k + 1], &v->ch[k], (v->n - k) * sizeof *v->ch);
    memmove(&v->idx[k + 1], &v->idx[k], (v->n - k) * sizeof *v->idx);
    v->ch[k] = NULL;
    v->idx[k] = i;
    v->n++;
    return &v->ch[k];
}

void race_vc_init(race_vclock *v)
{
    v->ch = NULL;
    v->idx = NULL;
    v->n = v->cap = 0;
}

void race_vc_free(race_vclock *v)
{
    for (uint32_t i = 0; i < v->n; i++)
        chunk_unref(v->ch[i]);
    spine_release(v);
    race_vc_init(v);
}

void race_vc_set(race_vclock *v, race_tid t, race_clk c)
{
    if (c == 0 && race_vc_get(v, t) == 0)
        return;
    race_vc_chunk **slot = slot_of(v, t >> RACE_VC_CHUNK_SHIFT);
    race_vc_chunk *k = *slot;
    if (k != NULL && k->c[t & (RACE_VC_CHUNK - 1)] == c)
        return;   /* no change: keep sharing */
    race_vc_chunk *k2 = chunk_own(slot);
    uint32_t j = t & (RACE_VC_CHUNK - 1);
    k2->c[j] = c;
    if (c && j >= k2->hi)
        k2->hi = j + 1;
}

race_clk race_vc_inc(race_vclock *v, race_tid t)
{
    race_clk c = race_vc_get(v, t);
    if (c == RACE_CLK_MAX)
        return 0;
    race_vc_set(v, t, c + 1);
    return c + 1;
}

void race_vc_copy(race_vclock *dst, const race_vclock *src)
{
    if (dst == src)
        return;
    /* Take src's references before dropping dst's: they may be the same
       chunks. */
    for (uint32_t i = 0; i < src->n; i++)
        if (src->ch[i] != NULL)
            src->ch[i]->refs++;
    race_vc_free(dst);
    uint32_t n = src->n;
    if (src->idx != NULL) {
        if (n == 0)
            return;
        sparse_alloc(dst, n < 2 ? 2 : n);
        memcpy(dst->ch, src->ch, n * sizeof *dst->ch);
        memcpy(dst->idx, src->idx, n * sizeof *dst->idx);
        dst->n = n;
        return;
    }
    /* Trailing NULLs of a dense src need not be copied. */
    while (n > 0 && src->ch[n - 1] == NULL)
        n--;
    if (n == 0)
        return;
    dense_reserve(dst, n);
    memcpy(dst->ch, src->ch, n * sizeof *dst->ch);
}

/* a's chunk at slot ⊔= cb. */
uint32_t race_vc_tids = 1;

/* Joins chunk number ci.  Entries at or past race_vc_tids belong to no
   goroutine yet and are zero in every clock, so the loops stop there: with
   a handful of goroutines a join reads a handful of entries, not 256. */
static void join_chunk(race_vc_chunk **slot, race_vc_chunk *cb, uint32_t ci)
{
    uint64_t first = (uint64_t)ci * RACE_VC_CHUNK;
    uint32_t lim = race_vc_tids <= first ? 0
                   : race_vc_tids - first >= RACE_VC_CHUNK ? RACE_VC_CHUNK
                                                           : (uint32_t)(race_vc_tids - first);
    race_vc_chunk *ca = *slot;
    if (ca == cb)
        return;
    if (ca == NULL) {
        cb->refs++;
        *slot = cb;
        return;
    }
    /* One pass to learn the order of the two chunks. */
    bool b_gt = false, a_gt = false;
    for (uint32_t j = 0; j < lim; j++) {
        b_gt |= cb->c[j] > ca->c[j];
        a_gt |= ca->c[j] > cb->c[j];
    }
    if (!b_gt)
        return;                 /* a already covers b here */
    if (!a_gt) {                /* b covers a: share b's chunk */
        cb->refs++;
        chunk_unref(ca);
        *slot = cb;
        return;
    }
    ca = chunk_own(slot);
    for (uint32_t j = 0; j < lim; j++)
        if (cb->c[j] > ca->c[j])
            ca->c[j] = cb->c[j];
    if (cb->hi > ca->hi)
        ca->hi = cb->hi;
}

void race_vc_join(race_vclock *a, const race_vclock *b)
{
    if (a == b)
        return;
    if (b->idx != NULL) {
        for (uint32_t k = 0; k < b->n; k++)
            if (b->ch[k] != NULL)
                join_chunk(slot_of(a, b->idx[k]), b->ch[k], b->idx[k]);
        return;
    }
    uint32_t n = b->n;
    while (n > 0 && b->ch[n - 1] == NULL)
        n--;
    /* Many chunks into a sparse clock: go dense once, up front. */
    if (a->idx != NULL && n > RACE_VC_SPARSE_MAX && a->n > 0)
        densify(a);
    for (uint32_t i = 0; i < n; i++)
        if (b->ch[i] != NULL)
            join_chunk(slot_of(a, i), b->ch[i], i);
}
