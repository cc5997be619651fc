/*
 * race.h - the happens-before race detector's internal interface.
 *
 * Ground rules (TSan's, kept here):
 *  - The access path (race_read/race_write) neither allocates in steady
 *    state nor makes a system call; shadow pages are mapped lazily, once.
 *  - No instrumented code runs inside the detector, and the detector is never
 *    re-entered: everything runs on the one OS thread the scheduler uses.
 *  - A race is reported only when two accesses to overlapping bytes, at least
 *    one a write and not both atomic, are unordered by happens-before.  No
 *    false positives: when state is lost (a table is full), say so loudly in
 *    every later report instead of guessing.
 *
 * Layers:
 *   tsan_abi.c     the __tsan_* entry points the compiler emits, libc interceptors
 *   race.c         goroutine clocks, sync objects, the FastTrack check
 *   vclock.c       vector clocks: chunked, copy-on-write, so a goroutine
 *                  created under 100,000 others costs little
 *   shadow.c       one cell per 8-byte granule of application memory
 *   report/        stack depot, race records, text (Go's format) and JSON
 */
#ifndef CORACE_RACE_H
#define CORACE_RACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A goroutine's slot in vector clocks.  Slots are never reused: a finished
   goroutine's slot stays allocated (4 bytes in each clock that mentions it),
   which keeps every epoch ever written to shadow meaningful. */
typedef uint32_t race_tid;
/* A goroutine's logical time; incremented after each release. */
typedef uint32_t race_clk;

/* An epoch c@t: the access happened at time c of goroutine t.  tid 0 is
   "no access". */
typedef struct race_epoch {
    race_tid tid;
    race_clk clk;
} race_epoch;

/* Where an access was made: the interned call stack of the function that
   made it (a node of core/depot.h) and the pc of the access itself.
   Together they give the full stack at report time, always. */
typedef struct race_site {
    uint32_t frame;   /* depot id of the calling context; 0 = none */
    uintptr_t pc;     /* the access's own pc */
} race_site;

/* --- the detector's interface ---------------------------------------------
 *
 * Everything below runs on the one OS thread of checked mode and is never
 * re-entered (tsan_abi.c guards the entry points).  "cur" is the goroutine
 * race_switch last named (main after race_init); accesses and sync
 * operations are attributed to it.  Before race_init every call here is
 * ignored.
 */

/* A goroutine as the detector sees it: its slot, its vector clock, its
   calling context (func_entry/exit), and for reports its id, its creation
   site and whether it finished.  Opaque: the runtime keeps a pointer in its
   goroutine record and passes it back.  Never freed (reports about a
   finished goroutine still name it); its clock and frame stack are freed at
   exit. */
typedef struct race_g race_g;

void race_init(void);                          /* idempotent; cur = main */
race_g *race_main(void);                       /* goroutine 1's state */

/* HB: the go statement is synchronized before the new goroutine starts:
   child's clock = parent's, then the parent's own entry increments.
   created_pc is the return address of the go call; the parent's current
   calling context is recorded with it. */
race_g *race_go_create(race_g *parent, int64_t goid, uintptr_t created_pc);
void race_go_exit(race_g *g);                  /* finished; state kept for reports */
void race_switch(race_g *g);                   /* g is cur from now on */
race_g *race_current(void);
/* The depot id of g's current calling context. */
uint32_t race_g_frame(const race_g *g);
/* A slot the lock-order checker keeps per goroutine. */
void **race_g_locks(race_g *g);

void race_acquire(const void *sync);           /* cur ⊔= clock(sync) */
void race_release(const void *sync);           /* clock(sync) = cur; cur's own entry++ */
void race_release_merge(const void *sync);     /* clock(sync) ⊔= cur; cur++ */
void race_release_acquire(const void *sync);   /* acquire, then release */
/* The same for g, which need not be cur (Go's racereleaseg): a parked
   goroutine's half of a channel slot's edge, without making it cur. */
void race_release_acquire_g(race_g *g, const void *sync);
void race_handoff(race_g *to);                 /* to ⊔= cur; cur++ */
void race_handback(race_g *from);              /* cur ⊔= from; from++ (its
                                                  blocking point releases) */
void race_sync_free(const void *sync);         /* forget sync's clock */

/* Plain accesses of size bytes at addr, made at pc (any size; ranges are
   split into granules). */
void race_read(const void *addr, size_t size, uintptr_t pc);
void race_write(const void *addr, size_t size, uintptr_t pc);
/* An atomic access.  Checked against plain accesses (mixed atomic and plain
   access to one location is a race, as in Go; two atomics never race) and
   recorded as atomic; then the edges of a sequentially consistent atomic:
   a write (store, read-modify-write) acquires and release-merges addr's
   clock, a read (load, failed compare-exchange) acquires only, so that two
   loads of a flag order nothing, as in Go's memory model. */
void race_atomic(const void *addr, size_t size, bool write, uintptr_t pc);
/* free(): a write over the whole block at pc, then its shadow is reset. */
void race_free(void *addr, size_t size, uintptr_t pc);
/* Forget the accesses to [addr, addr+size) (reuse without a write). */
void race_reset(void *addr, size_t size);

/* Shadow call stack: caller_pc is the return address into the caller. */
void race_func_entry(uintptr_t caller_pc);
void race_func_exit(void);

/* Accessors for the runtime and tests. */
race_tid race_g_tid(const race_g *g);
int64_t race_g_goid(const race_g *g);
race_g *race_g_by_tid(race_tid tid);           /* NULL for an unused tid */

/* Whether detection lost precision (a clock overflowed, shadow memory could
   not be mapped): every later report must say so.  The reason, if any, is
   a static string. */
bool race_degraded(void);
const char *race_degraded_reason(void);

#endif
