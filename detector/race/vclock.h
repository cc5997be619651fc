/*
 * vclock.h - vector clocks for the race detector, and the detector's own
 * memory.
 *
 * Representation.  A clock maps every race_tid ever handed out to a
 * race_clk.  Tids are never reused, so a program that made a million
 * goroutines has clocks a million entries wide, and 100,000 goroutines can
 * be alive at once: a dense private array per goroutine (400 KB each at
 * that point) is out of the question.  So a clock is a "spine" of pointers
 * to chunks of RACE_VC_CHUNK entries:
 *
 *   - a NULL chunk pointer, or an index past the spine, means all zero;
 *   - chunks are refcounted and shared between clocks until one of them
 *     writes (copy-on-write), so copying a clock (go statement, release)
 *     costs the spine, not the entries;
 *   - joining skips chunks that are pointer-equal, takes a chunk over by
 *     sharing when the receiver's is NULL or no larger anywhere, and copies
 *     only a chunk that really changes.
 *
 * A goroutine's own entry changes on every release, so the chunk holding it
 * is private to that goroutine most of the time; chunks of other, older
 * goroutines are shared by everyone who inherited or acquired them.
 *
 * Memory.  Clocks and shadow sets never come from malloc: they are made on
 * the hot path, where the program's allocator would cost too much and would
 * be seen by the wrappers that feed the detector.  (The deadlock checker's
 * tables and reports do use malloc, with the re-entry gate raised, off the
 * hot path.)  race_mem_* hands out blocks carved
 * from mmap'd arenas, in power-of-two size classes with free lists (one
 * thread, no locking); blocks above RACE_MEM_MAX_CLASS are mmap'd one by
 * one.  The caller gives the size back on free, so blocks carry no header.
 * Out of memory is fatal, with a message: losing state silently would make
 * the checker lie.
 */
#ifndef CORACE_RACE_VCLOCK_H
#define CORACE_RACE_VCLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detector/race/race.h"

/* --- memory -------------------------------------------------------------- */

/* A pool of fixed-size objects; zero-initialise it with the size set. */
typedef struct race_pool {
    size_t size;   /* object size, a multiple of 8 */
    void *free;    /* free list, linked through the objects' first word */
    char *next;    /* unused part of the current arena */
    char *end;
} race_pool;

void *race_pool_get(race_pool *p);          /* not zeroed */
void race_pool_put(race_pool *p, void *obj);

/* Zeroed memory of size bytes; free with the same size.  Sizes up to
   RACE_MEM_MAX_CLASS come from pooled power-of-two classes. */
#define RACE_MEM_MAX_CLASS (64 * 1024)
void *race_mem_alloc(size_t size);
void race_mem_free(void *p, size_t size);

/* Bytes the detector holds in arenas and large blocks (for tests and
   statistics; counts mappings, not touched pages). */
size_t race_mem_mapped(void);

/* Print why and abort: the detector cannot continue without its state. */
_Noreturn void race_oom(const char *what);

/* --- vector clocks ------------------------------------------------------- */

#define RACE_VC_CHUNK_SHIFT 8
#define RACE_VC_CHUNK (1u << RACE_VC_CHUNK_SHIFT)   /* entries per chunk */

typedef struct race_vc_chunk {
    uint32_t refs;                  /* clocks pointing here; written only when 1 */
    uint32_t hi;                    /* c[hi..] are all zero: copies stop there */
    race_clk c[RACE_VC_CHUNK];      /* c[i] = time of tid (chunk index << 8) + i */
} race_vc_chunk;

/* Two shapes of spine.  Dense: ch[i] is chunk i.  Sparse (idx != NULL):
   ch[k] is chunk idx[k], idx ascending, at most RACE_VC_SPARSE_MAX of them.
   A new goroutine's clock holds its parent's chunks and its own, far apart
   in tid order: a dense spine would cost 8 bytes per 256 tids ever made,
   per goroutine.  A clock becomes dense when it needs more chunks. */
#define RACE_VC_SPARSE_MAX 8

typedef struct race_vclock {
    race_vc_chunk **ch;   /* chunk pointers; NULL means all zero */
    uint32_t *idx;        /* sparse: chunk index of each ch[k]; NULL: dense */
    uint32_t n;           /* dense: tids >= n << 8 are zero; sparse: pairs */
    uint32_t cap;         /* entries allocated */
} race_vclock;

/* An empty (all-zero) clock; no allocation until a nonzero entry. */
void race_vc_init(race_vclock *v);
/* Drop v's chunks and spine; v is then empty and may be reused. */
void race_vc_free(race_vclock *v);

static inline race_clk race_vc_get(const race_vclock *v, race_tid t)
{
    uint32_t i = t >> RACE_VC_CHUNK_SHIFT;
    const race_vc_chunk *c = NULL;
    if (v->idx == NULL) {
        if (i < v->n)
            c = v->ch[i];
    } else {
        for (uint32_t k = 0; k < v->n; k++)
            if (v->idx[k] == i) {
                c = v->ch[k];
                break;
            }
    }
    return c ? c->c[t & (RACE_VC_CHUNK - 1)] : 0;
}

/* Whether epoch c@t is ordered before v's holder: c <= v[t]. */
static inline bool race_vc_covers(const race_vclock *v, race_tid t, race_clk c)
{
    return c <= race_vc_get(v, t);
}

void race_vc_set(race_vclock *v, race_tid t, race_clk c);
/* v[t]++ and returns the new value; at RACE_CLK_MAX it stays there and
   returns 0 (the caller reports the overflow). */
race_clk race_vc_inc(race_vclock *v, race_tid t);
/* dst = src, sharing src's chunks. */
void race_vc_copy(race_vclock *dst, const race_vclock *src);
/* a = a ⊔ b (elementwise max). */
void race_vc_join(race_vclock *a, const race_vclock *b);

#define RACE_CLK_MAX UINT32_MAX

/* Tids handed out so far (all below it); entries past it are zero
   everywhere.  Raised by whoever allocates tids. */
extern uint32_t race_vc_tids;

#endif
