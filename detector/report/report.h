/*
 * report.h - findings as data, rendered later.
 *
 * The detector fills a record; report.c renders it as Go's text (to the
 * log), or as one JSON object per line, and counts it for the exit status.
 */
#ifndef CORACE_REPORT_H
#define CORACE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* One access of a race. */
typedef struct report_access {
    int64_t goid;          /* goroutine id (main is 1) */
    bool write;            /* write, else read */
    bool atomic;           /* atomic access */
    uint32_t frame;        /* depot id of the calling context */
    uintptr_t pc;          /* the access's own pc (a return address into the
                              access: symbolize pc - 1) */
    /* The goroutine that made it. */
    bool finished;         /* the goroutine has exited */
    uint32_t created_frame;/* depot id of where co_go was called (0 for main) */
    uintptr_t created_pc;  /* return address of that co_go call */
} report_access;

typedef struct report_race {
    uintptr_t addr;        /* first byte both accesses touch */
    size_t size;           /* the current access's size */
    report_access cur;     /* the access that found the race */
    report_access prev;    /* the earlier, unordered access */
} report_race;

/* Report a race unless the same pair of pcs, or the same 8-byte granule,
   was reported before; returns whether it was printed.  The one place races
   are deduplicated: the detector passes every race it finds, repeats
   included, so that the repeats are counted here.  May exit the process
   (halt_on_error). */
bool report_race_found(const report_race *r);

/* Races reported so far (duplicates not counted). */
unsigned report_race_count(void);

/* A sync value (Mutex, WaitGroup, ...) used at a new address after it was
   used at its old one: the bytes were copied, as a value passed by value. */
typedef struct report_copy {
    const char *type;      /* "sync.WaitGroup", ... */
    uintptr_t addr;        /* the copy */
    uintptr_t original;    /* where it was first used */
    int64_t goid;          /* the goroutine using the copy */
    uint32_t frame;        /* its calling context (depot id) */
    uintptr_t pc;          /* return address of the corace call on the copy */
    uint32_t first_frame;  /* the original's first use: context and pc (0 if unknown) */
    uintptr_t first_pc;
} report_copy;

void report_copy_found(const report_copy *c);

/* Where text and JSON reports go: the log (stderr, or the log_path file);
   stderr when the format is dot, whose log holds the cycles' graphs alone. */
FILE *report_stream(void);
/* The log itself. */
FILE *report_log(void);

/* Count n findings of another kind (leaks, copies, deadlocks) toward the
   exit status; with halt_on_error, exit as after a race. */
void report_other_findings(unsigned n);

/* Pieces of the renderers, for the other findings' renderers (cycle.c). */
json_t *report_json_stack(uintptr_t pc, uint32_t frame);    /* [{"function":...},...] */
/* The same for a goroutine's trace captured inside corace (where it is
   blocked, or preempted): corace's frames above its entry trimmed too. */
json_t *report_json_trace(uintptr_t pc, uint32_t frame);
/* A finding's record out on f: as the line itself with format=json, else as
   its Go-format text (render_text.h); rec's reference is released. */
void report_emit(FILE *f, json_t *rec);
void report_json_degraded(json_t *rec);                      /* rec.degraded = [...], if any */
/* "file:line" of a site's innermost frame outside corace. */
void report_site_line(uintptr_t pc, uint32_t frame, char *buf, size_t size);

/* A deadlock cycle: wait-for (goroutines blocked now), lock order (an
   order that some interleaving deadlocks on), or a read lock taken twice
   by one goroutine with a writer around. */
typedef struct report_site {
    uint32_t frame;        /* depot id of the calling context */
    uintptr_t pc;          /* return address of the corace call */
} report_site;

typedef struct report_lockref {
    uintptr_t addr;
    const char *type;      /* "mutex", "rwmutex" */
    bool shared;           /* read mode */
    report_site at;
    uintptr_t class_pc;    /* lock classes: the allocating call of its block (return address) */
    size_t class_off;      /* and its offset in the block */
} report_lockref;

/* Step i: goroutine goid holds `held` and asks for `wants`; in a cycle,
   steps[i].wants is steps[i + 1].held (the last wraps around). */
typedef struct report_step {
    int64_t goid;
    report_lockref held;   /* wait-for: the lock step i-1 waits for */
    bool pending;          /* wait-for: does not hold `held`, but its write
                              request of it is queued first (readers wait) */
    report_lockref wants;
    const char *waitreason;/* wait-for: "sync.Mutex.Lock", ... */
} report_step;

enum report_cycle_kind {
    REPORT_WAIT_CYCLE,     /* "WARNING: DEADLOCK (wait-for cycle)" */
    REPORT_LOCK_ORDER,     /* "WARNING: POTENTIAL DEADLOCK (lock-order inversion)" */
    REPORT_RECURSIVE_READ, /* the same header; steps[0] read-locks twice, steps[1] writes */
};

typedef struct report_cycle {
    enum report_cycle_kind kind;
    bool classes;          /* lock order seen between lock classes, not objects */
    unsigned n;
    const report_step *steps;
} report_cycle;

/* Renders the cycle (text, JSON or DOT, with a DOT file next to a log
   file) and counts it as a finding. */
void report_cycle_found(const report_cycle *c);

/* At exit: "Found N data race(s)" and the exit status (CORACE_OPTIONS
   exitcode) when any were reported.  Called once, from an atexit handler
   or co_exit.  Prints to the report stream, in text format only, then
   flushes every stream and _exits with exitcode unless that is 0 (then the
   program's own status stands).  Later calls do nothing. */
void report_finish(void);
/* Called first by report_finish, once (the explore engine's trace). */
extern void (*report_finish_hook)(void);

/* Renders r to f in the format of CORACE_OPTIONS (text or json), with no
   deduplication, counting or exit: the renderer itself, for tests and
   tools. */
void report_render(FILE *f, const report_race *r);

/* Records that detection lost state (reason: a static string, e.g. "the
   shadow memory could not be mapped"); every later report says so, in a
   line "corace: detection degraded: REASON" before its closing line, or a
   "degraded" array in JSON.  At most 8 distinct reasons are kept. */
void report_degraded(const char *reason);

#endif
